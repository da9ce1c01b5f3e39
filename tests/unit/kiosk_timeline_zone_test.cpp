// The manager's timeline on the days clocks change: the hourly document names each of the
// store's hours by its local time and offset; the dashboard shows every hour once, under a
// label no other bar has (no "02" twice on the 25-hour day, no "02" at all on the 23-hour).
#include <catch2/catch.hpp>

#include <set>

#include "model/manager_view.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {
// The hours of a day as the controller names them, each with a lane open and an answer.
StatsHourly day_of(const std::vector<std::string>& periods) {
    StatsHourly hourly;
    hourly.ts = 1;
    hourly.date = periods.front().substr(0, 10);
    for (const auto& period : periods)
        hourly.hours.push_back(StatsRow{period, "all", {{"open_min", 60}, {"responses", 1}, {"happy_index", 50}}});
    return hourly;
}

std::vector<std::string> periods(const char* date, const std::vector<std::pair<int, const char*>>& hours) {
    std::vector<std::string> out;
    char text[64];
    for (const auto& [hour, offset] : hours) {
        std::snprintf(text, sizeof text, "%sT%02d:00:00%s", date, hour, offset);
        out.push_back(text);
    }
    return out;
}

std::vector<std::string> labels_of(const StatsHourly& hourly) {
    KioskState state;
    state.stats.hourly = hourly;
    KioskConfig config;
    config.role = Role::manager;
    std::vector<std::string> labels;
    for (const auto& point : make_manager_view(state, config).timeline.hours) labels.push_back(point.label);
    return labels;
}
}  // namespace

TEST_CASE("timeline of the day clocks go back: 25 bars, the repeated 02 told apart by its offset") {
    std::vector<std::pair<int, const char*>> hours{{0, "+02:00"}, {1, "+02:00"}, {2, "+02:00"}, {2, "+01:00"}};
    for (int h = 3; h < 24; ++h) hours.emplace_back(h, "+01:00");
    const auto labels = labels_of(day_of(periods("2026-10-25", hours)));
    REQUIRE(labels.size() == 25);
    CHECK(std::set<std::string>(labels.begin(), labels.end()).size() == 25);
    CHECK(labels[1] == "01");
    CHECK(labels[2] == "02+2");
    CHECK(labels[3] == "02+1");
    CHECK(labels[4] == "03");
}

TEST_CASE("timeline of the day summer time starts: 23 bars, no 02") {
    std::vector<std::pair<int, const char*>> hours{{0, "+01:00"}, {1, "+01:00"}};
    for (int h = 3; h < 24; ++h) hours.emplace_back(h, "+02:00");
    const auto labels = labels_of(day_of(periods("2026-03-29", hours)));
    REQUIRE(labels.size() == 23);
    CHECK(std::set<std::string>(labels.begin(), labels.end()).size() == 23);
    CHECK(labels[1] == "01");
    CHECK(labels[2] == "03");
}

TEST_CASE("timeline in a half-hour zone going back (Adelaide): +10:30 and +9:30 under the two 02s") {
    std::vector<std::pair<int, const char*>> hours{{0, "+10:30"}, {1, "+10:30"}, {2, "+10:30"}, {2, "+09:30"}};
    for (int h = 3; h < 12; ++h) hours.emplace_back(h, "+09:30");
    const auto labels = labels_of(day_of(periods("2026-04-05", hours)));
    REQUIRE(labels.size() == 13);
    CHECK(labels[2] == "02+10:30");
    CHECK(labels[3] == "02+9:30");
    CHECK(labels[5] == "04");
}
