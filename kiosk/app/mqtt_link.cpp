#include "app/mqtt_link.hpp"

#include <variant>

#include "app/kiosk_app.hpp"
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

DeviceKind device_kind(Role role) { return role == Role::lane ? DeviceKind::lane : DeviceKind::kiosk; }

Status make_status(const KioskConfig& config, bool online, TimeMs now) {
    Status status;
    status.online = online;
    status.kind = device_kind(config.role);
    status.version = STOREQ_VERSION;
    status.ts = now;
    return status;
}

MqttOptions make_options(const KioskConfig& config, std::string host, int port) {
    MqttOptions options;
    options.host = std::move(host);
    options.port = port;
    options.client_id = "storeq-kiosk-" + config.device;
    options.will = MqttWill{status_topic(config.store, config.device),
                            encode(make_status(config, false, system_now_ms())), kQos, true};
    return options;
}

}  // namespace

MqttLink::MqttLink(KioskConfig config, std::string host, int port)
    : config_(std::move(config)), client_(make_options(config_, std::move(host), port)) {}

MqttLink::~MqttLink() { stop(); }

Expected<void> MqttLink::start(EventSink sink) {
    sink_ = std::move(sink);
    client_.on_connection([this](bool connected) { on_connection(connected); });
    client_.on_message([this](const MqttMessage& message) { on_message(message); });
    if (config_.role == Role::lane) {
        client_.subscribe(store_root(config_.store) + "prompts/+", kQos);
        // Our own retained count and state: a restarted display carries on where it was.
        client_.subscribe(queue_topic(config_.store, config_.till), kQos);
        client_.subscribe(lane_state_topic(config_.store, config_.till), kQos);
    }
    auto started = client_.start();
    started_ = started.has_value();
    return started;
}

void MqttLink::stop() {
    if (!started_) return;
    started_ = false;
    if (client_.connected()) publish_status(false);
    client_.stop();
}

void MqttLink::publish_status(bool online) {
    auto sent = client_.publish(status_topic(config_.store, config_.device),
                                encode(make_status(config_, online, system_now_ms())), kQos, true);
    if (!sent) log_warn(kComponent, "status not sent: " + sent.error().to_string());
}

void MqttLink::on_connection(bool connected) {
    if (connected) publish_status(true);
    if (sink_) sink_(BrokerConnectionChanged{connected});
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
        case TopicKind::lane_state: {
            if (topic->lane != config_.till || message.payload.empty()) return;
            auto state = decode_lane_state(message.payload, now);
            if (!state) return reject(state.error().to_string());
            sink_(LaneStateReceived{state.value()});
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
            [&](const PublishFeedback& c) {
                return client_.publish(feedback_topic(store, config_.device), encode(c.feedback), kQos, false);
            },
            [&](const PublishQueueCount& c) {
                return client_.publish(queue_topic(store, c.lane), encode(c.count), kQos, true);
            },
            [&](const PublishLaneState& c) {
                return client_.publish(lane_state_topic(store, c.lane), encode(c.state), kQos, true);
            },
            [&](const PublishClaim& c) {
                return client_.publish(claim_topic(store, c.prompt_id), encode(c.claim), kQos, false);
            },
        },
        command);
    // No outbox yet: a refused publish is logged (shoppers never see network errors).
    if (!sent) log_warn(kComponent, "publish failed: " + sent.error().to_string());
}

}  // namespace storeq::kiosk
