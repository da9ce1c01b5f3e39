#pragma once
// The store's alert rules (docs/alerts.md explains each to a store manager): which figure
// each watches, over what window, past which threshold, with at least how many answers.
// Parsing is pure: a `alert.<name> = ...` value in, a rule or an Error out.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

// A store has at most this many rules (each is evaluated on every event).
inline constexpr std::size_t kMaxAlertRules = 64;

struct AlertRule {
    std::string name;  // alert.<name> in the configuration; starts with the kind's name
    AlertRuleKind kind = AlertRuleKind::negative_share;
    // In the rule's unit (docs/alerts.md): a percentage, an index, a count, or for the
    // duration rules milliseconds.
    double threshold = 0;
    TimeMs window = 0;         // feedback and compliance rules: the window looked back over
    std::int64_t min_n = 0;    // fewer answers (open-lane minutes for compliance): no verdict
    int level = 1;             // 2: shown on the staff page too
    bool operator==(const AlertRule&) const = default;
};

// The rules a store has without configuring any (each can be switched off with
// `alert.<name> = off` or changed): HappyOrNot's suggested start for negative answers
// (50% in 15 min, at least 4), and one of each other kind.
std::vector<AlertRule> default_alert_rules();

// `name` is the key after "alert." (negative_share, negative_share.evening); its first
// part names the kind. Values by kind:
//   negative_share      50% in 15min, n 4         happy_index_below  60 in 60min, n 10
//   great_hour          90 in 60min, n 20         detractors_in_row  3
//   compliance_below    80% in 60min, n 30        breach_unanswered  on (past promise_target) | 2min
//   all_tills_open_long, sensor_silent, kiosk_offline, head_office_cut: a duration (15min)
//   outbox_growing      20 in 10min (a backlog of at least 20 that grew over 10 min)
// Every value may end in `, level 2`. breach_unanswered `on` keeps threshold 0: the
// store's promise_target, wherever the file sets it.
Expected<AlertRule> parse_alert_rule(std::string_view name, std::string_view value);

// The value's hysteresis: an open alert counts as recovered only past threshold -+ this
// (in the rule's unit), so a figure flickering around the threshold neither closes it
// nor opens another.
double recovery_margin(AlertRuleKind kind);

}  // namespace storeq::controller
