#pragma once
// What the rule engine (step.cpp) and the stats (lane_stats.cpp, stats_store.cpp) decide
// about a lane's count, written once so they can never disagree: which samples are taken,
// whether a count can be trusted, and when a lane breaches (docs/design.md §2, docs/rules.md).
// Pure and header-only.
#include <cstdint>
#include <map>
#include <optional>

#include "storeq/controller/config.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

// Automatic feeds (sensors, the simulator) repeat their count; silence means they broke.
// A count a person set (manual, pos) holds until they change it.
inline bool is_automatic(CountSource source) { return source == CountSource::sensor || source == CountSource::sim; }

// The last sample taken from each source of one lane. Sources number their samples their
// own way (a lane display by the epoch in ms, a sensor by a counter), so a sample is only
// ever compared with earlier samples of its own source: by seq when both have one, by the
// device's ts otherwise. Across sources the newest sample received wins.
struct SampleOrder {
    struct Mark {
        TimeMs ts = 0;
        std::optional<std::int64_t> seq;
        bool operator==(const Mark&) const = default;
    };
    std::map<CountSource, Mark> last;

    bool is_older(const QueueCount& sample) const {
        const auto it = last.find(sample.source);
        if (it == last.end()) return false;
        if (sample.seq && it->second.seq) return *sample.seq <= *it->second.seq;
        return sample.ts < it->second.ts;
    }
    void take(const QueueCount& sample) { last[sample.source] = Mark{sample.ts, sample.seq}; }
    bool operator==(const SampleOrder&) const = default;
};

// A lane's count as both the rule and the stats hold it.
struct CountView {
    bool open = false;
    bool has_count = false;
    int count = 0;
    bool automatic = true;
    TimeMs last_sample_at = 0;  // controller receive time of the count
};

// False for a lane with no count yet, or whose automatic source has been silent for
// sensor_timeout: such a lane is unknown, never assumed empty.
inline bool is_count_fresh(const CountView& l, const Config& c, TimeMs now) {
    return l.has_count && (!l.automatic || now - l.last_sample_at < c.sensor_timeout);
}

// Open, fresh and waiting (count - 1) >= waiting_threshold: what a breach needs, before dwell.
inline bool is_over_threshold(const CountView& l, const Config& c, TimeMs now) {
    return l.open && is_count_fresh(l, c, now) && l.count - 1 >= c.waiting_threshold;
}

// A lane over the threshold since `over_since` breaches from this time on.
inline TimeMs breach_start(TimeMs over_since, const Config& c) { return over_since + c.dwell; }

// The breach predicate: over the threshold now, and continuously for at least `dwell`.
inline bool is_breach(const CountView& l, std::optional<TimeMs> over_since, const Config& c, TimeMs now) {
    return is_over_threshold(l, c, now) && over_since && now >= breach_start(*over_since, c);
}

}  // namespace storeq::controller
