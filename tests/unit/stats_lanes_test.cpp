// Queue figures on a scripted day with injected times (controller receive times).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "storeq/controller/lane_stats.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {
constexpr TimeMs kH0 = 1'763'798'400'000;  // an hour start (2025-11-22 08:00 UTC)
constexpr TimeMs kS = 1000;

struct Script {
    std::vector<LaneEvent> events;
    std::int64_t seq = 0;
    CountSource source = CountSource::manual;
    void open(TimeMs s, int lane, bool open = true) {
        LaneEvent e;
        e.at = kH0 + s * kS;
        e.lane = lane;
        e.open = open;
        events.push_back(e);
    }
    void count(TimeMs s, int lane, int count) {
        LaneEvent e;
        e.at = kH0 + s * kS;
        e.lane = lane;
        e.is_sample = true;
        e.sample.count = count;
        e.sample.ts = e.at;
        e.sample.source = source;
        e.sample.seq = ++seq;
        events.push_back(e);
    }
};

// Defaults of docs/design.md §2: waiting >= 2 (count >= 3) for 3 s; promise 90 s; tills 1-4.
Config defaults() {
    Config c;
    c.tills = {1, 2, 3, 4};
    return c;
}

// The day of the test below, shared with the resumability check.
Script scripted_day() {
    Script d;
    d.open(0, 1);
    d.count(0, 1, 1);
    d.count(100, 1, 3);   // 2 waiting: over; breach from 103
    d.open(150, 2);       // another till opens: breach answered after 47 s (kept)
    d.count(160, 1, 1);   // over ends: 57 s of breach
    d.count(1000, 1, 4);  // breach from 1003, nobody opens: broken once 1093 passes
    d.count(1200, 1, 0);  // 197 s of breach
    d.count(2000, 1, 3);
    d.count(2001, 1, 1);  // 1 s over: shorter than dwell, no breach
    d.open(3000, 2, false);
    d.count(3590, 1, 3);  // breach from 3593, across the hour end
    d.count(3620, 1, 1);  // 7 s in the first hour, 20 s in the next; kept (27 s)
    d.open(3900, 1, false);
    return d;
}
}  // namespace

TEST_CASE("a scripted day: open time, breach minutes, compliance, queue integral, promise kept") {
    const Script d = scripted_day();
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, d.events, kH0 + 4000 * kS, defaults(), hours);

    const LaneTotals& l1 = hours.at({kH0, 1});
    CHECK(l1.open_ms == 3600 * kS);
    CHECK(l1.counted_ms == 3600 * kS);
    CHECK(l1.breach_ms == (57 + 197 + 7) * kS);
    // count x seconds: 1x100 + 3x60 + 1x840 + 4x200 + 0x800 + 3x1 + 1x1589 + 3x10 = 3542
    CHECK(l1.queue_ms == 3542 * kS);
    CHECK(l1.max_queue == 4);
    CHECK(l1.samples == 8);
    CHECK(l1.breaches == 3);
    CHECK(l1.kept == 2);  // the one answered by till 2 and the one across the hour
    CHECK(l1.broken == 1);
    CHECK(*compliance(l1) == Approx((3600.0 - 261.0) / 3600.0));
    CHECK(*average_queue(l1) == Approx(3542.0 / 3600.0));
    CHECK(*promise_kept_rate(l1) == Approx(2.0 / 3.0));

    // Till 2 was open 150..3000 s and never sent a count: unknown, not empty.
    const LaneTotals& l2 = hours.at({kH0, 2});
    CHECK(l2.open_ms == 2850 * kS);
    CHECK(l2.unknown_ms == 2850 * kS);
    CHECK(l2.counted_ms == 0);
    CHECK_FALSE(compliance(l2));

    const LaneTotals& next = hours.at({kH0 + kHourMs, 1});
    CHECK(next.open_ms == 300 * kS);
    CHECK(next.breach_ms == 20 * kS);
    CHECK(next.queue_ms == (3 * 20 + 1 * 280) * kS);
    CHECK(next.samples == 1);
    CHECK(next.breaches == 0);

    LaneTotals all;
    auto by_lane = totals_by_lane(hours, kH0, kH0 + 2 * kHourMs, &all);
    CHECK(by_lane.at(1).breach_ms == 281 * kS);
    CHECK(all.open_ms == (3900 + 2850) * kS);
    CHECK(all.breaches == 3);
}

