// The arrival forecast (storeq/controller/arrival_forecast.hpp) on synthetic stores whose
// answer is known by construction: a steady door, a lunch peak learned over weeks, a known
// door -> till lag, a busier day, a silent sensor, and garbage that must never give NaN.
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <functional>
#include <random>

#include "storeq/controller/arrival_forecast.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

constexpr TimeMs kMonday = 1'795'996'800'000;  // 2026-11-30 00:00 UTC, a Monday (local = UTC here)
constexpr TimeMs kMin = 60'000;
constexpr int kWeek = kMinutesPerWeek;

TimeMs at(int week, int minute_of_week) { return kMonday + (static_cast<TimeMs>(week) * kWeek + minute_of_week) * kMin; }

// Feeds the minutes [from, to) of the week; door(m) and till(m) by minute of the week.
void feed(ArrivalModel& model, int week, int from, int to, const std::function<int(int)>& door,
          const std::function<int(int)>& till, bool door_reported = true) {
    for (int m = from; m < to; ++m) {
        MinuteCounts counts;
        counts.minute_start = at(week, m);
        counts.minute_of_week = m;
        counts.door_entries = door_reported ? door(m) : 0;
        counts.till_arrivals = till(m);
        counts.door_reported = door_reported;
        model = learn_minute(std::move(model), counts);
    }
}

constexpr int kOpen = 8 * 60, kClose = 20 * 60;  // Monday 08:00 .. 20:00

void require_finite(const ArrivalForecast& f) {
    for (double x : {f.now_per_min, f.in15_per_min, f.in30_per_min, f.door_per_min, f.usual_door_per_min, f.level,
                     f.lag_minutes, f.buyer_share}) {
        REQUIRE(std::isfinite(x));
        REQUIRE(x >= 0);
    }
    REQUIRE(f.level >= 0.5);
    REQUIRE(f.level <= 2.0);
    REQUIRE(f.buyer_share >= 0.2);
    REQUIRE(f.buyer_share <= 1.5);
    REQUIRE(f.lag_minutes <= 60);
}

}  // namespace

TEST_CASE("forecast: a steady door forecasts its rate times the buyer share", "[forecast]") {
    ArrivalModel model;
    // 10 people a minute; 6 of them reach the tills 15 minutes later.
    auto door = [](int) { return 10; };
    auto till = [](int m) { return m >= kOpen + 15 ? 6 : 0; };
    feed(model, 0, kOpen, kOpen + 6 * 60, door, till);
    const auto f = forecast_arrivals(model, at(0, kOpen + 6 * 60), kOpen + 6 * 60);
    require_finite(f);
    CHECK(f.buyer_share == Approx(0.6).margin(0.005));
    CHECK(f.lag_minutes == kDefaultLagMinutes);  // a flat door shows no lag: nothing learned
    CHECK(f.door_per_min == Approx(10));
    CHECK(f.now_per_min == Approx(10 * f.buyer_share));
    CHECK(f.in15_per_min == Approx(10 * f.buyer_share));
    CHECK(f.in30_per_min == Approx(10 * f.buyer_share));
    CHECK(f.level == 1);
    CHECK_FALSE(f.profile_learned);
}

TEST_CASE("forecast: a steady Poisson door teaches no lag, and forecasts its mean", "[forecast]") {
    ArrivalModel model;
    std::mt19937_64 rng(7);
    std::poisson_distribution<int> poisson(12.0);
    std::vector<int> doors(kWeek, 0);
    for (int m = kOpen; m < kClose; ++m) doors[m] = poisson(rng);
    // Everyone reaches the tills 25 minutes later: the noise alone is not "varying enough".
    feed(model, 0, kOpen, kClose, [&](int m) { return doors[m]; }, [&](int m) { return m >= kOpen + 25 ? doors[m - 25] : 0; });
    const auto f = forecast_arrivals(model, at(0, kClose), kClose);
    require_finite(f);
    CHECK(f.lag_minutes == kDefaultLagMinutes);
    // The mean of 12 over 15 minutes: standard error sqrt(12/15) ≈ 0.9; 4 of them.
    CHECK(f.in30_per_min == Approx(12 * f.buyer_share).margin(3.6));
    CHECK(f.buyer_share == Approx(1.0).margin(0.1));
}

