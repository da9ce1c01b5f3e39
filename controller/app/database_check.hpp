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

// An Error (where = the path refused) when a file or its directory cannot be written by
// this process, or a damaged database cannot be moved aside.
Expected<DatabaseStartCheck> check_database_at_start(const std::string& db_path, TimeMs now);

}  // namespace storeq::controller
