#include "controller_app.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <random>

#include "stats_publisher.hpp"
#include "wal_checkpointer.hpp"
#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
constexpr auto kCommitInterval = std::chrono::milliseconds(10);
constexpr TimeMs kTickMs = 100;
constexpr int kMaxRowsPerCommit = 1000;
constexpr auto kStorageRetry = std::chrono::seconds(1);
constexpr auto kFlushTimeout = std::chrono::seconds(2);
constexpr const char* kLog = "controller";
constexpr TimeMs kStatusIntervalMs = 10'000;
constexpr TimeMs kStatsIntervalMs = 60'000;

bool ends_with(const std::string& text, std::string_view tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::string join(const std::vector<int>& numbers) {
    std::string text;
    for (int n : numbers) text += (text.empty() ? "" : ",") + std::to_string(n);
    return text;
}

std::string describe(const Prompt& p) {
    // The last 8 hex digits: the first ones of a UUIDv7 are its time, alike for prompts
    // raised close together.
    std::string text = std::string(to_string(p.action)) + " " + p.id.substr(p.id.size() - 8) + " " + std::string(to_string(p.state));
    if (p.till) text += " till=" + std::to_string(p.till);
    if (p.reason) text += " lane=" + std::to_string(p.reason->lane) + " waiting=" + std::to_string(p.reason->waiting);
    text += " level=" + std::to_string(p.level);
    if (p.claimed_by) text += " by=" + *p.claimed_by;
    return text;
}
}  // namespace

TimeMs wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Expected<std::unique_ptr<ControllerApp>> ControllerApp::create(const ControllerOptions& options, const Config& config) {
    auto store = ControllerStore::open(options.db_path);
    if (!store) return Error{"database " + options.db_path, store.error().to_string()};
    auto journal = IntakeJournal::open(options.db_path + "-intake");
    if (!journal) return journal.error();
    return std::unique_ptr<ControllerApp>(new ControllerApp(options, config, std::move(*store), std::move(*journal)));
}

ControllerApp::ControllerApp(const ControllerOptions& options, const Config& config, ControllerStore store,
                             IntakeJournal journal)
    : options_(options), config_(config), store_(std::move(store)), journal_(std::move(journal)) {
    state_ = initial_state(config_, std::random_device{}() * 0x9E3779B97F4A7C15ULL ^ std::random_device{}());
}

Status ControllerApp::status_now(bool online, TimeMs now) const {
    Status status;
    status.online = online;
    status.kind = DeviceKind::controller;
    status.version = STOREQ_VERSION;
    status.ts = now;
    std::vector<int> unknown;
    for (const auto& [number, lane] : state_.lanes)
        if (lane.open && !is_count_known(lane, config_, state_.now)) unknown.push_back(number);
    status.unknown_lanes = unknown;
    status.rejected = rejects_.total();
    status.live_prompts = static_cast<std::int64_t>(state_.live.size());
    return status;
}

// Retained status: on connect, every kStatusInterval, and whenever what it says changes
// (a lane going unknown shows within a tick).
void ControllerApp::publish_status(bool online, TimeMs now) {
    Status status = status_now(online, now);
    Status without_time = status;
    without_time.ts = 0;
    if (online && last_status_ && *last_status_ == without_time && now - last_status_at_ < kStatusIntervalMs) return;
    if (status.unknown_lanes != (last_status_ ? last_status_->unknown_lanes : std::nullopt) && !status.unknown_lanes->empty())
        log_warn(kLog, "lanes with no count from their sensor: " + join(*status.unknown_lanes));
    last_status_ = without_time;
    last_status_at_ = now;
    (void)mqtt_->publish(status_topic(options_.store, device_id_), encode(status), 1, true);
}

