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
    "usage: storeq-controller report --db FILE --from DATE --to DATE [--format table|csv|json] [--by hour|day|range]\n"
    "                                [--config FILE] [--alerts [--list]]\n"
    "The stats of a date range, one row per hour (or day) and lane plus the store's (lane all).\n"
    "Only reads: a manager's account may run it on the controller's database.\n"
    "  --db FILE      the controller's database (required)\n"
    "  --from DATE, --to DATE  the store's local dates like 2025-11-22; both days are included (required)\n"
    "  --format F     table (default table), csv or json\n"
    "  --by hour|day|range  one row per hour and lane (default hour), per day, or one for the\n"
    "                 whole range (a week, 28 days: the queue-cost figures want them)\n"
    "  --config FILE  the store's rule settings: breach threshold, dwell, promise target\n"
    "                 (default: built-in settings)\n"
    "  --alerts       alerts instead: per day (or hour) how many opened, by area, and the time to\n"
    "                 acknowledge them (p50/p90); docs/alerts.md\n"
    "  --list         with --alerts: one row per alert (rule, figure, who acknowledged, comment)\n"
    "  --help, -h     this text\n"
    "Hours and days are the store's (the time zone its controller recorded in the database),\n"
    "whatever TZ this machine has. Columns: docs/stats.md.\n"
    "exit codes: 0 written; 1 the database could not be read; 2 bad command line, configuration\n"
    "or --db (not there, not a storeq database)\n";

struct ReportOptions {
    std::string db_path;
    std::string from_date, to_date;
    TimeMs from_day = 0, to_day = 0;  // the dates as days since 1970 (checked to be dates)
    enum class Format { table, csv, json } format = Format::table;
    bool by_day = false;
    bool by_set = false;  // --by given (alerts default to days)
    bool alerts = false;
    bool list = false;
    bool by_range = false;  // one row for --from..--to
    std::string config_path;
    bool help = false;
};

Expected<ReportOptions> parse_report_options(const std::vector<std::string>& args);

// Writes the report to `out`, in the zone recorded with the data (else config.time_zone,
// else the box's). A database that cannot be read is an Error.
Expected<void> write_report(const ReportOptions& options, const Config& config, std::FILE* out);

// The whole subcommand: arguments after `report`; returns the exit code (2: bad arguments).
int run_report(const std::vector<std::string>& args);

}  // namespace storeq::controller
