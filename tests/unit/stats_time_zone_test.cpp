// The store's local hours and days from a zone table written by hand (what the tz
// database says for 2026), in three zones: Europe/Amsterdam (summer time 29 March and
// 25 October), Australia/Adelaide (+09:30/+10:30) and Asia/Kolkata (+05:30, no change).
#include <catch2/catch.hpp>

#include <set>

#include "storeq/controller/config.hpp"
#include "storeq/controller/lane_stats.hpp"
#include "storeq/controller/time_zone.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {
constexpr TimeMs kH = 3'600'000;

TimeZone amsterdam() {
    // CET +01:00; CEST +02:00 from 2026-03-29 01:00 UTC; CET from 2026-10-25 01:00 UTC.
    return TimeZone{"Europe/Amsterdam", 3600, {{1'774'746'000'000, 7200}, {1'792'890'000'000, 3600}}};
}
TimeZone adelaide() {
    // ACDT +10:30 until 2026-04-04 16:30 UTC, ACST +09:30, ACDT again from 2026-10-03 16:30 UTC.
    return TimeZone{"Australia/Adelaide", 37800, {{1'775'320'200'000, 34200}, {1'791'045'000'000, 37800}}};
}
TimeZone kolkata() { return fixed_zone("Asia/Kolkata", 19800); }

// The local hours of the day holding t: (UTC start, name).
std::vector<std::pair<TimeMs, std::string>> hours_of_day(const TimeZone& zone, TimeMs t) {
    std::vector<std::pair<TimeMs, std::string>> hours;
    const TimeMs day = local_day_start(zone, t);
    const TimeMs next = add_local_days(zone, day, 1);
    for (TimeMs h = day; h < next; h = next_local_hour(zone, h)) hours.emplace_back(h, iso_local_time(zone, h));
    return hours;
}

std::set<std::string> names(const std::vector<std::pair<TimeMs, std::string>>& hours) {
    std::set<std::string> out;
    for (const auto& [start, name] : hours) out.insert(name);
    return out;
}

TimeMs date(const TimeZone& zone, const char* text) {
    auto day = parse_iso_date(zone, text);
    REQUIRE(day);
    return *day;
}
}  // namespace

