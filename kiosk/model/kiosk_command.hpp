#pragma once
// What the model asks the shell to do. The shell turns these into MQTT publishes
// (topics, QoS and retain flags come from docs/protocol.md, not from the model).
#include <string>
#include <variant>

#include "storeq/protocol.hpp"

namespace storeq::kiosk {

struct PublishFeedback { Feedback feedback; };
struct PublishQueueCount { int lane = 0; QueueCount count; };
struct PublishLaneState { int lane = 0; LaneState state; };
struct PublishClaim { std::string prompt_id; Claim claim; };

using Command = std::variant<PublishFeedback, PublishQueueCount, PublishLaneState, PublishClaim>;

}  // namespace storeq::kiosk
