#pragma once
// Chain figures (docs/hq.md "Report"): one row per store, region or the whole chain over
// a range of local days, with the store report's columns (stats_columns(), computed by
// the same period_figures + stats_row), a rank and the change against the previous
// period of as many days. Pure: the shell loads each store's StatsData from PostgreSQL.
#include <string>
#include <vector>

#include "storeq/controller/stats_period.hpp"
#include "storeq/controller/stats_rows.hpp"
#include "storeq/controller/time_zone.hpp"

namespace storeq::hq {

using controller::Cell;

enum class ReportBy { store, region, chain };

// A store's buckets and prompts covering at least the range and the period before it.
struct StoreStats {
    std::string store, region;
    controller::TimeZone zone;
    controller::StatsData data;
};

// Local dates as days since 1970-01-01 (each store's own calendar), both included.
struct DayRange {
    long long from_day = 0, to_day = 0;
    long long days() const { return to_day - from_day + 1; }
    DayRange previous() const { return {from_day - days(), from_day - 1}; }
};

struct ChainRow {
    std::string key;     // store id, region name, or "chain"
    std::string region;  // the store's region (by store), else empty
    int rank = 0;        // 1 = highest compliance_pct; ties by key
    std::vector<Cell> cells;  // stats_columns(), the whole-store ("all") row
    Cell change_compliance_pct, change_happy_index, change_nps;  // this period minus the previous
};

// The UTC window [from, to) of a store's local days.
std::pair<TimeMs, TimeMs> local_window(const controller::TimeZone& zone, const DayRange& days);

// The `period` cell: "2026-12-02", or "2026-12-01/2026-12-07" (an ISO 8601 interval).
std::string period_text(const DayRange& days);

// Only the buckets whose hour starts in [from, to) and the prompts raised in it.
controller::StatsData restricted(const controller::StatsData& data, TimeMs from, TimeMs to);

// Rows ranked (rank 1 first). Stores, then for `region` one row per region that has a
// store in `stores`, for `chain` one row.
std::vector<ChainRow> chain_report(const std::vector<StoreStats>& stores, ReportBy by, const DayRange& days);

// The report's columns: the key column(s), rank, stats_columns(), the three changes.
std::vector<std::string> report_columns(ReportBy by);
std::vector<Cell> report_cells(const ChainRow& row, ReportBy by);

}  // namespace storeq::hq