TEST_CASE("Amsterdam: the day summer time starts has 23 hours, the day it ends 25, each named once") {
    const TimeZone zone = amsterdam();
    const auto spring = hours_of_day(zone, date(zone, "2026-03-29") + 12 * kH);
    const auto summer = hours_of_day(zone, date(zone, "2026-06-15") + 12 * kH);
    const auto autumn = hours_of_day(zone, date(zone, "2026-10-25") + 12 * kH);
    CHECK(spring.size() == 23);
    CHECK(summer.size() == 24);
    CHECK(autumn.size() == 25);
    for (const auto* day : {&spring, &summer, &autumn}) {
        CHECK(names(*day).size() == day->size());  // no "02" twice under one name
        for (std::size_t i = 1; i < day->size(); ++i) CHECK((*day)[i].first - (*day)[i - 1].first == kH);
    }
    CHECK(spring.front().second == "2026-03-29T00:00:00+01:00");
    CHECK(spring[1].second == "2026-03-29T01:00:00+01:00");
    CHECK(spring[2].second == "2026-03-29T03:00:00+02:00");  // 02:00 does not happen
    CHECK(spring.back().second == "2026-03-29T23:00:00+02:00");
    CHECK(autumn.front().second == "2026-10-25T00:00:00+02:00");
    CHECK(autumn[2].second == "2026-10-25T02:00:00+02:00");
    CHECK(autumn[3].second == "2026-10-25T02:00:00+01:00");  // the same clock hour again, an hour later
    CHECK(autumn[4].second == "2026-10-25T03:00:00+01:00");
    CHECK(autumn.back().second == "2026-10-25T23:00:00+01:00");
    // A time in the second 02:00 belongs to the second hour, not the first.
    CHECK(local_hour_start(zone, autumn[3].first + 30 * 60'000) == autumn[3].first);
    CHECK(local_hour_start(zone, autumn[2].first + 30 * 60'000) == autumn[2].first);
}

TEST_CASE("Adelaide: half-hour offsets, hours start at half past the UTC hour, 25 and 23 hour days") {
    const TimeZone zone = adelaide();
    const auto april = hours_of_day(zone, date(zone, "2026-04-05") + 12 * kH);
    const auto june = hours_of_day(zone, date(zone, "2026-06-15") + 12 * kH);
    const auto october = hours_of_day(zone, date(zone, "2026-10-04") + 12 * kH);
    CHECK(april.size() == 25);
    CHECK(june.size() == 24);
    CHECK(october.size() == 23);
    for (const auto* day : {&april, &june, &october}) {
        CHECK(names(*day).size() == day->size());
        for (const auto& [start, name] : *day) CHECK(start % kH == 30 * 60'000);  // hh:30 UTC
    }
    CHECK(april[2].second == "2026-04-05T02:00:00+10:30");
    CHECK(april[3].second == "2026-04-05T02:00:00+09:30");
    CHECK(october[2].second == "2026-10-04T03:00:00+10:30");
    CHECK(june.front().second == "2026-06-15T00:00:00+09:30");
}

TEST_CASE("Kolkata +05:30: every day 24 hours from 18:30 UTC the day before") {
    const TimeZone zone = kolkata();
    const TimeMs day = date(zone, "2026-03-29");
    CHECK(day == 1'774'722'600'000);  // 2026-03-28 18:30 UTC
    const auto hours = hours_of_day(zone, day + 5 * kH);
    CHECK(hours.size() == 24);
    CHECK(names(hours).size() == 24);
    CHECK(hours[9].second == "2026-03-29T09:00:00+05:30");
    CHECK(hours[9].first == day + 9 * kH);
}

TEST_CASE("the week-ago window is 7 local days back and ends at the same clock time, across a change") {
    const TimeZone zone = amsterdam();
    const TimeMs today = date(zone, "2026-03-29");
    const TimeMs now = today + 9 * kH;  // 10:00+02:00: nine hours into a 23-hour day
    CHECK(iso_local_time(zone, now) == "2026-03-29T10:00:00+02:00");
    const TimeMs week_ago = add_local_days(zone, today, -7);
    CHECK(iso_local_time(zone, week_ago) == "2026-03-22T00:00:00+01:00");
    CHECK(iso_local_time(zone, same_local_time(zone, now, -7)) == "2026-03-22T10:00:00+01:00");
    CHECK(same_local_time(zone, now, -7) - week_ago == 10 * kH);
    // From the Sunday after the autumn change back over it: 7 days of 24 and one of 25 hours.
    const TimeMs after = date(zone, "2026-11-01");
    CHECK(after - add_local_days(zone, after, -7) == 7 * 24 * kH + kH);
    CHECK(iso_local_date(zone, add_local_days(zone, after, -7)) == "2026-10-25");
    // Kolkata and Adelaide: the same date a week back, at local midnight.
    for (const TimeZone& other : {kolkata(), adelaide()}) {
        const TimeMs d = date(other, "2026-04-08");
        CHECK(iso_local_time(other, add_local_days(other, d, -7)).substr(0, 19) == "2026-04-01T00:00:00");
    }
}

TEST_CASE("dates are read in the store's zone, and checked against the calendar") {
    CHECK(date(amsterdam(), "2026-10-25") == 1'792'879'200'000);  // 2026-10-24 22:00 UTC
    CHECK(date(adelaide(), "2026-04-05") == 1'775'309'400'000);
    CHECK_FALSE(parse_iso_date(amsterdam(), "2026-02-29"));
    CHECK_FALSE(parse_iso_date(amsterdam(), "2026-1-05"));
    CHECK(parse_iso_date(utc_zone(), "2028-02-29"));
}

TEST_CASE("a POSIX rule (a zone file's footer) gives the changes the tz table lists") {
    auto cet = parse_posix_rule("CET-1CEST,M3.5.0,M10.5.0/3");
    REQUIRE(cet);
    CHECK(posix_rule_changes(*cet, 2026, 2026) == amsterdam().changes);
    auto acst = parse_posix_rule("ACST-9:30ACDT,M10.1.0,M4.1.0/3");
    REQUIRE(acst);
    CHECK(posix_rule_changes(*acst, 2026, 2026) == adelaide().changes);
    auto est = parse_posix_rule("EST5EDT,M3.2.0,M11.1.0");
    REQUIRE(est);
    const std::vector<ZoneChange> new_york{{1'772'953'200'000, -14400}, {1'793'512'800'000, -18000}};
    CHECK(posix_rule_changes(*est, 2026, 2026) == new_york);
    auto ist = parse_posix_rule("<+0530>-5:30");
    REQUIRE(ist);
    CHECK_FALSE(ist->has_dst);
    CHECK(ist->std_offset_s == 19800);
    CHECK_FALSE(parse_posix_rule("CET-1CEST,J60,J300"));
}

TEST_CASE("the lane sweep fills the store's local hours: 25 on the autumn change day, half-hour hours in Kolkata") {
    Config config;
    config.tills = {1};
    for (const TimeZone& zone : {amsterdam(), kolkata()}) {
        INFO(zone.name);
        const TimeMs day = date(zone, zone.name == "Asia/Kolkata" ? "2026-03-29" : "2026-10-25");
        const TimeMs next = add_local_days(zone, day, 1);
        std::vector<LaneEvent> events;
        events.push_back(LaneEvent{day, 1, false, true, {}, false});
        for (TimeMs t = day; t < next; t += 60'000) {
            LaneEvent e{t, 1, true, false, {}, false};
            e.sample.count = 1;
            e.sample.ts = t;
            e.sample.source = CountSource::manual;  // never goes stale
            events.push_back(e);
        }
        SweepCarry carry;
        LaneHours hours;
        sweep_lanes(carry, events, next, config, hours, zone);
        const std::size_t expected = zone.name == "Asia/Kolkata" ? 24 : 25;
        CHECK(hours.size() == expected);
        for (const auto& [key, totals] : hours) {
            CHECK(totals.open_ms == kH);
            CHECK(totals.samples == 60);
            CHECK(key.first == local_hour_start(zone, key.first));
        }
        CHECK(hours.begin()->first.first == day);
    }
}

TEST_CASE("time_zone is a configuration key holding a zone name") {
    auto parsed = parse_config("tills = 1-2\ntime_zone = Europe/Amsterdam\n");
    REQUIRE(parsed);
    CHECK(parsed->time_zone == "Europe/Amsterdam");
    CHECK(parse_config("tills = 1-2\n")->time_zone.empty());  // the box's zone
    for (const char* bad : {"../../etc/passwd", "/etc/localtime", "Europe Amsterdam"}) {
        auto refused = parse_config(std::string("tills = 1-2\ntime_zone = ") + bad + "\n");
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().where, Catch::Contains("time_zone"));
    }
}
