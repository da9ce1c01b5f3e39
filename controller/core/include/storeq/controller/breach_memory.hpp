#pragma once
// The breaches the rule engine saw end, kept for a while: what decides whether a response
// came "after a breach" (queue_cost.hpp), also for a response a kiosk sends late (its
// outbox after a network cut) and is judged at its own time. Pure data, in the State.
#include <cstddef>
#include <deque>
#include <optional>

#include "storeq/protocol.hpp"

namespace storeq::controller {

// One lane's breach, from breach_start (lane_count.hpp) to the instant it ended.
struct BreachSpan {
    TimeMs start = 0, end = 0;
    bool operator==(const BreachSpan&) const = default;
};

// Ended breaches are kept this long after they ended, and at most this many (about three
// busy days of a store with 1,700 breaches a day, see README's demo): a late response from
// before them is judged as not known, never as "no breach".
inline constexpr TimeMs kBreachMemoryMs = 7LL * 86'400'000;
inline constexpr std::size_t kMaxBreachSpans = 5'000;

struct BreachMemory {
    // The rule has watched the lanes since (its first event of this run): nothing is known
    // of breaches before it, nor of those it let go of (forgotten_until: the latest end of
    // a span dropped from `ended`).
    std::optional<TimeMs> watched_from;
    TimeMs forgotten_until = 0;
    std::deque<BreachSpan> ended;  // by end, oldest first
    bool operator==(const BreachMemory&) const = default;
};

// Keeps `span` (ended at span.end, the rule's now) and lets go of what is too old or too many.
inline void remember_breach(BreachMemory& m, BreachSpan span) {
    m.ended.push_back(span);
    while (!m.ended.empty() && (m.ended.size() > kMaxBreachSpans || m.ended.front().end < span.end - kBreachMemoryMs)) {
        if (m.ended.front().end > m.forgotten_until) m.forgotten_until = m.ended.front().end;
        m.ended.pop_front();
    }
}

}  // namespace storeq::controller
