#pragma once
// The controller's time. The box's wall clock is read once, when the controller starts;
// from then on its time moves with the monotonic clock. Why: the rule measures dwell,
// timeouts and breach minutes as differences of this time, and a wall clock that steps
// while it runs (NTP correcting a box that booted with a wrong clock, someone setting the
// date) would otherwise either freeze the rule (a step back: time may not run backwards
// in the core, so nothing fell due until the wall caught up again) or make seconds look
// like days (a step forward: ten days of breach minutes from a run of seconds). The
// step is reported, and the next start takes the wall clock as it is then.
// Pure: readings are passed in (the shell reads the clocks).
#include <cstdint>

#include "storeq/protocol.hpp"

namespace storeq::controller {

struct ClockReading {
    TimeMs wall = 0;       // system clock, ms since the epoch
    TimeMs monotonic = 0;  // steady clock, ms since any origin
};

class ControllerClock {
public:
    explicit ControllerClock(ClockReading start) : start_(start) {}

    // Controller time at `now`: the start's wall time plus the monotonic time since.
    TimeMs at(ClockReading now) const { return start_.wall + (now.monotonic - start_.monotonic); }

    // How far the wall clock has stepped since the start (wall - controller time): 0 on a
    // box whose clock only ran; negative after a step back.
    TimeMs wall_step(ClockReading now) const { return now.wall - at(now); }

private:
    ClockReading start_;
};

}  // namespace storeq::controller
