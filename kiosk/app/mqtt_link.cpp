#include "app/mqtt_link.hpp"

#include <chrono>
#include <variant>

#include "app/kiosk_app.hpp"
#include "app/stats_decode.hpp"
#include "model/overloaded.hpp"
#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

#ifndef STOREQ_VERSION
#define STOREQ_VERSION "0.0.0"
#endif

namespace storeq::kiosk {
namespace {

constexpr std::string_view kComponent = "kiosk-mqtt";
constexpr int kQos = 1;
// The store controller's device id (its Status: device/controller/status).
constexpr std::string_view kControllerDevice = "controller";
// Receipt timeouts are whole seconds or more: a tick a second is precise enough.
constexpr auto kTimerPeriod = std::chrono::seconds(1);
// A feedback kiosk's Status goes out this often too: the controller reads the kiosk's clock
// from it (how far off it is), to count answers at the right time (docs/protocol.md).
constexpr int kStatusEveryTicks = 60;

DeviceKind device_kind(Role role) {
    switch (role) {
        case Role::lane: return DeviceKind::lane;
        case Role::staff: return DeviceKind::staff;
        case Role::feedback: return DeviceKind::kiosk;
        case Role::manager: return DeviceKind::manager;
    }
    return DeviceKind::kiosk;
}

Status make_status(const KioskConfig& config, bool online, TimeMs now, std::optional<std::int64_t> backlog) {
    Status status;
    status.backlog = backlog;
    status.online = online;
    status.kind = device_kind(config.role);
    status.version = STOREQ_VERSION;
    status.ts = now;
    return status;
}

MqttOptions make_options(const KioskConfig& config, std::string host, int port, const MqttCredentials& credentials,
                         bool has_outbox) {
    MqttOptions options;
    apply_credentials(options, credentials);
    options.host = std::move(host);
    options.port = port;
    options.client_id = "storeq-kiosk-" + config.device;
    // A kiosk with an outbox keeps its session: receipts the controller sends while this
    // kiosk reconnects (a broker restart) wait for it at the broker instead of being lost
    // and costing a receipt timeout and a re-send.
    options.clean_session = !has_outbox;
    // The broker is in the same store: retry often, so a backlog flows within seconds of
    // it coming back (bench/kiosk_outbox; the library's default backoff reaches 30 s).
    options.reconnect_max_s = 2;
    options.will = MqttWill{status_topic(config.store, config.device),
                            encode(make_status(config, false, system_now_ms(), std::nullopt)), kQos, true};
    return options;
}

}  // namespace

MqttLink::MqttLink(KioskConfig config, std::string host, int port, std::optional<Outbox> outbox,
                   const MqttCredentials& credentials)
    : config_(std::move(config)), client_(make_options(config_, std::move(host), port, credentials, outbox.has_value())) {
    if (!outbox) return;
    const std::string topic = feedback_topic(config_.store, config_.device);
    const ReceiptTiming timing{config_.receipt_timeout_ms, config_.history_ms};
    outbox_ = std::make_unique<FeedbackOutbox>(
        std::move(*outbox),
        [this, topic](const std::string& payload) { return client_.publish(topic, payload, kQos, false); },
        FeedbackOutbox::kDefaultWindow, timing, system_now_ms);
    outbox_->on_backlog_changed([this](std::int64_t backlog) { on_backlog_changed(backlog); });
    outbox_->on_error([this](const std::string& text) {
        if (sink_) sink_(ErrorReported{system_now_ms(), text});
    });
}

MqttLink::~MqttLink() { stop(); }

Expected<void> MqttLink::start(EventSink sink) {
    sink_ = std::move(sink);
    client_.on_connection([this](bool connected) { on_connection(connected); });
    client_.on_message([this](const MqttMessage& message) { on_message(message); });
    client_.on_published([this](int message_id) {
        if (outbox_) outbox_->acknowledged(message_id);
    });
    if (config_.role == Role::lane || config_.role == Role::staff || config_.role == Role::manager)
        client_.subscribe(store_root(config_.store) + "prompts/+", kQos);
    // The dashboard reads only retained documents: it runs on any PC that reaches the broker.
    if (config_.role == Role::manager)
        for (const char* view : {"today", "hourly", "daily", "lanes"})
            client_.subscribe(stats_topic(config_.store, view), kQos);
    // ... and the controller's retained Status: the banner when its storage fails.
    if (config_.role == Role::manager) client_.subscribe(status_topic(config_.store, kControllerDevice), kQos);
    if (config_.role == Role::manager) client_.subscribe(forecast_topic(config_.store), kQos);
    if (config_.role == Role::manager) client_.subscribe(alert_topic(config_.store, "+"), kQos);
    if (config_.role == Role::lane) {
        client_.subscribe(wait_topic(config_.store, config_.till), kQos);
        // Our own retained count and state: a restarted display carries on where it was.
        client_.subscribe(queue_topic(config_.store, config_.till), kQos);
        client_.subscribe(lane_state_topic(config_.store, config_.till), kQos);
    }
    if (outbox_) {
        client_.subscribe(receipt_topic(config_.store, config_.device), kQos);
        client_.subscribe(durable_topic(config_.store), kQos);
        on_backlog_changed(outbox_->backlog());
    }
    auto started = client_.start();
    started_ = started.has_value();
    if (started_ && outbox_) {
        timer_stop_ = false;
        timer_ = std::thread([this] { run_timer(); });
    }
    return started;
}

void MqttLink::stop() {
    if (!started_) return;
    started_ = false;
    if (timer_.joinable()) {
        {
            std::lock_guard lock(timer_mutex_);
            timer_stop_ = true;
        }
        timer_wake_.notify_all();
        timer_.join();
    }
    if (client_.connected()) publish_status(false);
    client_.stop();
}

void MqttLink::run_timer() {
    std::unique_lock lock(timer_mutex_);
    int ticks = 0;
    while (!timer_wake_.wait_for(lock, kTimerPeriod, [this] { return timer_stop_; })) {
        lock.unlock();
        outbox_->tick();
        if (++ticks % kStatusEveryTicks == 0 && client_.connected()) publish_status(true);
        lock.lock();
    }
}

void MqttLink::publish_status(bool online) {
    auto sent = client_.publish(status_topic(config_.store, config_.device),
                                encode(make_status(config_, online, system_now_ms(),
                                                             outbox_ ? std::optional(outbox_->backlog()) : std::nullopt)),
                                kQos, true);
    if (!sent) log_warn(kComponent, "status not sent: " + sent.error().to_string());
}

std::int64_t MqttLink::backlog() const { return outbox_ ? outbox_->backlog() : 0; }

OutboxStats MqttLink::outbox_stats() const { return outbox_ ? outbox_->stats() : OutboxStats{}; }

void MqttLink::on_connection(bool connected) {
    if (outbox_) {
        // Status first: it carries the backlog this connect is about to send.
        if (connected) publish_status(true);
        connected ? outbox_->link_up() : outbox_->link_down();
    } else if (connected) {
        publish_status(true);
    }
    if (sink_) sink_(BrokerConnectionChanged{connected});
}

void MqttLink::on_backlog_changed(std::int64_t backlog) {
    if (sink_) sink_(OutboxBacklogChanged{backlog});
    // The retained Status says when a backlog has drained; each new row is not worth a
    // Status of its own (it is usually acknowledged a millisecond later).
    if (backlog == 0 && client_.connected()) publish_status(true);
}

void MqttLink::on_message(const MqttMessage& message) {
    if (!sink_) return;
    auto topic = parse_topic(message.topic);
    if (!topic) return;
    const TimeMs now = system_now_ms();
    auto reject = [&](const std::string& reason) {
        if (rejects_.count(reason, now)) log_warn(kComponent, message.topic + ": " + reason);
    };
    switch (topic->kind) {
        case TopicKind::prompt: {
            // A retained empty payload is the controller clearing an ended prompt.
            if (message.payload.empty()) {
                sink_(PromptCleared{topic->prompt_id});
                return;
            }
            auto prompt = decode_prompt(message.payload);
            if (!prompt) return reject(prompt.error().to_string());
            sink_(PromptUpdated{std::move(prompt.value())});
            return;
        }
        case TopicKind::queue: {
            if (topic->lane != config_.till || message.payload.empty()) return;
            auto count = decode_queue_count(message.payload, now);
            if (!count) return reject(count.error().to_string());
            sink_(QueueCountReceived{count.value()});
            return;
        }
        case TopicKind::wait: {
            if (topic->lane != config_.till || message.payload.empty()) return;
            auto estimate = decode_wait_estimate(message.payload);
            if (!estimate) return reject(estimate.error().to_string());
            sink_(WaitEstimateReceived{estimate.value()});
            return;
        }
        case TopicKind::lane_state: {
            if (topic->lane != config_.till || message.payload.empty()) return;
            auto state = decode_lane_state(message.payload, now);
            if (!state) return reject(state.error().to_string());
            sink_(LaneStateReceived{state.value()});
            return;
        }
        case TopicKind::receipt: {
            // Only this kiosk's receipts are routed here (and the broker's ACL lets a
            // kiosk read no other); a stray one would name none of our ids anyway.
            if (!outbox_ || topic->device != config_.device || message.payload.empty()) return;
            auto receipt = decode_receipt(message.payload);
            if (!receipt) return reject(receipt.error().to_string());
            outbox_->receipt(receipt.value());
            return;
        }
        case TopicKind::durable: {
            if (!outbox_ || message.payload.empty()) return;
            auto durable = decode_durable(message.payload);
            if (!durable) return reject(durable.error().to_string());
            outbox_->durable(durable.value());
            return;
        }
        case TopicKind::stats: {
            if (config_.role != Role::manager || message.payload.empty()) return;
            auto document = decode_stats_document(topic->view, message.payload);
            if (!document) return reject(document.error().to_string());
            sink_(StatsReceived{std::move(document.value())});
            return;
        }
        case TopicKind::forecast: {
            if (config_.role != Role::manager || message.payload.empty()) return;
            auto forecast = decode_forecast(message.payload);
            if (!forecast) return reject(forecast.error().to_string());
            sink_(ForecastReceived{std::move(forecast.value())});
            return;
        }
        case TopicKind::alert: {
            if (config_.role != Role::manager) return;
            if (message.payload.empty()) return sink_(AlertReceived{topic->alert_id, std::nullopt});
            auto alert = decode_alert(message.payload);
            if (!alert) return reject(alert.error().to_string());
            sink_(AlertReceived{topic->alert_id, std::move(alert.value())});
            return;
        }
        case TopicKind::status: {
            if (config_.role != Role::manager || topic->device != kControllerDevice || message.payload.empty()) return;
            auto status = decode_status(message.payload, now);
            if (!status) return reject(status.error().to_string());
            sink_(ControllerStatusReceived{std::move(status.value())});
            return;
        }
        default:
            return;
    }
}

void MqttLink::publish(const Command& command) {
    const auto& store = config_.store;
    auto sent = std::visit(
        Overloaded{
            [&](const PublishFeedback& c) -> Expected<int> {
                if (outbox_) {
                    outbox_->store_and_send(c.feedback);
                    return 0;
                }
                return client_.publish(feedback_topic(store, config_.device), encode(c.feedback), kQos, false);
            },
            [&](const PublishQueueCount& c) {
                return client_.publish(queue_topic(store, c.lane), encode(c.count), kQos, true);
            },
            [&](const PublishLaneState& c) {
                return client_.publish(lane_state_topic(store, c.lane), encode(c.state), kQos, true);
            },
            [&](const PublishClaim& c) {
                return client_.publish(claim_topic(store, c.prompt_id, c.claim.by), encode(c.claim), kQos, false);
            },
        },
        command);
    // A refused publish is logged (shoppers never see network errors).
    if (!sent) {
        log_warn(kComponent, "publish failed: " + sent.error().to_string());
        if (sink_) sink_(ErrorReported{system_now_ms(), "publish failed: " + sent.error().to_string()});
    }
}

}  // namespace storeq::kiosk
