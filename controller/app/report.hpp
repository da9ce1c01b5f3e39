#pragma once
// `storeq-controller report`: the stats of a date range as a table, CSV or JSON, one row
// per hour (or day) and lane plus a store row (lane `all`). Columns: docs/stats.md.
#include <cstdio>
#include <string>
#include <vector>

#include "storeq/controller/config.hpp"
#include "storeq/expected.hpp"

namespace storeq::controller {

inline constexpr const char* kReportUsage =
    "usage: storeq-controller report --db FILE --from DATE --to DATE [--format table|csv|json] [--by hour|day]\n"
    "                                [--config FILE]\n"
    "  --from, --to  the store's local dates like 2025-11-22; both days are included\n"
    "  --format      table (default), csv or json\n"
    "  --by          hour (default: one row per hour and lane) or day\n"
    "  --config      the store's rule settings (breach threshold, dwell, promise target)\n"
    "Hours and days are the store's (the time zone its controller recorded in the database),\n"
    "whatever TZ this machine has.\n";

struct ReportOptions {
    std::string db_path;
    std::string from_date, to_date;
    TimeMs from_day = 0, to_day = 0;  // the dates as days since 1970 (checked to be dates)
    enum class Format { table, csv, json } format = Format::table;
    bool by_day = false;
    std::string config_path;
};

Expected<ReportOptions> parse_report_options(const std::vector<std::string>& args);

// Writes the report to `out`, in the zone recorded with the data (else config.time_zone,
// else the box's). A database that cannot be read is an Error.
Expected<void> write_report(const ReportOptions& options, const Config& config, std::FILE* out);

// The whole subcommand: arguments after `report`; returns the exit code (2: bad arguments).
int run_report(const std::vector<std::string>& args);

}  // namespace storeq::controller
