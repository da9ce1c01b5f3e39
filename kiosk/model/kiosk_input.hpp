#pragma once
// Everything that can change a kiosk: intents (a person pressed something) and events
// (time passed, the broker told us something). Intents are imperative-ish names of
// presses; events are in the past tense.
#include <cstdint>
#include <string>
#include <variant>

#include "model/manager_stats.hpp"
#include "storeq/protocol.hpp"

namespace storeq::kiosk {

// Intents, returned by the screens.
struct TapFace { int score = 0; };
struct ReasonPressed { std::string code; };
struct SkipPressed {};
struct LanguagePressed { std::string locale; };
struct LaneOpenPressed {};
struct LaneClosePressed {};
struct QueueIncrementPressed {};
struct QueueDecrementPressed {};
struct ClaimPressed { std::string prompt_id; };
// The hidden corner: pressed down, and let go.
struct ServiceCornerDown {};
struct ServiceCornerUp {};
struct PinDigitPressed { int digit = 0; };
struct PinErasePressed {};
struct ServiceClosePressed {};

// Events, from the clock and the MQTT shell.
struct Tick {};
struct PromptUpdated { Prompt prompt; };
struct PromptCleared { std::string prompt_id; };
struct QueueCountReceived { QueueCount count; };  // retained or from a sensor on our lane
struct LaneStateReceived { LaneState state; };
struct WaitEstimateReceived { WaitEstimate estimate; };
struct BrokerConnectionChanged { bool connected = false; };
struct OutboxBacklogChanged { std::int64_t backlog = 0; };
struct ErrorReported { TimeMs ts = 0; std::string text; };  // shown on the service screen
struct StatsReceived { StatsDocument document; };  // a retained stats/* document (manager)
// The store controller's retained Status (device/controller/status; manager): whether it is
// online and its storage "ok" or "failing".
struct ControllerStatusReceived { Status status; };
// The retained forecast (manager): tills open against tills needed, now and ahead.
struct ForecastReceived { Forecast forecast; };
// An alert (manager): open or acknowledged ones are shown; a closed one or an empty
// retained payload (`alert` none) takes it off the dashboard.
struct AlertReceived { std::string alert_id; std::optional<Alert> alert; };

using Intent = std::variant<TapFace, ReasonPressed, SkipPressed, LanguagePressed, LaneOpenPressed,
                            LaneClosePressed, QueueIncrementPressed, QueueDecrementPressed, ClaimPressed,
                            ServiceCornerDown, ServiceCornerUp, PinDigitPressed, PinErasePressed,
                            ServiceClosePressed>;
using Event = std::variant<Tick, PromptUpdated, PromptCleared, QueueCountReceived, LaneStateReceived,
                           WaitEstimateReceived, BrokerConnectionChanged, OutboxBacklogChanged, ErrorReported,
                           StatsReceived, ControllerStatusReceived, ForecastReceived, AlertReceived>;

}  // namespace storeq::kiosk