int ControllerApp::run(const std::atomic<bool>& stop, std::atomic<bool>* reload) {
    stop_ = &stop;
    if (auto restored = store_.restore(state_); !restored) {
        log_error(kLog, "cannot restore state from the database: " + restored.error().to_string());
        return 1;
    }
    log_info(kLog, "store " + options_.store + ": " + std::to_string(config_.tills.size()) + " tills, " +
                       std::to_string(state_.live.size()) + " live prompts restored");

    {
        std::lock_guard lock(mutex_);
        // Feedback acknowledged by the last run but not committed: store it first.
        replay_journal_ = !journal_.empty();
        if (replay_journal_) log_info(kLog, "storing what the intake journal kept from the last run");
        process({}, wall_clock_ms(), true);
    }

    MqttOptions mqtt_options;
    mqtt_options.host = options_.broker_host;
    mqtt_options.port = options_.broker_port;
    // A fixed id and a persistent session: the broker keeps QoS 1 messages for the
    // controller while it restarts.
    mqtt_options.client_id = "storeq-controller-" + options_.store;
    mqtt_options.clean_session = false;
    // The broker runs on this box or in this store: after it restarts, be back within
    // two seconds (what the kiosks queued meanwhile flows in only once we are).
    mqtt_options.reconnect_max_s = 2;
    apply_credentials(mqtt_options, options_.credentials);  // none: anonymous (loopback demo broker)
    Status offline;
    offline.online = false;
    offline.kind = DeviceKind::controller;
    offline.version = STOREQ_VERSION;
    mqtt_options.will = MqttWill{status_topic(options_.store, device_id_), encode(offline), 1, true};
    mqtt_ = std::make_unique<MqttClient>(mqtt_options);
    // Each message is handled on the network thread as it arrives: a prompt goes out in
    // the same callback, with no hand-off between threads (bench/prompt_latency).
    mqtt_->on_message([this](const MqttMessage& m) {
        std::unique_lock lock(mutex_);
        // The broker lets go of this message once we return (intake_journal.hpp):
        // feedback goes to the journal first and is committed with the next group; claims
        // and lane states are committed at once; queue samples may wait for the group (a
        // lost one is replaced by the next, and the latest is retained on the broker).
        bool commit_now = !ends_with(m.topic, "/queue");
        if (ends_with(m.topic, "/feedback")) {
            if (auto journaled = journal_.append(m); journaled) commit_now = false;
            else if (storage_errors_.count("journal", wall_clock_ms()))
                log_error(kLog, journaled.error().to_string() + "; committing each feedback at once (" +
                                    std::to_string(storage_errors_.by_reason().at("journal")) + " times so far)");
        }
        // What must be on disk before the broker lets go of it, and could not be written
        // (disk full, I/O error), is held here: while we wait the broker gets no
        // acknowledgement (and, past the keepalive, drops the connection and sends the
        // message again later), so nothing it let go of is lost. Other traffic waits too;
        // a controller that cannot store anything has nothing better to do.
        while (!process({m}, wall_clock_ms(), commit_now) && commit_now && !stop_->load()) {
            lock.unlock();
            std::this_thread::sleep_for(kStorageRetry);
            lock.lock();
        }
    });
    mqtt_->on_published([this](int) { ++acked_; });
    mqtt_->on_connection([this](bool connected) {
        if (connected) republish_after_connect_ = true;
        log_info(kLog, connected ? "connected to broker " + options_.broker_host + ":" + std::to_string(options_.broker_port)
                                 : "lost the broker; reconnecting");
    });
    mqtt_->subscribe(store_wildcard(options_.store), 1);
    if (auto started = mqtt_->start(); !started) {
        log_error(kLog, "cannot start MQTT: " + started.error().to_string());
        return 1;
    }

    // Stats documents (docs/stats.md): rolled up and published retained once a minute of
    // controller time, and once at start.
    StatsPublisher stats(store_.database(), config_);
    std::optional<TimeMs> last_stats;
    WalCheckpointer checkpointer(options_.db_path);
    TimeMs last_tick = 0;
    while (!stop.load()) {
        std::this_thread::sleep_for(kCommitInterval);
        std::lock_guard lock(mutex_);
        commit_pending();
        const TimeMs now = wall_clock_ms();
        if (now - last_tick < kTickMs) continue;
        last_tick = now;
        if (republish_after_connect_.exchange(false)) {
            last_status_.reset();
            republish_live_prompts();
        }
        process({}, now, false);  // time passing: dwell, timeouts, escalation
        publish_status(true, state_.now);
        if (reload && reload->exchange(false)) reload_configuration();
        tell_systemd(now);
        if (state_.now > 0 && (!last_stats || state_.now - *last_stats >= kStatsIntervalMs)) {
            last_stats = state_.now;
            commit_pending();  // the rollup takes its own transaction
            publish_stats(stats);
        }
    }
    // Leave cleanly: say we are going, then stop the network thread (a message being
    // handled finishes and commits first).
    log_info(kLog, "stopping");
    (void)systemd_.notify("STOPPING=1");
    // The last figures and the goodbye reach the broker before we disconnect, so a
    // dashboard (or the demo's summary) shows the day as it ended.
    std::int64_t acked_before = 0;
    int sent = 0;
    {
        std::lock_guard lock(mutex_);
        commit_pending();
        acked_before = acked_.load();
        if (state_.now > 0) sent += publish_stats(stats);
        publish_status(false, wall_clock_ms());
        ++sent;
    }
    // Waited for without the lock: the network thread may be in a message callback that
    // needs it, and it must get out of there to read the acknowledgements.
    const auto give_up = std::chrono::steady_clock::now() + kFlushTimeout;
    while (acked_.load() - acked_before < sent && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    mqtt_->stop();
    commit_pending();  // what the network thread handled while it stopped
    log_summary();
    return 0;
}

bool ControllerApp::process(std::vector<MqttMessage> messages, TimeMs now, bool commit_now) {
    if (options_.sim_clock) {
        // Simulated time: the simulator's clock ticks drive the rule. Until its first tick
        // there is no time to run the rule on: hold what arrived until then.
        for (const auto& message : messages) clock_.observe(message);
        for (auto& message : messages) held_.push_back(std::move(message));
        if (!clock_.started()) return true;
        messages.swap(held_);
        held_.clear();
        now = clock_.now();
    }
    if (!in_transaction_) {
        if (auto begun = store_.begin(); !begun) {
            storage_error("starting a transaction", begun.error(), now);
            return false;
        }
        in_transaction_ = true;
    }
    if (replay_journal_) {
        // A transaction failed: everything journalled since the last good commit goes into
        // this one again (ids already stored are ignored). Only a commit that holds all of
        // it may empty the journal.
        replay_journal_ = false;
        if (auto journalled = journal_.read_all(); journalled) {
            for (const auto& message : *journalled) handle(message, now);
        } else {
            storage_error("reading the intake journal", journalled.error(), now);
        }
    }
    for (const auto& message : messages) handle(message, now);
    if (messages.empty()) apply(TimePassed{}, now);
    ++pending_rows_;
    // Group commit: rows wait up to kCommitInterval so a busy store commits hundreds per
    // transaction; anything that must be published commits first, so a prompt staff saw
    // is always in the database when a restart comes.
    if (commit_now || !to_publish_.empty() || pending_rows_ >= kMaxRowsPerCommit) return commit_pending();
    return true;
}

bool ControllerApp::commit_pending() {
    bool stored = true;
    if (in_transaction_) {
        in_transaction_ = false;
        pending_rows_ = 0;
        const TimeMs now = wall_clock_ms();
        if (write_failed_) {
            store_.rollback();
            stored = false;
        } else if (auto committed = store_.commit(); !committed) {
            storage_error("committing", committed.error(), now);
            store_.rollback();
            stored = false;
        } else if (auto cleared = journal_.clear(); !cleared) {
            storage_error("emptying the intake journal", cleared.error(), now);
        }
        write_failed_ = false;
        // What was journalled is stored again once the database takes writes again.
        if (!stored) replay_journal_ = true;  // into the next transaction
    }
    for (const auto& [topic, payload] : to_publish_) (void)mqtt_->publish(topic, payload, 1, true);
    to_publish_.clear();
    return stored;
}

// A write that failed (disk full, database locked for too long, I/O error) fails the whole
// transaction. Logged once a minute per kind, with how often it happened: a full disk must
// not also fill the journal with log lines.
void ControllerApp::storage_error(const std::string& doing, const Error& error, TimeMs now) {
    write_failed_ = true;
    if (storage_errors_.count(doing, now))
        log_error(kLog, doing + " failed: " + error.to_string() + " (" +
                            std::to_string(storage_errors_.by_reason().at(doing)) + " times so far)");
}

// SIGHUP: the rule settings change without a restart. The set of tills is the shape of
// the state (lanes, their history): changing it takes a restart.
void ControllerApp::reload_configuration() {
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
    else {
        config_ = *fresh;
        log_info(kLog, "reload: configuration re-read from " +
                           (options_.config_path.empty() ? std::string("the command line") : options_.config_path));
    }
    if (told_ready_) (void)systemd_.notify("READY=1");
}

void ControllerApp::tell_systemd(TimeMs now) {
    if (!systemd_.enabled()) return;
    // The database opened before run() began; the broker is the other half of "up".
    if (!told_ready_ && mqtt_->connected()) {
        told_ready_ = true;
        if (auto told = systemd_.notify("READY=1"); !told) log_warn(kLog, "systemd: " + told.error().to_string());
    }
    const auto interval = systemd_.watchdog_interval();
    if (interval && now - last_watchdog_at_ >= interval->count()) {
        last_watchdog_at_ = now;
        (void)systemd_.notify("WATCHDOG=1");
    }
}

// Rolls up what is new and publishes every stats document, retained. Returns how many
// were published.
int ControllerApp::publish_stats(StatsPublisher& stats) {
    auto docs = stats.refresh(state_.now);
    if (!docs) {
        log_error(kLog, "stats: " + docs.error().to_string());
        return 0;
    }
    int published = 0;
    for (const auto& doc : *docs)
        if (mqtt_->publish(stats_topic(options_.store, doc.view), doc.payload, 1, true)) ++published;
    return published;
}

// After a (re)connect the broker may have missed prompt changes made while it was away:
// the database is the truth, so every live prompt is published again.
void ControllerApp::republish_live_prompts() {
    for (const auto& [id, live] : state_.live)
        (void)mqtt_->publish(prompt_topic(options_.store, id), encode(live.prompt), 1, true);
}

void ControllerApp::log_summary() {
    auto counts = store_.counts();
    if (!counts) return log_error(kLog, "summary: " + counts.error().to_string());
    log_info(kLog, "summary: feedback=" + std::to_string(counts->feedback) + " queue_samples=" +
                       std::to_string(counts->queue_samples) + " prompts=" + std::to_string(counts->prompts) +
                       " fulfilled=" + std::to_string(counts->fulfilled) + " cancelled=" +
                       std::to_string(counts->cancelled) + " rejected=" + std::to_string(rejects_.total()));
}
void ControllerApp::reject(const std::string& reason, const std::string& detail, TimeMs now) {
    if (rejects_.count(reason, now))
        log_warn(kLog, "rejected " + detail + " (" + std::to_string(rejects_.by_reason().at(reason)) + " so far for this reason)");
}

void ControllerApp::handle(const MqttMessage& message, TimeMs now) {
    auto topic = parse_topic(message.topic);
    if (!topic) {
        // Counted by the kind of fault, not by the offending text: one log line per minute
        // per kind, however many different bad topics a broken device invents.
        const auto& what = topic.error().what;
        return reject("topic: " + what.substr(0, what.find('\'')), topic.error().to_string(), now);
    }
    if (topic->store != options_.store) return reject("topic: other store", message.topic, now);
    const auto& payload = message.payload;
    auto bad = [&](const char* kind, const Error& e) {
        reject(std::string(kind) + ": " + e.where, std::string(kind) + " on " + message.topic + ": " + e.to_string(), now);
    };
    switch (topic->kind) {
        case TopicKind::feedback: {
            auto feedback = decode_feedback(payload, now);
            if (!feedback) return bad("feedback", feedback.error());
            auto inserted = store_.insert_feedback(topic->device, *feedback, now);
            if (!inserted) return storage_error("storing feedback", inserted.error(), now);
            if (*inserted)
                log(LogLevel::debug, kLog,
                    "feedback from " + topic->device + ": " + std::string(to_string(feedback->scale)) + " score " +
                        std::to_string(feedback->score) + (feedback->misuse ? " (misuse)" : ""));
            return;
        }
        case TopicKind::queue: {
            if (payload.empty()) return;  // a retained sample was cleared
            auto sample = decode_queue_count(payload, now);
            if (!sample) return bad("queue", sample.error());
            if (auto stored = store_.insert_queue_sample(topic->lane, *sample, now); !stored)
                storage_error("storing a queue sample", stored.error(), now);
            return apply(QueueCountReceived{topic->lane, *sample}, now);
        }
        case TopicKind::lane_state: {
            if (payload.empty()) return;
            auto lane_state = decode_lane_state(payload, now);
            if (!lane_state) return bad("lane state", lane_state.error());
            if (auto stored = store_.insert_lane_state(topic->lane, *lane_state, now); !stored)
                storage_error("storing a lane state", stored.error(), now);
            log_info(kLog, "till " + std::to_string(topic->lane) + (lane_state->open ? " opened" : " closed"));
            return apply(LaneStateReceived{topic->lane, *lane_state}, now);
        }
        case TopicKind::claim: {
            auto claim = decode_claim(payload, now);
            if (!claim) return bad("claim", claim.error());
            return apply(ClaimReceived{topic->prompt_id, *claim}, now);
        }
        case TopicKind::prompt:  // our own prompts coming back
        case TopicKind::status:
        case TopicKind::wait:
        case TopicKind::stats:
        case TopicKind::clock:  // read by the sim clock before the batch
            return;
    }
}

void ControllerApp::apply(const Event& event, TimeMs now) {
    auto result = step(std::move(state_), event, config_, now);
    state_ = std::move(result.state);
    for (const auto& command : result.commands) execute(command, now);
}

void ControllerApp::execute(const Command& command, TimeMs now) {
    if (const auto* note = std::get_if<Note>(&command)) return log_info(kLog, note->text);
    if (const auto* wait = std::get_if<PublishWait>(&command)) {
        to_publish_.emplace_back(wait_topic(options_.store, wait->estimate.lane), encode(wait->estimate));
        return;
    }
    const auto& publish = std::get<PublishPrompt>(command);
    LivePrompt live;
    if (auto it = state_.live.find(publish.prompt.id); it != state_.live.end()) live = it->second;
    live.prompt = publish.prompt;
    if (auto saved = store_.save_prompt(live, publish.transition, now); !saved)
        storage_error("storing a prompt", saved.error(), now);
    log_info(kLog, "prompt " + publish.transition + ": " + describe(publish.prompt));
    const std::string topic = prompt_topic(options_.store, publish.prompt.id);
    to_publish_.emplace_back(topic, encode(publish.prompt));
    if (is_final(publish.prompt.state)) to_publish_.emplace_back(topic, "");  // clears the retained prompt
}

}  // namespace storeq::controller
