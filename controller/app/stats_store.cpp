#include "stats_store.hpp"

#include "local_time.hpp"
#include "outbound_log.hpp"
#include "storeq/controller/lane_count.hpp"

#include <algorithm>
#include <climits>
#include <set>

// When a feedback counts in the figures: the kiosk's ts, unless its clock was flagged as
// wrong when stored (feedback_timing, protocol.hpp): then its ts corrected by the kiosk's
// measured clock offset, or without one the controller's receive time
// (feedback_counted_at, protocol.hpp, says the same in C++ for the outbound log). A macro, as it
// is pasted into SQL literals; the one definition both the rollup and the raw read use.
#define FEEDBACK_COUNTED_AT "(CASE WHEN clock_suspect = 1 THEN coalesce(ts + clock_offset, received) ELSE ts END)"

namespace storeq::controller {
namespace {

// Rows are read and swept this many queue samples at a time, so a first rollup of a year
// of data (or a report on a database never rolled up) needs little memory.
constexpr std::int64_t kChunkRows = 200'000;

BreachExposure exposure_of(std::int64_t stored) {
    return stored == 1 ? BreachExposure::after_breach : stored == 0 ? BreachExposure::no_breach : BreachExposure::unknown;
}
std::optional<CountSource> source_named(const std::string& s) {
    for (CountSource v : {CountSource::sensor, CountSource::manual, CountSource::pos, CountSource::sim})
        if (to_string(v) == s) return v;
    return std::nullopt;
}
std::optional<PromptAction> action_named(const std::string& s) {
    for (PromptAction v : kPromptActions)
        if (to_string(v) == s) return v;
    return std::nullopt;
}
std::optional<PromptState> state_named(const std::string& s) {
    for (PromptState v : {PromptState::open, PromptState::claimed, PromptState::fulfilled, PromptState::cancelled,
                          PromptState::expired})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

// Runs a query, calling on_row for each row; bind sets its parameters first.
template <class Bind, class OnRow>
Expected<void> each_row(Database& db, const char* sql, Bind bind, OnRow on_row) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    bind(*stmt);
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return {};
        on_row(*stmt);
    }
}
auto no_params = [](Statement&) {};

LaneEvent lane_state_event(Statement& s) {  // columns: lane, open, received
    LaneEvent e;
    e.lane = static_cast<int>(s.column_int64(0));
    e.open = s.column_int64(1) != 0;
    e.at = s.column_int64(2);
    return e;
}
LaneEvent sample_event(Statement& s) {  // columns: lane, count, ts, received, source, seq
    LaneEvent e;
    e.is_sample = true;
    e.lane = static_cast<int>(s.column_int64(0));
    e.sample.count = static_cast<int>(s.column_int64(1));
    e.sample.ts = s.column_int64(2);
    e.at = s.column_int64(3);
    e.sample.source = source_named(s.column_text(4)).value_or(CountSource::sensor);
    if (!s.column_is_null(5)) e.sample.seq = s.column_int64(5);
    return e;
}
LaneEvent controller_start_event(Statement& s) {  // columns: at
    LaneEvent e;
    e.is_controller_start = true;
    e.at = s.column_int64(0);
    return e;
}
// At the same time: a controller start first (what follows is the new run's), then lane
// states before samples (a till opening and its first count).
void sort_events(std::vector<LaneEvent>& events) {
    auto rank = [](const LaneEvent& e) { return e.is_controller_start ? 0 : e.is_sample ? 2 : 1; };
    std::stable_sort(events.begin(), events.end(), [&](const LaneEvent& a, const LaneEvent& b) {
        return a.at != b.at ? a.at < b.at : rank(a) < rank(b);
    });
}

// Feedback grouped by the hour of its device ts; columns: hour, scale, score, misuse, reason, n,
// exposure (BreachExposure: -1 not known, 0 no breach, 1 after a breach).
// From the raw table the first column is the minute (SQL knows no zone): `zone` puts it
// in its local hour (every zone's offset is whole minutes).
void add_feedback_row(std::map<TimeMs, FeedbackTally>& out, Statement& s, const TimeZone* zone = nullptr) {
    auto scale = scale_named(s.column_text(1));
    if (!scale) return;
    std::optional<std::string> reason;
    if (!s.column_is_null(4)) reason = s.column_text(4);
    const TimeMs key = zone ? local_hour_start(*zone, s.column_int64(0)) : s.column_int64(0);
    out[key].add(*scale, static_cast<int>(s.column_int64(2)), s.column_int64(3) != 0, reason, s.column_int64(5),
                 exposure_of(s.column_int64(6)));
}

Expected<void> load_prompts(Database& db, TimeMs from, TimeMs to, std::vector<PromptRecord>& out) {
    return each_row(
        db,
        // A prompt's row loses claimed_at when it ends (the live prompt is gone by then):
        // the transition log keeps the claim time.
        "SELECT action, state, raised, coalesce(claimed_at, (SELECT min(at) FROM prompt_transitions t "
        "WHERE t.prompt_id = p.id AND t.transition = 'claimed')), updated FROM prompts p WHERE raised >= ? AND raised < ?",
        [&](Statement& s) { s.bind(1, from).bind(2, to); },
        [&](Statement& s) {
            auto action = action_named(s.column_text(0));
            auto state = state_named(s.column_text(1));
            if (!action || !state) return;
            PromptRecord p;
            p.action = *action;
            p.state = *state;
            p.raised = s.column_int64(2);
            if (!s.column_is_null(3)) p.claimed_at = s.column_int64(3);
            p.updated = s.column_int64(4);
            out.push_back(p);
        });
}

}  // namespace

