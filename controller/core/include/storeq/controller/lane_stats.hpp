#pragma once
// Queue figures from the stored lane history: open time, breach time (docs/design.md §2),
// queue length over time, breach episodes and whether the promise was kept. Pure: the
// rows come in, in receive order, with the controller's own receive times; the sweep is
// resumable, so the shell can roll it up a minute at a time and carry on after a restart.
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "storeq/controller/config.hpp"
#include "storeq/controller/lane_count.hpp"
#include "storeq/controller/time_zone.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

inline constexpr TimeMs kHourMs = 3'600'000;
// The UTC hour holding t; the store's hours are local_hour_start(zone, t) (time_zone.hpp).
inline TimeMs hour_of(TimeMs t) { return (t >= 0 ? t / kHourMs : (t - kHourMs + 1) / kHourMs) * kHourMs; }

// One lane over one period (an hour, a day). Times are milliseconds.
struct LaneTotals {
    TimeMs open_ms = 0;     // the lane was open
    TimeMs counted_ms = 0;  // open with a known count (the base of compliance and average)
    TimeMs unknown_ms = 0;  // open while its automatic count source was silent
    TimeMs breach_ms = 0;   // open, waiting >= threshold, for at least `dwell` so far
    std::int64_t queue_ms = 0;  // sum of count x ms over counted_ms (the time integral)
    int max_queue = 0;          // highest count held while open
    std::int64_t samples = 0;   // queue samples accepted
    // Breach episodes, by the hour they began. A breach ends when the queue is back under
    // the threshold, the lane closes, or another till opens; `kept` when that came within
    // promise_target of its start, `broken` once promise_target passed without it.
    std::int64_t breaches = 0, kept = 0, broken = 0;

    void merge(const LaneTotals& other);
    bool operator==(const LaneTotals&) const = default;
};

// Share of counted open time without a breach, 0..1; none when nothing was counted.
std::optional<double> compliance(const LaneTotals& t);
// Time-weighted mean count while open and counted; none when nothing was counted.
std::optional<double> average_queue(const LaneTotals& t);
// kept / (kept + broken); none before any breach was decided.
std::optional<double> promise_kept_rate(const LaneTotals& t);

// One stored row of lane history: a lane state, a queue sample, or a controller start.
struct LaneEvent {
    TimeMs at = 0;  // controller receive time
    int lane = 0;
    bool is_sample = false;
    bool open = false;  // lane state
    QueueCount sample;  // queue sample
    // The controller started at `at` (no lane): the time since the previous run's last
    // sweep was not watched, and is not counted. Why it matters: the previous run may have
    // had a wrong clock (started 3 h behind, then put right by NTP and restarted), and its
    // last lane states would otherwise be carried across hours that never happened.
    bool is_controller_start = false;
};

// What the sweep remembers about a lane between two calls.
struct LaneCarry {
    bool open = false;
    bool has_count = false;
    int count = 0;
    bool automatic = true;         // sensor/sim: the count expires after sensor_timeout
    TimeMs last_sample_at = 0;     // receive time of the last accepted sample
    SampleOrder order;             // older samples of a source are ignored, as the rule ignores them
    std::optional<TimeMs> over_since;  // open and waiting >= threshold since
    bool breach_counted = false;   // this run lasted `dwell`: counted as a breach
    bool decided = false;          // ... and already counted as kept or broken
    TimeMs swept_to = 0;           // this lane's time is accounted up to here
    bool operator==(const LaneCarry&) const = default;
};

struct SweepCarry {
    TimeMs at = 0;  // swept up to here
    std::map<int, LaneCarry> lanes;
    bool operator==(const SweepCarry&) const = default;
};

// (UTC start of the store's local hour, lane): unambiguous also on the day clocks go
// back, when two hours read 02:00.
using LaneHourKey = std::pair<TimeMs, int>;
using LaneHours = std::map<LaneHourKey, LaneTotals>;

// Sweeps `events` (sorted by `at`) and time up to `until`, adding into `out` by the
// store's local hour (in `zone`) and lane. Events before carry.at are taken as happening at carry.at (a clock that stepped
// back), except a controller start: the sweep's time restarts there, and for each lane a
// breach in progress ends without a verdict and an automatic count is unknown until its
// next sample (what the restarted rule also knows). The carry starts empty (every lane closed, no count) or where the last call left.
// Lanes that are not in config.tills are left out, as the rule engine leaves them out.
void sweep_lanes(SweepCarry& carry, const std::vector<LaneEvent>& events, TimeMs until, const Config& config,
                 LaneHours& out, const TimeZone& zone = utc_zone());

// Adds every hour of `hours` with hour start in [from, to) into one total per lane, and
// into `all` (every lane; max_queue the highest of any lane).
std::map<int, LaneTotals> totals_by_lane(const LaneHours& hours, TimeMs from, TimeMs to, LaneTotals* all = nullptr);

}  // namespace storeq::controller
