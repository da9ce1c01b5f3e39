#pragma once
// The retained stats documents (docs/protocol.md, "Stats documents"): stats/today,
// stats/hourly, stats/daily, stats/lanes. Built from hourly buckets; no I/O here.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storeq/controller/stats_rows.hpp"
#include "storeq/controller/config.hpp"
#include "storeq/controller/stats_period.hpp"
#include "storeq/controller/time_zone.hpp"

namespace storeq::controller {

struct StatsDocument {
    std::string view;     // "today", "hourly", "daily", "lanes"
    std::string payload;  // JSON
};

// The store's local days of the documents at controller time `now` (time_zone.hpp): a
// day is 23, 24 or 25 hours long.
struct StatsWindows {
    TimeZone zone;
    TimeMs now = 0;
    TimeMs today = 0, tomorrow = 0;
    TimeMs week_ago = 0;                  // the same weekday a week earlier
    TimeMs week_ago_to = 0;               // ... at the same local clock time as now
    std::vector<TimeMs> days;             // the last 28 days, oldest first, today last
    TimeMs previous_period = 0;           // start of the 28 days before those
    static StatsWindows at(TimeMs now, const TimeZone& zone = utc_zone());
    TimeMs earliest() const { return previous_period; }  // the documents read buckets from here
};

// One row as a JSON object, keyed by stats_columns(); empty cells are null.
nlohmann::json row_json(const std::vector<Cell>& row);
// The same for another table's columns (the alert report's).
nlohmann::json row_json(const std::vector<Cell>& row, const std::vector<std::string>& columns);

std::vector<StatsDocument> stats_documents(const StatsData& data, const SweepCarry& live, const Config& config,
                                           const StatsWindows& windows);

}  // namespace storeq::controller
