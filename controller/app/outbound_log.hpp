#pragma once
// The store's outbound log for head office (docs/chain.md): entries written in the same
// transaction as the rows they describe, numbered 1, 2, 3 ... by SQLite (AUTOINCREMENT:
// a number is never used twice, even after acknowledged rows are deleted), and kept until
// head office acknowledges them. Rows only: sending is outbound_sender.hpp.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storeq/chain/outbound.hpp"
#include "storeq/expected.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

struct OutboundBacklog {
    std::int64_t acked = 0;    // head office has committed every entry up to here
    std::int64_t written = 0;  // the highest seq ever written (0: none)
    std::int64_t entries() const { return written > acked ? written - acked : 0; }
};

namespace outbound_log {

// Into the caller's open transaction. kAppendSql for a caller that keeps its statements
// prepared (controller_store.cpp, on the per-message path).
inline constexpr const char* kAppendSql = "INSERT INTO outbound(body) VALUES(?)";
Expected<void> append(Database& db, const chain::EntryBody& body);

// Entries above `after`, ascending, at most `max_entries` and about `max_bytes` of JSON.
Expected<std::vector<std::pair<std::int64_t, std::string>>> read_after(Database& db, std::int64_t after,
                                                                       std::size_t max_entries, std::size_t max_bytes);

Expected<OutboundBacklog> backlog(Database& db);

// Head office has everything up to `seq`: recorded, and the entries deleted, in one
// transaction of its own (the caller holds none open). An ack above anything this
// database wrote means the database is not the one head office heard from (restored
// from a backup, or a new box): its unacknowledged entries are renumbered above the ack,
// so head office takes them as new instead of dropping them as seen (docs/chain.md).
Expected<void> record_ack(Database& db, std::int64_t seq);

}  // namespace outbound_log
}  // namespace storeq::controller