TEST_CASE("a silent sensor makes the lane unknown: the breach stops counting, undecided") {
    Script d;
    d.source = CountSource::sensor;
    d.open(0, 1);
    d.count(0, 1, 3);  // then silence
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, d.events, kH0 + 600 * kS, defaults(), hours);
    const LaneTotals& l = hours.at({kH0, 1});
    CHECK(l.counted_ms == 60 * kS);  // sensor_timeout
    CHECK(l.unknown_ms == 540 * kS);
    CHECK(l.breach_ms == 57 * kS);
    CHECK(l.breaches == 1);
    CHECK(l.kept + l.broken == 0);
    CHECK_FALSE(carry.lanes.at(1).over_since);
}

TEST_CASE("an older sample (by seq) is ignored, as the rule engine ignores it") {
    Script d;
    d.open(0, 1);
    d.count(0, 1, 1);
    d.events.push_back(d.events.back());  // a re-delivered copy: same seq
    d.events.back().at += 10 * kS;
    d.events.back().sample.count = 5;
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, d.events, kH0 + 100 * kS, defaults(), hours);
    CHECK(hours.at({kH0, 1}).max_queue == 1);
    CHECK(hours.at({kH0, 1}).samples == 1);
}

TEST_CASE("a sweep resumed from its carry at any points gives the same hours as one sweep") {
    const Script d = scripted_day();
    const TimeMs until = kH0 + 4000 * kS;
    SweepCarry whole_carry;
    LaneHours whole;
    sweep_lanes(whole_carry, d.events, until, defaults(), whole);

    std::mt19937 rng(11);
    for (int round = 0; round < 50; ++round) {
        // Cut the day at a few random times, as the controller's minute rollups do.
        std::vector<TimeMs> cuts;
        for (int i = 0; i < 4; ++i) cuts.push_back(kH0 + static_cast<TimeMs>(rng() % 4000) * kS);
        std::sort(cuts.begin(), cuts.end());
        cuts.push_back(until);
        SweepCarry carry;
        LaneHours pieces;
        std::size_t next_event = 0;
        for (TimeMs cut : cuts) {
            std::vector<LaneEvent> batch;
            while (next_event < d.events.size() && d.events[next_event].at <= cut) batch.push_back(d.events[next_event++]);
            sweep_lanes(carry, batch, cut, defaults(), pieces);
        }
        CHECK(pieces == whole);
        CHECK(carry == whole_carry);
    }
}

TEST_CASE("the stats order samples per source too: a display tap does not hide the sensor's queue") {
    Script d;
    d.open(0, 1);
    d.source = CountSource::manual;
    d.seq = 1'763'798'400'000;  // the display numbers by the epoch in ms
    d.count(0, 1, 1);
    d.source = CountSource::sensor;
    d.seq = 0;
    for (int s = 1; s <= 15; ++s) d.count(s, 1, 5);
    d.count(60, 1, 1);
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, d.events, kH0 + 120 * kS, defaults(), hours);
    const LaneTotals t = totals_by_lane(hours, kH0, kH0 + kHourMs).at(1);
    CHECK(t.samples == 17);
    CHECK(t.breaches == 1);
    CHECK(t.breach_ms == 56 * kS);  // over from 1 s, breaching from 4 s to 60 s
}

