// The rule engine (step) and the stats sweep (sweep_lanes) judge breaches by one
// predicate: on generated store traffic, the breach time the stats report is exactly the
// time during which step() considered a lane breaching, lane by lane.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "storeq/controller/lane_stats.hpp"
#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

constexpr TimeMs kStart = 1'763'798'400'000;  // 2025-11-22 08:00 UTC
constexpr TimeMs kTick = 100;                 // every time in the traffic is on this grid

struct Traffic {
    std::vector<std::vector<Event>> at_tick;  // events of each tick, in order
    std::vector<LaneEvent> rows;              // the same, as the stats read them back
};

// Tills 1-3 plus lane 7, which is not a till of the store (a misconfigured sensor): the
// rule ignores it, so the stats must too. Sensors and manual counts mix, each source
// numbering its own samples; sensors sometimes fall silent for longer than
// sensor_timeout.
Traffic generate(std::mt19937& rng, int ticks) {
    Traffic t;
    t.at_tick.resize(static_cast<std::size_t>(ticks));
    std::int64_t sensor_seq = 0;
    for (int i = 0; i < ticks; ++i) {
        const TimeMs now = kStart + i * kTick;
        // At most one message per millisecond: the rule judges after each message, so two
        // in the same instant could split a run that the hourly sweep sees whole.
        const int events = rng() % 10 == 0 ? 1 : 0;
        for (int k = 0; k < events; ++k) {
            const int lanes[] = {1, 2, 3, 7};
            const int lane = lanes[rng() % 4];
            LaneEvent row;
            row.at = now;
            row.lane = lane;
            if (rng() % 12 == 0) {
                row.open = rng() % 3 != 0;
                t.at_tick[i].push_back(LaneStateReceived{lane, LaneState{row.open, now, std::nullopt}});
            } else {
                row.is_sample = true;
                const bool manual = rng() % 5 == 0;
                row.sample.count = static_cast<int>(rng() % 6);
                row.sample.ts = now;
                row.sample.source = manual ? CountSource::manual : CountSource::sensor;
                row.sample.seq = manual ? std::optional<std::int64_t>(now) : std::optional<std::int64_t>(++sensor_seq);
                t.at_tick[i].push_back(QueueCountReceived{lane, row.sample});
            }
            t.rows.push_back(row);
        }
    }
    return t;
}

}  // namespace

TEST_CASE("the stats count exactly the breach time and breaches the rule engine saw, on generated traffic") {
    Config config;
    config.tills = {1, 2, 3};
    config.sensor_timeout = 10'000;  // silences happen within the generated hour
    const auto seed = GENERATE(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u);
    std::mt19937 rng(seed);
    const int ticks = 36'000;  // an hour
    const Traffic traffic = generate(rng, ticks);

    // The rule engine, stepped every tick like the shell's time passing.
    State state = initial_state(config, 1);
    std::map<int, TimeMs> rule_breach_ms;
    std::map<int, std::int64_t> rule_breaches;
    std::map<int, bool> was_breaching;
    for (int i = 0; i < ticks; ++i) {
        const TimeMs now = kStart + i * kTick;
        for (const Event& e : traffic.at_tick[i]) state = step(std::move(state), e, config, now).state;
        state = step(std::move(state), TimePassed{}, config, now).state;
        for (const auto& [number, lane] : state.lanes) {
            const bool breaching = is_breaching(lane, config, now);
            if (breaching) rule_breach_ms[number] += kTick;
            if (breaching && !was_breaching[number]) ++rule_breaches[number];
            was_breaching[number] = breaching;
        }
    }

    // The stats, from the same rows.
    SweepCarry carry;
    LaneHours hours;
    sweep_lanes(carry, traffic.rows, kStart + ticks * kTick, config, hours);
    const auto by_lane = totals_by_lane(hours, kStart - kHourMs, kStart + 2 * kHourMs);
    std::map<int, TimeMs> stats_breach_ms;
    std::map<int, std::int64_t> stats_breaches;
    for (const auto& [number, totals] : by_lane) {
        if (totals.breach_ms) stats_breach_ms[number] = totals.breach_ms;
        if (totals.breaches) stats_breaches[number] = totals.breaches;
    }
    for (auto it = rule_breaches.begin(); it != rule_breaches.end();) it = it->second ? std::next(it) : rule_breaches.erase(it);

    std::ostringstream seen;
    for (int lane : {1, 2, 3, 7})
        seen << "lane " << lane << ": rule " << rule_breach_ms[lane] << " ms in " << rule_breaches[lane]
             << ", stats " << stats_breach_ms[lane] << " ms in " << stats_breaches[lane] << "\n";
    INFO("seed " << seed << "\n" << seen.str());
    REQUIRE(!rule_breach_ms.empty());  // the traffic does breach
    CHECK(stats_breach_ms == rule_breach_ms);
    CHECK(stats_breaches == rule_breaches);
}
