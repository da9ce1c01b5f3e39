#include "hq_store.hpp"

#include <algorithm>
#include <functional>

#include "storeq/hq/schema.hpp"

namespace storeq::hq {
namespace {

using chain::FeedbackEntry;
using chain::HourEntry;
using chain::LaneEntry;
using chain::PromptEntry;

PgParam num(std::int64_t v) { return std::to_string(v); }
PgParam flag(bool v) { return std::string(v ? "t" : "f"); }
PgParam str(std::string_view v) { return std::string(v); }

// PostgreSQL takes at most 65,535 parameters in one statement.
constexpr std::size_t kMaxParams = 60'000;

// One multi-row INSERT per chunk: `head` is "INSERT INTO t(a, b)", `tail` the ON CONFLICT
// and RETURNING part; `values` holds `columns` parameters per row. on_result sees each
// chunk's result (RETURNING rows).
Expected<void> insert_rows(PgConnection& db, const std::string& head, std::size_t columns,
                           const std::vector<PgParam>& values, const std::string& tail,
                           const std::function<void(const PgResult&)>& on_result = nullptr) {
    const std::size_t per_chunk = kMaxParams / columns;
    const std::size_t rows = values.size() / columns;
    for (std::size_t first = 0; first < rows; first += per_chunk) {
        const std::size_t n = std::min(per_chunk, rows - first);
        std::string sql = head + " VALUES ";
        for (std::size_t r = 0; r < n; ++r) {
            sql += r ? ",(" : "(";
            for (std::size_t c = 0; c < columns; ++c) sql += (c ? ",$" : "$") + std::to_string(r * columns + c + 1);
            sql += ")";
        }
        sql += " " + tail;
        const auto begin = values.begin() + static_cast<std::ptrdiff_t>(first * columns);
        auto result = db.query(sql, std::vector<PgParam>(begin, begin + static_cast<std::ptrdiff_t>(n * columns)));
        if (!result) return result.error();
        if (on_result) on_result(*result);
    }
    return {};
}

std::optional<Scale> scale_named(const std::string& s) {
    for (Scale v : {Scale::smiley4, Scale::smiley5, Scale::nps})
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

// One transaction's rows, gathered from every store's ready entries.
struct Rows {
    std::vector<PgParam> feedback, lane_events, hour_seq;
    std::map<std::pair<std::string, std::string>, PromptEntry> prompts;           // newest per (store, id)
    std::map<std::pair<std::string, TimeMs>, std::pair<std::int64_t, const HourEntry*>> hours;  // highest seq
    std::set<int> months;
};

void gather(Rows& rows, const std::string& store, const chain::Entry& entry) {
    if (const auto* f = std::get_if<FeedbackEntry>(&entry.body)) {
        const int month = month_key(f->counted_at);
        rows.months.insert(month);
        rows.feedback.insert(rows.feedback.end(),
                             {str(store), str(f->id), num(month), str(f->kiosk), num(f->ts), num(f->received),
                              num(f->counted_at), str(to_string(f->scale)), num(f->score),
                              f->reason ? str(*f->reason) : PgParam{}, flag(f->misuse), flag(f->clock_suspect),
                              num(entry.seq), f->after_breach ? flag(*f->after_breach) : PgParam{}});
    } else if (const auto* p = std::get_if<PromptEntry>(&entry.body)) {
        // Two transitions of one prompt in one statement would touch its row twice: the
        // newer one is enough (the table keeps the newest anyway).
        auto [it, fresh] = rows.prompts.try_emplace({store, p->id}, *p);
        if (!fresh && p->updated >= it->second.updated) it->second = *p;
        rows.months.insert(month_key(p->raised));
    } else if (const auto* l = std::get_if<LaneEntry>(&entry.body)) {
        const int month = month_key(l->at);
        rows.months.insert(month);
        rows.lane_events.insert(rows.lane_events.end(),
                                {str(store), num(entry.seq), num(month), num(l->lane), flag(l->open), num(l->at)});
    } else if (const auto* h = std::get_if<HourEntry>(&entry.body)) {
        auto [it, fresh] = rows.hours.try_emplace({store, h->hour}, entry.seq, h);
        if (!fresh && entry.seq > it->second.first) it->second = {entry.seq, h};
        rows.months.insert(month_key(h->hour));
    }
}

}  // namespace

Expected<int> HqStore::migrate() {
    if (auto made = db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL)"); !made) return made.error();
    auto tx = PgTransaction::begin(db_);
    if (!tx) return tx.error();
    if (auto locked = db_.exec("LOCK TABLE schema_version IN EXCLUSIVE MODE"); !locked) return locked.error();
    auto current = db_.query("SELECT coalesce(max(version), 0) FROM schema_version");
    if (!current) return current.error();
    const auto& steps = schema_migrations();
    int version = static_cast<int>(current->int64(0, 0));
    if (version > static_cast<int>(steps.size()))
        return Error{"schema", "the database is at version " + std::to_string(version) + ", newer than this storeq-hq (" +
                                   std::to_string(steps.size()) + ")"};
    for (; version < static_cast<int>(steps.size()); ++version)
        if (auto ran = db_.exec(steps[static_cast<std::size_t>(version)]); !ran)
            return Error{"schema step " + std::to_string(version + 1), ran.error().what};
    if (auto cleared = db_.exec("DELETE FROM schema_version"); !cleared) return cleared.error();
    if (auto set = db_.query("INSERT INTO schema_version VALUES ($1)", {num(version)}); !set) return set.error();
    if (auto committed = tx->commit(); !committed) return committed.error();
    return version;
}

Expected<std::map<std::string, StoredCursor>> HqStore::cursors() {
    auto result = db_.query("SELECT store, seq, zone FROM store_cursor");
    if (!result) return result.error();
    std::map<std::string, StoredCursor> out;
    for (int r = 0; r < result->rows(); ++r) out[result->text(r, 0)] = {result->int64(r, 1), result->text(r, 2)};
    return out;
}

Expected<void> HqStore::ensure_partitions(const std::set<int>& months) {
    for (int month : months) {
        if (partitioned_months_.count(month)) continue;
        for (const auto& table : monthly_tables())
            if (auto made = db_.exec(partition_sql(table, month)); !made) return made.error();
    }
    return {};
}

Expected<std::int64_t> HqStore::commit(const std::map<std::string, StoreReady>& ready, TimeMs now) {
    Rows rows;
    std::int64_t entries = 0;
    for (const auto& [store, r] : ready) {
        for (const auto& entry : r.entries) gather(rows, store, entry);
        entries += static_cast<std::int64_t>(r.entries.size());
    }
    auto tx = PgTransaction::begin(db_);
    if (!tx) return tx.error();
    if (auto made = ensure_partitions(rows.months); !made) return made.error();

    if (auto put = insert_rows(db_,
                               "INSERT INTO feedback(store, id, month, kiosk, ts, received, counted_at, scale, score, "
                               "reason, misuse, clock_suspect, seq, after_breach)",
                               14, rows.feedback, "ON CONFLICT DO NOTHING");
        !put)
        return put.error();
    if (auto put = insert_rows(db_, "INSERT INTO lane_events(store, seq, month, lane, open, at)", 6, rows.lane_events,
                               "ON CONFLICT DO NOTHING");
        !put)
        return put.error();
    std::vector<PgParam> prompts;
    for (const auto& [key, p] : rows.prompts)
        prompts.insert(prompts.end(), {str(key.first), str(p.id), num(month_key(p.raised)), str(to_string(p.action)),
                                       num(p.till), str(to_string(p.state)), num(p.level), num(p.raised),
                                       num(p.updated), p.claimed_by ? str(*p.claimed_by) : PgParam{},
                                       p.claimed_at ? num(*p.claimed_at) : PgParam{}});
    // A re-sent older transition never moves a prompt back.
    if (auto put = insert_rows(db_,
                               "INSERT INTO prompts(store, id, month, action, till, state, level, raised, updated, "
                               "claimed_by, claimed_at)",
                               11, prompts,
                               "ON CONFLICT (store, id, month) DO UPDATE SET action = excluded.action, till = "
                               "excluded.till, state = excluded.state, level = excluded.level, updated = "
                               "excluded.updated, claimed_by = excluded.claimed_by, claimed_at = "
                               "coalesce(excluded.claimed_at, prompts.claimed_at) WHERE prompts.updated < excluded.updated");
        !put)
        return put.error();

    // Hours: a store's hour is replaced whole, and only by a higher seq than the one it has.
    std::vector<PgParam> hour_seq;
    for (const auto& [key, winner] : rows.hours)
        hour_seq.insert(hour_seq.end(), {str(key.first), num(key.second), num(winner.first)});
    std::set<std::pair<std::string, TimeMs>> replaced;
    if (auto put = insert_rows(db_, "INSERT INTO hour_seq(store, hour, seq)", 3, hour_seq,
                               "ON CONFLICT (store, hour) DO UPDATE SET seq = excluded.seq WHERE hour_seq.seq < "
                               "excluded.seq RETURNING store, hour",
                               [&](const PgResult& r) {
                                   for (int i = 0; i < r.rows(); ++i) replaced.insert({r.text(i, 0), r.int64(i, 1)});
                               });
        !put)
        return put.error();
    std::vector<PgParam> lanes, scores, reasons, breach_scores;
    for (const auto& key : replaced) {
        const HourEntry& h = *rows.hours.at(key).second;
        const std::string& store = key.first;
        const int month = month_key(h.hour);
        for (const char* table : {"lane_hourly", "feedback_hourly", "reason_hourly", "feedback_breach_hourly"})
            if (auto gone = db_.query(std::string("DELETE FROM ") + table + " WHERE store = $1 AND hour = $2 AND month = $3",
                                      {str(store), num(h.hour), num(month)});
                !gone)
                return gone.error();
        for (const auto& [lane, t] : h.lanes)
            lanes.insert(lanes.end(), {str(store), num(h.hour), num(lane), num(month), num(t.open_ms), num(t.counted_ms),
                                       num(t.unknown_ms), num(t.breach_ms), num(t.queue_ms), num(t.max_queue),
                                       num(t.samples), num(t.breaches), num(t.kept), num(t.broken)});
        // As the store's rollup stores them (controller/app/stats_store.cpp apply): counts
        // by scale and score, and misuse presses under smiley4 / score 0 / misuse.
        auto put_score = [&](Scale scale, std::size_t score, bool misuse, std::int64_t n) {
            if (n == 0) return;
            scores.insert(scores.end(), {str(store), num(h.hour), num(month), str(to_string(scale)),
                                         num(static_cast<std::int64_t>(score)), flag(misuse), num(n)});
        };
        const auto& f = h.feedback;
        for (std::size_t i = 0; i < f.smiley4.size(); ++i) put_score(Scale::smiley4, i, false, f.smiley4[i]);
        for (std::size_t i = 0; i < f.smiley5.size(); ++i) put_score(Scale::smiley5, i, false, f.smiley5[i]);
        for (std::size_t i = 0; i < f.nps.size(); ++i) put_score(Scale::nps, i, false, f.nps[i]);
        put_score(Scale::smiley4, 0, true, f.misuse);
        for (std::size_t after = 0; after < f.by_breach.size(); ++after) {
            auto put = [&](Scale scale, const auto& counts) {
                for (std::size_t i = 0; i < counts.size(); ++i)
                    if (counts[i] != 0)
                        breach_scores.insert(breach_scores.end(),
                                             {str(store), num(h.hour), num(month), str(to_string(scale)),
                                              num(static_cast<std::int64_t>(i)), flag(after == 1), num(counts[i])});
            };
            put(Scale::smiley4, f.by_breach[after].smiley4);
            put(Scale::smiley5, f.by_breach[after].smiley5);
            put(Scale::nps, f.by_breach[after].nps);
        }
        for (const auto& [side, list] : {std::pair{"positive", &f.reasons_positive}, std::pair{"negative", &f.reasons_negative}})
            for (const auto& [code, n] : *list)
                reasons.insert(reasons.end(), {str(store), num(h.hour), num(month), str(side), str(code), num(n)});
    }
    if (auto put = insert_rows(db_,
                               "INSERT INTO lane_hourly(store, hour, lane, month, open_ms, counted_ms, unknown_ms, "
                               "breach_ms, queue_ms, max_queue, samples, breaches, kept, broken)",
                               14, lanes, "");
        !put)
        return put.error();
    if (auto put = insert_rows(db_, "INSERT INTO feedback_hourly(store, hour, month, scale, score, misuse, n)", 7, scores, "");
        !put)
        return put.error();
    if (auto put = insert_rows(db_, "INSERT INTO reason_hourly(store, hour, month, side, reason, n)", 6, reasons, "");
        !put)
        return put.error();
    if (auto put = insert_rows(db_,
                               "INSERT INTO feedback_breach_hourly(store, hour, month, scale, score, after_breach, n)", 7,
                               breach_scores, "");
        !put)
        return put.error();

    std::vector<PgParam> cursors;
    for (const auto& [store, r] : ready)
        cursors.insert(cursors.end(), {str(store), num(r.first_seq + static_cast<std::int64_t>(r.entries.size()) - 1),
                                       str(r.zone), num(now)});
    if (auto put = insert_rows(db_, "INSERT INTO store_cursor(store, seq, zone, updated)", 4, cursors,
                               "ON CONFLICT (store) DO UPDATE SET seq = greatest(store_cursor.seq, excluded.seq), "
                               "zone = excluded.zone, updated = excluded.updated");
        !put)
        return put.error();
    if (auto committed = tx->commit(); !committed) return committed.error();
    partitioned_months_.insert(rows.months.begin(), rows.months.end());
    return entries;
}

Expected<controller::StatsData> HqStore::load_stats(const std::string& store, TimeMs from, TimeMs to) {
    controller::StatsData data;
    // The month bounds let PostgreSQL read only the partitions of the range.
    const std::vector<PgParam> range{str(store), num(from), num(to), num(month_key(from)), num(month_key(to))};
    const std::string where = " WHERE store = $1 AND hour >= $2 AND hour < $3 AND month >= $4 AND month <= $5";
    auto lanes = db_.query(
        "SELECT hour, lane, open_ms, counted_ms, unknown_ms, breach_ms, queue_ms, max_queue, samples, breaches, kept, "
        "broken FROM lane_hourly" + where, range);
    if (!lanes) return lanes.error();
    for (int r = 0; r < lanes->rows(); ++r) {
        controller::LaneTotals& t = data.lanes[{lanes->int64(r, 0), static_cast<int>(lanes->int64(r, 1))}];
        t.open_ms = lanes->int64(r, 2);
        t.counted_ms = lanes->int64(r, 3);
        t.unknown_ms = lanes->int64(r, 4);
        t.breach_ms = lanes->int64(r, 5);
        t.queue_ms = lanes->int64(r, 6);
        t.max_queue = static_cast<int>(lanes->int64(r, 7));
        t.samples = lanes->int64(r, 8);
        t.breaches = lanes->int64(r, 9);
        t.kept = lanes->int64(r, 10);
        t.broken = lanes->int64(r, 11);
    }
    auto scores = db_.query("SELECT hour, scale, score, misuse, n FROM feedback_hourly" + where, range);
    if (!scores) return scores.error();
    for (int r = 0; r < scores->rows(); ++r) {
        auto scale = scale_named(scores->text(r, 1));
        if (!scale) continue;
        data.feedback[scores->int64(r, 0)].add(*scale, static_cast<int>(scores->int64(r, 2)), scores->boolean(r, 3),
                                                std::nullopt, scores->int64(r, 4));
    }
    auto by_breach = db_.query("SELECT hour, scale, score, after_breach, n FROM feedback_breach_hourly" + where, range);
    if (!by_breach) return by_breach.error();
    for (int r = 0; r < by_breach->rows(); ++r) {
        auto scale = scale_named(by_breach->text(r, 1));
        if (!scale) continue;
        data.feedback[by_breach->int64(r, 0)].by_breach[by_breach->boolean(r, 3) ? 1 : 0].add(
            *scale, static_cast<int>(by_breach->int64(r, 2)), by_breach->int64(r, 4));
    }
    auto reasons = db_.query("SELECT hour, side, reason, n FROM reason_hourly" + where, range);
    if (!reasons) return reasons.error();
    for (int r = 0; r < reasons->rows(); ++r)
        data.feedback[reasons->int64(r, 0)].add_reason(reasons->text(r, 1) == "positive", reasons->text(r, 2),
                                                       reasons->int64(r, 3));
    auto prompts = db_.query(
        "SELECT action, state, raised, claimed_at, updated FROM prompts WHERE store = $1 AND raised >= $2 AND "
        "raised < $3 AND month >= $4 AND month <= $5",
        range);
    if (!prompts) return prompts.error();
    for (int r = 0; r < prompts->rows(); ++r) {
        auto action = action_named(prompts->text(r, 0));
        auto state = state_named(prompts->text(r, 1));
        if (!action || !state) continue;
        controller::PromptRecord p;
        p.action = *action;
        p.state = *state;
        p.raised = prompts->int64(r, 2);
        if (!prompts->is_null(r, 3)) p.claimed_at = prompts->int64(r, 3);
        p.updated = prompts->int64(r, 4);
        data.prompts.push_back(p);
    }
    return data;
}

}  // namespace storeq::hq
