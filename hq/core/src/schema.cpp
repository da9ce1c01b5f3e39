#include "storeq/hq/schema.hpp"

#include "storeq/controller/time_zone.hpp"

namespace storeq::hq {

const std::vector<std::string>& schema_migrations() {
    // Every monthly table carries `month` in its unique key: PostgreSQL wants the
    // partition key in every unique index of a partitioned table. An entry re-sent has the
    // same times, so the same month: the key still says "once".
    static const std::vector<std::string> steps{
        // 1: the tables.
        R"sql(
CREATE TABLE store_cursor (
    store text PRIMARY KEY,
    seq bigint NOT NULL,
    zone text NOT NULL,
    updated bigint NOT NULL);
CREATE TABLE feedback (
    store text NOT NULL, id text NOT NULL, month int NOT NULL,
    kiosk text NOT NULL, ts bigint NOT NULL, received bigint NOT NULL, counted_at bigint NOT NULL,
    scale text NOT NULL, score int NOT NULL, reason text, misuse boolean NOT NULL,
    clock_suspect boolean NOT NULL, seq bigint NOT NULL,
    UNIQUE (store, id, month)) PARTITION BY RANGE (month);
CREATE TABLE prompts (
    store text NOT NULL, id text NOT NULL, month int NOT NULL,
    action text NOT NULL, till int NOT NULL, state text NOT NULL, level int NOT NULL,
    raised bigint NOT NULL, updated bigint NOT NULL, claimed_by text, claimed_at bigint,
    UNIQUE (store, id, month)) PARTITION BY RANGE (month);
CREATE TABLE lane_events (
    store text NOT NULL, seq bigint NOT NULL, month int NOT NULL,
    lane int NOT NULL, open boolean NOT NULL, at bigint NOT NULL,
    UNIQUE (store, seq, month)) PARTITION BY RANGE (month);
CREATE TABLE lane_hourly (
    store text NOT NULL, hour bigint NOT NULL, lane int NOT NULL, month int NOT NULL,
    open_ms bigint NOT NULL, counted_ms bigint NOT NULL, unknown_ms bigint NOT NULL, breach_ms bigint NOT NULL,
    queue_ms bigint NOT NULL, max_queue int NOT NULL, samples bigint NOT NULL,
    breaches bigint NOT NULL, kept bigint NOT NULL, broken bigint NOT NULL,
    UNIQUE (store, hour, lane, month)) PARTITION BY RANGE (month);
CREATE TABLE feedback_hourly (
    store text NOT NULL, hour bigint NOT NULL, month int NOT NULL,
    scale text NOT NULL, score int NOT NULL, misuse boolean NOT NULL, n bigint NOT NULL,
    UNIQUE (store, hour, scale, score, misuse, month)) PARTITION BY RANGE (month);
CREATE TABLE reason_hourly (
    store text NOT NULL, hour bigint NOT NULL, month int NOT NULL,
    side text NOT NULL, reason text NOT NULL, n bigint NOT NULL,
    UNIQUE (store, hour, side, reason, month)) PARTITION BY RANGE (month);
CREATE TABLE hour_seq (
    store text NOT NULL, hour bigint NOT NULL, seq bigint NOT NULL,
    PRIMARY KEY (store, hour));
CREATE TABLE feedback_default PARTITION OF feedback DEFAULT;
CREATE TABLE prompts_default PARTITION OF prompts DEFAULT;
CREATE TABLE lane_events_default PARTITION OF lane_events DEFAULT;
CREATE TABLE lane_hourly_default PARTITION OF lane_hourly DEFAULT;
CREATE TABLE feedback_hourly_default PARTITION OF feedback_hourly DEFAULT;
CREATE TABLE reason_hourly_default PARTITION OF reason_hourly DEFAULT;
)sql",
        // 2: what a queue costs (docs/stats.md): each response as the store judged it (its
        // shopper probably queued in a breach; NULL not known), and the hours' answers known
        // either way, as the store's rollup holds them (feedback_breach_hourly).
        R"sql(
ALTER TABLE feedback ADD COLUMN after_breach boolean;
CREATE TABLE feedback_breach_hourly (
    store text NOT NULL, hour bigint NOT NULL, month int NOT NULL,
    scale text NOT NULL, score int NOT NULL, after_breach boolean NOT NULL, n bigint NOT NULL,
    UNIQUE (store, hour, scale, score, after_breach, month)) PARTITION BY RANGE (month);
CREATE TABLE feedback_breach_hourly_default PARTITION OF feedback_breach_hourly DEFAULT;
)sql",
    };
    return steps;
}

const std::vector<std::string>& monthly_tables() {
    static const std::vector<std::string> tables{"feedback",        "prompts",       "lane_events",
                                                 "lane_hourly",     "feedback_hourly", "reason_hourly",
                                                 "feedback_breach_hourly"};
    return tables;
}

int month_key(TimeMs t) {
    const long long day = t >= 0 ? t / controller::kDayMs : (t - controller::kDayMs + 1) / controller::kDayMs;
    int y = 0, m = 0, d = 0;
    controller::civil_from_days(day, y, m, d);
    return y * 100 + m;
}

std::string partition_sql(const std::string& table, int month) {
    const int next = month % 100 == 12 ? (month / 100 + 1) * 100 + 1 : month + 1;
    return "CREATE TABLE IF NOT EXISTS " + table + "_" + std::to_string(month) + " PARTITION OF " + table +
           " FOR VALUES FROM (" + std::to_string(month) + ") TO (" + std::to_string(next) + ")";
}

}  // namespace storeq::hq
