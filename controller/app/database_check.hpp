#pragma once
// What the controller checks about its files before ControllerStore::open (issue 9,
// defects 11 and 14), because both failures were silent before:
//  - a database, journal or directory this user cannot write is refused (the caller
//    exits 2): started anyway, SQLite opened the file read-only and the controller hung at
//    its first write, long after READY;
//  - a damaged database (PRAGMA quick_check) is moved aside with its time in the name
//    (its -wal and -shm with it) and the controller starts on a fresh file, instead of
//    serving half a database or crash-looping on it. The intake journal is left where it
//    is: what it holds was acknowledged to the kiosks and goes into the fresh file.
#include <optional>
#include <string>

#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

struct DatabaseStartCheck {
    // Set when the database was damaged: where it went, and what quick_check said first.
    std::optional<std::string> moved_aside_to;
    std::string damage;
};

// The journal's path beside the database (intake_journal.hpp).
inline std::string intake_journal_path(const std::string& db_path) { return db_path + "-intake"; }

// "<db_path>.damaged-20251122T221530Z": the UTC time of `now` (ms since the epoch).
std::string damaged_database_name(const std::string& db_path, TimeMs now);

// An Error (naming the path refused) when the database's folder does not exist, a file or
// its folder cannot be written by this process, the file is not a storeq database (not a
// SQLite file at all, or another program's: refused, never moved aside, as it is more
// likely a wrong --db than a damaged database), or a damaged database cannot be moved
// aside. Creates nothing.
Expected<DatabaseStartCheck> check_database_at_start(const std::string& db_path, TimeMs now);

// For the subcommands that read a database someone else owns (report, backup): a file
// that is there and starts as a SQLite file does ("PATH is not a storeq database" else).
Expected<void> check_storeq_file(const std::string& db_path);
// Once opened: it has the controller's tables (another program's SQLite file has not).
Expected<void> check_storeq_schema(Database& db, const std::string& db_path);

}  // namespace storeq::controller
