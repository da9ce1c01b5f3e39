#include "report.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include "controller_options.hpp"
#include "controller_time.hpp"
#include "database_check.hpp"
#include "storeq/sqlite_db.hpp"
#include "local_time.hpp"
#include "stats_documents.hpp"
#include "storeq/codec.hpp"
#include "storeq/controller/alert_report.hpp"
#include "storeq/controller/report_text.hpp"
#include "storeq/controller/stats_rows.hpp"
#include "stats_store.hpp"

namespace storeq::controller {
namespace {

// Rows stored since the controller's last rollup (or all of them, for a database it never
// rolled up) are swept here in memory: the report never writes to the database.
Expected<StatsData> report_data(StatsStore& stats, const Config& config, const TimeZone& zone, TimeMs from, TimeMs to) {
    auto data = stats.load(from, to);
    if (!data) return data.error();
    auto range = stats.stored_time_range();
    if (!range) return range.error();
    auto tail = stats.pending(range->second, config, zone);
    if (!tail) return tail.error();
    data->merge(tail->buckets);
    return data;
}

Expected<std::vector<Alert>> alerts_opened(Database& db, TimeMs from, TimeMs to) {
    auto stmt = db.prepare("SELECT payload FROM alerts WHERE opened >= ? AND opened < ? ORDER BY opened, id");
    if (!stmt) return stmt.error();
    stmt->bind(1, from).bind(2, to);
    std::vector<Alert> alerts;
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        auto alert = decode_alert(stmt->column_text(0));
        if (!alert) return Error{"alerts", "stored alert unreadable: " + alert.error().to_string()};
        alerts.push_back(std::move(*alert));
    }
    return alerts;
}

void write_rows(const ReportOptions& o, const std::vector<std::string>& columns, const CellRows& rows, std::FILE* out) {
    switch (o.format) {
        case ReportOptions::Format::csv: std::fputs(csv_text(columns, rows).c_str(), out); break;
        case ReportOptions::Format::table: std::fputs(table_text(columns, rows).c_str(), out); break;
        case ReportOptions::Format::json: {
            nlohmann::json j = {{"from", o.from_date}, {"to", o.to_date},
                                {"by", o.by_range ? "range" : o.by_day ? "day" : "hour"},
                                {"rows", nlohmann::json::array()}};
            for (const auto& row : rows) j["rows"].push_back(row_json(row, columns));
            std::fprintf(out, "%s\n", j.dump(1).c_str());
            break;
        }
    }
}

// --alerts: per period, or (--list) one row per alert, opened in [from, to).
Expected<void> write_alert_report(const ReportOptions& o, Database& db, const TimeZone& zone, TimeMs from, TimeMs to,
                                  TimeMs horizon, std::FILE* out) {
    auto alerts = alerts_opened(db, from, to);
    if (!alerts) return alerts.error();
    CellRows rows;
    if (o.list) {
        for (const auto& a : *alerts) rows.push_back(alert_list_row(a, iso_local_time(zone, a.opened)));
        write_rows(o, alert_list_columns(), rows, out);
        return {};
    }
    auto add_period = [&](TimeMs start, TimeMs end, const std::string& name) {
        if (start > horizon) return;
        std::vector<Alert> in_period;
        for (const auto& a : *alerts)
            if (a.opened >= start && a.opened < end) in_period.push_back(a);
        rows.push_back(alert_period_row(in_period, name));
    };
    if (o.by_range) {
        add_period(from, to, o.from_date + "/" + o.to_date);
    } else if (o.by_day) {
        for (TimeMs day = from; day < to; day = add_local_days(zone, day, 1))
            add_period(day, add_local_days(zone, day, 1), iso_local_date(zone, day));
    } else {
        for (TimeMs hour = from; hour < to; hour = next_local_hour(zone, hour))
            add_period(hour, next_local_hour(zone, hour), iso_local_time(zone, hour));
    }
    write_rows(o, alert_period_columns(), rows, out);
    return {};
}

}  // namespace

Expected<ReportOptions> parse_report_options(const std::vector<std::string>& args) {
    ReportOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            continue;
        }
        if (flag == "--alerts" || flag == "--list") {
            (flag == "--alerts" ? o.alerts : o.list) = true;
            continue;
        }
        static const char* const kOptions[] = {"--db", "--from", "--to", "--config", "--format", "--by"};
        if (std::find(std::begin(kOptions), std::end(kOptions), flag) == std::end(kOptions))
            return unknown_option(flag);
        if (i + 1 >= args.size()) return needs_value(flag);
        const std::string& value = args[++i];
        if (flag == "--db") o.db_path = value;
        else if (flag == "--from") o.from_date = value;
        else if (flag == "--to") o.to_date = value;
        else if (flag == "--config") o.config_path = value;
        else if (flag == "--format") {
            if (value == "table") o.format = ReportOptions::Format::table;
            else if (value == "csv") o.format = ReportOptions::Format::csv;
            else if (value == "json") o.format = ReportOptions::Format::json;
            else return Error{"--format", "must be table, csv or json, not '" + value + "'"};
        } else if (flag == "--by") {
            if (value != "hour" && value != "day" && value != "range")
                return Error{"--by", "must be hour, day or range, not '" + value + "'"};
            o.by_day = value == "day";
            o.by_range = value == "range";
            o.by_set = true;
        }
    }
    if (o.help) return o;
    if (o.list && !o.alerts) return Error{"--list", "goes with --alerts"};
    if (o.alerts && !o.by_set) o.by_day = true;
    if (o.db_path.empty()) return Error{"--db", "is required"};
    if (o.from_date.empty()) return Error{"--from", "is required"};
    if (o.to_date.empty()) return Error{"--to", "is required"};
    // Which instants the dates are depends on the store's zone, read with the database.
    auto from = parse_iso_date(utc_zone(), o.from_date);
    if (!from) return Error{"--from", from.error().what};
    auto to = parse_iso_date(utc_zone(), o.to_date);
    if (!to) return Error{"--to", to.error().what};
    if (*to < *from) return Error{"--to", "is before --from"};
    o.from_day = *from / kDayMs;
    o.to_day = *to / kDayMs;
    if (auto storeq = check_storeq_file(o.db_path); !storeq) return storeq.error();
    return o;
}