Expected<RollupDelta> StatsStore::pending(TimeMs until, const Config& config, const TimeZone& zone) {
    RollupDelta d;
    d.head_office = config.head_office;
    std::int64_t feedback_from = 0;
    auto cursor = each_row(
        db_, "SELECT swept_to, queue_rowid, lane_state_rowid, feedback_seq, start_rowid FROM rollup_cursor WHERE id = 1",
        no_params, [&](Statement& s) {
            d.carry.at = s.column_int64(0);
            d.queue_rowid = s.column_int64(1);
            d.lane_state_rowid = s.column_int64(2);
            feedback_from = s.column_int64(3);
            d.start_rowid = s.column_int64(4);
        });
    if (!cursor) return cursor.error();
    auto carry = each_row(
        db_,
        "SELECT lane, open, has_count, count, automatic, last_sample_at, last_ts, last_seq, over_since, "
        "breach_counted, decided, swept_to FROM rollup_lane_carry",
        no_params, [&](Statement& s) {
            LaneCarry& l = d.carry.lanes[static_cast<int>(s.column_int64(0))];
            l.open = s.column_int64(1) != 0;
            l.has_count = s.column_int64(2) != 0;
            l.count = static_cast<int>(s.column_int64(3));
            l.automatic = s.column_int64(4) != 0;
            l.last_sample_at = s.column_int64(5);
            if (!s.column_is_null(8)) l.over_since = s.column_int64(8);
            l.breach_counted = s.column_int64(9) != 0;
            l.decided = s.column_int64(10) != 0;
            l.swept_to = s.column_int64(11);
        });
    if (!carry) return carry.error();
    auto order = each_row(
        db_, "SELECT lane, source, last_ts, last_seq FROM rollup_lane_order", no_params, [&](Statement& s) {
            const auto source = source_named(s.column_text(1));
            if (!source) return;
            auto& mark = d.carry.lanes[static_cast<int>(s.column_int64(0))].order.last[*source];
            mark.ts = s.column_int64(2);
            if (!s.column_is_null(3)) mark.seq = s.column_int64(3);
        });
    if (!order) return order.error();

    // Samples a chunk at a time, with the lane states received up to the chunk's last
    // sample (rowids follow receive order: one writer, stamping its own clock).
    while (true) {
        std::vector<LaneEvent> events;
        auto samples = each_row(
            db_, "SELECT lane, count, ts, received, source, seq, rowid FROM queue_samples WHERE rowid > ? ORDER BY rowid LIMIT ?",
            [&](Statement& s) { s.bind(1, d.queue_rowid).bind(2, kChunkRows); },
            [&](Statement& s) {
                events.push_back(sample_event(s));
                d.queue_rowid = s.column_int64(6);
            });
        if (!samples) return samples.error();
        const bool last_chunk = static_cast<std::int64_t>(events.size()) < kChunkRows;
        const TimeMs chunk_end = last_chunk ? LLONG_MAX : events.back().at;
        auto states = each_row(
            db_, "SELECT lane, open, received, rowid FROM lane_states WHERE rowid > ? AND received <= ? ORDER BY rowid",
            [&](Statement& s) { s.bind(1, d.lane_state_rowid).bind(2, chunk_end); },
            [&](Statement& s) {
                events.push_back(lane_state_event(s));
                d.lane_state_rowid = s.column_int64(3);
            });
        if (!states) return states.error();
        auto starts = each_row(
            db_, "SELECT at, rowid FROM controller_starts WHERE rowid > ? AND at <= ? ORDER BY rowid",
            [&](Statement& s) { s.bind(1, d.start_rowid).bind(2, chunk_end); },
            [&](Statement& s) {
                events.push_back(controller_start_event(s));
                d.start_rowid = s.column_int64(1);
            });
        if (!starts) return starts.error();
        sort_events(events);
        const TimeMs sweep_to = last_chunk ? until : std::min(until, chunk_end);
        sweep_lanes(d.carry, events, sweep_to, config, d.buckets.lanes, zone);
        if (last_chunk) break;
    }

    // Every feedback stored since the last rollup, whatever its receive time says (see the
    // schema's comment on seq); each counts in the bucket of its own time.
    d.feedback_seq = feedback_from;
    auto last = each_row(
        db_, "SELECT coalesce(max(seq), 0) FROM feedback", no_params,
        [&](Statement& s) { d.feedback_seq = std::max(feedback_from, s.column_int64(0)); });
    if (!last) return last.error();
    auto feedback = each_row(
        db_,
        "SELECT " FEEDBACK_COUNTED_AT " / 60000 * 60000, scale, score, misuse, reason, count(*), "
        "coalesce(after_breach, -1) FROM feedback WHERE seq > ? AND seq <= ? GROUP BY 1, 2, 3, 4, 5, 7",
        [&](Statement& s) { s.bind(1, feedback_from).bind(2, d.feedback_seq); },
        [&](Statement& s) { add_feedback_row(d.buckets.feedback, s, &zone); });
    if (!feedback) return feedback.error();
    // Codes the store does not ask for are rolled up as `other`: reason_hourly grows by
    // the configured codes, never by what a kiosk account chose to send.
    for (auto& [hour, tally] : d.buckets.feedback) fold_reasons(tally, config.positive_reasons, config.negative_reasons);
    return d;
}

