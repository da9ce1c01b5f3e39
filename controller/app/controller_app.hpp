#pragma once
// The controller's imperative shell: MQTT in, rule engine, SQLite and MQTT out.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "controller_options.hpp"
#include "controller_store.hpp"
#include "intake_journal.hpp"
#include "sim_clock.hpp"
#include "stats_publisher.hpp"
#include "systemd_notify.hpp"
#include "storeq/controller/step.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::controller {

class ControllerApp {
public:
    // Start-up failures (database cannot open) come back as an Error.
    static Expected<std::unique_ptr<ControllerApp>> create(const ControllerOptions& options, const Config& config);

    // Runs until `stop` becomes true (set from a signal handler). Returns the exit code.
    // `reload` (set from SIGHUP) re-reads the configuration; a bad one keeps the old.
    int run(const std::atomic<bool>& stop, std::atomic<bool>* reload = nullptr);

private:
    ControllerApp(const ControllerOptions& options, const Config& config, ControllerStore store,
                  IntakeJournal journal);

    void handle(const MqttMessage& message, TimeMs now);
    void apply(const Event& event, TimeMs now);
    void execute(const Command& command, TimeMs now);
    void reject(const std::string& reason, const std::string& detail, TimeMs now);
    void publish_status(bool online, TimeMs now);
    Status status_now(bool online, TimeMs now) const;
    // Handles messages (none: time passing) in one transaction, then publishes what they
    // caused. Called with mutex_ held, from the network thread or the main loop.
    // commit_now: commit before returning (for messages the broker must not let go of
    // before they are on disk); otherwise the group commit takes them.
    // Returns false when what had to be committed could not be.
    bool process(std::vector<MqttMessage> messages, TimeMs now, bool commit_now);
    void storage_error(const std::string& doing, const Error& error, TimeMs now);
    void republish_live_prompts();
    int publish_stats(StatsPublisher& stats);
    // Commits the open transaction, then publishes what it caused; false if it failed.
    bool commit_pending();
    void log_summary();
    void reload_configuration();
    // READY=1 once broker and database are up, WATCHDOG=1 while the main loop turns.
    void tell_systemd(TimeMs now);

    ControllerOptions options_;
    Config config_;
    ControllerStore store_;
    IntakeJournal journal_;
    bool write_failed_ = false;    // a write in the open transaction failed: it cannot commit
    RejectCounter storage_errors_;  // storage failures by kind, for rate-limited logging
    const std::atomic<bool>* stop_ = nullptr;
    bool replay_journal_ = false;  // a transaction failed: the next one stores the journal again
    State state_;
    bool in_transaction_ = false;
    int pending_rows_ = 0;
    std::mutex mutex_;
    std::atomic<std::int64_t> acked_{0};  // PUBACKs received, counted on the network thread  // the network thread and the main loop both drive the state
    std::unique_ptr<MqttClient> mqtt_;
    RejectCounter rejects_;
    // (topic, payload) retained, sent after the batch's transaction commits.
    std::vector<std::pair<std::string, std::string>> to_publish_;
    SimClock clock_;
    std::vector<MqttMessage> held_;  // sim clock: messages that came before its first tick
    std::optional<Status> last_status_;  // last published, without its ts
    TimeMs last_status_at_ = 0;
    std::string device_id_ = "controller";
    std::atomic<bool> republish_after_connect_{false};  // set on the network thread
    SystemdNotifier systemd_ = SystemdNotifier::from_environment();
    bool told_ready_ = false;
    TimeMs last_watchdog_at_ = 0;
};

TimeMs wall_clock_ms();

}  // namespace storeq::controller
