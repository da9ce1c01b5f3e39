#pragma once
// RAII wrapper over libpq's C API, in the style of the SQLite and mosquitto wrappers:
// libpq-fe.h stays in pg_db.cpp, failures are Error values (PostgreSQL's own message),
// nothing throws. Not thread-safe: a connection belongs to one thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storeq/expected.hpp"

struct pg_conn;
struct pg_result;

namespace storeq::hq {

// A parameter in text form; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

class PgResult {
public:
    int rows() const;
    bool is_null(int row, int column) const;
    std::string text(int row, int column) const;
    std::int64_t int64(int row, int column) const;  // 0 for NULL or not a number
    bool boolean(int row, int column) const;        // 't'

private:
    friend class PgConnection;
    struct Free {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Free> result_;
};

class PgConnection {
public:
    // An Error says why (the server is down, the database does not exist ...).
    static Expected<PgConnection> connect(const std::string& conninfo);

    // Statements without parameters, several separated by ';' (migrations, BEGIN).
    Expected<void> exec(const std::string& sql);
    // One statement with $1, $2 ... parameters, as text.
    Expected<PgResult> query(const std::string& sql, const std::vector<PgParam>& params = {});
    // False once the server went away: make a new connection.
    bool usable() const;

private:
    struct Close {
        void operator()(pg_conn* c) const;
    };
    std::unique_ptr<pg_conn, Close> conn_;
};

// A transaction: rolled back unless commit() succeeded.
class PgTransaction {
public:
    static Expected<PgTransaction> begin(PgConnection& db);
    PgTransaction(PgTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    PgTransaction& operator=(PgTransaction&&) = delete;
    ~PgTransaction();
    Expected<void> commit();

private:
    explicit PgTransaction(PgConnection& db) : db_(&db) {}
    PgConnection* db_;
};

}  // namespace storeq::hq
