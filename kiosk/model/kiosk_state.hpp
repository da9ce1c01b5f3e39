#pragma once
// The whole state of one kiosk screen. Plain data, copied by update().
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/manager_stats.hpp"
#include "storeq/protocol.hpp"

namespace storeq::kiosk {

enum class FeedbackPhase { question, follow_up, thank_you };
enum class ServicePhase { closed, pin, open };

// A prompt that ended cancelled: staff on the way may go back (docs/design.md §2, stand-down).
struct StandDownNotice {
    std::string prompt_id;
    int till = 0;
    std::optional<std::string> claimed_by;
    TimeMs until = 0;
    bool forecast = false;  // a prepare_till the forecast stood down (not a queue that cleared)
    bool operator==(const StandDownNotice&) const = default;
};

struct RecentError {
    TimeMs ts = 0;
    std::string text;
    bool operator==(const RecentError&) const = default;
};

inline constexpr std::size_t kMaxRecentErrors = 5;

struct KioskState {
    // Feedback role.
    FeedbackPhase feedback_phase = FeedbackPhase::question;
    TimeMs thank_you_until = 0;
    TimeMs follow_up_until = 0;
    std::optional<TimeMs> last_press;  // any face press, misuse or not
    std::optional<int> last_score;     // the answer being followed up or thanked for
    std::optional<Feedback> pending;   // answered, waiting for its follow-up to end
    std::string locale;                // chosen by the shopper; empty: the store's default

    // Lane role.
    bool lane_open = false;
    TimeMs lane_ts = 0;             // time of the open/closed state shown
    int queue_count = 0;
    TimeMs queue_ts = 0;            // time of the count shown, ours or received
    std::int64_t queue_seq = 0;     // our own QueueCount seq, increasing across restarts
    std::optional<WaitEstimate> wait;

    // Lane and staff roles.
    std::vector<Prompt> prompts;    // live prompts, in arrival order
    std::set<std::string> claims_sent;  // prompt ids we claimed and the controller has not yet confirmed
    std::vector<StandDownNotice> stand_downs;

    // Manager role: the stats documents as last received (prompts are in `prompts`).
    ManagerStats stats;
    // Manager role: the controller's Status as last received; none before the first.
    std::optional<Status> controller_status;

    // Every role: connection, outbox and the service screen.
    bool broker_connected = false;
    std::int64_t outbox_backlog = 0;
    std::vector<RecentError> recent_errors;  // newest last, at most kMaxRecentErrors
    ServicePhase service = ServicePhase::closed;
    std::optional<TimeMs> corner_down_since;
    std::string pin_entry;
    bool pin_rejected = false;
    TimeMs service_until = 0;

    bool operator==(const KioskState&) const = default;
};

}  // namespace storeq::kiosk
