#include "sim_app.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

#include "sim_report.hpp"
#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

namespace storeq::sim {
namespace {
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// The store moves on once per tick: 100 ms of wall time, and never more than one second of
// store time (--speed 840: ~1.2 ms). The controller's clock follows these ticks, so a
// coarser tick would time every claim and every opening to the same tick (84 s at 840x).
constexpr auto kTick = std::chrono::microseconds(100'000);
constexpr double kMaxTickStoreMs = 1'000;
constexpr auto kMinTick = std::chrono::microseconds(1'000);
constexpr auto kAckTimeout = std::chrono::seconds(3);
constexpr auto kWaitingNotice = std::chrono::seconds(1);
// The lanes line, every 10 s of wall time (at --speed 840 every 2 h 20 min of store time).
constexpr TimeMs kLanesLineEvery = 10'000;
constexpr const char* kDeviceId = "sim";

TimeMs wall_clock_ms() {
    return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Set by name: Status grows optional fields the simulator has nothing to say about.
Status sim_status(bool online, TimeMs now) {
    Status status;
    status.online = online;
    status.kind = DeviceKind::sim;
    status.version = STOREQ_VERSION;
    status.ts = now;
    return status;
}

std::string till_list_text(const std::vector<int>& tills) {
    std::string text;
    for (int till : tills) text += (text.empty() ? "" : ",") + std::to_string(till);
    return text;
}

// Today at `minutes` after local midnight, in ms since the epoch.
TimeMs today_at(int minutes) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    local.tm_hour = minutes / 60;
    local.tm_min = minutes % 60;
    local.tm_sec = 0;
    local.tm_isdst = -1;
    return static_cast<TimeMs>(std::mktime(&local)) * 1000;
}

// The box's UTC offset at `ms`: the simulated day's shape follows local time.
int local_utc_offset_s(TimeMs ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    return static_cast<int>(local.tm_gmtoff);
}

std::string clock_text(int minutes) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
    return text;
}

std::string local_hh_mm(TimeMs ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M", &local);
    return text;
}

}  // namespace

SimApp::SimApp(SimOptions options) : options_(std::move(options)) {}

void SimApp::say(const std::string& line, TimeMs now) {
    if (line.empty()) return;
    std::printf("%s%s\n", elapsed_prefix(started_at_, now, options_.speed != 1.0).c_str(), line.c_str());
    std::fflush(stdout);
}

void SimApp::publish_status(bool online, TimeMs now) {
    if (mqtt_->publish(status_topic(options_.store, kDeviceId), encode(sim_status(online, now)), 1, true)) ++sent_;
}

void SimApp::publish_clock(TimeMs now) {
    if (mqtt_->publish(clock_topic(options_.store), encode(ClockTick{now}), 1, false)) ++sent_;
}

int SimApp::run(const std::atomic<bool>& stop) {
    const std::uint64_t seed = options_.seed ? *options_.seed : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();

    MqttOptions mqtt_options;
    mqtt_options.host = options_.broker_host;
    mqtt_options.port = options_.broker_port;
    mqtt_options.client_id = "storeq-sim-" + options_.store + "-" + std::to_string(::getpid());
    mqtt_options.will = MqttWill{status_topic(options_.store, kDeviceId), encode(sim_status(false, 0)), 1, true};
    mqtt_ = std::make_unique<MqttClient>(mqtt_options);
    mqtt_->on_message([this](const MqttMessage& m) { inbox_.push(m); });
    mqtt_->on_published([this](int) { acked_.fetch_add(1); });
    mqtt_->subscribe(prompt_topic(options_.store, "+"), 1);
    mqtt_->subscribe(alert_topic(options_.store, "+"), 1);
    if (auto started = mqtt_->start(); !started) {
        std::fprintf(stderr, "storeq-sim: %s\n", started.error().to_string().c_str());
        return 1;
    }
    const auto wall_deadline = steady_clock::now() + std::chrono::microseconds(
                                                          static_cast<std::int64_t>(options_.duration_s * 1e6));
    if (!wait_for_broker(stop, wall_deadline)) {
        mqtt_->stop();
        if (stop.load()) return 0;
        std::fprintf(stderr, "storeq-sim: never reached the broker at %s:%d in %s s; nothing was simulated\n",
                     options_.broker_host.c_str(), options_.broker_port, plain_number(options_.duration_s).c_str());
        return 1;
    }

    // The run starts now. At real time the store lives on the wall clock; accelerated, its
    // day starts at opening time today and ends at closing at the latest.
    const bool accelerated = options_.speed != 1.0;
    const TimeMs wall_started = wall_clock_ms();
    started_at_ = accelerated ? today_at(options_.opens_min) : wall_started;
    TimeMs ends_at = started_at_ + static_cast<TimeMs>(options_.duration_s * 1000.0 * options_.speed);
    const TimeMs closes_at = accelerated ? today_at(options_.closes_min) : ends_at;
    const bool ends_at_closing = closes_at < ends_at;
    ends_at = std::min(ends_at, closes_at);
    publish_status(true, started_at_);
    StoreSettings settings;
    settings.tills = options_.tills;
    settings.open_at_start = options_.open_at_start;
    settings.initial_queue = options_.initial_queue;
    settings.arrivals_per_minute = options_.arrivals_per_minute;
    settings.mean_service_s = options_.mean_service_s;
    settings.feedback_share = options_.feedback_share;
    settings.best_face_drop = options_.best_face_drop;
    settings.first_seq = wall_started;
    if (options_.doors) {
        DoorSettings doors;
        doors.shopping_minutes = options_.shopping_minutes;
        doors.utc_offset_s = local_utc_offset_s(started_at_);
        settings.doors = doors;
    }
    if (options_.staff_walk_s > 0) {
        settings.open_walk_min = static_cast<TimeMs>(options_.staff_walk_s * 500);
        settings.open_walk_max = static_cast<TimeMs>(options_.staff_walk_s * 1500);
    }
    model_.emplace(settings, started_at_, seed);
    std::printf("storeq-sim: store %s, tills %s (%d open), %d queued at start, %g arrivals/min, "
                "%g s mean service, feedback share %.2f, %g s, seed %llu\n",
                options_.store.c_str(), till_list_text(options_.tills).c_str(), options_.open_at_start,
                options_.initial_queue, options_.arrivals_per_minute, options_.mean_service_s,
                options_.feedback_share, options_.duration_s, static_cast<unsigned long long>(seed));
    if (accelerated)
        std::printf("storeq-sim: %gx: store time from %s (opening) to %s%s\n", options_.speed,
                    clock_text(options_.opens_min).c_str(), local_hh_mm(ends_at).c_str(),
                    ends_at_closing ? " (closing)" : "");
    std::fflush(stdout);

    // --speed: simulated time runs that many times faster than the wall clock; the
    // controller (--clock sim) follows the ticks published on the clock topic.
    auto sim_now = [&] {
        return started_at_ + static_cast<TimeMs>(static_cast<double>(wall_clock_ms() - wall_started) * options_.speed);
    };
    const auto tick = std::max(kMinTick, std::min(kTick, std::chrono::microseconds(static_cast<std::int64_t>(
                                                             kMaxTickStoreMs * 1000.0 / options_.speed))));
    const TimeMs lanes_line_every = static_cast<TimeMs>(static_cast<double>(kLanesLineEvery) * options_.speed);
    TimeMs lanes_line_at = started_at_;
    TimeMs now = started_at_;
    auto next_tick = steady_clock::now();
    while (!stop.load() && now < ends_at) {
        next_tick += tick;
        // Prompts arriving during the tick are handled as they come; the store moves on
        // once per tick.
        while (steady_clock::now() < next_tick && !stop.load())
            for (const auto& message : inbox_.take_all(next_tick)) handle(message, std::min(sim_now(), ends_at));
        now = std::min(sim_now(), ends_at);
        if (accelerated) publish_clock(now);
        for (const StoreEvent& event : model_->advance(now)) {
            publish(event);
            say(describe(event), now);
        }
        acknowledge_due_alerts(now);
        if (now - lanes_line_at >= lanes_line_every) {
            lanes_line_at = now;
            say("lanes: " + describe_lanes(model_->lanes()), now);
        }
    }
    // Leave cleanly: the last prompt updates, our offline status, and every QoS 1 message
    // acknowledged by the broker before disconnecting (a feedback must not be lost).
    for (const auto& message : inbox_.take_all(steady_clock::now())) handle(message, now);
    say(stop.load() ? "stopping (signal)"
                    : (ends_at_closing && now >= ends_at ? "stopping (the store closes)" : "stopping (duration reached)"),
        now);
    publish_status(false, now);
    wait_for_acks();
    mqtt_->stop();
    const double run_s = static_cast<double>(wall_clock_ms() - wall_started) / 1000.0;
    std::printf("%s\n", summary(model_->stats(), run_s,
                                accelerated ? local_hh_mm(started_at_) + " to " + local_hh_mm(now) : "").c_str());
    std::fflush(stdout);
    return 0;
}

// libmosquitto retries with backoff (1 s doubling); we wait at most until the run's
// duration is over, and say once that we are waiting.
bool SimApp::wait_for_broker(const std::atomic<bool>& stop, steady_clock::time_point give_up_at) {
    const auto notice_at = steady_clock::now() + kWaitingNotice;
    bool told = false;
    while (!mqtt_->connected()) {
        if (stop.load() || steady_clock::now() >= give_up_at) return false;
        if (!told && steady_clock::now() >= notice_at) {
            std::fprintf(stderr, "storeq-sim: waiting for the broker at %s:%d\n", options_.broker_host.c_str(),
                         options_.broker_port);
            told = true;
        }
        std::this_thread::sleep_for(milliseconds(20));
    }
    return true;
}

void SimApp::wait_for_acks() {
    const auto give_up_at = steady_clock::now() + kAckTimeout;
    while (acked_.load() < sent_ && steady_clock::now() < give_up_at) std::this_thread::sleep_for(milliseconds(10));
    if (acked_.load() < sent_)
        std::fprintf(stderr, "storeq-sim: %lld messages not acknowledged by the broker\n",
                     static_cast<long long>(sent_ - acked_.load()));
}

void SimApp::see_alert(const Alert& alert, TimeMs now) {
    if (alert.state != AlertState::open) {
        acknowledge_at_.erase(alert.id);
        return;
    }
    if (acknowledge_at_.count(alert.id)) return;
    std::uniform_int_distribution<TimeMs> delay(30'000, 240'000);  // store time
    acknowledge_at_[alert.id] = now + delay(staff_rng_);
    say("alert opened: " + alert.rule + (alert.subject.empty() ? "" : " " + alert.subject), now);
}

void SimApp::acknowledge_due_alerts(TimeMs now) {
    for (auto it = acknowledge_at_.begin(); it != acknowledge_at_.end();) {
        if (it->second > now) {
            ++it;
            continue;
        }
        const AlertAnswer answer{AlertAction::acknowledge, "handheld-1", now, std::nullopt};
        if (mqtt_->publish(alert_answer_topic(options_.store, it->first, answer.by), encode(answer), 1, false)) ++sent_;
        it = acknowledge_at_.erase(it);
    }
}

void SimApp::handle(const MqttMessage& message, TimeMs now) {
    if (message.payload.empty()) return;  // a cleared retained prompt or alert: it ended
    auto topic = parse_topic(message.topic);
    if (topic && topic->kind == TopicKind::alert) {
        if (auto alert = decode_alert(message.payload)) see_alert(*alert, now);
        return;
    }
    if (!topic || topic->kind != TopicKind::prompt) return;
    auto prompt = decode_prompt(message.payload);
    if (!prompt) {
        std::fprintf(stderr, "storeq-sim: ignoring a bad prompt on %s: %s\n", message.topic.c_str(),
                     prompt.error().to_string().c_str());
        return;
    }
    say(describe_prompt(*prompt, model_->observe_prompt(*prompt, now)), now);
}

void SimApp::publish(const StoreEvent& event) {
    const std::string& store = options_.store;
    Expected<int> sent = Error{"", "nothing to publish"};
    if (const auto* queue = std::get_if<QueueCountPublished>(&event))
        sent = mqtt_->publish(queue_topic(store, queue->lane), encode(queue->sample), 1, true);
    else if (const auto* door = std::get_if<DoorCountPublished>(&event))
        sent = mqtt_->publish(door_topic(store, door->door), encode(door->count), 1, false);
    else if (const auto* served = std::get_if<ServedPublished>(&event))
        sent = mqtt_->publish(served_topic(store, served->lane), encode(served->served), 1, false);
    else if (const auto* lane = std::get_if<LaneStatePublished>(&event))
        sent = mqtt_->publish(lane_state_topic(store, lane->lane), encode(lane->state), 1, true);
    else if (const auto* claim = std::get_if<ClaimPublished>(&event))
        sent = mqtt_->publish(claim_topic(store, claim->prompt_id, claim->claim.by), encode(claim->claim), 1, false);
    else if (const auto* feedback = std::get_if<FeedbackPublished>(&event))
        sent = mqtt_->publish(feedback_topic(store, feedback->kiosk), encode(feedback->feedback), 1, false);
    else
        return;  // ShopperMoved: only told, not published
    if (sent) ++sent_;
    else std::fprintf(stderr, "storeq-sim: publish failed: %s\n", sent.error().to_string().c_str());
}

}  // namespace storeq::sim
