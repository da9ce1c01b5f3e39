#pragma once
// The kiosk's own SQLite outbox: every Feedback is written here before it goes on the
// wire, and leaves only when the broker has acknowledged it (DESIGN.md 3: nothing lost).
// A plain single-owner object: FeedbackOutbox adds the locking for two threads.
#include <cstdint>
#include <string>
#include <vector>

#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::kiosk {

struct OutboxRow {
    std::int64_t row = 0;  // rises with insertion order: the order to re-send in
    std::string payload;   // the encoded Feedback, exactly as it goes on the wire
};

class Outbox {
public:
    // Opens or creates the file; refuses a file this code cannot read.
    static Expected<Outbox> open(const std::string& path);

    // Stores a Feedback; returns its row. A second copy of the same feedback id is kept
    // once (the row already there is returned).
    Expected<std::int64_t> add(const Feedback& feedback);
    // Removes an acknowledged row. Removing a row that is gone already is fine.
    Expected<void> remove(std::int64_t row);
    // Every row still waiting, oldest first (tests and tools: it reads the whole file).
    Expected<std::vector<OutboxRow>> pending();
    // At most `limit` rows after `after_row`, oldest first: what the sender reads, so its
    // memory stays bounded however large the backlog grows.
    Expected<std::vector<OutboxRow>> pending_after(std::int64_t after_row, std::size_t limit);
    std::int64_t size() const { return size_; }

private:
    explicit Outbox(Database db);
    Expected<void> prepare();
    Expected<std::vector<OutboxRow>> read_rows(Statement& list);
    Database db_;
    std::vector<Statement> statements_;  // insert, find, remove, list: prepared once
    std::int64_t size_ = 0;
};

}  // namespace storeq::kiosk
