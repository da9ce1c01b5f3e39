#pragma once
// The controller's SQLite database: schema, migrations and the few queries it needs.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "storeq/chain/outbound.hpp"
#include "storeq/controller/state.hpp"
#include "storeq/controller/step.hpp"
#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

struct StoredCounts {
    std::int64_t feedback = 0;
    std::int64_t queue_samples = 0;
    std::int64_t lane_states = 0;
    std::int64_t prompts = 0;
    std::int64_t fulfilled = 0;
    std::int64_t cancelled = 0;
};

// Which database this is and how many durable feedback commits it holds: what receipts
// and the durable notice say (docs/protocol.md "Receipt and Durable").
struct DurableMark {
    std::string db;          // a UUID made when the file was first opened by a controller
    std::int64_t commit = 0;
};

class ControllerStore {
public:
    // Opens or creates the database file and brings its schema up to date.
    static Expected<ControllerStore> open(const std::string& path);

    // Transactions are the shared RAII Transaction over database() (durable_step.cpp).

    // head_office = on: every feedback stored, lane state and prompt transition also goes
    // into the outbound log, in the same transaction (outbound_log.hpp).
    void set_outbound(bool on) { outbound_ = on; }

    // false: this id was stored before (a re-sent feedback). `after_breach`: whether its
    // shopper probably queued in a breach (queued_in_breach, step.hpp); none: not known.
    Expected<bool> insert_feedback(const std::string& kiosk, const Feedback& feedback, TimeMs received,
                                   const FeedbackTiming& timing, std::optional<bool> after_breach);
    Expected<void> insert_queue_sample(int lane, const QueueCount& sample, TimeMs received);
    Expected<void> insert_lane_state(int lane, const LaneState& lane_state, TimeMs received);
    Expected<void> insert_door_count(int door, const DoorCount& count, TimeMs received);
    Expected<void> insert_served(int lane, const LaneServed& served, TimeMs received);
    Expected<void> record_minute(const RecordMinute& minute);
    Expected<void> save_prompt(const LivePrompt& live, const std::string& transition, TimeMs at);

    // The database's identity (made now, in its own transaction, if the file has none) and
    // its durable commit count. At start, before any other transaction.
    Expected<DurableMark> durable_mark(TimeMs now);
    // Inside the open transaction that stores feedback: counts one more durable commit and
    // returns the new count. The commit itself does not fsync (synchronous=NORMAL); its
    // receipts wait for an fsync of the WAL that covers it (durable_step.hpp,
    // docs/reliability.md).
    Expected<std::int64_t> count_durable_commit();

    // Restart: the latest open/closed state per lane and the prompts that were live.
    Expected<void> restore(State& state);
    // Alerts: every one open or acknowledged, with the answers of the last kMaxAlertWindow
    // for the feedback rules' windows (alerts.hpp).
    Expected<void> save_alert(const Alert& alert, const std::string& transition, TimeMs at);
    Expected<void> restore_alerts(State& state, TimeMs now);
    // This run starts at `now` (controller time), in its own small transaction: the lane
    // figures count nothing between the previous run's last sweep and here (lane_stats.hpp).
    Expected<void> record_start(TimeMs now);
    Expected<StoredCounts> counts();
    // For the stats rollups (stats_store.hpp), which share the connection.
    Database& database() { return db_; }

private:
    explicit ControllerStore(Database db) : db_(std::move(db)) {}
    // Statements on the per-message path are prepared once (keyed by their SQL text).
    Expected<Statement*> cached(const char* sql);
    Expected<void> log_outbound(const chain::EntryBody& body);

    Database db_;
    std::map<std::string, Statement> statements_;
    bool outbound_ = false;
};

}  // namespace storeq::controller
