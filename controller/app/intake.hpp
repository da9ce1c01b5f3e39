#pragma once
// Intake, the first step of the controller's flow (intake -> durable_step -> publisher):
// an MQTT message in, what it means out. Decoding only: no state, no storage, no clock.
// Bad input becomes a Rejected value with a reason to count it by; nothing here throws.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "storeq/controller/step.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

struct FeedbackArrived {
    std::string kiosk;
    Feedback feedback;
};
// A retained prompt the broker holds for this store (delivered when we subscribe): a
// ghost if the prompt is not live (ended prompts brought back by a broker crash).
struct RetainedPromptSeen {
    std::string prompt_id;
};
// Our own status coming back through the broker: proof that the network thread is
// handling messages (the watchdog's meaning).
struct OwnStatusSeen {};
// A kiosk's Status, retained or live: for the alert rules (online, its outbox backlog),
// and a live online one says how far its clock is off ours (controller time - its ts),
// which times its answers (feedback_timing, protocol.hpp).
struct KioskStatusSeen {
    KioskStatusReceived status;
    std::optional<TimeMs> clock_offset;
};
// `reason` is what rejections are counted and rate-limited by (a kind of fault, never the
// offending text); `detail` is the log line.
struct Rejected {
    std::string reason;
    std::string detail;
};
struct Ignored {};
// Home Assistant announced it is online (homeassistant/status, home_assistant = on): it
// has (re)subscribed, so the discovery documents go out again (home_assistant.hpp).
struct HomeAssistantOnline {};

using Input = std::variant<Ignored, Rejected, FeedbackArrived, QueueCountReceived, LaneStateReceived, ClaimReceived,
                           DoorCountReceived, ServedReceived, RetainedPromptSeen, OwnStatusSeen, KioskStatusSeen,
                           AlertAnswerReceived, HeadOfficeSeen, HomeAssistantOnline>;

// `now` is controller time, for the codec's time window.
Input decode_input(const MqttMessage& message, std::string_view store, std::string_view own_device, TimeMs now);

// Feedback is the one input the broker must not let go of before it is safe
// (intake_journal.hpp): it arrives on a session of its own (controller_service.cpp).
bool is_feedback_topic(std::string_view topic);

}  // namespace storeq::controller
