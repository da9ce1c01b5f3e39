#pragma once
// Protocol v1 message types (docs/protocol.md). Plain data: no I/O, no JSON here.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storeq {

using TimeMs = std::int64_t;  // milliseconds since the Unix epoch, UTC

inline constexpr int kMaxPayloadBytes = 4096;
inline constexpr int kMinLane = 1;
inline constexpr int kMaxLane = 999;
inline constexpr int kMaxQueueCount = 99;
inline constexpr TimeMs kMaxFutureSkewMs = 24LL * 3600 * 1000;
inline constexpr TimeMs kMaxPastSkewMs = 30LL * 24 * 3600 * 1000;
// A feedback's ts is the kiosk's clock, which can be wrong by days: it is refused only
// outside 2000-01-01..2100-01-01 (a clock never set, or garbage). Outside the window
// above it is stored with `clock_suspect` and counted at the time it was received.
inline constexpr TimeMs kEarliestFeedbackTs = 946'684'800'000;   // 2000-01-01T00:00:00Z
inline constexpr TimeMs kLatestFeedbackTs = 4'102'444'800'000;   // 2100-01-01T00:00:00Z
// True when a feedback stamped `ts` and received at `received` (controller time) has a
// clock the figures cannot trust: more than 24 h ahead or 30 days behind.
inline bool is_clock_suspect(TimeMs ts, TimeMs received) {
    return ts > received + kMaxFutureSkewMs || ts < received - kMaxPastSkewMs;
}
// A kiosk's clock off by more than this (controller time - the ts of its live Status, as
// the controller received it) is corrected: its answers count at ts + that offset.
inline constexpr TimeMs kKioskClockToleranceMs = 120'000;
// How a stored feedback is timed: `clock_offset` (controller time - kiosk time) when the
// kiosk's clock is known to be off; without it, a suspect one counts when it was received.
struct FeedbackTiming {
    bool clock_suspect = false;
    std::optional<TimeMs> clock_offset;
};
// `kiosk_clock_offset`: from the kiosk's latest live Status, if one was seen. Known, it
// decides (an answer days old from a kiosk with a right clock is believed: it waited in
// the kiosk's outbox); unknown, the window above decides.
inline FeedbackTiming feedback_timing(TimeMs ts, TimeMs received, std::optional<TimeMs> kiosk_clock_offset) {
    if (kiosk_clock_offset) {
        if (*kiosk_clock_offset > kKioskClockToleranceMs || *kiosk_clock_offset < -kKioskClockToleranceMs)
            return {true, kiosk_clock_offset};
        return {false, std::nullopt};
    }
    return {is_clock_suspect(ts, received), std::nullopt};
}
// The instant a stored feedback counts at in the figures: the kiosk's ts, unless its clock
// was flagged (then ts corrected by the measured offset, or without one the receive
// time). The SQL of the rollups says the same (FEEDBACK_COUNTED_AT, stats_store.cpp).
inline TimeMs feedback_counted_at(TimeMs ts, TimeMs received, const FeedbackTiming& timing) {
    if (!timing.clock_suspect) return ts;
    return timing.clock_offset ? ts + *timing.clock_offset : received;
}

enum class Scale { smiley4, smiley5, nps };
enum class FollowUp { complete, skip, timeout, none };
enum class CountSource { sensor, manual, pos, sim };
// prepare_till: the forecast says a till will be needed within lead_time (docs/forecast.md).
enum class PromptAction { open_till, all_tills_open, close_till, balance, prepare_till };
enum class PromptState { open, claimed, fulfilled, cancelled, expired };
enum class DeviceKind { kiosk, lane, staff, manager, sensor, pos, controller, sim };
// Every action, for codecs and stores that read one back by name.
inline constexpr std::array kPromptActions{PromptAction::open_till, PromptAction::all_tills_open,
                                           PromptAction::close_till, PromptAction::balance,
                                           PromptAction::prepare_till};

// Alerts (docs/alerts.md): a rule of the store's configuration saw a figure cross its
// threshold. Its lifecycle: open -> acknowledged (by an account) -> closed (automatically
// once the figure has recovered for the settle time, or by hand with a comment).
enum class AlertRuleKind {
    negative_share, happy_index_below, detractors_in_row, great_hour,               // feedback
    breach_unanswered, all_tills_open_long, sensor_silent, compliance_below,        // queue
    kiosk_offline, outbox_growing, head_office_cut,                                 // devices
};
inline constexpr std::array kAlertRuleKinds{
    AlertRuleKind::negative_share,    AlertRuleKind::happy_index_below,   AlertRuleKind::detractors_in_row,
    AlertRuleKind::great_hour,        AlertRuleKind::breach_unanswered,   AlertRuleKind::all_tills_open_long,
    AlertRuleKind::sensor_silent,     AlertRuleKind::compliance_below,    AlertRuleKind::kiosk_offline,
    AlertRuleKind::outbox_growing,    AlertRuleKind::head_office_cut};
