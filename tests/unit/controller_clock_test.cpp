// The controller's time moves with the monotonic clock from the wall time at start: a
// stepped wall clock neither stops it nor throws it days ahead.
#include <catch2/catch.hpp>

#include "storeq/controller/controller_clock.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {
constexpr TimeMs kStart = 1'763'806'530'000;  // 2025-11-22 10:15:30 UTC
constexpr TimeMs kDay = 86'400'000;
}  // namespace

TEST_CASE("controller time runs with the monotonic clock, and follows a wall clock that only runs") {
    const ControllerClock clock({kStart, 5'000});
    CHECK(clock.at({kStart, 5'000}) == kStart);
    CHECK(clock.at({kStart + 1'500, 6'500}) == kStart + 1'500);
    CHECK(clock.wall_step({kStart + 1'500, 6'500}) == 0);
}

TEST_CASE("a wall clock stepped back two days: controller time goes on, the step is told") {
    const ControllerClock clock({kStart, 0});
    // 10 s after the start the box's clock is set back two days, then 3 s pass.
    const ClockReading after{kStart + 13'000 - 2 * kDay, 13'000};
    CHECK(clock.at(after) == kStart + 13'000);  // 3 s later than before the step: dwell still counts
    CHECK(clock.wall_step(after) == -2 * kDay);
}

TEST_CASE("a wall clock stepped ten days ahead: the seconds stay seconds") {
    const ControllerClock clock({kStart, 0});
    const ClockReading after{kStart + 10 * kDay + 4'000, 4'000};
    CHECK(clock.at(after) == kStart + 4'000);
    CHECK(clock.wall_step(after) == 10 * kDay);
}