TEST_CASE("forecast: a learned lunch peak is predicted 30 minutes before it comes", "[forecast]") {
    // Mondays: 5 people a minute, 20 from 12:00 to 13:00; 80% reach the tills 15 min later.
    auto door = [](int m) { return m >= 12 * 60 && m < 13 * 60 ? 20 : 5; };
    auto till = [&](int m) { return m >= kOpen + 15 ? door(m - 15) * 4 / 5 : 0; };
    ArrivalModel model;
    for (int week = 0; week < 3; ++week) feed(model, week, kOpen, kClose, door, till);
    CHECK(model.lag_minutes == Approx(15).margin(3));
    // Week 4, Monday 11:45: nothing busy yet today.
    const int now = 11 * 60 + 45;
    feed(model, 3, kOpen, now, door, till);
    const auto f = forecast_arrivals(model, at(3, now), now);
    require_finite(f);
    CHECK(f.profile_learned);
    CHECK(f.buyer_share == Approx(0.8).margin(0.01));
    CHECK(f.level == Approx(1).margin(0.02));
    CHECK(f.usual_door_per_min == Approx(5).margin(0.01));
    CHECK(f.now_per_min == Approx(5 * 0.8).epsilon(0.05));    // tills now: the door of 11:30..11:45
    CHECK(f.in30_per_min == Approx(20 * 0.8).epsilon(0.05));  // 12:15..12:30: the door of 12:00..12:15
    // Without the weeks before, the same morning forecasts no peak.
    ArrivalModel today_only;
    feed(today_only, 3, kOpen, now, door, till);
    const auto g = forecast_arrivals(today_only, at(3, now), now);
    CHECK_FALSE(g.profile_learned);
    CHECK(g.in30_per_min < 5);
}

TEST_CASE("forecast: a 20-minute door-to-till lag is learned", "[forecast]") {
    std::mt19937_64 rng(20);
    std::uniform_int_distribution<int> uniform(0, 20);  // variance 36.7 against a mean of 10
    std::vector<int> doors(kWeek, 0);
    for (int m = kOpen; m < kClose; ++m) doors[m] = uniform(rng);
    ArrivalModel model;
    const int until = kOpen + 6 * 60;
    feed(model, 0, kOpen, until, [&](int m) { return doors[m]; }, [&](int m) { return m >= kOpen + 20 ? doors[m - 20] : 0; });
    CHECK(model.lag_minutes == Approx(20).margin(3));
    CHECK(model.buyer_share == Approx(1.0).margin(0.05));
    const auto f = forecast_arrivals(model, at(0, until), until);
    require_finite(f);
    CHECK(f.lag_minutes == Approx(20).margin(3));
}

TEST_CASE("forecast: a day 1.5x busier than usual scales the forecast", "[forecast]") {
    auto usual = [](int) { return 10; };
    auto busy = [](int) { return 15; };
    auto till_of = [](const std::function<int(int)>& door) {
        return [door](int m) { return m >= kOpen + 15 ? door(m - 15) * 3 / 5 : 0; };
    };
    ArrivalModel model;
    for (int week = 0; week < 3; ++week) feed(model, week, kOpen, kClose, usual, till_of(usual));
    ArrivalModel normal_day = model;
    const int now = 10 * 60;
    feed(model, 3, kOpen, now, busy, till_of(busy));
    const auto f = forecast_arrivals(model, at(3, now), now);
    require_finite(f);
    CHECK(f.level == Approx(1.5).margin(0.03));
    CHECK(f.door_per_min == Approx(15));
    CHECK(f.usual_door_per_min == Approx(10).epsilon(1e-9));
    CHECK(f.buyer_share == Approx(0.6).margin(0.005));
    CHECK(f.in15_per_min == Approx(15 * 0.6).epsilon(0.03));
    CHECK(f.in30_per_min == Approx(15 * 0.6).epsilon(0.03));
    // The same hour on a usual day: level 1.
    feed(normal_day, 3, kOpen, now, usual, till_of(usual));
    const auto g = forecast_arrivals(normal_day, at(3, now), now);
    CHECK(g.level == Approx(1).margin(0.01));
    CHECK(g.in15_per_min == Approx(10 * 0.6).epsilon(0.01));
}

TEST_CASE("forecast: weeks weigh equally up to 4, then a moving average of 1/4", "[forecast]") {
    // One slot, Monday 09:00..09:15, a different rate each week; in week 1 the minutes vary
    // (the week's value is their mean).
    const int slot_start = 9 * 60;
    const int slot = slot_start / kSlotMinutes;
    ArrivalModel model;
    feed(model, 0, slot_start, slot_start + 15, [](int m) { return (m % 2) * 8; }, [](int) { return 0; });
    // 7 odd minutes of 8 in 15 (09:01, 09:03, .. 09:13): mean 56/15.
    CHECK(model.profile[slot] == Approx(56.0 / 15));
    CHECK(model.weeks_seen[slot] == 1);
    const double rates[] = {56.0 / 15, 8, 12, 16, 20};
    for (int week = 1; week < 5; ++week)
        feed(model, week, slot_start, slot_start + 15, [&](int) { return static_cast<int>(rates[week]); }, [](int) { return 0; });
    CHECK(model.weeks_seen[slot] == 5);
    const double four_weeks = (rates[0] + rates[1] + rates[2] + rates[3]) / 4;
    CHECK(model.profile[slot] == Approx(0.75 * four_weeks + 0.25 * 20));
    // The minutes were counted once per week, not once per minute.
    CHECK(model.weeks_seen[slot + 1] == 0);
}

