#pragma once
// The controller's run loop: MQTT sessions in, the flow intake -> durable_step ->
// publisher, and around it the clock, the stats schedule, systemd and reload. The flow's
// pieces live in their own files; this one only wires them and keeps time.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "controller_options.hpp"
#include "controller_metrics.hpp"
#include "durable_step.hpp"
#include "metrics_server.hpp"
#include "outbound_sender.hpp"
#include "publisher.hpp"
#include "sim_clock.hpp"
#include "stats_publisher.hpp"
#include "storage_reserve.hpp"
#include "systemd_notify.hpp"
#include "controller_time.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::controller {

class ControllerService {
public:
    // Start-up failures (database cannot open) come back as an Error.
    static Expected<std::unique_ptr<ControllerService>> create(const ControllerOptions& options, const Config& config);

    // Runs until `stop` becomes true (set from a signal handler). Returns the exit code.
    // `reload` (set from SIGHUP) re-reads the configuration; a bad one keeps the old.
    int run(const std::atomic<bool>& stop, std::atomic<bool>* reload = nullptr);
    ~ControllerService();

private:
    ControllerService(const ControllerOptions& options, const Config& config, std::unique_ptr<DurableStep> durable);

    // Network threads. Control: lane counts and states, claims, clock, retained prompts.
    // Feedback: its own session, held while storage fails (the broker keeps the rest).
    void on_control_message(const MqttMessage& message);
    void on_feedback_message(const MqttMessage& message);

    // With mutex_ held. Messages (none: time passing) into the open transaction; commits
    // and publishes when something is to be published or the group is full.
    // `session`: which session's sim clock times the messages (below).
    enum class Session { control, feedback };
    void take(std::vector<MqttMessage> messages, TimeMs now, bool commit_now, Session session = Session::control);
    void take_input(const Input& input, TimeMs now);
    void commit_and_publish(TimeMs now);
    // Receipts (durable_step.hpp): an fdatasync of the WAL covers what is committed, then
    // the receipts for it go out. On a thread of its own (receipt_loop), which lets go of
    // mutex_ while the fsync runs, so intake and commits go on meanwhile; with `lock` null
    // (stopping), inline with mutex_ held.
    void sync_receipts(std::unique_lock<std::mutex>* lock);
    void receipt_loop();
    void storage_failed(TimeMs now);
    void try_storage_again(TimeMs now);

    Status status_now(bool online, TimeMs now) const;
    void tell_systemd(TimeMs wall_now);
    bool handling_messages(TimeMs wall_now) const;
    void reload_configuration();
    void publish_stats(StatsPublisher& stats);
    void log_summary();
    // With mutex_ held: the figures /metrics serves, copied for the responder's thread.
    void take_metrics_snapshot();
    std::string metrics_text();  // on the responder's thread: never takes mutex_
    void report_clock_step();

    ControllerOptions options_;
    Config config_;  // one configuration, swapped whole on reload and passed to each step
    std::unique_ptr<DurableStep> durable_;
    StorageReserve reserve_;
    std::mutex mutex_;  // both network threads and the main loop drive the flow
    std::unique_ptr<MqttClient> control_;
    std::unique_ptr<MqttClient> feedback_;
    std::unique_ptr<Publisher> publisher_;
    std::unique_ptr<OutboundSender> outbound_;  // head_office = on (docs/chain.md)
    std::int64_t head_office_acked_ = 0;  // the ack and the backlog as the alerts last saw them
    bool head_office_waiting_ = false;
    // --clock sim: each session is timed by the ticks it received before its messages (two
    // sessions are not ordered with each other). The rule runs on the control session's.
    struct SessionClock {
        SimClock clock;
        std::vector<MqttMessage> held;  // messages that came before its first tick
    };
    SessionClock control_time_;
    SessionClock feedback_time_;
    RejectCounter rejects_;
    const std::atomic<bool>* stop_ = nullptr;

    bool storage_failing_ = false;
    std::atomic<bool> feedback_held_{false};  // the feedback thread waits for storage
    std::optional<TimeMs> commits_failing_since_;  // wall time of the first failed commit in a row
    std::atomic<std::int64_t> acked_{0};          // PUBACKs of our publishes (control session)
    std::atomic<TimeMs> own_status_seen_at_{0};   // wall time our status last came back
    std::atomic<bool> republish_after_connect_{false};
    Durable durable_notice_;  // this run's durable notice (published on every connect)
    // home_assistant = on: the discovery documents (made once: they change only with the
    // tills, which take a restart), published on every connect and when Home Assistant
    // says it is online (announce_discovery_, with mutex_).
    std::vector<DiscoveryMessage> discovery_;
    bool announce_discovery_ = false;
    // metrics_listen set: the responder, and the snapshot it renders (its own lock).
    std::map<std::string, std::int64_t> kiosk_backlog_;  // with mutex_
    std::mutex snapshot_mutex_;
    MetricsSnapshot snapshot_;
    std::unique_ptr<MetricsServer> metrics_server_;
    std::string device_id_ = "controller";

    SystemdNotifier systemd_ = SystemdNotifier::from_environment();
    bool told_ready_ = false;
    TimeMs last_watchdog_at_ = 0;
    bool told_unhealthy_ = false;
    TimeMs logged_clock_step_ = 0;  // the wall clock's step last logged

    std::condition_variable receipts_due_;  // with mutex_: durable_->has_unsynced() or stopping
    bool receipts_stop_ = false;
    bool warned_no_fsync_ = false;
    std::thread receipt_thread_;  // started with the first receipts; joined by the destructor
};


}  // namespace storeq::controller
