#include "controller_store.hpp"

#include <random>

#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "outbound_log.hpp"

namespace storeq::controller {
namespace {

// migrations[i] takes the schema from version i to i+1. Never edit a shipped one: add.
const std::vector<std::string>& migrations() {
    static const std::vector<std::string> list{
        R"sql(
        CREATE TABLE feedback(
            id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, ts INTEGER NOT NULL, received INTEGER NOT NULL,
            scale TEXT NOT NULL, score INTEGER NOT NULL, reason TEXT, ui TEXT NOT NULL,
            locale TEXT NOT NULL, misuse INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX feedback_received ON feedback(received);
        CREATE TABLE queue_samples(
            lane INTEGER NOT NULL, count INTEGER NOT NULL, ts INTEGER NOT NULL,
            received INTEGER NOT NULL, source TEXT NOT NULL, seq INTEGER);
        CREATE INDEX queue_samples_lane_received ON queue_samples(lane, received);
        CREATE TABLE lane_states(
            lane INTEGER NOT NULL, open INTEGER NOT NULL, ts INTEGER NOT NULL,
            received INTEGER NOT NULL, by TEXT);
        CREATE INDEX lane_states_lane_received ON lane_states(lane, received);
        CREATE TABLE prompts(
            id TEXT PRIMARY KEY, action TEXT NOT NULL, till INTEGER NOT NULL, state TEXT NOT NULL,
            level INTEGER NOT NULL, demand_lane INTEGER NOT NULL, raised INTEGER NOT NULL,
            updated INTEGER NOT NULL, claimed_by TEXT, claimed_at INTEGER, payload TEXT NOT NULL);
        CREATE INDEX prompts_state ON prompts(state);
        CREATE TABLE prompt_transitions(
            prompt_id TEXT NOT NULL REFERENCES prompts(id), transition TEXT NOT NULL,
            state TEXT NOT NULL, level INTEGER NOT NULL, at INTEGER NOT NULL, by TEXT);
        CREATE INDEX prompt_transitions_prompt ON prompt_transitions(prompt_id, at);
        )sql",
        // Stats rollups (docs/stats.md): hourly buckets kept up to date by the controller
        // a minute at a time, so a year of data answers a stats document in milliseconds.
        // rollup_cursor says which raw rows are in them; rollup_lane_carry is the lane
        // sweep's memory at that point (a breach running across the minute, and so on).
        R"sql(
        CREATE TABLE lane_hourly(
            hour INTEGER NOT NULL, lane INTEGER NOT NULL, open_ms INTEGER NOT NULL, counted_ms INTEGER NOT NULL,
            unknown_ms INTEGER NOT NULL, breach_ms INTEGER NOT NULL, queue_ms INTEGER NOT NULL,
            max_queue INTEGER NOT NULL, samples INTEGER NOT NULL, breaches INTEGER NOT NULL,
            kept INTEGER NOT NULL, broken INTEGER NOT NULL, PRIMARY KEY(hour, lane)) WITHOUT ROWID;
        CREATE TABLE feedback_hourly(
            hour INTEGER NOT NULL, scale TEXT NOT NULL, score INTEGER NOT NULL, misuse INTEGER NOT NULL,
            n INTEGER NOT NULL, PRIMARY KEY(hour, scale, score, misuse)) WITHOUT ROWID;
        CREATE TABLE reason_hourly(
            hour INTEGER NOT NULL, side TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY(hour, side, reason)) WITHOUT ROWID;
        CREATE TABLE rollup_cursor(
            id INTEGER PRIMARY KEY CHECK(id = 1), swept_to INTEGER NOT NULL, queue_rowid INTEGER NOT NULL,
            lane_state_rowid INTEGER NOT NULL, feedback_before INTEGER NOT NULL);
        INSERT INTO rollup_cursor VALUES(1, 0, 0, 0, 0);
        CREATE TABLE rollup_lane_carry(
            lane INTEGER PRIMARY KEY, open INTEGER NOT NULL, has_count INTEGER NOT NULL, count INTEGER NOT NULL,
            automatic INTEGER NOT NULL, last_sample_at INTEGER NOT NULL, last_ts INTEGER NOT NULL, last_seq INTEGER,
            over_since INTEGER, breach_counted INTEGER NOT NULL, decided INTEGER NOT NULL, swept_to INTEGER NOT NULL);
        CREATE INDEX prompts_raised ON prompts(raised);
        )sql",
        // Samples are ordered per source (docs/rules.md): the sweep's memory keeps the last
        // sample of each (rollup_lane_carry.last_ts/last_seq are no longer read). store_meta
        // records what the store's figures mean, with its data: its time zone, its tills.
        R"sql(
        CREATE TABLE rollup_lane_order(
            lane INTEGER NOT NULL, source TEXT NOT NULL, last_ts INTEGER NOT NULL, last_seq INTEGER,
            PRIMARY KEY(lane, source)) WITHOUT ROWID;
        CREATE TABLE store_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        )sql",
        // A kiosk's clock can be days off: such a response is kept with its own ts and
        // flagged, and the figures count it at `received` (is_clock_suspect, protocol.hpp).
        R"sql(
        ALTER TABLE feedback ADD COLUMN clock_suspect INTEGER NOT NULL DEFAULT 0;
        )sql",
        // The rollup takes feedback by the order it was stored (seq), not by its receive
        // time: a controller that ran with its clock days ahead and was restarted with the
        // right one stamps new rows before the old cursor, and they were never rolled up.
        // Rows before this version are numbered by receive time, and the cursor becomes
        // the number of rows it had passed.
        R"sql(
        ALTER TABLE feedback ADD COLUMN seq INTEGER;
        UPDATE feedback SET seq = r.n
            FROM (SELECT id, row_number() OVER (ORDER BY received, id) AS n FROM feedback) AS r
            WHERE feedback.id = r.id;
        CREATE UNIQUE INDEX feedback_seq ON feedback(seq);
        -- Every writer's rows are numbered, the controller's and a test's or a tool's alike.
        CREATE TRIGGER feedback_number AFTER INSERT ON feedback WHEN NEW.seq IS NULL BEGIN
            UPDATE feedback SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM feedback) WHERE id = NEW.id;
        END;
        ALTER TABLE rollup_cursor ADD COLUMN feedback_seq INTEGER NOT NULL DEFAULT 0;
        UPDATE rollup_cursor SET feedback_seq =
            (SELECT count(*) FROM feedback WHERE received < rollup_cursor.feedback_before);
        )sql",
        // Each start of the controller, at its own time: the lane figures do not count the
        // time between the previous run's last sweep and a start (lane_stats.hpp says why:
        // a run with a wrong clock, put right at the restart, must not add phantom hours).
        R"sql(
        CREATE TABLE controller_starts(at INTEGER NOT NULL);
        ALTER TABLE rollup_cursor ADD COLUMN start_rowid INTEGER NOT NULL DEFAULT 0;
        )sql",
        // A kiosk whose clock is off by more than kKioskClockToleranceMs (from its live
        // Status): controller time - kiosk time, so its answers count at ts + clock_offset
        // (feedback_timing, protocol.hpp). NULL: not measured.
        R"sql(
        ALTER TABLE feedback ADD COLUMN clock_offset INTEGER;
        )sql",
        // What head office needs, in one per-store sequence, until it acknowledges it
        // (outbound_log.hpp, docs/chain.md). Written only with head_office = on.
        R"sql(
        CREATE TABLE outbound(seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
        )sql",
        // The forecast's inputs (docs/forecast.md): door counts and POS served counts as
        // they came, and each finished minute as the arrival model learned it, which a
        // restart replays (forecast_rule.hpp).
        R"sql(
        CREATE TABLE door_counts(door INTEGER NOT NULL, people INTEGER NOT NULL, interval INTEGER NOT NULL,
                                 ts INTEGER NOT NULL, received INTEGER NOT NULL, seq INTEGER);
        CREATE TABLE served_counts(lane INTEGER NOT NULL, served INTEGER NOT NULL, interval INTEGER NOT NULL,
                                   ts INTEGER NOT NULL, received INTEGER NOT NULL, seq INTEGER);
        CREATE TABLE forecast_minutes(minute_start INTEGER PRIMARY KEY, minute_of_week INTEGER NOT NULL,
                                      door_entries INTEGER NOT NULL, till_arrivals INTEGER NOT NULL,
                                      door_reported INTEGER NOT NULL, hour_start INTEGER NOT NULL,
                                      local_hour INTEGER NOT NULL, open_tills INTEGER NOT NULL,
                                      needed_now INTEGER NOT NULL);
        )sql",
        // What a queue costs (docs/stats.md): whether the response's shopper probably queued
        // in a breach, judged when it was stored (queued_in_breach, step.hpp): 1 yes, 0 no,
        // NULL not known (every row from before this version). The hourly rollup of the
        // answers known either way; feedback_hourly keeps counting every answer.
        R"sql(
        ALTER TABLE feedback ADD COLUMN after_breach INTEGER;
        CREATE TABLE feedback_breach_hourly(
            hour INTEGER NOT NULL, scale TEXT NOT NULL, score INTEGER NOT NULL, after_breach INTEGER NOT NULL,
            n INTEGER NOT NULL, PRIMARY KEY(hour, scale, score, after_breach)) WITHOUT ROWID;
        )sql",
        // Alerts (docs/alerts.md): each alert as it stands, and every transition with who
        // made it (acknowledged, closed by hand) and the figure then.
        R"sql(
        CREATE TABLE alerts(
            id TEXT PRIMARY KEY, rule TEXT NOT NULL, kind TEXT NOT NULL, area TEXT NOT NULL, tone TEXT NOT NULL,
            level INTEGER NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL, opened INTEGER NOT NULL,
            updated INTEGER NOT NULL, acknowledged_by TEXT, acknowledged_at INTEGER, closed_by TEXT,
            closed_at INTEGER, comment TEXT, payload TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX alerts_opened ON alerts(opened);
        CREATE INDEX alerts_state ON alerts(state);
        CREATE TABLE alert_transitions(
            alert_id TEXT NOT NULL REFERENCES alerts(id), transition TEXT NOT NULL, state TEXT NOT NULL,
            at INTEGER NOT NULL, by TEXT, figure REAL NOT NULL, n INTEGER NOT NULL);
        CREATE INDEX alert_transitions_alert ON alert_transitions(alert_id, at);
        )sql",
    };
    return list;
}

}  // namespace

