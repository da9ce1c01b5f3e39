#include "database_check.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>

namespace storeq::controller {
namespace {

namespace fs = std::filesystem;

// The raw API here, not storeq::Database: the check must tell "damaged" (SQLITE_CORRUPT,
// SQLITE_NOTADB) from "cannot read it now" (busy, I/O), and must not create the file.
struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

bool is_damage(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

// What quick_check found: nullopt when the file is sound; otherwise its first complaint.
Expected<std::optional<std::string>> quick_check(const std::string& path) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, SqliteCloser> db(raw);
    auto failure = [&](const char* step) -> Expected<std::optional<std::string>> {
        std::string message = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
        if (is_damage(rc)) return std::optional<std::string>(message);
        return Error{path, std::string(step) + ": " + message + " (code " + std::to_string(rc) + ")"};
    };
    if (rc != SQLITE_OK) return failure("cannot open it");
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), 5000);
    sqlite3_stmt* raw_stmt = nullptr;
    rc = sqlite3_prepare_v2(db.get(), "PRAGMA quick_check", -1, &raw_stmt, nullptr);
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt(raw_stmt);
    if (rc != SQLITE_OK) return failure("cannot check it");
    // One row "ok" when sound; otherwise one row per problem found (up to 100).
    rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return failure("cannot check it");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    std::string first = text ? text : "";
    std::replace(first.begin(), first.end(), '\n', ' ');  // one log line per event
    if (first == "ok") return std::optional<std::string>();
    return std::optional<std::string>(first);
}

// Writable by this process (its effective user, as the kernel will judge the open), on a
// file system that is not read-only.
Expected<void> require_writable(const std::string& path, const char* what) {
    if (::faccessat(AT_FDCWD, path.c_str(), R_OK | W_OK, AT_EACCESS) == 0) return {};
    const int error = errno;
    return Error{path, std::string(what) + " is not writable by this user (uid " + std::to_string(::geteuid()) +
                           "): " + std::strerror(error) + "; fix its owner or mode, then start again"};
}

Expected<void> move(const std::string& from, const std::string& to) {
    std::error_code error;
    fs::rename(from, to, error);
    if (error) return Error{from, "cannot move it aside to " + to + ": " + error.message()};
    return {};
}

constexpr char kSqliteMagic[] = "SQLite format 3";  // and its NUL: the file's first 16 bytes

Error not_storeq(const std::string& db_path, const std::string& why) {
    return Error{"", db_path + " is not a storeq database (" + why + "); check --db"};
}

// A sound SQLite file with tables, none of them ours: another program's database (the
// controller would add its tables to it). An empty one is a store starting.
Expected<void> other_programs_tables(const std::string& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, SqliteCloser> db(raw);
    if (rc != SQLITE_OK) return Error{path, std::string("cannot open it: ") + sqlite3_errstr(rc)};
    sqlite3_busy_timeout(db.get(), 5000);
    sqlite3_stmt* raw_stmt = nullptr;
    const char* sql =
        "SELECT count(*), count(CASE WHEN name = 'feedback' THEN 1 END) FROM sqlite_master WHERE type = 'table'";
    if (sqlite3_prepare_v2(db.get(), sql, -1, &raw_stmt, nullptr) != SQLITE_OK)
        return Error{path, std::string("cannot read its tables: ") + sqlite3_errmsg(db.get())};
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt(raw_stmt);
    if (sqlite3_step(stmt.get()) != SQLITE_ROW)
        return Error{path, std::string("cannot read its tables: ") + sqlite3_errmsg(db.get())};
    if (sqlite3_column_int64(stmt.get(), 0) > 0 && sqlite3_column_int64(stmt.get(), 1) == 0)
        return not_storeq(path, "a SQLite database without storeq's tables");
    return {};
}

}  // namespace

Expected<void> check_storeq_file(const std::string& db_path) {
    std::error_code error;
    if (!fs::exists(db_path, error)) return Error{"--db " + db_path, "no database file there"};
    if (!fs::is_regular_file(db_path, error)) return Error{"--db " + db_path, "is not a file"};
    const int fd = ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{"--db " + db_path, std::string("cannot be read: ") + std::strerror(errno)};
    char head[sizeof kSqliteMagic] = {};
    const ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    if (n == 0) return {};  // empty: a store starting (the controller) or nothing to read yet
    if (n != static_cast<ssize_t>(sizeof head) || std::memcmp(head, kSqliteMagic, sizeof head) != 0)
        return not_storeq(db_path, "not a SQLite file");
    return {};
}

Expected<void> check_storeq_schema(Database& db, const std::string& db_path) {
    auto tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'feedback'");
    if (!tables) return tables.error();
    auto row = tables->step();
    if (!row) return row.error();
    if (!*row || tables->column_int64(0) == 0) return not_storeq(db_path, "it has no storeq tables");
    return {};
}

std::string damaged_database_name(const std::string& db_path, TimeMs now) {
    const std::time_t seconds = static_cast<std::time_t>(now / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    return db_path + ".damaged-" + stamp;
}

Expected<DatabaseStartCheck> check_database_at_start(const std::string& db_path, TimeMs now) {
    // The directory: SQLite creates -wal and -shm there, the journal lives there, and a
    // damaged file is moved aside within it.
    const fs::path parent = fs::path(db_path).parent_path();
    const std::string dir = parent.empty() ? std::string(".") : parent.string();
    std::error_code error;
    if (!fs::is_directory(dir, error))
        return Error{"--db " + db_path, "the folder " + dir + " does not exist (create it, owned by the controller's user)"};
    if (fs::exists(db_path, error) && !fs::is_regular_file(db_path, error))
        return Error{"--db " + db_path, "is not a file"};
    if (auto writable = require_writable(dir, "the database's directory"); !writable) return writable.error();
    const std::string journal = intake_journal_path(db_path);
    for (const auto& [path, what] : {std::pair{db_path, "the database"}, std::pair{db_path + "-wal", "the database's WAL"},
                                     std::pair{db_path + "-shm", "the database's shared memory file"},
                                     std::pair{journal, "the intake journal"}}) {
        if (!fs::exists(path, error)) continue;
        if (auto writable = require_writable(path, what); !writable) return writable.error();
    }

    DatabaseStartCheck result;
    if (!fs::exists(db_path, error) || fs::file_size(db_path, error) == 0) return result;  // a fresh store
    if (auto storeq = check_storeq_file(db_path); !storeq) return storeq.error();
    auto found = quick_check(db_path);
    if (!found) return found.error();
    if (!*found) {
        if (auto tables = other_programs_tables(db_path); !tables) return tables.error();
        return result;
    }

    // Damaged: keep it for whoever investigates, with its WAL (the pair opens together),
    // and never over an earlier damaged file.
    std::string aside = damaged_database_name(db_path, now);
    for (int n = 2; fs::exists(aside, error); ++n) aside = damaged_database_name(db_path, now) + "-" + std::to_string(n);
    for (const char* suffix : {"-wal", "-shm"}) {
        if (!fs::exists(db_path + suffix, error)) continue;
        if (auto moved = move(db_path + suffix, aside + suffix); !moved) return moved.error();
    }
    if (auto moved = move(db_path, aside); !moved) return moved.error();
    result.moved_aside_to = aside;
    result.damage = **found;
    return result;
}

}  // namespace storeq::controller
