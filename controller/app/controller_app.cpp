#include "controller_app.hpp"

#include <chrono>
#include <thread>
#include <random>

#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
constexpr auto kCommitInterval = std::chrono::milliseconds(10);
constexpr TimeMs kTickMs = 100;
constexpr int kMaxRowsPerCommit = 1000;
constexpr const char* kLog = "controller";
constexpr TimeMs kStatusIntervalMs = 10'000;

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
    return std::unique_ptr<ControllerApp>(new ControllerApp(options, config, std::move(*store)));
}

ControllerApp::ControllerApp(const ControllerOptions& options, const Config& config, ControllerStore store)
    : options_(options), config_(config), store_(std::move(store)) {
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

int ControllerApp::run(const std::atomic<bool>& stop) {
    if (auto restored = store_.restore(state_); !restored) {
        log_error(kLog, "cannot restore state from the database: " + restored.error().to_string());
        return 1;
    }
    log_info(kLog, "store " + options_.store + ": " + std::to_string(config_.tills.size()) + " tills, " +
                       std::to_string(state_.live.size()) + " live prompts restored");

    MqttOptions mqtt_options;
    mqtt_options.host = options_.broker_host;
    mqtt_options.port = options_.broker_port;
    // A fixed id and a persistent session: the broker keeps QoS 1 messages for the
    // controller while it restarts.
    mqtt_options.client_id = "storeq-controller-" + options_.store;
    mqtt_options.clean_session = false;
    Status offline;
    offline.online = false;
    offline.kind = DeviceKind::controller;
    offline.version = STOREQ_VERSION;
    mqtt_options.will = MqttWill{status_topic(options_.store, device_id_), encode(offline), 1, true};
    mqtt_ = std::make_unique<MqttClient>(mqtt_options);
    // Each message is handled on the network thread as it arrives: a prompt goes out in
    // the same callback, with no hand-off between threads (bench/prompt_latency).
    mqtt_->on_message([this](const MqttMessage& m) {
        std::lock_guard lock(mutex_);
        process({m}, wall_clock_ms());
    });
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
        process({}, now);  // time passing: dwell, timeouts, escalation
        publish_status(true, state_.now);
    }
    // Leave cleanly: say we are going, then stop the network thread (a message being
    // handled finishes and commits first).
    log_info(kLog, "stopping");
    {
        std::lock_guard lock(mutex_);
        commit_pending();
        publish_status(false, wall_clock_ms());
    }
    mqtt_->stop();
    commit_pending();  // what the network thread handled while it stopped
    log_summary();
    return 0;
}

void ControllerApp::process(std::vector<MqttMessage> messages, TimeMs now) {
    if (options_.sim_clock) {
        // Simulated time: the simulator's clock ticks drive the rule. Until its first tick
        // there is no time to run the rule on: hold what arrived until then.
        for (const auto& message : messages) clock_.observe(message);
        for (auto& message : messages) held_.push_back(std::move(message));
        if (!clock_.started()) return;
        messages.swap(held_);
        held_.clear();
        now = clock_.now();
    }
    if (!in_transaction_) {
        if (auto begun = store_.begin(); !begun) {
            log_error(kLog, "database: " + begun.error().to_string());
            return;
        }
        in_transaction_ = true;
    }
    for (const auto& message : messages) handle(message, now);
    if (messages.empty()) apply(TimePassed{}, now);
    ++pending_rows_;
    // Group commit: plain rows (feedback, samples) wait up to kCommitInterval so a busy
    // store commits hundreds per transaction; anything that must be published commits at
    // once, because a prompt staff saw must already be in the database when a restart
    // comes.
    if (!to_publish_.empty() || pending_rows_ >= kMaxRowsPerCommit) commit_pending();
}

void ControllerApp::commit_pending() {
    if (in_transaction_) {
        in_transaction_ = false;
        pending_rows_ = 0;
        if (auto committed = store_.commit(); !committed) {
            log_error(kLog, "database commit failed: " + committed.error().to_string());
            store_.rollback();
        }
    }
    for (const auto& [topic, payload] : to_publish_) (void)mqtt_->publish(topic, payload, 1, true);
    to_publish_.clear();
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
            if (!inserted) return log_error(kLog, "storing feedback failed: " + inserted.error().to_string());
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
                log_error(kLog, "storing queue sample failed: " + stored.error().to_string());
            return apply(QueueCountReceived{topic->lane, *sample}, now);
        }
        case TopicKind::lane_state: {
            if (payload.empty()) return;
            auto lane_state = decode_lane_state(payload, now);
            if (!lane_state) return bad("lane state", lane_state.error());
            if (auto stored = store_.insert_lane_state(topic->lane, *lane_state, now); !stored)
                log_error(kLog, "storing lane state failed: " + stored.error().to_string());
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
        log_error(kLog, "storing prompt failed: " + saved.error().to_string());
    log_info(kLog, "prompt " + publish.transition + ": " + describe(publish.prompt));
    const std::string topic = prompt_topic(options_.store, publish.prompt.id);
    to_publish_.emplace_back(topic, encode(publish.prompt));
    if (is_final(publish.prompt.state)) to_publish_.emplace_back(topic, "");  // clears the retained prompt
}

}  // namespace storeq::controller
