#include "storeq/controller/alert_report.hpp"

#include "storeq/controller/prompt_stats.hpp"

namespace storeq::controller {

const std::vector<std::string>& alert_period_columns() {
    static const std::vector<std::string> columns{
        "period",       "alerts",          "feedback",        "queue",          "device",      "good",
        "acknowledged", "time_to_ack_p50", "time_to_ack_p90", "closed_by_hand", "auto_closed", "still_open"};
    return columns;
}

const std::vector<std::string>& alert_list_columns() {
    static const std::vector<std::string> columns{
        "opened",   "rule",   "area",     "tone",            "level",     "subject",   "figure",   "threshold",
        "n",        "state",  "acknowledged_by", "time_to_ack", "closed_by", "open_for", "comment", "reasons"};
    return columns;
}

std::vector<Cell> alert_period_row(const std::vector<Alert>& alerts, const std::string& period) {
    std::int64_t by_area[3] = {0, 0, 0}, good = 0, acknowledged = 0, by_hand = 0, automatic = 0, open = 0;
    std::vector<TimeMs> to_ack;
    for (const auto& a : alerts) {
        ++by_area[static_cast<int>(area_of(a.kind))];
        if (a.tone == AlertTone::good) ++good;
        if (a.acknowledged_at) {
            ++acknowledged;
            to_ack.push_back(*a.acknowledged_at - a.opened);
        }
        if (a.state != AlertState::closed) ++open;
        else if (a.closed_by == "auto") ++automatic;
        else ++by_hand;
    }
    const ResponseTimes times = response_times(to_ack);
    return {text_cell(period),
            integer_cell(static_cast<std::int64_t>(alerts.size())),
            integer_cell(by_area[static_cast<int>(AlertArea::feedback)]),
            integer_cell(by_area[static_cast<int>(AlertArea::queue)]),
            integer_cell(by_area[static_cast<int>(AlertArea::device)]),
            integer_cell(good),
            integer_cell(acknowledged),
            seconds_cell(times.p50),
            seconds_cell(times.p90),
            integer_cell(by_hand),
            integer_cell(automatic),
            integer_cell(open)};
}

std::vector<Cell> alert_list_row(const Alert& a, const std::string& opened_local) {
    std::string reasons;
    for (const auto& r : a.reasons) reasons += (reasons.empty() ? "" : " ") + r.code + ":" + std::to_string(r.count);
    const auto ack = a.acknowledged_at ? std::optional<TimeMs>(*a.acknowledged_at - a.opened) : std::nullopt;
    const auto open_for = a.closed_at ? std::optional<TimeMs>(*a.closed_at - a.opened) : std::nullopt;
    return {text_cell(opened_local),
            text_cell(a.rule),
            text_cell(std::string(to_string(area_of(a.kind)))),
            text_cell(std::string(to_string(a.tone))),
            integer_cell(a.level),
            text_cell(a.subject),
            decimal_cell(a.figure, 1),
            decimal_cell(a.threshold, 1),
            integer_cell(a.n),
            text_cell(std::string(to_string(a.state))),
            text_cell(a.acknowledged_by.value_or("")),
            seconds_cell(ack),
            text_cell(a.closed_by.value_or("")),
            seconds_cell(open_for),
            text_cell(a.comment.value_or("")),
            text_cell(reasons)};
}

}  // namespace storeq::controller
