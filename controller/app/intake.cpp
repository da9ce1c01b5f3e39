#include "intake.hpp"

#include "storeq/codec.hpp"
#include "storeq/controller/home_assistant.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

Rejected bad(const char* kind, const std::string& topic, const Error& e) {
    return Rejected{std::string(kind) + ": " + e.where, std::string(kind) + " on " + topic + ": " + e.to_string()};
}
}  // namespace

bool is_feedback_topic(std::string_view topic) { return ends_with(topic, "/feedback"); }

Input decode_input(const MqttMessage& message, std::string_view store, std::string_view own_device, TimeMs now) {
    // Outside the store's tree: Home Assistant's birth ("online") and last-will ("offline").
    if (message.topic == home_assistant_status_topic())
        return message.payload == kHomeAssistantOnline ? Input{HomeAssistantOnline{}} : Input{Ignored{}};
    auto topic = parse_topic(message.topic);
    if (!topic) {
        // Counted by the kind of fault, not by the offending text: one log line per minute
        // per kind, however many different bad topics a broken device invents.
        const auto& what = topic.error().what;
        return Rejected{"topic: " + what.substr(0, what.find('\'')), topic.error().to_string()};
    }
    if (topic->store != store) return Rejected{"topic: other store", message.topic.substr(0, 200)};
    const auto& payload = message.payload;
    switch (topic->kind) {
        case TopicKind::feedback: {
            auto feedback = decode_feedback(payload, now);
            if (!feedback) return bad("feedback", message.topic, feedback.error());
            return FeedbackArrived{topic->device, std::move(*feedback)};
        }
        case TopicKind::queue: {
            if (payload.empty()) return Ignored{};  // a retained sample was cleared
            auto sample = decode_queue_count(payload, now);
            if (!sample) return bad("queue", message.topic, sample.error());
            return QueueCountReceived{topic->lane, *sample};
        }
        case TopicKind::lane_state: {
            if (payload.empty()) return Ignored{};
            auto lane_state = decode_lane_state(payload, now);
            if (!lane_state) return bad("lane state", message.topic, lane_state.error());
            return LaneStateReceived{topic->lane, *lane_state};
        }
        case TopicKind::door: {
            auto count = decode_door_count(payload, now);
            if (!count) return bad("door count", message.topic, count.error());
            return DoorCountReceived{topic->lane, *count};
        }
        case TopicKind::served: {
            auto served = decode_lane_served(payload, now);
            if (!served) return bad("served count", message.topic, served.error());
            return ServedReceived{topic->lane, *served};
        }
        case TopicKind::claim: {
            auto claim = decode_claim(payload, now);
            if (!claim) return bad("claim", message.topic, claim.error());
            // The broker let this account write this topic (ACL): the account is who
            // claims. A payload naming someone else is refused, not believed.
            if (claim->by != topic->device)
                return Rejected{"claim: by is not the account",
                                "claim on " + message.topic + ": by '" + claim->by + "' is not the account '" +
                                    topic->device + "'"};
            return ClaimReceived{topic->prompt_id, *claim};
        }
        case TopicKind::prompt:
            // Our own prompts come back as live deliveries (not retained): nothing to do.
            // A retained one with a payload is what the broker will show the next subscriber.
            if (message.retained && !payload.empty()) return RetainedPromptSeen{topic->prompt_id};
            return Ignored{};
        case TopicKind::status:
            if (topic->device == own_device && !message.retained) return OwnStatusSeen{};
            if (payload.empty()) return Ignored{};
            // A status that does not decode is the device's display business, not ours.
            if (auto status = decode_status(payload, now); status && status->kind == DeviceKind::kiosk) {
                const bool live_online = !message.retained && status->online;
                return KioskStatusSeen{KioskStatusReceived{topic->device, *status},
                                       live_online ? std::optional(now - status->ts) : std::nullopt};
            }
            return Ignored{};
        case TopicKind::alert_answer: {
            auto answer = decode_alert_answer(payload, now);
            if (!answer) return bad("alert answer", message.topic, answer.error());
            // As with claims: the broker let this account write the topic; a payload naming
            // someone else is refused.
            if (answer->by != topic->device)
                return Rejected{"alert answer: by is not the account",
                                "alert answer on " + message.topic + ": by '" + answer->by + "' is not the account '" +
                                    topic->device + "'"};
            return AlertAnswerReceived{topic->alert_id, topic->device, *answer};
        }
        case TopicKind::alert:  // our own
        case TopicKind::wait:
        case TopicKind::stats:
        case TopicKind::clock:  // read by the sim clock before the batch
        case TopicKind::receipt:  // our own receipts and durable notice, on their way to kiosks
        case TopicKind::durable:
        case TopicKind::head_office:  // the head-office session's (outbound_sender.hpp)
        case TopicKind::forecast:     // our own
            return Ignored{};
    }
    return Ignored{};
}

}  // namespace storeq::controller
