#pragma once
// The second step of the controller's flow (intake -> durable_step -> publisher): inputs
// and the rule's answer to them go into one SQLite transaction, and commit() hands back
// the effects that transaction made durable. Nothing is published that is not stored: a
// prompt staff see is in the database when a restart comes (docs/reliability.md).
//
// A failed commit is rolled back whole: the rule's state goes back to where it was before
// the transaction began and its inputs wait for the next one (feedback in the intake
// journal, the others here), so a retry applies each input once.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller_metrics.hpp"
#include "controller_store.hpp"
#include "intake.hpp"
#include "intake_journal.hpp"
#include "storeq/controller/config.hpp"
#include "storeq/controller/step.hpp"
#include "storeq/log.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

// An effect: a QoS 1 message (retained unless it says otherwise), published once the
// commit that holds its row is done.
struct OutgoingMessage {
    std::string topic;
    std::string payload;
    bool retained = true;
};

class DurableStep {
public:
    DurableStep(std::string store, ControllerStore store_db, IntakeJournal journal, State initial);

    // Lanes' open/closed states and live prompts from the database; the database's
    // identity and durable commit count (what receipts say). `record_start`: this run's
    // start goes into the lane history (ControllerStore::record_start); not on the
    // simulator's clock, whose time is the ticks' and not known at start.
    Expected<void> restore(TimeMs now, bool record_start);
    const DurableMark& durable_mark() const { return mark_; }
    const State& state() const { return state_; }

    // Into the open transaction (one is begun if none is open). `now` is controller time.
    void add(const Input& input, TimeMs now, const Config& config);
    void add_time_passing(TimeMs now, const Config& config);
    // Feedback the intake journal holds from before (a crash, a failed commit): into the
    // open transaction, so the commit that holds them may empty the journal.
    void replay_journal(TimeMs now, const Config& config);
    // A kiosk's clock, as its latest live Status showed it (KioskStatusSeen, intake.hpp):
    // times the feedback it sends from now on, replays included.
    void kiosk_clock_seen(const std::string& kiosk, TimeMs offset) { kiosk_clock_offsets_[kiosk] = offset; }

    // A transaction is open, effects wait, or a transaction could not even begin: commit()
    // has something to say.
    bool has_work() const { return tx_.has_value() || !effects_.empty() || begin_error_.has_value(); }
    bool has_effects() const { return !effects_.empty(); }
    int pending_rows() const { return pending_rows_; }

    // Ok: the messages to publish now, in order. An error: the transaction was rolled back
    // (see above); the next add() begins a new one that applies the held inputs first.
    // Commits never wait for an fsync (synchronous=NORMAL). One that holds feedback also
    // counts one more durable commit in the same transaction; its receipts wait in
    // unsynced() until an fsync of the WAL covers that commit (synced() below).
    Expected<std::vector<OutgoingMessage>> commit(TimeMs now, const Config& config);

    // Receipts for feedback that is committed but not yet known to be on disk, and the
    // durable commit count that covers all of it. With the caller's lock held; the fsync
    // then runs without it (controller_service.cpp), while intake goes on.
    struct Unsynced {
        std::int64_t commit = 0;
        std::map<std::string, std::vector<std::string>> ids;  // by kiosk
    };
    bool has_unsynced() const { return !unsynced_receipts_.empty(); }
    Unsynced take_unsynced();
    // After the fsync (`synced`: it succeeded): the receipts to publish. A failed one puts
    // the ids back, to wait for the next.
    std::vector<OutgoingMessage> synced(Unsynced batch, const Expected<void>& synced, TimeMs now);

    // While storage is failing (storage_reserve.hpp) queue samples reach the rule but not
    // the database (the next one replaces a lost one): the room left is for prompts, claims
    // and lane states. Feedback waits at the broker.
    void set_storage_failing(bool failing) { storage_failing_ = failing; }
    bool storage_failing() const { return storage_failing_; }

    IntakeJournal& journal() { return journal_; }
    Expected<StoredCounts> counts() { return store_.counts(); }
    Database& database() { return store_.database(); }

    std::int64_t queue_samples_not_stored() const { return samples_not_stored_; }
    // Commits that stored an input or made an effect: the live stats refresh when it moves.
    std::int64_t changes() const { return changes_; }
    std::int64_t inputs_dropped() const { return inputs_dropped_; }
    // For /metrics: what committed transactions did, and how long each rule step and each
    // commit took (two steady-clock reads around each: tens of nanoseconds).
    const DurableTally& tally() const { return tally_; }
    const metrics::Histogram& rule_step_seconds() const { return rule_step_seconds_; }
    const metrics::Histogram& commit_seconds() const { return commit_seconds_; }

private:
    struct HeldInput {
        Input input;
        TimeMs at;
    };
    bool begin(TimeMs now, const Config& config);
    void apply(const Input& input, TimeMs now, const Config& config, bool keep_for_retry);
    void step_event(const Event& event, TimeMs now, const Config& config);
    void execute(const Command& command, TimeMs now);
    void write_failed(const char* doing, const Error& error, TimeMs now);

    std::string store_id_;
    ControllerStore store_;
    IntakeJournal journal_;
    State state_;

    std::optional<Transaction> tx_;
    State state_before_tx_;                // restored when the transaction fails
    std::vector<HeldInput> inputs_in_tx_;  // non-feedback inputs, retried if it fails
    std::vector<HeldInput> retry_;         // from a failed transaction, for the next one
    std::vector<OutgoingMessage> effects_;
    DurableMark mark_;
    // Feedback ids by kiosk: stored (or found stored) in the open transaction, and
    // committed but not yet covered by a durable commit.
    std::map<std::string, std::vector<std::string>> receipts_in_tx_;
    std::map<std::string, TimeMs> kiosk_clock_offsets_;  // controller time - kiosk time, by kiosk
    std::map<std::string, std::vector<std::string>> unsynced_receipts_;
    std::int64_t committed_mark_ = 0;  // durable commit count of the last commit (not yet fsynced)
    // The journal holds feedback that is in neither a commit nor the open transaction (from
    // before a crash, or a transaction that failed): until replay_journal() puts it in
    // one, no commit may empty the journal.
    bool journal_backlog_ = false;
    std::optional<Error> write_error_;      // a write in it failed: it cannot commit
    std::optional<Error> begin_error_;      // BEGIN failed (locked, read-only): reported by commit()
    int pending_rows_ = 0;
    bool storage_failing_ = false;
    std::int64_t samples_not_stored_ = 0;
    std::int64_t changes_ = 0;
    std::int64_t inputs_dropped_ = 0;
    RejectCounter log_limit_;  // notes and write failures: once a minute per kind
    DurableTally tally_in_tx_;  // becomes part of tally_ when its transaction commits
    DurableTally tally_;
    metrics::Histogram rule_step_seconds_{rule_step_buckets()};
    metrics::Histogram commit_seconds_{commit_buckets()};
};

}  // namespace storeq::controller
