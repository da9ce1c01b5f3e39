#include "stats_documents.hpp"

#include "storeq/stats_columns.hpp"

#include <algorithm>

namespace storeq::controller {
namespace {

constexpr int kDailyDays = 28;

nlohmann::json feedback_detail(PeriodFigures f, const Config& config) {
    // Bounded by the configuration (docs/protocol.md): the configured codes and `other`,
    // also for rollups made before a code was taken off the list.
    fold_reasons(f.feedback, config.positive_reasons, config.negative_reasons);
    nlohmann::json by_scale = nlohmann::json::object();
    auto put = [&](const char* name, const auto& counts) {
        std::int64_t n = 0;
        for (auto c : counts) n += c;
        if (n > 0) by_scale[name] = counts;  // index = score, 0 the most negative
    };
    put("smiley4", f.feedback.smiley4);
    put("smiley5", f.feedback.smiley5);
    put("nps", f.feedback.nps);
    return {{"by_scale", by_scale},
            {"nps_promoters", f.nps.promoters},
            {"nps_passives", f.nps.passives},
            {"nps_detractors", f.nps.detractors},
            {"reasons_positive", f.feedback.reasons_positive},
            {"reasons_negative", f.feedback.reasons_negative},
            {"prompts_by_outcome", f.prompts.by_outcome},
            {"time_to_claim_n", f.prompts.time_to_claim.n},
            {"time_to_open_n", f.prompts.time_to_open.n}};
}

std::string dump(const nlohmann::json& j) { return j.dump(); }

}  // namespace

StatsWindows StatsWindows::at(TimeMs now, const TimeZone& zone) {
    StatsWindows w;
    w.zone = zone;
    w.now = now;
    w.today = local_day_start(zone, now);
    w.tomorrow = add_local_days(zone, w.today, 1);
    w.week_ago = add_local_days(zone, w.today, -7);
    // The same clock time, not the same number of hours since midnight: on the morning
    // summer time began, 10:00 is 9 hours into the day and last week's 10:00 was 10.
    w.week_ago_to = std::clamp(same_local_time(zone, now, -7), w.week_ago, add_local_days(zone, w.week_ago, 1));
    for (int back = kDailyDays - 1; back >= 0; --back) w.days.push_back(add_local_days(zone, w.today, -back));
    w.previous_period = add_local_days(zone, w.days.front(), -kDailyDays);
    return w;
}

nlohmann::json row_json(const std::vector<Cell>& row) { return row_json(row, stats_columns()); }

nlohmann::json row_json(const std::vector<Cell>& row, const std::vector<std::string>& columns) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size() && i < columns.size(); ++i) {
        const Cell& c = row[i];
        switch (c.kind) {
            case Cell::Kind::empty: j[columns[i]] = nullptr; break;
            case Cell::Kind::integer: j[columns[i]] = c.integer; break;
            case Cell::Kind::decimal: j[columns[i]] = c.decimal; break;
            case Cell::Kind::text: j[columns[i]] = c.text; break;
        }
    }
    return j;
}

std::vector<StatsDocument> stats_documents(const StatsData& data, const SweepCarry& live, const Config& config,
                                           const StatsWindows& w) {
    std::vector<StatsDocument> docs;
    const TimeZone& zone = w.zone;
    const std::string today_date = iso_local_date(zone, w.today);
    const PeriodFigures today = period_figures(data, w.today, w.tomorrow);

    // Today so far against the same weekday a week earlier up to the same time of day.
    const TimeMs week_ago_to = w.week_ago_to;
    const PeriodFigures week_ago = period_figures(data, w.week_ago, week_ago_to);
    docs.push_back({"today", dump({{"ts", w.now},
                                   {"date", today_date},
                                   {"from", w.today},
                                   {"to", w.now},
                                   {"totals", row_json(stats_row(today, today_date, std::nullopt))},
                                   {"detail", feedback_detail(today, config)},
                                   {"week_ago", {{"date", iso_local_date(zone, w.week_ago)},
                                                 {"from", w.week_ago},
                                                 {"to", week_ago_to},
                                                 {"totals", row_json(stats_row(week_ago, iso_local_date(zone, w.week_ago), std::nullopt))}}}})});

    nlohmann::json hours = nlohmann::json::array();
    // The store's local hours, each named by its local start and offset: on the day clocks
    // go back "02:00:00+02:00" and "02:00:00+01:00" are two hours.
    for (TimeMs hour = w.today; hour < w.tomorrow && hour <= w.now; hour = next_local_hour(zone, hour)) {
        const TimeMs end = next_local_hour(zone, hour);
        hours.push_back(row_json(stats_row(period_figures(data, hour, end), iso_local_time(zone, hour), std::nullopt)));
    }
    docs.push_back({"hourly", dump({{"ts", w.now}, {"date", today_date}, {"hours", hours}})});

    nlohmann::json days = nlohmann::json::array();
    for (TimeMs day : w.days)
        days.push_back(row_json(
            stats_row(period_figures(data, day, add_local_days(zone, day, 1)), iso_local_date(zone, day), std::nullopt)));
    const TimeMs first = w.days.front();
    const std::string period_name = iso_local_date(zone, first) + "/" + today_date;
    const std::string previous_name =
        iso_local_date(zone, w.previous_period) + "/" + iso_local_date(zone, add_local_days(zone, first, -1));
    // The last 7 days with today: the week of the queue-cost figures (docs/stats.md).
    const TimeMs week_first = w.days[w.days.size() - 7];
    const std::string week_name = iso_local_date(zone, week_first) + "/" + today_date;
    docs.push_back({"daily", dump({{"ts", w.now},
                                   {"days", days},
                                   {"week", row_json(stats_row(period_figures(data, week_first, w.tomorrow), week_name, std::nullopt))},
                                   {"period", row_json(stats_row(period_figures(data, first, w.tomorrow), period_name, std::nullopt))},
                                   {"previous_period", row_json(stats_row(period_figures(data, w.previous_period, first), previous_name, std::nullopt))}})});

    // The configured tills only, in till order; a lane row leaves out the store's columns
    // (feedback, prompts: null for a lane) so that a large store's document stays small.
    nlohmann::json lanes = nlohmann::json::array();
    std::vector<int> numbers = config.tills;
    std::sort(numbers.begin(), numbers.end());
    for (int number : numbers) {
        nlohmann::json lane = row_json(stats_row(today, today_date, number));
        for (auto it = lane.begin(); it != lane.end();) it = it->is_null() ? lane.erase(it) : std::next(it);
        const auto it = live.lanes.find(number);
        const bool has = it != live.lanes.end();
        lane[std::string(stats_column::open_now)] = has && it->second.open;
        lane[std::string(stats_column::count_now)] = has && it->second.has_count ? nlohmann::json(it->second.count) : nlohmann::json();
        lane[std::string(stats_column::breaching_now)] = has && it->second.over_since && w.now >= *it->second.over_since + config.dwell;
        lanes.push_back(std::move(lane));
    }
    docs.push_back({"lanes", dump({{"ts", w.now}, {"date", today_date}, {"lanes", lanes}})});
    return docs;
}

}  // namespace storeq::controller
