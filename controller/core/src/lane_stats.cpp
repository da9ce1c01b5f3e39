#include "storeq/controller/lane_stats.hpp"

#include "storeq/controller/lane_count.hpp"

#include <algorithm>
#include <array>
#include <climits>

namespace storeq::controller {

void LaneTotals::merge(const LaneTotals& o) {
    open_ms += o.open_ms;
    counted_ms += o.counted_ms;
    unknown_ms += o.unknown_ms;
    breach_ms += o.breach_ms;
    queue_ms += o.queue_ms;
    max_queue = std::max(max_queue, o.max_queue);
    samples += o.samples;
    breaches += o.breaches;
    kept += o.kept;
    broken += o.broken;
}

std::optional<double> compliance(const LaneTotals& t) {
    if (t.counted_ms <= 0) return std::nullopt;
    return static_cast<double>(t.counted_ms - t.breach_ms) / static_cast<double>(t.counted_ms);
}

std::optional<double> average_queue(const LaneTotals& t) {
    if (t.counted_ms <= 0) return std::nullopt;
    return static_cast<double>(t.queue_ms) / static_cast<double>(t.counted_ms);
}

std::optional<double> promise_kept_rate(const LaneTotals& t) {
    if (t.kept + t.broken == 0) return std::nullopt;
    return static_cast<double>(t.kept) / static_cast<double>(t.kept + t.broken);
}

namespace {

CountView view_of(const LaneCarry& l) { return CountView{l.open, l.has_count, l.count, l.automatic, l.last_sample_at}; }

// The rule engine's own conditions (lane_count.hpp): a breach needs a count we can trust,
// and an automatic source silent for sensor_timeout makes the lane unknown.
struct Sweeper {
    const Config& c;
    LaneHours& out;
    const TimeZone& zone;

    bool fresh(const LaneCarry& l, TimeMs t) const { return is_count_fresh(view_of(l), c, t); }
    bool over(const LaneCarry& l, TimeMs t) const { return is_over_threshold(view_of(l), c, t); }
    TimeMs breach_start(const LaneCarry& l) const { return controller::breach_start(*l.over_since, c); }
    LaneTotals& bucket(TimeMs t, int lane) { return out[{local_hour_start(zone, t), lane}]; }

    void decide(LaneCarry& l, int lane, bool kept) {
        auto& b = bucket(breach_start(l), lane);
        (kept ? b.kept : b.broken) += 1;
        l.decided = true;
    }
    void resolve(LaneCarry& l, int lane, TimeMs t) {
        if (l.breach_counted && !l.decided) decide(l, lane, t - breach_start(l) <= c.promise_target);
    }
    void count_breach_if_started(LaneCarry& l, int lane, TimeMs t) {
        if (l.over_since && !l.breach_counted && t >= breach_start(l)) {
            bucket(breach_start(l), lane).breaches += 1;
            l.breach_counted = true;
        }
    }
    // A sensor going silent ends the run without a verdict: nobody knows what happened.
    void end_run(LaneCarry& l, int lane, TimeMs t, bool resolved) {
        if (resolved) resolve(l, lane, t);
        l.over_since.reset();
        l.breach_counted = l.decided = false;
    }
    void update_run(LaneCarry& l, int lane, TimeMs t) {
        const bool is_over = over(l, t);
        if (is_over && !l.over_since) {
            l.over_since = t;
            l.breach_counted = l.decided = false;
        } else if (!is_over && l.over_since) {
            end_run(l, lane, t, fresh(l, t));  // gone silent: no verdict
        }
        count_breach_if_started(l, lane, t);
    }

