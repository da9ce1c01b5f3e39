// The chain report (hq/core chain_report.hpp): ranking, change against the previous
// period, regions merged over each store's own local days.
#include <catch2/catch.hpp>

#include <algorithm>

#include "storeq/hq/chain_report.hpp"
#include "storeq/hq/report_text.hpp"
#include "storeq/stats_columns.hpp"

using namespace storeq;
using namespace storeq::hq;
using controller::kDayMs;
using controller::kHourMs;

namespace {

std::size_t column(std::string_view name) {
    const auto& c = controller::stats_columns();
    return static_cast<std::size_t>(std::find(c.begin(), c.end(), name) - c.begin());
}

// One hour of lane 1 at 10:00 local on `day`: an hour open and counted, `breach_min`
// minutes of it in breach, and `happy` smiley4 top-face responses.
void add_hour(StoreStats& s, long long day, int breach_min, int happy) {
    const TimeMs hour = controller::utc_of_local(s.zone, day * kDayMs + 10 * kHourMs);
    controller::LaneTotals& t = s.data.lanes[{hour, 1}];
    t.open_ms = t.counted_ms = kHourMs;
    t.breach_ms = breach_min * 60'000LL;
    if (happy) s.data.feedback[hour].add(Scale::smiley4, 3, false, std::nullopt, happy);
}

const long long kDay = controller::days_from_civil(2026, 12, 2);

}  // namespace

TEST_CASE("hq chain report: stores ranked by compliance, ties by store id, with the change against the day before") {
    StoreStats a{"s002", "north", controller::fixed_zone("+01", 3600), {}};
    StoreStats b{"s001", "north", controller::fixed_zone("+01", 3600), {}};
    StoreStats c{"s003", "south", controller::fixed_zone("+05:30", 19800), {}};
    add_hour(a, kDay, 6, 2);      // 90.0 %
    add_hour(a, kDay - 1, 12, 0); // 80.0 % the day before
    add_hour(b, kDay, 6, 0);      // 90.0 %: a tie, s001 first
    add_hour(c, kDay, 0, 1);      // 100.0 %
    const auto rows = chain_report({a, b, c}, ReportBy::store, DayRange{kDay, kDay});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].key == "s003");
    CHECK(rows[1].key == "s001");
    CHECK(rows[2].key == "s002");
    CHECK(rows[0].rank == 1);
    CHECK(rows[2].rank == 3);
    const auto& s002 = rows[2];
    CHECK(controller::cell_text(s002.cells[column(stats_column::compliance_pct)]) == "90.0");
    CHECK(controller::cell_text(s002.cells[column(stats_column::period)]) == "2026-12-02");
    CHECK(controller::cell_text(s002.change_compliance_pct) == "10.0");
    // No feedback the day before: no change to show.
    CHECK(controller::cell_text(s002.change_happy_index).empty());
    CHECK(s002.region == "north");
}

TEST_CASE("hq chain report: a region adds its stores' figures, each over its own local days") {
    StoreStats a{"s001", "north", controller::fixed_zone("+01", 3600), {}};
    StoreStats b{"s002", "north", controller::fixed_zone("-05", -5 * 3600), {}};
    StoreStats c{"s003", "south", controller::fixed_zone("+00", 0), {}};
    add_hour(a, kDay, 30, 0);
    add_hour(b, kDay, 0, 0);
    add_hour(b, kDay + 1, 60, 0);  // the next local day of s002: outside the range
    add_hour(c, kDay, 60, 0);
    const auto regions = chain_report({a, b, c}, ReportBy::region, DayRange{kDay, kDay});
    REQUIRE(regions.size() == 2);
    CHECK(regions[0].key == "north");
    CHECK(controller::cell_text(regions[0].cells[column(stats_column::open_min)]) == "120.00");
    CHECK(controller::cell_text(regions[0].cells[column(stats_column::compliance_pct)]) == "75.0");
    CHECK(regions[1].key == "south");
    CHECK(controller::cell_text(regions[1].cells[column(stats_column::compliance_pct)]) == "0.0");
    const auto chain = chain_report({a, b, c}, ReportBy::chain, DayRange{kDay, kDay});
    REQUIRE(chain.size() == 1);
    CHECK(chain[0].key == "chain");
    CHECK(controller::cell_text(chain[0].cells[column(stats_column::breach_min)]) == "90.00");
}

TEST_CASE("hq chain report: a range of days has an interval as period and the previous range as its base") {
    const DayRange week{kDay - 6, kDay};
    CHECK(period_text(week) == "2026-11-26/2026-12-02");
    CHECK(week.previous().from_day == kDay - 13);
    CHECK(week.previous().to_day == kDay - 7);
    const auto columns = report_columns(ReportBy::store);
    CHECK(columns[0] == "rank");
    CHECK(columns[1] == "store");
    CHECK(columns[2] == "region");
    CHECK(columns.back() == "change_nps");
    CHECK(columns.size() == controller::stats_columns().size() + 6);
}

TEST_CASE("hq report text: csv and table have the columns and cells") {
    using controller::Cell;
    const std::vector<std::string> columns{"rank", "store", "x"};
    const Rows rows{{Cell{Cell::Kind::integer, 1, 0, 0, {}}, Cell{Cell::Kind::text, 0, 0, 0, "s001"}, Cell{}}};
    CHECK(csv_text(columns, rows) == "rank,store,x\n1,s001,\n");
    CHECK(table_text(columns, rows) == "rank  store  x\n   1  s001\n");
    CHECK(row_json_text(columns, rows[0]) == R"({"rank":1,"store":"s001","x":null})");
}
