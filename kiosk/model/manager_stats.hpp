#pragma once
// The retained stats documents (docs/protocol.md "Stats documents") as plain data, for the
// manager dashboard. The app layer decodes the JSON (kiosk/app/stats_decode); the model
// only keeps and reads them, so it stays free of any JSON library.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::kiosk {

// One row: the columns of `storeq-controller report` (docs/stats.md). A figure that is
// null or absent in the document is absent here ("nothing under it", not zero).
struct StatsRow {
    std::string period;  // "2025-11-17", "2025-11-17T08:00:00+01:00" or "FROM/TO"
    std::string lane;    // "all" or the lane number
    std::map<std::string, double> figures;  // booleans (open_now, ...) as 0/1

    std::optional<double> get(std::string_view key) const {
        auto it = figures.find(std::string(key));
        if (it == figures.end()) return std::nullopt;
        return it->second;
    }
    bool operator==(const StatsRow&) const = default;
};

using ReasonCounts = std::map<std::string, long long>;

// stats/today: today so far, and the same weekday a week earlier up to the same time.
struct StatsToday {
    TimeMs ts = 0;
    std::string date;
    StatsRow totals;
    std::map<std::string, std::vector<long long>> answers_by_scale;  // "smiley4" -> counts by score
    ReasonCounts reasons_positive;
    ReasonCounts reasons_negative;
    std::optional<std::string> week_ago_date;
    std::optional<StatsRow> week_ago;
    bool operator==(const StatsToday&) const = default;
};

// stats/hourly: today by hour, one store row each, midnight to the current hour.
struct StatsHourly {
    TimeMs ts = 0;
    std::string date;
    std::vector<StatsRow> hours;
    bool operator==(const StatsHourly&) const = default;
};

// stats/daily: the last 28 days (oldest first), their totals, the last 7 days, and the 28 days before.
struct StatsDaily {
    TimeMs ts = 0;
    std::vector<StatsRow> days;
    std::optional<StatsRow> period;
    std::optional<StatsRow> week;  // the last 7 days with today (the queue-cost figures)
    std::optional<StatsRow> previous_period;
    bool operator==(const StatsDaily&) const = default;
};

// stats/lanes: today per lane, with open_now, count_now and breaching_now.
struct StatsLanes {
    TimeMs ts = 0;
    std::string date;
    std::vector<StatsRow> lanes;
    bool operator==(const StatsLanes&) const = default;
};

using StatsDocument = std::variant<StatsToday, StatsHourly, StatsDaily, StatsLanes>;

// What the manager has received; a missing document is "waiting for data".
struct ManagerStats {
    std::optional<StatsToday> today;
    std::optional<StatsHourly> hourly;
    std::optional<StatsDaily> daily;
    std::optional<StatsLanes> lanes;
    std::optional<Forecast> forecast;  // the controller's retained forecast (tills needed)
    std::map<std::string, Alert> alerts;  // open and acknowledged, by id
    bool operator==(const ManagerStats&) const = default;
};

}  // namespace storeq::kiosk
