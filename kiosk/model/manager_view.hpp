#pragma once
// What the manager dashboard shows (docs/design.md §3), worked out from the stats documents and
// the live prompts without ImGui, so every figure on screen can be tested. Texts are
// formatted here; the screen only places them. A document not received yet is
// "waiting for data", never zeros.
#include <optional>
#include <string>
#include <vector>

#include "model/kiosk_config.hpp"
#include "model/kiosk_state.hpp"
#include "model/kiosk_view.hpp"
#include "model/queue_cost_view.hpp"

namespace storeq::kiosk {

enum class Tone { neutral, good, warn, bad };

struct KpiTile {
    std::string key;         // "responses", "happy_index", "nps", "compliance", "times", "promise"
    std::string label;       // "Happy Index"
    std::string value;       // "76.3"; "-" when there is nothing under it
    std::string unit;        // "/100", "%", ""
    std::string detail;      // the counts behind it: "n 937"
    std::string detail2;     // a second line: the interval, p90s
    std::string comparison;  // "last Tue 72.1" (same weekday a week earlier, same time of day)
    Tone tone = Tone::neutral;
    bool thin = false;       // NPS under 30 answers: show it, do not act on it
};

struct HourPoint {
    int hour = 0;                      // local clock hour 0..23
    // Under its bar: "08"; on the day clocks go back the repeated hour carries its offset
    // ("02+2", "02+1"), so no two bars read the same.
    std::string label;
    std::optional<double> score;       // Happy Index (or NPS) of the hour
    double breach_min = 0;
    long long responses = 0;
    bool open = false;                 // any lane open in that hour
    // From the forecast: the hour's mean tills open and tills needed ("2/3" under the bar).
    std::optional<double> tills_open, tills_needed;
};

struct TimelineView {
    bool waiting = true;
    std::string score_label;  // "Happy Index" or "NPS"
    double score_min = 0, score_max = 100;
    double breach_axis_max = 60;  // minutes, a round number over the highest bar
    std::vector<HourPoint> hours;  // the hours shown, consecutive
    // The forecast's now and ahead: "tills needed 3, in 15 min 4, 30 min 4"; empty
    // without door counts.
    std::string forecast;
    bool short_of_tills = false;  // needed ahead > open: drawn in amber
};

struct DayPoint {
    std::string label;  // "11-24"
    std::optional<double> score;
    std::optional<double> compliance;
};

struct TrendFigure {
    std::string label;   // "Happy Index"
    std::string now;     // this period
    std::string before;  // the period before
    int direction = 0;   // +1 better, -1 worse, 0 same or not comparable
};

struct TrendView {
    bool waiting = true;
    std::string period;    // "2026-10-28 to 2026-11-24"
    std::string previous;  // "2026-09-30 to 2026-10-27"
    std::string score_label;
    std::vector<DayPoint> days;  // oldest first
    std::vector<TrendFigure> figures;
};

struct LaneRowView {
    std::string lane;     // "Till 1"
    std::string now;      // "open, 2 in line" / "closed"
    bool open_now = false;
    bool breaching_now = false;
    std::string open_min, avg_queue, max_queue, breach_min, compliance;
    Tone compliance_tone = Tone::neutral;
};

struct ReasonBar {
    std::string label;  // "queue"
    long long count = 0;
    double share = 0;   // of the side's answers with a reason, 0..1
};

// A strip across the top of the dashboard: something the figures cannot say themselves.
struct ManagerBanner {
    std::string key;   // "storage_failing", "controller_offline"
    std::string text;  // from the texts of `en` ("manager.<key>")
    Tone tone = Tone::bad;
    bool operator==(const ManagerBanner&) const = default;
};

// An open or acknowledged alert (docs/alerts.md), newest first. Never names a till for a
// feedback rule: the controller sends none.
struct AlertView {
    std::string id;
    std::string title;   // "62% unhappy (n 8, 15 min)"
    std::string detail;  // "Waiting time 4, Stock 1 - not acknowledged": top reasons, state
    Tone tone = Tone::bad;  // bad red, good green; acknowledged ones neutral (grey)
    bool acknowledged = false;
    int level = 1;
};

struct ManagerView {
    // The controller's Status as last received: offline (amber), else storage "failing"
    // (red); none before any Status, or while it is online with its storage "ok".
    std::optional<ManagerBanner> banner;
    std::string title;    // "Today, Tue 2026-11-24"
    std::string updated;  // "figures of 14:26:05": the controller's time of the figures
    bool broker_connected = false;
    // The header's dot: live only while the broker is connected and the controller online
    // (it refreshes the figures within seconds of anything stored); else why they may be old.
    bool live = false;
    std::string link;  // "live", "offline: figures may be old", "controller offline: figures may be old"
    bool today_waiting = true;
    std::vector<KpiTile> kpis;
    QueueCostView queue_cost;  // after a queue against no queue (queue_cost_view.hpp)
    TimelineView timeline;
    TrendView trend;
    bool lanes_waiting = true;
    std::vector<LaneRowView> lanes;
    bool reasons_waiting = true;
    std::vector<ReasonBar> reasons_positive, reasons_negative;  // largest first, at most 4
    std::vector<PromptView> prompts;
    std::vector<AlertView> alerts;
};

ManagerView make_manager_view(const KioskState& state, const KioskConfig& config);
// The forecast onto the timeline (exposed for tests).
void add_forecast(TimelineView& timeline, const Forecast& forecast);

// One alert as the dashboard shows it (exposed for tests).
AlertView make_alert_view(const Alert& alert, const KioskConfig& config);

// Helpers, exposed for tests.
// Weekday of an ISO date "YYYY-MM-DD": "Mon".."Sun", empty if not a date.
std::string weekday_of(const std::string& date);
// Local clock hour of an hourly period "2025-11-17T08:00:00+01:00", or -1.
int hour_of(const std::string& period);
// One decimal, "-" for nothing.
std::string format_figure(std::optional<double> value, int decimals = 1);

}  // namespace storeq::kiosk