Expected<void> write_report(const ReportOptions& o, const Config& config, std::FILE* out) {
    // Read-only, and nothing written beside the controller's files (Database::open_read_only):
    // a manager's account may run this on the controller's database.
    auto db = Database::open_read_only(o.db_path);
    if (!db) return db.error();
    if (auto storeq = check_storeq_schema(*db, o.db_path); !storeq) return Error{"refused", storeq.error().what};
    StatsStore stats(*db);
    auto recorded = stats.recorded_zone();
    if (!recorded) return recorded.error();
    auto zone = load_time_zone(recorded->value_or(config.time_zone));
    if (!zone) return zone.error();
    const TimeMs from = utc_of_local(*zone, o.from_day * kDayMs);
    const TimeMs to = utc_of_local(*zone, (o.to_day + 1) * kDayMs);
    if (o.alerts) {
        auto stored = stats.stored_time_range();
        if (!stored) return stored.error();
        return write_alert_report(o, *db, *zone, from, to, std::max(controller_time_ms(), stored->second), out);
    }
    auto data = report_data(stats, config, *zone, from, to);
    if (!data) return data.error();

    // Lanes that have anything in the range get a row in every period: spreadsheets like
    // a regular grid.
    std::set<int> lanes;
    for (const auto& [key, totals] : data->lanes)
        if (key.first >= from && key.first < to) lanes.insert(key.second);
    // Periods that have not begun are left out (today's later hours are not zeros): not
    // begun by the wall clock, nor by the store's newest row (a simulated day runs ahead
    // of the wall clock, and its rows say how far it got).
    auto stored = stats.stored_time_range();
    if (!stored) return stored.error();
    const TimeMs horizon = std::max(controller_time_ms(), stored->second);
    std::vector<std::vector<Cell>> rows;
    auto add_period = [&](TimeMs start, TimeMs end, const std::string& name) {
        if (start > horizon) return;
        const PeriodFigures figures = period_figures(*data, start, end);
        rows.push_back(stats_row(figures, name, std::nullopt));
        for (int lane : lanes) rows.push_back(stats_row(figures, name, lane));
    };
    if (o.by_range) {
        // One row for the whole range (a week, 28 days), named as stats/daily names its periods.
        add_period(from, to, o.from_date + "/" + o.to_date);
    } else if (o.by_day) {
        for (TimeMs day = from; day < to; day = add_local_days(*zone, day, 1))
            add_period(day, add_local_days(*zone, day, 1), iso_local_date(*zone, day));
    } else {
        // The store's local hours: 23 on the day summer time starts, 25 on the day it ends.
        for (TimeMs hour = from; hour < to; hour = next_local_hour(*zone, hour))
            add_period(hour, next_local_hour(*zone, hour), iso_local_time(*zone, hour));
    }

    write_rows(o, stats_columns(), rows, out);
    return {};
}

int run_report(const std::vector<std::string>& args) {
    auto options = parse_report_options(args);
    if (!options) {
        std::fprintf(stderr, "storeq-controller report: %s\n%s", options.error().to_string().c_str(), kReportUsage);
        return 2;
    }
    if (options->help) {
        std::fputs(kReportUsage, stdout);
        return 0;
    }
    ControllerOptions controller_options;
    controller_options.config_path = options->config_path;
    auto config = load_config(controller_options);
    if (!config) {
        std::fprintf(stderr, "storeq-controller report: bad configuration: %s\n", config.error().to_string().c_str());
        return 2;
    }
    if (auto zone = load_time_zone(config->time_zone); !zone) {
        std::fprintf(stderr, "storeq-controller report: bad configuration: %s\n", zone.error().to_string().c_str());
        return 2;
    }
    if (auto written = write_report(*options, *config, stdout); !written) {
        // Not a storeq database: the --db given is wrong (2). Anything else failed while
        // reading (1), in SQLite's words.
        const bool refused = written.error().where == "refused";
        std::fprintf(stderr, "storeq-controller report: %s\n",
                     refused ? written.error().what.c_str() : written.error().to_string().c_str());
        return refused ? 2 : 1;
    }
    return 0;
}

}  // namespace storeq::controller