TEST_CASE("forecast: a silent door sensor teaches no zeros", "[forecast]") {
    auto door = [](int) { return 10; };
    auto till = [](int m) { return m >= kOpen + 15 ? 5 : 0; };
    ArrivalModel model;
    for (int week = 0; week < 2; ++week) feed(model, week, kOpen, kClose, door, till);
    const int slot = (10 * 60) / kSlotMinutes;
    REQUIRE(model.profile[slot] == Approx(10));
    const auto share = model.buyer_share;
    const auto door_minutes = model.door_minutes_seen;
    feed(model, 2, kOpen, kClose, door, [](int) { return 5; }, false);
    CHECK(model.profile[slot] == Approx(10));
    CHECK(model.weeks_seen[slot] == 2);
    CHECK(model.door_minutes_seen == door_minutes);
    CHECK(model.buyer_share == share);  // no door counts: no share learned either
    // The forecast during the silence: the usual Monday, level 1.
    const auto f = forecast_arrivals(model, at(2, kClose - 60), kClose - 60);
    require_finite(f);
    CHECK(f.level == 1);
    CHECK(f.door_per_min == 0);
    CHECK(f.now_per_min == Approx(10 * share));
}

TEST_CASE("forecast: door history counts days since the first door minute", "[forecast]") {
    ArrivalModel model;
    CHECK(door_history_days(model, at(0, 0)) == 0);
    feed(model, 0, 0, 60, [](int) { return 3; }, [](int) { return 1; }, false);  // a silent hour first
    CHECK(door_history_days(model, at(0, 24 * 60)) == 0);
    feed(model, 0, 24 * 60, 24 * 60 + 10, [](int) { return 3; }, [](int) { return 1; });
    CHECK(model.first_door_minute == at(0, 24 * 60));
    CHECK(door_history_days(model, at(0, 24 * 60 + 84 * 60)) == Approx(3.5));
    CHECK(door_history_days(model, at(0, 0)) == 0);  // before the first: never negative
}

TEST_CASE("forecast: the empty model gives finite zeros", "[forecast]") {
    const ArrivalModel model;
    const auto f = forecast_arrivals(model, at(0, 600), 600);
    require_finite(f);
    CHECK(f.now_per_min == 0);
    CHECK(f.in15_per_min == 0);
    CHECK(f.in30_per_min == 0);
    CHECK(f.level == 1);
    CHECK(f.lag_minutes == kDefaultLagMinutes);
    CHECK(f.buyer_share == 1);
    CHECK_FALSE(f.profile_learned);
    require_finite(forecast_arrivals(model, LLONG_MIN, INT_MIN));
    require_finite(forecast_arrivals(model, LLONG_MAX, INT_MAX));
}

TEST_CASE("forecast: minutes out of order are ignored", "[forecast]") {
    ArrivalModel model;
    feed(model, 0, kOpen, kOpen + 30, [](int) { return 4; }, [](int) { return 2; });
    const ArrivalModel before = model;
    MinuteCounts old;
    old.minute_start = at(0, kOpen + 10);
    old.minute_of_week = kOpen + 10;
    old.door_entries = 1000;
    CHECK(learn_minute(model, old) == before);
    old.minute_start = at(0, kOpen + 29);  // the last minute again
    CHECK(learn_minute(model, old) == before);
}

TEST_CASE("forecast: garbage in never gives NaN or a crash", "[forecast]") {
    std::mt19937_64 rng(1414);
    const int counts[] = {INT_MIN, -5, 0, 1, 37, INT_MAX};
    ArrivalModel model;
    TimeMs t = at(0, 0);
    for (int i = 0; i < 6000; ++i) {
        const int what = std::uniform_int_distribution<int>(0, 99)(rng);
        if (what < 80) t += kMin;
        else if (what < 90) t -= std::uniform_int_distribution<TimeMs>(0, 500)(rng) * kMin;
        else t += std::uniform_int_distribution<TimeMs>(0, 20000)(rng) * kMin + 17;  // a gap, not a whole minute
        MinuteCounts m;
        m.minute_start = what == 0 ? LLONG_MAX : t;
        m.minute_of_week = std::uniform_int_distribution<int>(-30000, 30000)(rng);
        m.door_entries = counts[std::uniform_int_distribution<int>(0, 5)(rng)];
        if (what % 3 == 0) m.door_entries = std::uniform_int_distribution<int>(0, 60)(rng);
        m.till_arrivals = counts[std::uniform_int_distribution<int>(0, 5)(rng)];
        m.door_reported = what % 7 != 0;
        model = learn_minute(std::move(model), m);
        REQUIRE(model.recent.size() <= static_cast<std::size_t>(kRecentMinutes));
        for (double p : model.profile) REQUIRE((std::isfinite(p) && p >= 0));
        if (i % 10 == 0) {
            const auto f = forecast_arrivals(model, t + std::uniform_int_distribution<TimeMs>(-100, 100)(rng) * kMin,
                                             std::uniform_int_distribution<int>(-30000, 30000)(rng));
            require_finite(f);
            REQUIRE(std::isfinite(door_history_days(model, t)));
        }
    }
}
