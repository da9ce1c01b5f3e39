#pragma once
// The rule engine: a pure function of (state, event, config). Time comes in with every
// event; the core reads no clock and does no I/O. See docs/design.md §2 and docs/rules.md.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "storeq/controller/config.hpp"
#include "storeq/controller/state.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

// Events (past tense): what happened, at controller time `now`.
struct QueueCountReceived { int lane = 0; QueueCount sample; };
struct LaneStateReceived { int lane = 0; LaneState lane_state; };
struct ClaimReceived { std::string prompt_id; Claim claim; };
struct DoorCountReceived { int door = 0; DoorCount count; };
struct ServedReceived { int lane = 0; LaneServed served; };
// A feedback stored for the first time (a duplicate is not one), counted at `counted_at`
// (feedback_counted_at): the feedback alert rules' answers.
struct FeedbackTaken { Feedback feedback; TimeMs counted_at = 0; };
// A kiosk's Status (online, its outbox backlog), retained or live.
struct KioskStatusReceived { std::string kiosk; Status status; };
// alerts/{id}/answer/{account}: the broker's ACL let `account` send it.
struct AlertAnswerReceived { std::string alert_id; std::string account; AlertAnswer answer; };
// The head-office link, from its sender now and then: entries wait, the ack moved since.
struct HeadOfficeSeen { bool waiting = false; bool ack_moved = false; };
struct TimePassed {};
using Event = std::variant<QueueCountReceived, LaneStateReceived, ClaimReceived, DoorCountReceived, ServedReceived,
                           FeedbackTaken, KioskStatusReceived, AlertAnswerReceived, HeadOfficeSeen, TimePassed>;

// Commands (imperative): what the shell must do.
// Publish the prompt retained on prompts/{id} and store the transition; when its state is
// final, publish that state, then clear the retained topic.
struct PublishPrompt { Prompt prompt; std::string transition; };
// Publish the lane's wait estimate, retained on lane/{lane}/wait.
struct PublishWait { WaitEstimate estimate; };
// Tell the operator why an input changed nothing (claim on an ended prompt, and so on).
// `reason` names the kind (the shell logs each kind at most once a minute, with its count:
// a device may send thousands); `text` is one example of it.
struct Note { std::string reason; std::string text; };
// Publish the forecast, retained on forecast (once a minute while door counts come).
struct PublishForecast { Forecast forecast; };
// Store a finished minute of door counts and till arrivals: a restart replays them into the
// arrival model (learn_minute), so the usual weeks survive it.
// With the tills open and needed at its end (today's hours on the timeline, after a restart too).
struct RecordMinute {
    MinuteCounts minute;
    TimeMs hour_start = 0;  // UTC start of the minute's local hour
    int local_hour = 0;
    int open_tills = 0;
    int needed_now = 0;
};
// Store the alert's transition and publish it retained on alerts/{id}; a closed one is
// published, then its retained topic cleared.
struct PublishAlert { Alert alert; std::string transition; };
using Command = std::variant<PublishPrompt, PublishWait, Note, PublishForecast, RecordMinute, PublishAlert>;

struct StepResult {
    State state;
    std::vector<Command> commands;
};

// A fresh state with every configured till known and closed.
State initial_state(const Config& config, std::uint64_t id_seed);

StepResult step(State state, const Event& event, const Config& config, TimeMs now);

// The service time used for a lane's wait estimate: learned once enough customers were
// seen leaving it, the configured default before that.
inline constexpr int kServicesBeforeLearned = 5;
TimeMs service_time_of(const Lane& lane, const Config& config);

// False for a lane with no count yet, or whose sensor has been silent for sensor_timeout.
bool is_count_known(const Lane& lane, const Config& config, TimeMs now);

// Lanes that are open with waiting >= threshold for at least `dwell`.
bool is_breaching(const Lane& lane, const Config& config, TimeMs now);

// Whether the shopper of a response counted at `at` (feedback_counted_at, protocol.hpp)
// probably queued during a breach: a breach on any lane lasted at `at`, or ended within
// `exit_lag` before it (docs/stats.md, "What a queue costs"). Judged on what the rule saw
// up to `now` (controller time): a response stamped after `now` (a kiosk clock a little
// ahead) is judged at `now`. None when the rule cannot know: `at` before this run watched
// the lanes (plus exit_lag), or before the breaches it still remembers (breach_memory.hpp).
std::optional<bool> queued_in_breach(const State& state, TimeMs at, TimeMs now, const Config& config);

}  // namespace storeq::controller