Expected<ControllerStore> ControllerStore::open(const std::string& path) {
    auto db = Database::open(path);
    if (!db) return db.error();
    if (auto migrated = db->migrate(migrations()); !migrated) return migrated.error();
    // Checkpoints happen on WalCheckpointer's thread, not inside our commits.
    if (auto off = db->exec("PRAGMA wal_autocheckpoint=0"); !off) return off.error();
    return ControllerStore(std::move(*db));
}

namespace {
constexpr const char* kDatabaseIdKey = "database_id";
constexpr const char* kDurableCommitKey = "durable_commit";
}  // namespace

Expected<DurableMark> ControllerStore::durable_mark(TimeMs now) {
    auto read = [this](const char* key) -> Expected<std::optional<std::string>> {
        auto stmt = cached("SELECT value FROM store_meta WHERE key = ?");
        if (!stmt) return stmt.error();
        (*stmt)->bind(1, std::string(key));
        auto row = (*stmt)->step();
        std::optional<std::string> value;
        if (row && *row) value = (*stmt)->column_text(0);
        (*stmt)->reset();
        if (!row) return row.error();
        return value;
    };
    auto id = read(kDatabaseIdKey);
    if (!id) return id.error();
    if (!*id) {
        std::mt19937_64 rng(std::random_device{}());
        const std::string made = make_uuid_v7(now, rng);
        Transaction tx(db_);
        if (!tx.begun()) return tx.begun().error();
        auto insert = cached("INSERT INTO store_meta(key, value) VALUES(?, ?), (?, '0')");
        if (!insert) return insert.error();
        (*insert)->bind(1, std::string(kDatabaseIdKey)).bind(2, made).bind(3, std::string(kDurableCommitKey));
        if (auto ran = (*insert)->run(); !ran) return ran.error();
        if (auto done = tx.commit(); !done) return done.error();
        *id = made;
    }
    auto commit = read(kDurableCommitKey);
    if (!commit) return commit.error();
    return DurableMark{**id, *commit ? std::stoll(**commit) : 0};
}

