#include "controller_service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <utility>

#include "device_accounts.hpp"
#include "wal_checkpointer.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
constexpr auto kCommitInterval = std::chrono::milliseconds(10);
constexpr TimeMs kTickMs = 100;
constexpr int kMaxRowsPerCommit = 1000;
constexpr auto kStorageRetry = std::chrono::seconds(1);
constexpr auto kFlushTimeout = std::chrono::seconds(2);
constexpr const char* kLog = "controller";
constexpr TimeMs kStatsIntervalMs = 60'000;
// Live figures: after something was stored, the stats are refreshed within this much real
// time (not simulated), not at the next minute (a refresh costs ~10 ms with the lock held; docs/stats.md).
constexpr TimeMs kLiveStatsMs = 3'000;
// Our status goes out at least every 10 s and comes back through the broker: older than
// this, the network thread is not handling messages.
constexpr TimeMs kOwnStatusMaxAgeMs = 25'000;

// The feedback session's client id: the broker keeps its queue while we are away or hold.
std::string feedback_client_id(const std::string& store) { return "storeq-controller-" + store + "-feedback"; }

// SQLite's WAL beside the database. Every commit has written its frames to it before it
// returns (synchronous=NORMAL only leaves out the fsync), so an fdatasync of the file, by
// any descriptor, makes every commit before it durable: what synchronous=FULL would have
// done inside each COMMIT. Frames a checkpoint has already moved into the database are
// durable there: a checkpoint fsyncs the database before the WAL may start over.
Expected<void> fsync_wal(const std::string& wal_path) {
    const int fd = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{wal_path, std::string("cannot open: ") + std::strerror(errno)};
    const int rc = ::fdatasync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return Error{wal_path, std::string("fdatasync: ") + std::strerror(err)};
    return {};
}
}  // namespace

Expected<std::unique_ptr<ControllerService>> ControllerService::create(const ControllerOptions& options,
                                                                       const Config& config) {
    auto store = ControllerStore::open(options.db_path);
    if (!store) return Error{"database " + options.db_path, store.error().to_string()};
    store->set_outbound(config.head_office);
    auto journal = IntakeJournal::open(options.db_path + "-intake");
    if (!journal) return journal.error();
    State initial = initial_state(config, std::random_device{}() * 0x9E3779B97F4A7C15ULL ^ std::random_device{}());
    auto durable = std::make_unique<DurableStep>(options.store, std::move(*store), std::move(*journal), std::move(initial));
    return std::unique_ptr<ControllerService>(new ControllerService(options, config, std::move(durable)));
}

ControllerService::ControllerService(const ControllerOptions& options, const Config& config,
                                     std::unique_ptr<DurableStep> durable)
    : options_(options),
      config_(config),
      durable_(std::move(durable)),
      reserve_(options.db_path + "-reserve", options.storage_reserve_bytes) {
    MqttOptions base;
    base.host = options_.broker_host;
    base.port = options_.broker_port;
    // A fixed id and a persistent session: the broker keeps QoS 1 messages for the
    // controller while it restarts.
    base.clean_session = false;
    // The broker runs on this box or in this store: after it restarts, be back within
    // two seconds (what the kiosks queued meanwhile flows in only once we are).
    base.reconnect_max_s = 2;
    apply_credentials(base, options_.credentials);  // none: anonymous (loopback demo broker)

    MqttOptions control = base;
    control.client_id = "storeq-controller-" + options_.store;
    Status offline;
    offline.online = false;
    offline.kind = DeviceKind::controller;
    offline.version = STOREQ_VERSION;
    control.will = MqttWill{status_topic(options_.store, device_id_), encode(offline), 1, true};
    // Made before anything is processed: what the restored state does at start (an
    // escalation that fell due while we were down) is queued and sent once connected.
    control_ = std::make_unique<MqttClient>(control);
    MqttOptions feedback = base;
    feedback.client_id = feedback_client_id(options_.store);
    feedback.log_connection = false;  // the control session says it, once for both
    if (!feedback.username.empty()) feedback.username = feedback_session_username(feedback.username);
    feedback_ = std::make_unique<MqttClient>(feedback);
    publisher_ = std::make_unique<Publisher>(*control_, options_.store, device_id_);
    if (config_.home_assistant) discovery_ = home_assistant_discovery(config_, options_.store, STOREQ_VERSION);
    if (config_.head_office) {
        // An account of its own (the broker names sessions by account), which may write
        // hq/outbound and read hq/ack of its own store only (device_accounts.hpp).
        MqttOptions head_office = base;
        if (!head_office.username.empty()) head_office.username = head_office_session_username(head_office.username);
        OutboundTiming timing;
        timing.resend_first = config_.head_office_resend;
        timing.resend_max = std::max(timing.resend_max, config_.head_office_resend);
        outbound_ = std::make_unique<OutboundSender>(head_office, options_.store, config_.time_zone, timing);
    }
}

