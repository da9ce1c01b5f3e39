#include "pg_db.hpp"

#include <libpq-fe.h>

#include <cstdlib>

namespace storeq::hq {
namespace {

std::string trimmed_message(const char* text) {
    std::string s = text ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s.empty() ? "unknown error" : s;
}

}  // namespace

void PgResult::Free::operator()(pg_result* r) const { PQclear(r); }
void PgConnection::Close::operator()(pg_conn* c) const { PQfinish(c); }

int PgResult::rows() const { return PQntuples(result_.get()); }
bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
std::string PgResult::text(int row, int column) const { return PQgetvalue(result_.get(), row, column); }
std::int64_t PgResult::int64(int row, int column) const {
    return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}
bool PgResult::boolean(int row, int column) const { return PQgetvalue(result_.get(), row, column)[0] == 't'; }

Expected<PgConnection> PgConnection::connect(const std::string& conninfo) {
    PgConnection c;
    c.conn_.reset(PQconnectdb(conninfo.c_str()));
    if (!c.conn_) return Error{"postgresql", "out of memory"};
    if (PQstatus(c.conn_.get()) != CONNECTION_OK) return Error{"postgresql", trimmed_message(PQerrorMessage(c.conn_.get()))};
    // Notices (a partition that exists already) are not news.
    PQsetNoticeProcessor(c.conn_.get(), [](void*, const char*) {}, nullptr);
    return c;
}

Expected<void> PgConnection::exec(const std::string& sql) {
    std::unique_ptr<pg_result, PgResult::Free> r(PQexec(conn_.get(), sql.c_str()));
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return Error{"postgresql", trimmed_message(PQerrorMessage(conn_.get()))};
    return {};
}

Expected<PgResult> PgConnection::query(const std::string& sql, const std::vector<PgParam>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PgResult result;
    result.result_.reset(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0));
    const auto status = result.result_ ? PQresultStatus(result.result_.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return Error{"postgresql", trimmed_message(PQerrorMessage(conn_.get()))};
    return result;
}

bool PgConnection::usable() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }

Expected<PgTransaction> PgTransaction::begin(PgConnection& db) {
    if (auto begun = db.exec("BEGIN"); !begun) return begun.error();
    return PgTransaction(db);
}

PgTransaction::~PgTransaction() {
    if (db_) (void)db_->exec("ROLLBACK");
}

Expected<void> PgTransaction::commit() {
    PgConnection* db = db_;
    db_ = nullptr;
    return db->exec("COMMIT");
}

}  // namespace storeq::hq