Expected<std::int64_t> ControllerStore::count_durable_commit() {
    auto bump = cached(
        "UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'durable_commit' RETURNING value");
    if (!bump) return bump.error();
    auto row = (*bump)->step();
    const std::int64_t value = row && *row ? (*bump)->column_int64(0) : 0;
    (*bump)->reset();
    if (!row) return row.error();
    if (!*row) return Error{"store_meta", "no durable_commit row"};
    return value;
}

Expected<Statement*> ControllerStore::cached(const char* sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        auto prepared = db_.prepare(sql);
        if (!prepared) return prepared.error();
        it = statements_.emplace(sql, std::move(*prepared)).first;
    }
    return &it->second;
}


Expected<bool> ControllerStore::insert_feedback(const std::string& kiosk, const Feedback& f, TimeMs received,
                                                const FeedbackTiming& timing, std::optional<bool> after_breach) {
    auto stmt = cached(
        "INSERT OR IGNORE INTO feedback(id, kiosk, ts, received, scale, score, reason, ui, locale, misuse, "
        "clock_suspect, clock_offset, after_breach) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, f.id).bind(2, kiosk).bind(3, f.ts).bind(4, received).bind(5, to_string(f.scale));
    (*stmt)->bind(6, f.score).bind(7, f.reason).bind(8, to_string(f.ui)).bind(9, f.locale).bind(10, f.misuse ? 1 : 0);
    (*stmt)->bind(11, timing.clock_suspect ? 1 : 0).bind(12, timing.clock_offset);
    (*stmt)->bind(13, after_breach ? std::optional<std::int64_t>(*after_breach ? 1 : 0) : std::nullopt);
    if (auto ran = (*stmt)->run(); !ran) return ran.error();
    const bool stored = (*stmt)->changes() == 1;
    if (stored && outbound_) {
        chain::FeedbackEntry e{f.id, kiosk, f.ts, received, feedback_counted_at(f.ts, received, timing),
                               f.scale, f.score, f.reason, f.misuse, timing.clock_suspect, after_breach};
        if (auto logged = log_outbound(e); !logged) return logged.error();
    }
    return stored;
}

Expected<void> ControllerStore::log_outbound(const chain::EntryBody& body) {
    auto stmt = cached(outbound_log::kAppendSql);
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, chain::entry_json(body));
    return (*stmt)->run();
}

