#pragma once
// The stats rollup tables (docs/stats.md): keeping them up to date from the raw rows, and
// reading hourly buckets back. The figures themselves come from the pure core
// (storeq/controller/stats_period.hpp); this file only moves rows.
#include <cstdint>
#include <optional>
#include <string>

#include "storeq/controller/config.hpp"
#include "storeq/controller/stats_period.hpp"
#include "storeq/controller/time_zone.hpp"
#include "storeq/expected.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

// Raw rows stored since the last rollup, swept into hourly buckets (not yet written).
struct RollupDelta {
    StatsData buckets;  // lanes and feedback to add (no prompts: those are read raw)
    SweepCarry carry;   // the sweep's memory after these rows
    std::int64_t queue_rowid = 0;       // rows up to these rowids are in it
    std::int64_t lane_state_rowid = 0;
    std::int64_t feedback_seq = 0;      // feedback stored up to this seq is in it
    std::int64_t start_rowid = 0;       // controller starts up to this rowid are in it
    // head_office = on: apply() also logs each hour that is closed by it, or that it
    // changed after it closed, whole, for head office (outbound_log.hpp).
    bool head_office = false;
};

class StatsStore {
public:
    // The store keeps no configuration of its own: every sweep takes the one in force
    // (the controller's, swapped whole on reload), so the figures and the rule judge
    // breaches by the same settings. Rollups already written keep the settings they
    // were made with.
    explicit StatsStore(Database& db) : db_(db) {}

    // Everything stored since the last rollup, swept up to `until` (controller time) with
    // `config`'s breach rule (waiting_threshold, dwell, sensor_timeout, promise_target)
    // and tills, into the local hours of `zone` (keyed by their UTC start).
    Expected<RollupDelta> pending(TimeMs until, const Config& config, const TimeZone& zone = utc_zone());
    // Adds a delta to the rollup tables and moves the cursor, in one transaction. The
    // caller must not hold a transaction open.
    Expected<void> apply(const RollupDelta& delta);
    Expected<void> refresh(TimeMs until, const Config& config, const TimeZone& zone = utc_zone());

    // Hourly buckets with hour start in [from, to) from the rollup tables, and the
    // prompts raised in [from, to).
    Expected<StatsData> load(TimeMs from, TimeMs to);

    // The same buckets straight from the raw tables, for checks and the benchmark's
    // baseline: each lane's sweep starts at `from` from its last state and count before it.
    Expected<StatsData> load_raw(TimeMs from, TimeMs to, const Config& config, const TimeZone& zone = utc_zone());

    // The store's zone as recorded with its data (store_meta), if any; and recording it.
    Expected<std::optional<std::string>> recorded_zone();
    Expected<void> record_zone(const std::string& name);

    // The earliest and latest receive time of any stored row (0, 0 when empty).
    Expected<std::pair<TimeMs, TimeMs>> stored_time_range();

private:
    Expected<void> log_closed_hours(const RollupDelta& delta);
    Database& db_;
};

}  // namespace storeq::controller