Status ControllerService::status_now(bool online, TimeMs now) const {
    Status status;
    status.online = online;
    status.kind = DeviceKind::controller;
    status.version = STOREQ_VERSION;
    status.ts = now;
    std::vector<int> unknown;
    const State& state = durable_->state();
    for (const auto& [number, lane] : state.lanes)
        if (lane.open && !is_count_known(lane, config_, state.now)) unknown.push_back(number);
    status.unknown_lanes = unknown;
    status.rejected = rejects_.total();
    status.live_prompts = static_cast<std::int64_t>(state.live.size());
    status.stale_samples = state.stale_samples;
    status.storage = storage_failing_ ? "failing" : "ok";
    return status;
}

void ControllerService::on_control_message(const MqttMessage& m) {
    // The feedback session takes feedback; this one sees it too (it subscribes to the
    // whole store, so every bad topic is counted) and leaves it.
    if (is_feedback_topic(m.topic)) return;
    std::lock_guard lock(mutex_);
    // Queue samples may wait for the group commit (a lost one is replaced by the next, and
    // the latest is retained on the broker); lane states and claims are committed at once.
    const bool is_sample = m.topic.size() >= 6 && m.topic.compare(m.topic.size() - 6, 6, "/queue") == 0;
    take({m}, controller_time_ms(), !is_sample);
}

void ControllerService::on_feedback_message(const MqttMessage& m) {
    std::unique_lock lock(mutex_);
    if (!is_feedback_topic(m.topic)) {
        // The sim clock: this session reads the ticks too, so a feedback is timed by the
        // ticks published before it (two sessions are not ordered with each other).
        take({m}, controller_time_ms(), false, Session::feedback);
        return;
    }
    // The broker lets go of this message once we return (intake_journal.hpp). It returns
    // only once the feedback is in the journal (committed with the next group) or in the
    // database. While storage fails it waits here: the broker holds this message and
    // what follows (on this session only: prompts go on on the other).
    while (true) {
        if (!storage_failing_) {
            if (auto journaled = durable_->journal().append(m); journaled) {
                take({m}, controller_time_ms(), false, Session::feedback);
                return;
            }
            // The journal cannot take it: only the database may.
            take({m}, controller_time_ms(), true, Session::feedback);
            if (!storage_failing_) return;
        }
        feedback_held_ = true;
        lock.unlock();
        std::this_thread::sleep_for(kStorageRetry);
        lock.lock();
        feedback_held_ = false;
        // Stopping while held: never return (returning acknowledges). run() leaves the
        // process without waiting for this thread, and the broker sends it again later.
        while (stop_->load() && storage_failing_) {
            feedback_held_ = true;
            lock.unlock();
            std::this_thread::sleep_for(kStorageRetry);
            lock.lock();
        }
    }
}

void ControllerService::take(std::vector<MqttMessage> messages, TimeMs now, bool commit_now, Session session) {
    if (options_.sim_clock) {
        // Simulated time: the simulator's clock ticks drive the rule. Until its first tick
        // there is no time to run the rule on: hold what arrived until then.
        SessionClock& time = session == Session::control ? control_time_ : feedback_time_;
        for (const auto& message : messages) time.clock.observe(message);
        for (auto& message : messages) time.held.push_back(std::move(message));
        if (!time.clock.started()) return;
        messages.swap(time.held);
        time.held.clear();
        now = time.clock.now();
        // Time passing and the rule follow the control session's clock only.
        if (session == Session::feedback && messages.empty()) return;
    }
    for (const auto& message : messages) take_input(decode_input(message, options_.store, device_id_, now), now);
    if (messages.empty()) durable_->add_time_passing(now, config_);
    // Group commit: rows wait up to kCommitInterval so a busy store commits hundreds per
    // transaction; anything to publish commits first, so a prompt staff see is stored.
    if (commit_now || durable_->has_effects() || durable_->pending_rows() >= kMaxRowsPerCommit) commit_and_publish(now);
}