Expected<void> ControllerStore::insert_queue_sample(int lane, const QueueCount& q, TimeMs received) {
    auto stmt = cached("INSERT INTO queue_samples(lane, count, ts, received, source, seq) VALUES(?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, lane).bind(2, q.count).bind(3, q.ts).bind(4, received).bind(5, to_string(q.source)).bind(6, q.seq);
    return (*stmt)->run();
}

Expected<void> ControllerStore::insert_lane_state(int lane, const LaneState& s, TimeMs received) {
    auto stmt = cached("INSERT INTO lane_states(lane, open, ts, received, by) VALUES(?,?,?,?,?)");
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, lane).bind(2, s.open ? 1 : 0).bind(3, s.ts).bind(4, received).bind(5, s.by);
    if (auto ran = (*stmt)->run(); !ran) return ran;
    if (!outbound_) return {};
    return log_outbound(chain::LaneEntry{lane, s.open, received});
}

Expected<void> ControllerStore::insert_door_count(int door, const DoorCount& c, TimeMs received) {
    auto stmt = cached("INSERT INTO door_counts(door, people, interval, ts, received, seq) VALUES(?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, door).bind(2, c.people).bind(3, c.interval).bind(4, c.ts).bind(5, received).bind(6, c.seq);
    return (*stmt)->run();
}

Expected<void> ControllerStore::insert_served(int lane, const LaneServed& c, TimeMs received) {
    auto stmt = cached("INSERT INTO served_counts(lane, served, interval, ts, received, seq) VALUES(?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, lane).bind(2, c.served).bind(3, c.interval).bind(4, c.ts).bind(5, received).bind(6, c.seq);
    return (*stmt)->run();
}

Expected<void> ControllerStore::record_minute(const RecordMinute& r) {
    auto stmt = cached(
        "INSERT OR REPLACE INTO forecast_minutes(minute_start, minute_of_week, door_entries, till_arrivals, door_reported, "
        "hour_start, local_hour, open_tills, needed_now) VALUES(?,?,?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    const MinuteCounts& m = r.minute;
    (*stmt)->bind(1, m.minute_start).bind(2, m.minute_of_week).bind(3, m.door_entries).bind(4, m.till_arrivals);
    (*stmt)->bind(5, m.door_reported ? 1 : 0).bind(6, r.hour_start).bind(7, r.local_hour).bind(8, r.open_tills);
    (*stmt)->bind(9, r.needed_now);
    return (*stmt)->run();
}

Expected<void> ControllerStore::record_start(TimeMs now) {
    auto stmt = db_.prepare("INSERT INTO controller_starts(at) VALUES(?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, now);
    return stmt->run();
}

Expected<void> ControllerStore::save_prompt(const LivePrompt& live, const std::string& transition, TimeMs at) {
    const Prompt& p = live.prompt;
    auto upsert = cached(
        "INSERT INTO prompts(id, action, till, state, level, demand_lane, raised, updated, claimed_by, claimed_at, payload) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET state=excluded.state, level=excluded.level, "
        "updated=excluded.updated, claimed_by=excluded.claimed_by, claimed_at=coalesce(excluded.claimed_at, prompts.claimed_at), payload=excluded.payload "
        "RETURNING claimed_at");
    if (!upsert) return upsert.error();
    (*upsert)->bind(1, p.id).bind(2, to_string(p.action)).bind(3, p.till).bind(4, to_string(p.state)).bind(5, p.level);
    (*upsert)->bind(6, live.demand_lane).bind(7, p.raised).bind(8, p.updated).bind(9, p.claimed_by);
    (*upsert)->bind(10, live.claimed_at).bind(11, encode(p));
    // The first claim's time, as the row keeps it (a later transition may not carry it):
    // what head office is sent, so its time to claim is the store's.
    auto upserted = (*upsert)->step();
    std::optional<TimeMs> stored_claimed_at;
    if (upserted && *upserted && !(*upsert)->column_is_null(0)) stored_claimed_at = (*upsert)->column_int64(0);
    (*upsert)->reset();
    if (!upserted) return upserted.error();
    auto log = cached("INSERT INTO prompt_transitions(prompt_id, transition, state, level, at, by) VALUES(?,?,?,?,?,?)");
    if (!log) return log.error();
    (*log)->bind(1, p.id).bind(2, transition).bind(3, to_string(p.state)).bind(4, p.level).bind(5, at);
    (*log)->bind(6, transition == "claimed" ? p.claimed_by : std::nullopt);
    if (auto ran = (*log)->run(); !ran) return ran;
    if (!outbound_) return {};
    return log_outbound(chain::PromptEntry{p.id, p.action, p.till, p.state, p.level, p.raised, p.updated,
                                           p.claimed_by, stored_claimed_at});
}

Expected<void> ControllerStore::save_alert(const Alert& a, const std::string& transition, TimeMs at) {
    auto upsert = cached(
        "INSERT INTO alerts(id, rule, kind, area, tone, level, subject, state, opened, updated, acknowledged_by, "
        "acknowledged_at, closed_by, closed_at, comment, payload) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET state=excluded.state, updated=excluded.updated, "
        "acknowledged_by=excluded.acknowledged_by, acknowledged_at=excluded.acknowledged_at, "
        "closed_by=excluded.closed_by, closed_at=excluded.closed_at, comment=excluded.comment, payload=excluded.payload");
    if (!upsert) return upsert.error();
    (*upsert)->bind(1, a.id).bind(2, a.rule).bind(3, to_string(a.kind)).bind(4, to_string(area_of(a.kind)));
    (*upsert)->bind(5, to_string(a.tone)).bind(6, a.level).bind(7, a.subject).bind(8, to_string(a.state));
    (*upsert)->bind(9, a.opened).bind(10, a.updated).bind(11, a.acknowledged_by).bind(12, a.acknowledged_at);
    (*upsert)->bind(13, a.closed_by).bind(14, a.closed_at).bind(15, a.comment).bind(16, encode(a));
    if (auto ran = (*upsert)->run(); !ran) return ran;
    auto log = cached("INSERT INTO alert_transitions(alert_id, transition, state, at, by, figure, n) VALUES(?,?,?,?,?,?,?)");
    if (!log) return log.error();
    std::optional<std::string> by;
    if (transition == "acknowledged") by = a.acknowledged_by;
    else if (transition == "closed") by = a.closed_by;
    (*log)->bind(1, a.id).bind(2, transition).bind(3, to_string(a.state)).bind(4, at).bind(5, by);
    (*log)->bind(6, a.figure).bind(7, a.n);
    return (*log)->run();
}

Expected<void> ControllerStore::restore_alerts(State& state, TimeMs now) {
    auto open = db_.prepare("SELECT payload FROM alerts WHERE state IN ('open', 'acknowledged')");
    if (!open) return open.error();
    while (true) {
        auto row = open->step();
        if (!row) return row.error();
        if (!*row) break;
        auto alert = decode_alert(open->column_text(0));
        if (!alert) return Error{"alerts", "stored alert unreadable: " + alert.error().to_string()};
        state.alerts.tracks[alert->rule + "|" + alert->subject].alert_id = alert->id;
        state.alerts.open.emplace(alert->id, *alert);
    }
    // The feedback windows again: the answers of the last kMaxAlertWindow, as they count.
    auto recent = db_.prepare(
        "SELECT id, ts, received, scale, score, reason, misuse, clock_suspect, clock_offset FROM feedback "
        "WHERE received >= ? ORDER BY seq");
    if (!recent) return recent.error();
    recent->bind(1, now - kMaxAlertWindow - kMaxFutureSkewMs);
    while (true) {
        auto row = recent->step();
        if (!row) return row.error();
        if (!*row) break;
        const auto scale = scale_named(recent->column_text(3));
        if (!scale) continue;
        Feedback f;
        f.id = recent->column_text(0);
        f.ts = recent->column_int64(1);
        f.scale = *scale;
        f.score = static_cast<int>(recent->column_int64(4));
        if (!recent->column_is_null(5)) f.reason = recent->column_text(5);
        f.misuse = recent->column_int64(6) != 0;
        FeedbackTiming timing{recent->column_int64(7) != 0, std::nullopt};
        if (!recent->column_is_null(8)) timing.clock_offset = recent->column_int64(8);
        take_response(state.alerts, f, feedback_counted_at(f.ts, recent->column_int64(2), timing), now);
    }
    return {};
}

Expected<void> ControllerStore::restore(State& state) {
    auto lanes = db_.prepare(
        "SELECT lane, open FROM lane_states l WHERE rowid = (SELECT max(rowid) FROM lane_states WHERE lane = l.lane)");
    if (!lanes) return lanes.error();
    while (true) {
        auto row = lanes->step();
        if (!row) return row.error();
        if (!*row) break;
        const int lane = static_cast<int>(lanes->column_int64(0));
        if (auto it = state.lanes.find(lane); it != state.lanes.end()) it->second.open = lanes->column_int64(1) != 0;
    }
    auto live = db_.prepare("SELECT payload, demand_lane, claimed_at FROM prompts WHERE state IN ('open', 'claimed')");
    if (!live) return live.error();
    while (true) {
        auto row = live->step();
        if (!row) return row.error();
        if (!*row) break;
        auto prompt = decode_prompt(live->column_text(0));
        if (!prompt) return Error{"prompts", "stored prompt unreadable: " + prompt.error().to_string()};
        LivePrompt restored;
        restored.prompt = *prompt;
        restored.demand_lane = static_cast<int>(live->column_int64(1));
        if (!live->column_is_null(2)) restored.claimed_at = live->column_int64(2);
        // A prompt for a lane no longer configured cannot be resolved by the rule: skip it.
        if (restored.demand_lane != 0 && !state.lanes.count(restored.demand_lane)) continue;
        state.live.emplace(restored.prompt.id, std::move(restored));
    }
    // The arrival model learns again from the minutes it learned before (the last
    // kReplayWeeks weeks by the stored minutes' own time, not this run's clock).
    constexpr TimeMs kReplayWeeks = 8;
    auto minutes = db_.prepare(
        "SELECT minute_start, minute_of_week, door_entries, till_arrivals, door_reported, hour_start, local_hour, "
        "open_tills, needed_now, minute_start >= (SELECT max(minute_start) FROM forecast_minutes) - 86400000 "
        "FROM forecast_minutes "
        "WHERE minute_start >= (SELECT max(minute_start) FROM forecast_minutes) - ? ORDER BY minute_start");
    if (!minutes) return minutes.error();
    minutes->bind(1, static_cast<std::int64_t>(kReplayWeeks * 7 * 86'400'000));
    while (true) {
        auto row = minutes->step();
        if (!row) return row.error();
        if (!*row) break;
        MinuteCounts m{minutes->column_int64(0), static_cast<int>(minutes->column_int64(1)),
                       static_cast<int>(minutes->column_int64(2)), static_cast<int>(minutes->column_int64(3)),
                       minutes->column_int64(4) != 0};
        state.forecast.model = learn_minute(std::move(state.forecast.model), m);
        // The last day's hours for the timeline (the next forecast keeps today's only).
        if (minutes->column_int64(9) != 0)
            tally_minute(state.forecast, minutes->column_int64(5), static_cast<int>(minutes->column_int64(6)),
                         static_cast<int>(minutes->column_int64(7)), static_cast<int>(minutes->column_int64(8)));
    }
    return {};
}

Expected<StoredCounts> ControllerStore::counts() {
    auto stmt = db_.prepare(
        "SELECT (SELECT count(*) FROM feedback), (SELECT count(*) FROM queue_samples), "
        "(SELECT count(*) FROM lane_states), (SELECT count(*) FROM prompts), "
        "(SELECT count(*) FROM prompts WHERE state = 'fulfilled'), (SELECT count(*) FROM prompts WHERE state = 'cancelled')");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return StoredCounts{stmt->column_int64(0), stmt->column_int64(1), stmt->column_int64(2),
                        stmt->column_int64(3), stmt->column_int64(4), stmt->column_int64(5)};
}

}  // namespace storeq::controller
