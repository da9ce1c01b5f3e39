#pragma once
// `--clock sim`: time comes from the simulator's `clock` topic, so a whole store day can
// run through the same rule code in a minute. Time never runs backwards.
//
// A tick is bounded before it becomes the controller's "now" (issue 9, defect 8): every
// device timestamp is checked against now + 24 h and now - 30 days (codec.cpp), and the
// rule adds timeouts to now, so a tick near INT64_MAX overflowed those sums (undefined
// behaviour; in a plain build it wrapped and every later feedback was refused, for good,
// since time never runs backwards). The window is wide enough for any simulated store day
// and leaves centuries of headroom below INT64_MAX for every sum the controller makes.
#include <algorithm>
#include <optional>

#include "storeq/codec.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {

// 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z, in ms since the epoch.
inline constexpr TimeMs kEarliestSimTimeMs = 946'684'800'000;
inline constexpr TimeMs kLatestSimTimeMs = 4'102'444'800'000;

// The simulated time after a tick: the tick's time when it is inside the window and not
// behind `current`; `current` when it is behind; nullopt (refused) outside the window.
inline std::optional<TimeMs> sim_time_after_tick(TimeMs current, const ClockTick& tick) {
    if (tick.ts < kEarliestSimTimeMs || tick.ts >= kLatestSimTimeMs) return std::nullopt;
    return std::max(current, tick.ts);
}

class SimClock {
public:
    // Takes the time from a clock message; other messages are ignored. Returns false for
    // a clock message that was refused (undecodable or outside the window).
    bool observe(const MqttMessage& message) {
        auto topic = parse_topic(message.topic);
        if (!topic || topic->kind != TopicKind::clock) return true;
        auto tick = decode_clock_tick(message.payload);
        if (!tick) return false;
        auto next = sim_time_after_tick(now_, *tick);
        if (!next) return false;
        now_ = *next;
        started_ = true;
        return true;
    }
    bool started() const { return started_; }
    TimeMs now() const { return now_; }

private:
    TimeMs now_ = 0;
    bool started_ = false;
};

}  // namespace storeq::controller
