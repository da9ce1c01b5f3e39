#pragma once
// Reads a program's SQLite file from outside, while it runs (WAL lets a reader in).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "storeq/sqlite_db.hpp"

namespace storeq::test {

// The first column of the first row of `sql` (a count, usually); -1 when the database
// cannot be read yet.
inline std::int64_t query_number(const std::string& db_path, const std::string& sql) {
    auto db = Database::open(db_path);
    if (!db) return -1;
    auto stmt = db->prepare(sql);
    if (!stmt) return -1;
    auto row = stmt->step();
    return row && *row ? stmt->column_int64(0) : -1;
}

// The first column of the first row as text; empty when there is none.
inline std::string query_text(const std::string& db_path, const std::string& sql) {
    auto db = Database::open(db_path);
    if (!db) return {};
    auto stmt = db->prepare(sql);
    if (!stmt) return {};
    auto row = stmt->step();
    return row && *row && !stmt->column_is_null(0) ? stmt->column_text(0) : std::string();
}

inline std::int64_t stored_feedback(const std::string& db_path) {
    return query_number(db_path, "SELECT count(DISTINCT id) FROM feedback");
}

// "Exactly once", checked where a duplicate could actually be: feedback.id is the primary
// key, so counting distinct ids there can never find one. A census instead counts rows by
// payload id across every table that holds feedback rows (any table with both an `id`
// and a `score` column: `feedback` now, an archive or pending table if one is added),
// checks them against the ids the test sent, and checks the hourly rollup, whose counts
// would take a feedback twice without any key to stop them. -1: could not be read.
struct FeedbackCensus {
    std::int64_t rows = -1;            // feedback rows, over every such table
    std::int64_t duplicated_ids = -1;  // ids held more than once
    std::int64_t missing = -1;         // sent, not stored
    std::int64_t unexpected = -1;      // stored, never sent
    std::int64_t rollup_excess = -1;   // feedback_hourly's sum(n) minus the rows it covers
};

inline FeedbackCensus feedback_census(const std::string& db_path, const std::vector<std::string>& sent_ids) {
    FeedbackCensus census;
    auto db = Database::open(db_path);
    if (!db) return census;
    auto number = [&](const std::string& sql) -> std::int64_t {
        auto stmt = db->prepare(sql);
        if (!stmt) return -1;
        auto row = stmt->step();
        return row && *row ? stmt->column_int64(0) : -1;
    };
    std::string all_rows;  // SELECT id FROM t1 UNION ALL SELECT id FROM t2 ...
    if (auto tables = db->prepare("SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND "
                                  "(SELECT count(*) FROM pragma_table_info(m.name) c WHERE c.name IN ('id', 'score')) = 2");
        tables) {
        for (auto row = tables->step(); row && *row; row = tables->step())
            all_rows += (all_rows.empty() ? "" : " UNION ALL ") + std::string("SELECT id FROM \"") +
                        tables->column_text(0) + "\"";
    }
    if (all_rows.empty()) return census;
    // The ids sent, in a TEMP table: this connection's own, nothing written to the file.
    if (!db->exec("CREATE TEMP TABLE sent(id TEXT PRIMARY KEY)")) return census;
    if (auto insert = db->prepare("INSERT OR IGNORE INTO temp.sent VALUES(?)"); insert)
        for (const auto& id : sent_ids) (void)insert->bind(1, id).run();
    census.rows = number("SELECT count(*) FROM (" + all_rows + ")");
    census.duplicated_ids = number("SELECT count(*) FROM (SELECT id FROM (" + all_rows + ") GROUP BY id HAVING count(*) > 1)");
    census.missing = number("SELECT count(*) FROM temp.sent WHERE id NOT IN (" + all_rows + ")");
    census.unexpected = number("SELECT count(*) FROM (" + all_rows + ") WHERE id NOT IN (SELECT id FROM temp.sent)");
    census.rollup_excess = number(
        "SELECT (SELECT coalesce(sum(n), 0) FROM feedback_hourly) - "
        "(SELECT count(*) FROM feedback WHERE seq <= (SELECT feedback_seq FROM rollup_cursor WHERE id = 1))");
    return census;
}

inline std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace storeq::test