enum class AlertArea { feedback, queue, device };
AlertArea area_of(AlertRuleKind kind);
enum class AlertState { open, acknowledged, closed };
inline constexpr std::array kAlertStates{AlertState::open, AlertState::acknowledged, AlertState::closed};
// good: a positive alert (a great hour), shown green; bad ones red.
enum class AlertTone { bad, good };
// Acknowledge, or close by hand (a comment with the root cause is then required).
enum class AlertAction { acknowledge, close };

// Highest score a scale allows (0 is always the most negative answer).
int max_score(Scale scale);
bool is_final(PromptState state);

struct Feedback {
    std::string id;  // UUID, canonical text
    TimeMs ts = 0;
    Scale scale = Scale::smiley4;
    int score = 0;
    std::optional<std::string> reason;
    FollowUp ui = FollowUp::none;
    std::string locale = "en";
    bool misuse = false;
    bool operator==(const Feedback&) const = default;
};

struct QueueCount {
    int count = 0;  // people in the lane including the one being served
    TimeMs ts = 0;
    CountSource source = CountSource::sensor;
    std::optional<std::int64_t> seq;
    int waiting() const { return count > 0 ? count - 1 : 0; }
    bool operator==(const QueueCount&) const = default;
};

struct LaneState {
    bool open = false;
    TimeMs ts = 0;
    std::optional<std::string> by;
    bool operator==(const LaneState&) const = default;
};

struct PromptReason {
    int lane = 0;
    int count = 0;
    int waiting = 0;
    bool operator==(const PromptReason&) const = default;
};

struct Prompt {
    std::string id;
    PromptAction action = PromptAction::open_till;
    int till = 0;  // 0 when the action names no till (all_tills_open)
    PromptState state = PromptState::open;
    int level = 1;
    std::optional<PromptReason> reason;
    TimeMs raised = 0;
    TimeMs updated = 0;
    std::optional<std::string> claimed_by;
    std::map<std::string, std::string> message;  // locale -> text
    bool operator==(const Prompt&) const = default;
};

struct AlertReason {
    std::string code;  // a negative reason code the kiosks ask (queue, stock, ...)
    std::int64_t count = 0;
    bool operator==(const AlertReason&) const = default;
};

// Published retained on alerts/{id} while open or acknowledged; once closed, the closed
// state is published and the retained topic cleared (as prompts are).
struct Alert {
    std::string id;    // UUID
    std::string rule;  // the rule's name in the store configuration (alert.<name>)
    AlertRuleKind kind = AlertRuleKind::negative_share;
    AlertTone tone = AlertTone::bad;
    int level = 1;     // 2: shown on the staff page too
    AlertState state = AlertState::open;
    // What it is about: a lane number or a kiosk account for queue and device rules. Empty
    // for feedback rules, always: no alert names the till a negative press came after.
    std::string subject;
    double figure = 0;      // what the rule measured, in the rule's unit (docs/alerts.md)
    double threshold = 0;
    std::int64_t n = 0;     // responses (or minutes, samples) the figure is over
    TimeMs window = 0;
    std::vector<AlertReason> reasons;  // feedback rules: the top 3 negative reasons of the window
    TimeMs opened = 0;
    TimeMs updated = 0;
    std::optional<std::string> acknowledged_by;
    std::optional<TimeMs> acknowledged_at;
    std::optional<std::string> closed_by;  // "auto" when the figure recovered
    std::optional<TimeMs> closed_at;
    std::optional<std::string> comment;    // the root cause, as staff wrote it
    bool operator==(const Alert&) const = default;
};

// alerts/{id}/answer/{account}: a manager or staff device acknowledges or closes an alert.
struct AlertAnswer {
    AlertAction action = AlertAction::acknowledge;
    std::string by;  // the account (the topic's last level; the broker's ACL checks it)
    TimeMs ts = 0;
    std::optional<std::string> comment;  // at most 280 characters
    bool operator==(const AlertAnswer&) const = default;
};
inline constexpr std::size_t kMaxAlertComment = 280;

struct Claim {
    std::string by;
    TimeMs ts = 0;
    std::optional<std::string> device;
    bool operator==(const Claim&) const = default;
};

struct Status {
    bool online = true;
    DeviceKind kind = DeviceKind::kiosk;
    std::string version;
    TimeMs ts = 0;
    std::optional<std::int64_t> backlog;
    // Controller only (other devices leave them out): lanes whose automatic count source
    // went silent, payloads rejected since start, prompts live now.
    std::optional<std::vector<int>> unknown_lanes;
    std::optional<std::int64_t> rejected;
    std::optional<std::int64_t> live_prompts;
    // Controller only: queue samples ignored since start because their source had already
    // sent a newer one (a higher seq); they are neither used nor stored.
    std::optional<std::int64_t> stale_samples;
    // Controller only: "ok", or "failing" while the database cannot take writes (feedback
    // then waits at the broker; prompts go on from the storage reserve).
    std::optional<std::string> storage;
    bool operator==(const Status&) const = default;
};

