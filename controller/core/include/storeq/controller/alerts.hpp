#pragma once
// Alerts (docs/alerts.md): the store's alert rules over what the controller already sees
// (feedback, lane counts and states, device statuses, head office's acks), evaluated in
// the pure core after every event. Hysteresis in value (recovery_margin) and in time
// (alert_settle) keeps an alert from flapping. Pure: time comes in, changes go out.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storeq/controller/alert_rules.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

struct Config;

// One scored answer, at the time it counts (feedback_counted_at), misuse left out.
struct RecentResponse {
    TimeMs at = 0;
    Scale scale = Scale::smiley4;
    int score = 0;
    std::optional<std::string> reason;
    bool operator==(const RecentResponse&) const = default;
};

// A kiosk as its Status messages showed it.
struct KioskSeen {
    bool online = true;
    TimeMs since = 0;  // in this online/offline state since (controller time)
    std::deque<std::pair<TimeMs, std::int64_t>> backlog;  // (when, outbox backlog), the last 4 h
    bool operator==(const KioskSeen&) const = default;
};

// Open-lane and breach time of one minute, over all lanes: the rolling compliance.
struct ComplianceMinute {
    TimeMs start = 0;
    TimeMs open_ms = 0;
    TimeMs breach_ms = 0;
    bool operator==(const ComplianceMinute&) const = default;
};

// What a rule remembers for one subject (a lane, a kiosk, or the store).
struct RuleTrack {
    std::optional<std::string> alert_id;    // its alert, while open or acknowledged
    std::optional<TimeMs> condition_since;  // duration rules: the condition holds since
    std::optional<TimeMs> recovered_since;  // the open alert's figure has recovered since
    bool disarmed = false;  // closed by hand: no new alert until the figure has recovered
    bool operator==(const RuleTrack&) const = default;
};

struct AlertsState {
    std::deque<RecentResponse> responses;  // sorted by `at`, the last kMaxAlertWindow
    int detractor_streak = 0;              // NPS detractors since the last other NPS answer
    std::map<std::string, Alert> open;     // by id: open or acknowledged
    std::map<std::string, RuleTrack> tracks;  // by rule name and subject
    std::map<std::string, KioskSeen> kiosks;  // by account
    std::deque<ComplianceMinute> minutes;     // the last kMaxAlertWindow
    std::map<int, bool> lane_open;            // as last evaluated: a till opening is seen
    std::map<int, TimeMs> lane_opened_at;     // the last time each till opened
    TimeMs evaluated_at = 0;
    // Head office (head_office = on): entries wait and no ack has moved since.
    std::optional<TimeMs> head_office_quiet_since;
    bool operator==(const AlertsState&) const = default;
};

// Windows are at most this long (alert_rules.cpp checks it), and so is what is kept.
inline constexpr TimeMs kMaxAlertWindow = 4 * 3'600'000LL;

// The lanes as the rule engine sees them now (step.cpp builds it, with the one
// definition of a breach).
struct LaneWatch {
    int lane = 0;
    bool open = false;
    bool count_known = false;
    bool breaching = false;
    std::optional<TimeMs> breach_started;  // breach_start of the current breach
};

struct AlertChange {
    Alert alert;
    std::string transition;  // opened, acknowledged, closed
};

// Inputs. `counted_at`: when the answer counts (feedback_counted_at); older than every
// window, it changes nothing.
void take_response(AlertsState& s, const Feedback& feedback, TimeMs counted_at, TimeMs now);
void take_kiosk_status(AlertsState& s, const std::string& kiosk, const Status& status, TimeMs now);
// `waiting`: outbound entries not yet acknowledged; `ack_moved`: head office's ack advanced
// since the last call.
void take_head_office(AlertsState& s, bool waiting, bool ack_moved, TimeMs now);

// Every rule against the figures now: alerts opened and closed. `id_seed` makes ids.
std::vector<AlertChange> evaluate_alerts(AlertsState& s, const std::vector<LaneWatch>& lanes, const Config& config,
                                         TimeMs now, std::uint64_t& id_seed);

// An acknowledgement or a close by hand from `account`. A refusal (no such alert, already
// acknowledged) is a sentence for the log.
struct AnswerOutcome {
    std::optional<AlertChange> change;
    std::string refused;
};
AnswerOutcome answer_alert(AlertsState& s, const std::string& alert_id, const std::string& account,
                           const AlertAnswer& answer, TimeMs now);

// The rule's threshold in its unit, with the store's promise_target for breach_unanswered `on`.
double threshold_of(const AlertRule& rule, const Config& config);

}  // namespace storeq::controller