    // Accounts the lane's time up to `to`, in pieces during which nothing changes: split
    // at hour ends, at the count going stale, at the breach start and its promise deadline.
    void advance(LaneCarry& l, int lane, TimeMs to) {
        TimeMs t = l.swept_to;
        while (t < to) {
            // The count went stale at t: the run ends there. Checked here, not once `to`
            // is reached, because a sample received at `to` itself keeps the run going,
            // as it does for the rule engine (it takes the events of an instant first).
            if (l.over_since && !fresh(l, t)) end_run(l, lane, t, false);
            count_breach_if_started(l, lane, t);
            TimeMs next = std::min(to, next_local_hour(zone, t));
            const bool is_fresh = fresh(l, t);
            if (is_fresh && l.automatic) next = std::min(next, l.last_sample_at + c.sensor_timeout);
            if (l.over_since) {
                const TimeMs start = breach_start(l);
                if (start > t) next = std::min(next, start);
                else if (!l.decided && start + c.promise_target > t) next = std::min(next, start + c.promise_target);
            }
            const TimeMs d = next - t;
            if (l.open) {
                auto& b = bucket(t, lane);
                b.open_ms += d;
                if (is_fresh) {
                    b.counted_ms += d;
                    b.queue_ms += static_cast<std::int64_t>(l.count) * d;
                    b.max_queue = std::max(b.max_queue, l.count);
                } else {
                    b.unknown_ms += d;
                }
                if (l.over_since && t >= breach_start(l)) b.breach_ms += d;
            }
            if (l.over_since && l.breach_counted && !l.decided && next > breach_start(l) + c.promise_target)
                decide(l, lane, false);
            t = next;
        }
        l.swept_to = std::max(l.swept_to, to);
    }
};

}  // namespace

void sweep_lanes(SweepCarry& carry, const std::vector<LaneEvent>& events, TimeMs until, const Config& config,
                 LaneHours& out, const TimeZone& zone) {
    Sweeper s{config, out, zone};
    // The rule ignores lanes that are not tills of the store (a misconfigured sensor, a
    // hostile account counting lanes 7..999): so do the figures.
    std::array<bool, kMaxLane + 1> is_till{};
    for (int till : config.tills)
        if (till >= 0 && till <= kMaxLane) is_till[static_cast<std::size_t>(till)] = true;
    for (const auto& e : events) {
        if (e.is_controller_start) {
            // Nothing is counted between the previous run's last sweep and this start,
            // whichever way the clocks of the two runs differ.
            for (auto& [lane, l] : carry.lanes) {
                if (l.over_since) s.end_run(l, lane, e.at, false);
                if (l.automatic) l.has_count = false;
                l.swept_to = e.at;
            }
            carry.at = e.at;
            continue;
        }
        if (e.lane < 0 || e.lane > kMaxLane || !is_till[static_cast<std::size_t>(e.lane)]) continue;
        const TimeMs t = std::max(e.at, carry.at);
        carry.at = t;
        auto [it, is_new] = carry.lanes.try_emplace(e.lane);
        LaneCarry& l = it->second;
        if (is_new) l.swept_to = t;
        s.advance(l, e.lane, t);
        if (e.is_sample) {
            if (l.order.is_older(e.sample)) continue;
            l.count = e.sample.count;
            l.has_count = true;
            l.automatic = is_automatic(e.sample.source);
            l.last_sample_at = t;
            l.order.take(e.sample);
            s.bucket(t, e.lane).samples += 1;
            s.update_run(l, e.lane, t);
            continue;
        }
        const bool opened = e.open && !l.open;
        l.open = e.open;
        s.update_run(l, e.lane, t);
        if (!opened) continue;
        // A till opening answers every breach that is waiting for one.
        for (auto& [other, other_lane] : carry.lanes) {
            if (other == e.lane) continue;
            s.advance(other_lane, other, t);
            if (other_lane.over_since && s.fresh(other_lane, t)) s.resolve(other_lane, other, t);
        }
    }
    carry.at = std::max(carry.at, until);
    for (auto& [lane, l] : carry.lanes) s.advance(l, lane, carry.at);
}

std::map<int, LaneTotals> totals_by_lane(const LaneHours& hours, TimeMs from, TimeMs to, LaneTotals* all) {
    std::map<int, LaneTotals> by_lane;
    for (auto it = hours.lower_bound({from, INT_MIN}); it != hours.end() && it->first.first < to; ++it) {
        by_lane[it->first.second].merge(it->second);
        if (all) all->merge(it->second);
    }
    return by_lane;
}

}  // namespace storeq::controller
