#pragma once
// Reads a program's SQLite file from outside, while it runs (WAL lets a reader in).
#include <chrono>
#include <cstdint>
#include <string>

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

inline std::int64_t stored_feedback(const std::string& db_path) {
    return query_number(db_path, "SELECT count(DISTINCT id) FROM feedback");
}

inline std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace storeq::test
