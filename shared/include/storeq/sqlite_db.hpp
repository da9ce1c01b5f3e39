#pragma once
// RAII wrapper over SQLite's C API; sqlite3.h stays out of this header.
// Expected failures (busy, constraint, disk full) come back as Error values.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storeq/expected.hpp"

namespace storeq {

class Statement {
public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    ~Statement();

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind_null(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // true: a row is ready to read; false: done.
    Expected<bool> step();
    // Runs to completion (for INSERT/UPDATE/DELETE), then resets for reuse.
    Expected<void> run();
    void reset();  // also clears bindings

    // Columns are 0-based.
    std::int64_t column_int64(int index) const;
    double column_double(int index) const;
    std::string column_text(int index) const;
    bool column_is_null(int index) const;
    int changes() const;  // rows changed by the last run()

private:
    friend class Database;
    struct Impl;
    explicit Statement(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class Database {
public:
    // Opens (creating if needed), sets WAL, synchronous=NORMAL, foreign_keys=ON and a busy
    // timeout.
    static Expected<Database> open(const std::string& path);

    // Opens an existing database only to read it, and writes nothing, not even beside it:
    // a reader (a manager's account running a report) must not leave a -wal or -shm of
    // its own next to the owner's database, nor need write permission there. How, and why
    // that is safe: sqlite_db.cpp. A file that is not there is an Error (never created).
    static Expected<Database> open_read_only(const std::string& path);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    Expected<void> exec(std::string_view sql);
    Expected<Statement> prepare(std::string_view sql);

    // Applies migrations[user_version..] each in its own transaction, bumping
    // PRAGMA user_version; migrations[i] takes the schema from version i to i+1.
    Expected<void> migrate(const std::vector<std::string>& migrations);
    int user_version();

    std::int64_t last_insert_rowid() const;

    // A consistent copy of the whole database into a new file at `path` (SQLite's online
    // backup API, in one read transaction: writers on other connections go on, WAL).
    Expected<void> backup_to(const std::string& path);

private:
    struct Impl;
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    const Expected<void>& begun() const { return begun_; }
    Expected<void> commit();

private:
    Database& db_;
    Expected<void> begun_;
    bool done_ = false;
};

}  // namespace storeq