TEST_CASE("lanes that are not tills of the store are not in the stats, as the rule ignores them") {
    Script d;
    d.open(0, 7);
    d.count(0, 7, 5);
    d.open(0, 1);
    d.count(0, 1, 1);
    Config c = defaults();
    c.tills = {1, 2};
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, d.events, kH0 + 600 * kS, c, hours);
    const auto by_lane = totals_by_lane(hours, kH0, kH0 + kHourMs);
    CHECK(by_lane.count(7) == 0);
    CHECK(by_lane.at(1).open_ms == 600 * kS);
}

namespace {
// Two runs of the controller, the first with its clock `first_run_offset` off: the first
// run's rows carry its wrong times, the restart's rows the right ones.
Script two_runs(TimeMs first_run_offset_s, TimeMs restart_s) {
    Script d;
    const TimeMs o = first_run_offset_s;
    d.open(o + 0, 1);
    d.count(o + 0, 1, 1);
    d.count(o + 100, 1, 4);  // breach from 103
    d.count(o + 160, 1, 1);  // 57 s, kept
    d.count(o + 250, 1, 4);  // over again, breach from 253: still running when it stops
    LaneEvent start;
    start.at = kH0 + restart_s * kS;
    start.is_controller_start = true;
    d.events.push_back(start);
    // The retained lane topics come back at once.
    d.open(restart_s, 1);
    d.count(restart_s, 1, 4);  // breach from restart + 3
    d.count(restart_s + 30, 1, 1);  // 27 s, kept
    return d;
}

// As the controller rolls up: the first run swept its rows a minute at a time, the last
// time up to `first_run_end` (by its clock); the new run sweeps its start and what follows.
LaneHours sweep_two_runs(const Script& d, TimeMs first_run_end, TimeMs until) {
    const auto start = std::find_if(d.events.begin(), d.events.end(), [](const LaneEvent& e) { return e.is_controller_start; });
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, {d.events.begin(), start}, first_run_end, defaults(), hours);
    sweep_lanes(carry, {start, d.events.end()}, until, defaults(), hours);
    return hours;
}
}  // namespace

TEST_CASE("a controller that ran with its clock 3 h behind and restarted with the right one adds no phantom hours") {
    // What happened: the first run from 08:00 to 08:04:30 (its clock said 05:00), the
    // restart at 08:04:30; sweep to 08:10.
    const Script d = two_runs(-3 * 3600, 270);
    const LaneHours hours = sweep_two_runs(d, kH0 + (-3 * 3600 + 270) * kS, kH0 + 600 * kS);
    LaneTotals all;
    totals_by_lane(hours, kH0 - 4 * kHourMs, kH0 + kHourMs, &all);
    // 270 s of the first run, 330 s of the second: not the three hours between the clocks.
    CHECK(all.open_ms == 600 * kS);
    CHECK(all.counted_ms == 600 * kS);
    // 57 s, 17 s of the breach running at the stop (253..270), then 27 s.
    CHECK(all.breach_ms == (57 + 17 + 27) * kS);
    CHECK(all.breaches == 3);
    // The breach the restart cut is neither kept nor broken: nobody saw how it ended.
    CHECK(all.kept == 2);
    CHECK(all.broken == 0);
}

TEST_CASE("a controller that ran 3 h ahead and restarted with the right clock: the new run's time is counted") {
    const Script d = two_runs(3 * 3600, 270);
    const LaneHours hours = sweep_two_runs(d, kH0 + (3 * 3600 + 270) * kS, kH0 + 600 * kS);
    // The restart's 330 s are in the hour they happened, not piled on the old run's last
    // instant (before: events before carry.at counted at carry.at, and lasted nothing).
    const LaneTotals now = totals_by_lane(hours, kH0, kH0 + kHourMs).at(1);
    CHECK(now.open_ms == 330 * kS);
    CHECK(now.breach_ms == 27 * kS);
    LaneTotals all;
    totals_by_lane(hours, kH0, kH0 + 5 * kHourMs, &all);
    CHECK(all.open_ms == 600 * kS);
}