void ControllerService::take_input(const Input& input, TimeMs now) {
    if (const auto* rejected = std::get_if<Rejected>(&input)) {
        if (rejects_.count(rejected->reason, now))
            log_warn(kLog, "rejected " + rejected->detail + " (" + std::to_string(rejects_.by_reason().at(rejected->reason)) +
                               " so far for this reason)");
        return;
    }
    if (const auto* seen = std::get_if<KioskStatusSeen>(&input)) {
        // On the simulator's clock the kiosks' wall clocks are "off" by design.
        if (seen->clock_offset && !options_.sim_clock) durable_->kiosk_clock_seen(seen->status.kiosk, *seen->clock_offset);
        if (seen->clock_offset && seen->status.status.backlog)  // live statuses only, as /metrics had them
            kiosk_backlog_[seen->status.kiosk] = *seen->status.status.backlog;
        durable_->add(input, now, config_);
        return;
    }
    if (std::holds_alternative<HomeAssistantOnline>(input)) {
        announce_discovery_ = !discovery_.empty();
        return;
    }
    if (std::holds_alternative<OwnStatusSeen>(input)) {
        own_status_seen_at_ = controller_time_ms();
        return;
    }
    if (std::holds_alternative<Ignored>(input)) return;
    durable_->add(input, now, config_);
}

void ControllerService::commit_and_publish(TimeMs now) {
    if (durable_->has_work()) {
        auto committed = durable_->commit(now, config_);
        if (!committed) return storage_failed(now);
        commits_failing_since_.reset();
        publisher_->publish(*committed, now);
    }
    if (!durable_->has_unsynced()) return;
    // Stopping: the last receipts go out before the goodbye, as run() flushes.
    if (stop_ && stop_->load()) return sync_receipts(nullptr);
    if (!receipt_thread_.joinable()) receipt_thread_ = std::thread([this] { receipt_loop(); });
    receipts_due_.notify_one();
}

void ControllerService::sync_receipts(std::unique_lock<std::mutex>* lock) {
    auto batch = durable_->take_unsynced();
    Expected<void> synced;
    if (!options_.receipts_without_fsync) {
        if (lock) lock->unlock();
        synced = fsync_wal(options_.db_path + "-wal");
        if (lock) lock->lock();
    } else if (!warned_no_fsync_) {
        warned_no_fsync_ = true;
        log_warn(kLog, "--unsafe-receipts-without-fsync: receipts go out with no fsync (benchmarks only)");
    }
    const TimeMs now = options_.sim_clock ? durable_->state().now : controller_time_ms();
    publisher_->publish(durable_->synced(std::move(batch), synced, now), now);
}

void ControllerService::receipt_loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        receipts_due_.wait(lock, [this] { return receipts_stop_ || durable_->has_unsynced(); });
        if (receipts_stop_) return;
        sync_receipts(&lock);
        // A failed fsync put its ids back: the next try waits a second, not a spin.
        if (durable_->has_unsynced())
            receipts_due_.wait_for(lock, kStorageRetry, [this] { return receipts_stop_; });
    }
}

ControllerService::~ControllerService() {
    metrics_server_.reset();  // its thread reads snapshot_, which goes with us
    if (outbound_) outbound_->stop();
    {
        std::lock_guard lock(mutex_);
        receipts_stop_ = true;
    }
    receipts_due_.notify_all();
    if (receipt_thread_.joinable()) receipt_thread_.join();
}

