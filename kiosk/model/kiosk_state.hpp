#pragma once
// The whole state of one kiosk screen. Plain data, copied by update().
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::kiosk {

enum class FeedbackPhase { question, thank_you };

struct KioskState {
    // Feedback role.
    FeedbackPhase feedback_phase = FeedbackPhase::question;
    TimeMs thank_you_until = 0;
    std::optional<TimeMs> last_press;  // any face press, misuse or not
    std::optional<int> last_score;     // the answer being thanked for

    // Lane role.
    bool lane_open = false;
    TimeMs lane_ts = 0;             // time of the open/closed state shown
    int queue_count = 0;
    TimeMs queue_ts = 0;            // time of the count shown, ours or received
    std::int64_t queue_seq = 0;     // our own QueueCount seq, increasing across restarts
    std::vector<Prompt> prompts;    // live prompts, in arrival order
    std::set<std::string> claims_sent;  // prompt ids we claimed and the controller has not yet confirmed

    bool broker_connected = false;

    bool operator==(const KioskState&) const = default;
};

}  // namespace storeq::kiosk
