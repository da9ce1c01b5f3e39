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

}  // namespace

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
        return Error{dir, "the database's directory does not exist (create it, owned by the controller's user)"};
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
    auto found = quick_check(db_path);
    if (!found) return found.error();
    if (!*found) return result;

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