// Inside apply()'s transaction, before the cursor moves: the hours this rollup closed (the
// sweep passed their end) and the closed hours it changed (a late feedback), each read back
// whole from the rollup tables into one outbound entry. Head office replaces its copy of
// an hour by the newest, so its figures are the store's own for every closed hour.
Expected<void> StatsStore::log_closed_hours(const RollupDelta& d) {
    TimeMs swept_before = 0;
    auto cursor = each_row(db_, "SELECT swept_to FROM rollup_cursor WHERE id = 1", no_params,
                           [&](Statement& s) { swept_before = s.column_int64(0); });
    if (!cursor) return cursor;
    const TimeMs swept_now = d.carry.at;
    std::set<TimeMs> hours;
    auto closed = [&](TimeMs hour) { return hour + kHourMs <= swept_now; };
    for (const auto& [key, totals] : d.buckets.lanes)
        if (closed(key.first)) hours.insert(key.first);
    for (const auto& [hour, tally] : d.buckets.feedback)
        if (closed(hour)) hours.insert(hour);
    auto newly_closed = each_row(
        db_,
        "SELECT hour FROM lane_hourly WHERE hour > ?1 AND hour <= ?2 UNION "
        "SELECT hour FROM feedback_hourly WHERE hour > ?1 AND hour <= ?2",
        [&](Statement& s) { s.bind(1, swept_before - kHourMs).bind(2, swept_now - kHourMs); },
        [&](Statement& s) { hours.insert(s.column_int64(0)); });
    if (!newly_closed) return newly_closed;
    for (TimeMs hour : hours) {
        auto data = load(hour, hour + kHourMs);
        if (!data) return data.error();
        chain::HourEntry entry;
        entry.hour = hour;
        for (const auto& [key, totals] : data->lanes) entry.lanes.emplace_back(key.second, totals);
        if (auto it = data->feedback.find(hour); it != data->feedback.end()) entry.feedback = it->second;
        if (auto logged = outbound_log::append(db_, entry); !logged) return logged;
    }
    return {};
}

