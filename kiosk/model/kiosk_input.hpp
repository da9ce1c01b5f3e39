#pragma once
// Everything that can change a kiosk: intents (a person pressed something) and events
// (time passed, the broker told us something). Intents are imperative-ish names of
// presses; events are in the past tense.
#include <string>
#include <variant>

#include "storeq/protocol.hpp"

namespace storeq::kiosk {

// Intents, returned by the screens.
struct TapFace { int score = 0; };
struct LaneOpenPressed {};
struct LaneClosePressed {};
struct QueueIncrementPressed {};
struct QueueDecrementPressed {};
struct ClaimPressed { std::string prompt_id; };

// Events, from the clock and the MQTT shell.
struct Tick {};
struct PromptUpdated { Prompt prompt; };
struct PromptCleared { std::string prompt_id; };
struct QueueCountReceived { QueueCount count; };  // retained or from a sensor on our lane
struct LaneStateReceived { LaneState state; };
struct BrokerConnectionChanged { bool connected = false; };

using Intent = std::variant<TapFace, LaneOpenPressed, LaneClosePressed, QueueIncrementPressed,
                            QueueDecrementPressed, ClaimPressed>;
using Event = std::variant<Tick, PromptUpdated, PromptCleared, QueueCountReceived,
                           LaneStateReceived, BrokerConnectionChanged>;

}  // namespace storeq::kiosk