// A commit failed (disk full, I/O error, a database locked too long). Nothing it held was
// published and the rule's state is as before it. Feedback is held from now on, the
// reserve's room goes to the rule's own writes, and the status says so.
void ControllerService::storage_failed(TimeMs now) {
    if (!commits_failing_since_) commits_failing_since_ = controller_time_ms();
    if (!storage_failing_) {
        storage_failing_ = true;
        durable_->set_storage_failing(true);
        reserve_.release();
        log_error(kLog, "storage is failing: feedback waits at the broker; prompts go on (" +
                            std::to_string(reserve_.bytes() / 1024) + " KiB reserve given back to the database)");
        publisher_->publish_status(status_now(true, now), now, true);
    }
}

// Each second while storage fails: once the reserve can be taken again (the disk has
// room for it twice over), feedback flows again, the journal's first.
void ControllerService::try_storage_again(TimeMs now) {
    if (!storage_failing_ || !reserve_.ensure()) return;
    storage_failing_ = false;
    durable_->set_storage_failing(false);
    log_info(kLog, "storage works again: storing held feedback");
    durable_->replay_journal(now, config_);
    commit_and_publish(now);
    if (!storage_failing_) publisher_->publish_status(status_now(true, now), now, true);
}

int ControllerService::run(const std::atomic<bool>& stop, std::atomic<bool>* reload) {
    stop_ = &stop;
    if (auto restored = durable_->restore(controller_time_ms(), !options_.sim_clock); !restored) {
        log_error(kLog, "cannot restore state from the database: " + restored.error().to_string());
        return 1;
    }
    {
        // One start id per run: a kiosk compares its receipts with this notice once.
        std::mt19937_64 rng(std::random_device{}());
        const TimeMs now = controller_time_ms();
        const auto& mark = durable_->durable_mark();
        durable_notice_ = Durable{mark.db, make_uuid_v7(now, rng), mark.commit, now};
        log_info(kLog, "database " + mark.db + " holds " + std::to_string(mark.commit) + " durable feedback commits");
    }
    log_info(kLog, "store " + options_.store + ": " + std::to_string(config_.tills.size()) + " tills, " +
                       std::to_string(durable_->state().live.size()) + " live prompts restored");
    if (!reserve_.ensure())
        log_warn(kLog, "no room for the " + std::to_string(reserve_.bytes() / 1024) +
                           " KiB storage reserve beside " + options_.db_path + ": feedback waits until there is");
    {
        std::lock_guard lock(mutex_);
        if (!reserve_.held()) storage_failed(controller_time_ms());
        // Feedback acknowledged by the last run but not committed: stored first.
        if (!durable_->journal().empty() && !storage_failing_) {
            log_info(kLog, "storing what the intake journal kept from the last run");
            durable_->replay_journal(controller_time_ms(), config_);
        }
        if (!options_.sim_clock) take({}, controller_time_ms(), true);  // what fell due while we were down
    }

    if (!config_.metrics_listen.empty()) {
        {
            std::lock_guard lock(mutex_);
            take_metrics_snapshot();
        }
        auto server = MetricsServer::start(config_.metrics_listen, [this] { return metrics_text(); });
        if (!server) {
            log_error(kLog, "cannot serve /metrics: " + server.error().to_string());
            return 1;
        }
        metrics_server_ = std::move(*server);
    }

    // Each message is handled on its network thread as it arrives: a prompt goes out in
    // the same callback, with no hand-off between threads (bench/prompt_latency).
    control_->on_message([this](const MqttMessage& m) { on_control_message(m); });
    control_->on_published([this](int) { ++acked_; });
    // The control session's client logs its connects and, once per outage, a broker it
    // cannot reach (shared/src/mqtt_client.cpp); our own stop() is no outage.
    control_->on_connection([this](bool connected) {
        if (connected) republish_after_connect_ = true;
    });
    control_->subscribe(store_wildcard(options_.store), 1);
    if (!discovery_.empty()) control_->subscribe(home_assistant_status_topic(), 1);
    feedback_->on_message([this](const MqttMessage& m) { on_feedback_message(m); });
    feedback_->subscribe(feedback_topic(options_.store, "+"), 1);
    if (options_.sim_clock) feedback_->subscribe(clock_topic(options_.store), 1);
    for (auto* client : {feedback_.get(), control_.get()}) {
        if (auto started = client->start(); !started) {
            log_error(kLog, "cannot start MQTT: " + started.error().to_string());
            return 1;
        }
    }
    if (outbound_) {
        if (auto started = outbound_->start(); !started) {
            log_error(kLog, "cannot start the head-office session: " + started.error().to_string());
            return 1;
        }
        log_info(kLog, "head_office = on: sending the outbound log on " + chain::outbound_topic(options_.store));
    }
    // The controller says it is online only once feedback reaches it (the broker has
    // acknowledged the feedback session's subscription), so a kiosk that waits for that
    // loses nothing on the way; at most 5 s after it connected, whatever the broker says.
    bool feedback_ready = false;
    std::optional<TimeMs> connected_at;

    // Stats documents (docs/stats.md): rolled up and published retained once at start,
    // within kLiveStatsMs of real time after something was stored, and once a minute of
    // controller time whatever happens (hours and days roll over with nothing stored).
    StatsPublisher stats(durable_->database(), &config_);
    std::optional<TimeMs> last_stats;
    TimeMs last_stats_real = 0;
    std::int64_t changes_at_stats = -1;
    WalCheckpointer checkpointer(options_.db_path);
    TimeMs last_tick = 0;
    TimeMs last_storage_try = 0;
    TimeMs last_metrics_snapshot = 0;
    while (!stop.load()) {
        std::this_thread::sleep_for(kCommitInterval);
        std::lock_guard lock(mutex_);
        const TimeMs real_now = controller_time_ms();
        const TimeMs now = options_.sim_clock ? control_time_.clock.now() : real_now;
        commit_and_publish(now);
        if (real_now - last_tick < kTickMs) continue;
        last_tick = real_now;
        if (outbound_) {
            outbound_->pump(durable_->database(), real_now);  // no transaction is open here
            // The head_office_cut alert's input, when it changes: entries wait, the ack moved.
            const OutboundBacklog& b = outbound_->backlog();
            const bool waiting = b.written > b.acked, moved = b.acked > head_office_acked_;
            if (moved || waiting != head_office_waiting_) durable_->add(HeadOfficeSeen{waiting, moved}, now, config_);
            head_office_acked_ = b.acked;
            head_office_waiting_ = waiting;
        }
        report_clock_step();
        if (!feedback_ready) {
            if (control_->connected() && !connected_at) connected_at = real_now;
            // Both sessions: the control one takes claims and clock ticks, so "online" before
            // its subscription lost the first tick a test (or the simulator) sent.
            const bool both = control_->subscribed() && feedback_->subscribed();
            feedback_ready = both || (connected_at && real_now - *connected_at > 5000);
            if (feedback_ready)
                log_info(kLog, both ? "receiving: both sessions subscribed"
                                    : "receiving: no subscription acknowledged within 5 s; going on");
        }
        if (feedback_ready && republish_after_connect_.exchange(false)) {
            publisher_->republish_live_prompts(durable_->state(), now);
            publisher_->publish_durable(durable_notice_, now);
            publisher_->publish_status(status_now(true, now), now, true);
            announce_discovery_ = !discovery_.empty();
        }
        if (feedback_ready && std::exchange(announce_discovery_, false)) {
            publisher_->publish_discovery(discovery_, now);
            log_info(kLog, "home_assistant = on: " + std::to_string(discovery_.size()) +
                               " discovery documents published under " + std::string(kHomeAssistantPrefix) + "/");
        }
        if (storage_failing_ && real_now - last_storage_try >= 1000) {
            last_storage_try = real_now;
            try_storage_again(now);
        }
        take({}, real_now, false);  // time passing: dwell, timeouts, escalation
        const TimeMs state_now = durable_->state().now;
        if (feedback_ready) publisher_->publish_status(status_now(true, state_now), state_now);
        if (reload && reload->exchange(false)) reload_configuration();
        tell_systemd(real_now);
        // Once a second: a scrape (every 15 s or so) reads figures at most a second old,
        // and the rule's lock is held for a copy, never for a scrape.
        if (metrics_server_ && real_now - last_metrics_snapshot >= 1000) {
            last_metrics_snapshot = real_now;
            take_metrics_snapshot();
        }
        const bool minute_due = !last_stats || state_now - *last_stats >= kStatsIntervalMs;
        const bool live_due = durable_->changes() != changes_at_stats && real_now - last_stats_real >= kLiveStatsMs;
        if (state_now > 0 && (minute_due || live_due)) {
            last_stats = state_now;
            last_stats_real = real_now;
            commit_and_publish(state_now);  // the rollup takes its own transaction
            changes_at_stats = durable_->changes();
            publish_stats(stats);
        }
    }
    // Leave cleanly: say we are going, then stop the network threads (a message being
    // handled finishes and commits first).
    log_info(kLog, "stopping");
    // A deliberate stop is no outage: the broker may stop with us (Ctrl-C reaches both).
    control_->leaving();
    feedback_->leaving();
    (void)systemd_.notify("STOPPING=1");
    // The last figures and the goodbye reach the broker before we disconnect, so a
    // dashboard (or the demo's summary) shows the day as it ended.
    std::int64_t sent_before = 0;
    std::int64_t acked_before = 0;
    {
        std::lock_guard lock(mutex_);
        commit_and_publish(durable_->state().now);
        acked_before = acked_.load();
        sent_before = publisher_->sent();
        if (durable_->state().now > 0) publish_stats(stats);
        publisher_->publish_status(status_now(false, controller_time_ms()), controller_time_ms(), true);
    }
    // Waited for without the lock: a network thread may be in a message callback that
    // needs it, and it must get out of there to read the acknowledgements.
    const auto give_up = std::chrono::steady_clock::now() + kFlushTimeout;
    while (acked_.load() - acked_before < publisher_->sent() - sent_before && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (feedback_held_.load()) {
        // The feedback thread holds a message it could not store: returning from its
        // callback would acknowledge it. Leave without it; the broker sends it again.
        control_->stop();
        {
            std::lock_guard lock(mutex_);
            commit_and_publish(durable_->state().now);
            log_summary();
        }
        log_warn(kLog, "left with feedback still held at the broker (storage failing)");
        std::fflush(nullptr);
        ::_exit(0);
    }
    feedback_->stop();
    control_->stop();
    std::lock_guard lock(mutex_);
    commit_and_publish(durable_->state().now);  // what the network threads handled while they stopped
    log_summary();
    return 0;
}

// SIGHUP: the rule settings change without a restart. The set of tills is the shape of
// the state (lanes, their history): changing it takes a restart.
void ControllerService::reload_configuration() {
    (void)systemd_.notify("RELOADING=1");
    auto fresh = load_config(options_);
    auto sorted = [](std::vector<int> tills) {
        std::sort(tills.begin(), tills.end());
        return tills;
    };
    if (!fresh)
        log_error(kLog, "reload: keeping the old configuration: " + fresh.error().to_string());
    else if (sorted(fresh->tills) != sorted(config_.tills))
        log_error(kLog, "reload: keeping the old configuration: the tills changed (that takes a restart)");
    else if (fresh->head_office != config_.head_office)
        log_error(kLog, "reload: keeping the old configuration: head_office changed (that takes a restart)");
    else if (fresh->home_assistant != config_.home_assistant)
        log_error(kLog, "reload: keeping the old configuration: home_assistant changed (that takes a restart)");
    else if (fresh->metrics_listen != config_.metrics_listen)
        log_error(kLog, "reload: keeping the old configuration: metrics_listen changed (that takes a restart)");
    else {
        config_ = *fresh;
        log_info(kLog, "reload: configuration re-read from " +
                           (options_.config_path.empty() ? std::string("the command line") : options_.config_path));
    }
    if (told_ready_) (void)systemd_.notify("READY=1");
}

// The watchdog means "messages are being handled": our own status came back through the
// broker lately (or we are not connected, and libmosquitto is reconnecting), and commits
// have not failed for longer than a few watchdog periods. A controller stuck in a message
// callback or on a database that fails every write stops feeding it, and systemd restarts
// it (the start-up checks then find a damaged database).
bool ControllerService::handling_messages(TimeMs real_now) const {
    const auto interval = systemd_.watchdog_interval();
    const TimeMs write_grace = std::max<TimeMs>(10'000, interval ? 6 * interval->count() : 0);
    if (commits_failing_since_ && real_now - *commits_failing_since_ > write_grace) return false;
    if (!control_->connected()) return true;
    const TimeMs seen = own_status_seen_at_.load();
    return seen == 0 ? real_now - last_watchdog_at_ < kOwnStatusMaxAgeMs || !told_ready_
                     : real_now - seen < kOwnStatusMaxAgeMs;
}

void ControllerService::tell_systemd(TimeMs real_now) {
    if (!systemd_.enabled()) return;
    // The database opened before run() began; the broker is the other half of "up".
    if (!told_ready_ && control_->connected()) {
        told_ready_ = true;
        own_status_seen_at_ = real_now;  // the clock for "came back lately" starts here
        if (auto told = systemd_.notify("READY=1"); !told) log_warn(kLog, "systemd: " + told.error().to_string());
    }
    const auto interval = systemd_.watchdog_interval();
    if (!interval || real_now - last_watchdog_at_ < interval->count()) return;
    if (!handling_messages(real_now)) {
        if (!told_unhealthy_) log_error(kLog, "not handling messages: the systemd watchdog is no longer fed");
        told_unhealthy_ = true;
        return;
    }
    told_unhealthy_ = false;
    last_watchdog_at_ = real_now;
    (void)systemd_.notify("WATCHDOG=1");
}

// Says once per step (by more than 2 s) that the box's wall clock moved away from ours.
void ControllerService::report_clock_step() {
    const TimeMs step = wall_clock_step_ms();
    if (std::llabs(step - logged_clock_step_) <= 2'000) return;
    logged_clock_step_ = step;
    const TimeMs s = (std::llabs(step) + 500) / 1000;  // to the nearest second: the two clocks are read apart
    char amount[48];
    std::snprintf(amount, sizeof amount, "%lld d %02lld:%02lld:%02lld", static_cast<long long>(s / 86'400),
                  static_cast<long long>(s / 3600 % 24), static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    if (std::llabs(step) <= 2'000)
        log_info(kLog, "the box's clock agrees with the controller's again");
    else
        log_warn(kLog, std::string("the box's clock stepped ") + (step < 0 ? "back " : "ahead ") + amount +
                           " while the controller ran: it keeps its own time (dwell, timeouts and breach minutes stay "
                           "right) and takes the box's clock when it is next started");
}

// Rolls up what is new and publishes every stats document, retained.
void ControllerService::publish_stats(StatsPublisher& stats) {
    const TimeMs now = durable_->state().now;
    auto docs = stats.refresh(now, config_);
    if (!docs) {
        if (rejects_.count("stats refresh failed", now)) log_error(kLog, "stats: " + docs.error().to_string());
        return;
    }
    publisher_->publish_stats(*docs, now);
}

void ControllerService::take_metrics_snapshot() {
    MetricsSnapshot s;
    s.version = STOREQ_VERSION;
    const State& state = durable_->state();
    for (const auto& [number, lane] : state.lanes) {
        LaneFigures figures{number, lane.open, std::nullopt};
        if (is_count_known(lane, config_, state.now)) figures.count = lane.count;
        s.lanes.push_back(figures);
    }
    s.live_prompts = static_cast<std::int64_t>(state.live.size());
    s.storage_failing = storage_failing_;
    s.tally = durable_->tally();
    s.rule_step_seconds = durable_->rule_step_seconds();
    s.commit_seconds = durable_->commit_seconds();
    s.rejected = rejects_.by_reason();
    s.not_published = publisher_->refused();
    s.kiosk_backlog = kiosk_backlog_;
    if (outbound_) s.head_office_backlog = outbound_->backlog().entries();
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::move(s);
}

std::string ControllerService::metrics_text() {
    MetricsSnapshot copy;
    {
        std::lock_guard lock(snapshot_mutex_);
        copy = snapshot_;
    }
    return metrics::render_text(metric_families(copy));
}

void ControllerService::log_summary() {
    auto counts = durable_->counts();
    if (!counts) return log_error(kLog, "summary: " + counts.error().to_string());
    log_info(kLog, "summary: feedback=" + std::to_string(counts->feedback) + " queue_samples=" +
                       std::to_string(counts->queue_samples) + " prompts=" + std::to_string(counts->prompts) +
                       " fulfilled=" + std::to_string(counts->fulfilled) + " cancelled=" +
                       std::to_string(counts->cancelled) + " rejected=" + std::to_string(rejects_.total()));
}

}  // namespace storeq::controller