Expected<void> StatsStore::apply(const RollupDelta& d) {
    Transaction tx(db_);
    if (!tx.begun()) return tx.begun().error();
    auto lane = db_.prepare(
        "INSERT INTO lane_hourly(hour, lane, open_ms, counted_ms, unknown_ms, breach_ms, queue_ms, max_queue, samples, "
        "breaches, kept, broken) VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(hour, lane) DO UPDATE SET "
        "open_ms = open_ms + excluded.open_ms, counted_ms = counted_ms + excluded.counted_ms, "
        "unknown_ms = unknown_ms + excluded.unknown_ms, breach_ms = breach_ms + excluded.breach_ms, "
        "queue_ms = queue_ms + excluded.queue_ms, max_queue = max(max_queue, excluded.max_queue), "
        "samples = samples + excluded.samples, breaches = breaches + excluded.breaches, "
        "kept = kept + excluded.kept, broken = broken + excluded.broken");
    if (!lane) return lane.error();
    for (const auto& [key, t] : d.buckets.lanes) {
        lane->bind(1, key.first).bind(2, key.second).bind(3, t.open_ms).bind(4, t.counted_ms).bind(5, t.unknown_ms);
        lane->bind(6, t.breach_ms).bind(7, t.queue_ms).bind(8, t.max_queue).bind(9, t.samples);
        lane->bind(10, t.breaches).bind(11, t.kept).bind(12, t.broken);
        if (auto ran = lane->run(); !ran) return ran.error();
    }
    auto score = db_.prepare(
        "INSERT INTO feedback_hourly(hour, scale, score, misuse, n) VALUES(?,?,?,?,?) "
        "ON CONFLICT(hour, scale, score, misuse) DO UPDATE SET n = n + excluded.n");
    auto reason = db_.prepare(
        "INSERT INTO reason_hourly(hour, side, reason, n) VALUES(?,?,?,?) "
        "ON CONFLICT(hour, side, reason) DO UPDATE SET n = n + excluded.n");
    auto breach_score = db_.prepare(
        "INSERT INTO feedback_breach_hourly(hour, scale, score, after_breach, n) VALUES(?,?,?,?,?) "
        "ON CONFLICT(hour, scale, score, after_breach) DO UPDATE SET n = n + excluded.n");
    if (!score) return score.error();
    if (!reason) return reason.error();
    if (!breach_score) return breach_score.error();
    auto put_score = [&](TimeMs hour, Scale scale, std::size_t value, bool misuse, std::int64_t n) -> Expected<void> {
        if (n == 0) return {};
        score->bind(1, hour).bind(2, to_string(scale)).bind(3, static_cast<std::int64_t>(value)).bind(4, misuse ? 1 : 0).bind(5, n);
        return score->run();
    };
    for (const auto& [hour, t] : d.buckets.feedback) {
        for (std::size_t i = 0; i < t.smiley4.size(); ++i)
            if (auto ran = put_score(hour, Scale::smiley4, i, false, t.smiley4[i]); !ran) return ran.error();
        for (std::size_t i = 0; i < t.smiley5.size(); ++i)
            if (auto ran = put_score(hour, Scale::smiley5, i, false, t.smiley5[i]); !ran) return ran.error();
        for (std::size_t i = 0; i < t.nps.size(); ++i)
            if (auto ran = put_score(hour, Scale::nps, i, false, t.nps[i]); !ran) return ran.error();
        // Misuse presses keep no scale in the tally: one row under smiley4/score 0 holds them.
        if (auto ran = put_score(hour, Scale::smiley4, 0, true, t.misuse); !ran) return ran.error();
        for (std::size_t after = 0; after < t.by_breach.size(); ++after) {
            const ScoreCounts& c = t.by_breach[after];
            auto put = [&](Scale scale, const auto& counts) -> Expected<void> {
                for (std::size_t i = 0; i < counts.size(); ++i) {
                    if (counts[i] == 0) continue;
                    breach_score->bind(1, hour).bind(2, to_string(scale)).bind(3, static_cast<std::int64_t>(i));
                    breach_score->bind(4, static_cast<std::int64_t>(after)).bind(5, counts[i]);
                    if (auto ran = breach_score->run(); !ran) return ran.error();
                }
                return {};
            };
            if (auto ran = put(Scale::smiley4, c.smiley4); !ran) return ran.error();
            if (auto ran = put(Scale::smiley5, c.smiley5); !ran) return ran.error();
            if (auto ran = put(Scale::nps, c.nps); !ran) return ran.error();
        }
        for (const auto& [side, reasons] : {std::pair{"positive", &t.reasons_positive}, std::pair{"negative", &t.reasons_negative}}) {
            for (const auto& [code, n] : *reasons) {
                reason->bind(1, hour).bind(2, side).bind(3, code).bind(4, n);
                if (auto ran = reason->run(); !ran) return ran.error();
            }
        }
    }
    if (auto cleared = db_.exec("DELETE FROM rollup_lane_carry"); !cleared) return cleared;
    auto carry = db_.prepare(
        "INSERT INTO rollup_lane_carry(lane, open, has_count, count, automatic, last_sample_at, last_ts, last_seq, "
        "over_since, breach_counted, decided, swept_to) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!carry) return carry.error();
    for (const auto& [number, l] : d.carry.lanes) {
        carry->bind(1, number).bind(2, l.open ? 1 : 0).bind(3, l.has_count ? 1 : 0).bind(4, l.count);
        carry->bind(5, l.automatic ? 1 : 0).bind(6, l.last_sample_at).bind(7, 0).bind(8, std::optional<std::int64_t>());
        carry->bind(9, l.over_since).bind(10, l.breach_counted ? 1 : 0).bind(11, l.decided ? 1 : 0).bind(12, l.swept_to);
        if (auto ran = carry->run(); !ran) return ran.error();
    }
    if (auto cleared = db_.exec("DELETE FROM rollup_lane_order"); !cleared) return cleared;
    auto order = db_.prepare("INSERT INTO rollup_lane_order(lane, source, last_ts, last_seq) VALUES(?,?,?,?)");
    if (!order) return order.error();
    for (const auto& [number, l] : d.carry.lanes) {
        for (const auto& [source, mark] : l.order.last) {
            order->bind(1, number).bind(2, to_string(source)).bind(3, mark.ts).bind(4, mark.seq);
            if (auto ran = order->run(); !ran) return ran.error();
        }
    }
    if (d.head_office)
        if (auto logged = log_closed_hours(d); !logged) return logged;
    auto cursor = db_.prepare(
        "UPDATE rollup_cursor SET swept_to = ?, queue_rowid = ?, lane_state_rowid = ?, feedback_seq = ?, start_rowid = ? "
        "WHERE id = 1");
    if (!cursor) return cursor.error();
    cursor->bind(1, d.carry.at).bind(2, d.queue_rowid).bind(3, d.lane_state_rowid).bind(4, d.feedback_seq);
    cursor->bind(5, d.start_rowid);
    if (auto ran = cursor->run(); !ran) return ran.error();
    return tx.commit();
}

Expected<void> StatsStore::refresh(TimeMs until, const Config& config, const TimeZone& zone) {
    auto delta = pending(until, config, zone);
    if (!delta) return delta.error();
    return apply(*delta);
}

Expected<StatsData> StatsStore::load(TimeMs from, TimeMs to) {
    StatsData data;
    auto range = [&](Statement& s) { s.bind(1, from).bind(2, to); };
    auto lanes = each_row(
        db_,
        "SELECT hour, lane, open_ms, counted_ms, unknown_ms, breach_ms, queue_ms, max_queue, samples, breaches, kept, "
        "broken FROM lane_hourly WHERE hour >= ? AND hour < ?",
        range, [&](Statement& s) {
            LaneTotals& t = data.lanes[{s.column_int64(0), static_cast<int>(s.column_int64(1))}];
            t.open_ms = s.column_int64(2);
            t.counted_ms = s.column_int64(3);
            t.unknown_ms = s.column_int64(4);
            t.breach_ms = s.column_int64(5);
            t.queue_ms = s.column_int64(6);
            t.max_queue = static_cast<int>(s.column_int64(7));
            t.samples = s.column_int64(8);
            t.breaches = s.column_int64(9);
            t.kept = s.column_int64(10);
            t.broken = s.column_int64(11);
        });
    if (!lanes) return lanes.error();
    auto scores = each_row(
        db_, "SELECT hour, scale, score, misuse, NULL, n, -1 FROM feedback_hourly WHERE hour >= ? AND hour < ?", range,
        [&](Statement& s) { add_feedback_row(data.feedback, s); });
    if (!scores) return scores.error();
    auto by_breach = each_row(
        db_, "SELECT hour, scale, score, after_breach, n FROM feedback_breach_hourly WHERE hour >= ? AND hour < ?",
        range, [&](Statement& s) {
            auto scale = scale_named(s.column_text(1));
            if (!scale) return;
            data.feedback[s.column_int64(0)].by_breach[s.column_int64(3) == 1 ? 1 : 0].add(
                *scale, static_cast<int>(s.column_int64(2)), s.column_int64(4));
        });
    if (!by_breach) return by_breach.error();
    auto reasons = each_row(
        db_, "SELECT hour, side, reason, n FROM reason_hourly WHERE hour >= ? AND hour < ?", range,
        [&](Statement& s) {
            data.feedback[s.column_int64(0)].add_reason(s.column_text(1) == "positive", s.column_text(2), s.column_int64(3));
        });
    if (!reasons) return reasons.error();
    if (auto prompts = load_prompts(db_, from, to, data.prompts); !prompts) return prompts.error();
    return data;
}

Expected<StatsData> StatsStore::load_raw(TimeMs from, TimeMs to, const Config& config, const TimeZone& zone) {
    StatsData data;
    SweepCarry carry;
    carry.at = from;
    std::vector<LaneEvent> events;
    std::vector<int> lanes;
    auto listed = each_row(db_, "SELECT DISTINCT lane FROM lane_states", no_params,
                           [&](Statement& s) { lanes.push_back(static_cast<int>(s.column_int64(0))); });
    if (!listed) return listed.error();
    auto lane_and_range = [&](int lane) { return [&, lane](Statement& s) { s.bind(1, lane).bind(2, from).bind(3, to); }; };
    for (int lane : lanes) {
        LaneCarry& l = carry.lanes[lane];
        l.swept_to = from;
        auto state = each_row(
            db_, "SELECT open FROM lane_states WHERE lane = ? AND received < ? ORDER BY received DESC, rowid DESC LIMIT 1",
            [&](Statement& s) { s.bind(1, lane).bind(2, from); }, [&](Statement& s) { l.open = s.column_int64(0) != 0; });
        if (!state) return state.error();
        auto sample = each_row(
            db_,
            "SELECT lane, count, ts, received, source, seq FROM queue_samples WHERE lane = ? AND received < ? "
            "ORDER BY received DESC, rowid DESC LIMIT 1",
            [&](Statement& s) { s.bind(1, lane).bind(2, from); },
            [&](Statement& s) {
                const LaneEvent e = sample_event(s);
                l.has_count = true;
                l.count = e.sample.count;
                l.automatic = is_automatic(e.sample.source);
                l.last_sample_at = e.at;
                l.order.take(e.sample);
            });
        if (!sample) return sample.error();
        // A queue already long at `from` counts as starting then (windows start at night).
        if (is_over_threshold(CountView{l.open, l.has_count, l.count, l.automatic, l.last_sample_at}, config, from))
            l.over_since = from;
        auto states = each_row(db_,
                               "SELECT lane, open, received FROM lane_states WHERE lane = ? AND received >= ? AND "
                               "received < ? ORDER BY received, rowid",
                               lane_and_range(lane), [&](Statement& s) { events.push_back(lane_state_event(s)); });
        if (!states) return states.error();
        auto samples = each_row(db_,
                                "SELECT lane, count, ts, received, source, seq FROM queue_samples WHERE lane = ? AND "
                                "received >= ? AND received < ? ORDER BY received, rowid",
                                lane_and_range(lane), [&](Statement& s) { events.push_back(sample_event(s)); });
        if (!samples) return samples.error();
    }
    auto starts = each_row(db_, "SELECT at FROM controller_starts WHERE at >= ? AND at < ? ORDER BY rowid",
                           [&](Statement& s) { s.bind(1, from).bind(2, to); },
                           [&](Statement& s) { events.push_back(controller_start_event(s)); });
    if (!starts) return starts.error();
    sort_events(events);
    sweep_lanes(carry, events, to, config, data.lanes, zone);
    auto feedback = each_row(
        db_,
        "SELECT " FEEDBACK_COUNTED_AT " / 60000 * 60000, scale, score, misuse, reason, count(*), "
        "coalesce(after_breach, -1) FROM feedback WHERE " FEEDBACK_COUNTED_AT " >= ? AND " FEEDBACK_COUNTED_AT
        " < ? GROUP BY 1, 2, 3, 4, 5, 7",
        [&](Statement& s) { s.bind(1, local_hour_start(zone, from)).bind(2, to); },
        [&](Statement& s) { add_feedback_row(data.feedback, s, &zone); });
    if (!feedback) return feedback.error();
    if (auto prompts = load_prompts(db_, from, to, data.prompts); !prompts) return prompts.error();
    return data;
}

Expected<std::optional<std::string>> StatsStore::recorded_zone() {
    std::optional<std::string> name;
    auto read = each_row(
        db_, "SELECT value FROM store_meta WHERE key = ?", [](Statement& s) { s.bind(1, kStoreZoneKey); },
        [&](Statement& s) { name = s.column_text(0); });
    if (!read) return read.error();
    return name;
}

Expected<void> StatsStore::record_zone(const std::string& name) {
    auto stmt = db_.prepare("INSERT INTO store_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    stmt->bind(1, kStoreZoneKey).bind(2, name);
    return stmt->run();
}

Expected<std::pair<TimeMs, TimeMs>> StatsStore::stored_time_range() {
    TimeMs first = LLONG_MAX, last = LLONG_MIN;
    auto take = [&](Statement& s) {
        if (s.column_is_null(0)) return;
        first = std::min(first, s.column_int64(0));
        last = std::max(last, s.column_int64(1));
    };
    for (const char* sql :
         {"SELECT (SELECT received FROM queue_samples ORDER BY rowid LIMIT 1), (SELECT received FROM queue_samples ORDER BY rowid DESC LIMIT 1)",
          "SELECT (SELECT received FROM lane_states ORDER BY rowid LIMIT 1), (SELECT received FROM lane_states ORDER BY rowid DESC LIMIT 1)",
          "SELECT min(received), max(received) FROM feedback"}) {
        if (auto ran = each_row(db_, sql, no_params, take); !ran) return ran.error();
    }
    if (first == LLONG_MAX) return std::pair<TimeMs, TimeMs>{0, 0};
    return std::pair<TimeMs, TimeMs>{first, last};
}

}  // namespace storeq::controller