struct WaitEstimate {
    int lane = 0;
    int waiting = 0;
    int minutes = 0;
    TimeMs ts = 0;
    bool operator==(const WaitEstimate&) const = default;
};

struct ClockTick {
    TimeMs ts = 0;
    bool operator==(const ClockTick&) const = default;
};

// Controller -> one kiosk (kiosk/{kiosk}/receipt, QoS 1): these feedback ids are in the
// store's database, on disk (the commit that holds them was fsynced). Only a receipt
// lets a kiosk move a response from its outbox to its history (docs/protocol.md).
inline constexpr std::size_t kMaxReceiptIds = 64;  // keeps a receipt under kMaxPayloadBytes
struct Receipt {
    std::string db;                // the database's identity (a UUID made with the file)
    std::int64_t commit = 0;       // the database's durable commit count that holds them
    std::vector<std::string> ids;  // 1..kMaxReceiptIds feedback ids
    bool operator==(const Receipt&) const = default;
};

// Controller -> every kiosk (durable, retained), once per controller start: the database
// it runs on and how many durable commits it holds. A kiosk re-sends, from its history,
// every response receipted by another database or by a commit above `commit`: what a
// restored backup or a fresh file lacks comes back.
struct Durable {
    std::string db;
    std::string start;  // a UUID per controller start: a kiosk acts on each start once
    std::int64_t commit = 0;
    TimeMs ts = 0;
    bool operator==(const Durable&) const = default;
};

// An entrance sensor (or a third-party people counter): people who came in through one
// door during the interval ending at ts (door/{door}/count, QoS 1, not retained).
inline constexpr int kMaxDoorCount = 100'000;
struct DoorCount {
    int people = 0;
    TimeMs interval = 60'000;  // the counting interval, 1 s .. 1 h
    TimeMs ts = 0;             // the end of the interval
    std::optional<std::int64_t> seq;
    bool operator==(const DoorCount&) const = default;
};

// A till's POS: customers served (receipts closed) during the interval ending at ts
// (lane/{n}/served, QoS 1, not retained).
struct LaneServed {
    int served = 0;
    TimeMs interval = 60'000;
    TimeMs ts = 0;
    std::optional<std::int64_t> seq;
    bool operator==(const LaneServed&) const = default;
};

// One local hour of today in the forecast: the mean tills open and needed over its minutes.
struct ForecastHour {
    TimeMs start = 0;    // UTC start of the store's local hour
    int local_hour = 0;  // its clock hour, 0..23
    double open = 0;
    double needed = 0;
    bool operator==(const ForecastHour&) const = default;
};

// Controller -> everyone (forecast, retained, once a minute while door counts come): the
// tills needed now and ahead, with the inputs used (docs/forecast.md).
struct Forecast {
    TimeMs ts = 0;
    int open_tills = 0;
    int needed_now = 0;
    int needed_in15 = 0;
    int needed_in30 = 0;
    double arrivals_now = 0;   // customers per minute expected at the tills, next 15 min
    double arrivals_in15 = 0;  // ... in the 15 minutes from +15
    double arrivals_in30 = 0;  // ... from +30
    double service_s = 0;      // mean service time used (learned over the open tills)
    double door_per_min = 0;   // door entries per minute, last 15 minutes
    double usual_door_per_min = 0;
    double level = 1;          // today against the usual
    double lag_min = 0;        // door -> tills, learned
    double buyer_share = 1;    // till arrivals per door entry, learned
    double target_share = 0;   // share to be served within one service time (the store's forecast_target)
    double history_days = 0;   // days of door history held
    bool profile_learned = false;
    bool prompts = false;      // prepare_till prompts are on (forecast = on, or auto with 14 days)
    std::vector<ForecastHour> hours;  // today so far, oldest first (the dashboards' timeline)
    bool operator==(const Forecast&) const = default;
};

std::string_view to_string(Scale v);
// The scale a stored name stands for (as to_string writes it), or none.
std::optional<Scale> scale_named(std::string_view name);
std::string_view to_string(FollowUp v);
std::string_view to_string(CountSource v);
std::string_view to_string(PromptAction v);
std::string_view to_string(PromptState v);
std::string_view to_string(DeviceKind v);
std::string_view to_string(AlertRuleKind v);
std::string_view to_string(AlertArea v);
std::string_view to_string(AlertState v);
std::string_view to_string(AlertTone v);
std::string_view to_string(AlertAction v);

}  // namespace storeq
