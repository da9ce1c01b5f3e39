#pragma once
// The kiosk's own SQLite outbox: every Feedback is written here before it goes on the
// wire. A row waits ("pending") until the controller's receipt says the store's database
// has it on disk; then it is history, kept a while in case that database is lost and
// restored (docs/protocol.md "Receipt and Durable"), and deleted after that.
// A plain single-owner object: FeedbackOutbox adds the locking for two threads.
#include <cstdint>
#include <optional>
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

// What a durable notice did to the outbox.
struct DurableOutcome {
    bool new_start = false;    // false: this controller start was handled before, nothing done
    std::int64_t repended = 0;  // history rows the store's database no longer holds
};

class Outbox {
public:
    // Opens or creates the file (migrating an older one: its rows are pending); refuses a
    // file this code cannot read.
    static Expected<Outbox> open(const std::string& path);

    // Stores a Feedback; returns its row. A second copy of the same feedback id is kept
    // once (the row already there is returned).
    Expected<std::int64_t> add(const Feedback& feedback);
    // The store has these ids durably: each of them that is ours gets the receipt (a row
    // receipted before gets the newer one). Returns the rows that were pending until now.
    // Unknown ids (another kiosk's, deleted history) are ignored.
    Expected<std::vector<std::int64_t>> mark_receipted(const Receipt& receipt, TimeMs now);
    // A controller start: once per `start`, every history row receipted by another
    // database or by a commit above `durable.commit` becomes pending again.
    Expected<DurableOutcome> apply_durable(const Durable& durable);
    // Deletes at most `limit` history rows receipted before `before`; returns how many.
    Expected<std::int64_t> delete_history(TimeMs before, std::size_t limit);
    // Every pending row, oldest first (tests and tools: it reads the whole file).
    Expected<std::vector<OutboxRow>> pending();
    // At most `limit` pending rows after `after_row`, oldest first: what the sender reads,
    // so its memory stays bounded however large the backlog grows.
    Expected<std::vector<OutboxRow>> pending_after(std::int64_t after_row, std::size_t limit);
    std::int64_t size() const { return size_; }        // pending rows: the backlog
    std::int64_t history() const { return history_; }  // receipted rows still kept
    const std::optional<std::string>& last_durable_start() const { return last_durable_start_; }

private:
    explicit Outbox(Database db);
    Expected<void> prepare();
    Expected<std::vector<OutboxRow>> read_rows(Statement& list);
    Database db_;
    std::vector<Statement> statements_;  // prepared once, indexed by StatementIndex
    std::int64_t size_ = 0;
    std::int64_t history_ = 0;
    std::optional<std::string> last_durable_start_;
};

}  // namespace storeq::kiosk
