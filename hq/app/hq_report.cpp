#include "hq_report.hpp"

#include <cstdio>

#include "hq_options.hpp"
#include "storeq/hq/report_text.hpp"

namespace storeq::hq {

Expected<std::vector<StoreStats>> load_chain_stats(HqStore& store, const LoadedTree& tree, const DayRange& days) {
    std::vector<StoreStats> out;
    for (const auto& [id, s] : tree.tree.stores) {
        const controller::TimeZone& zone = tree.zones.at(id);
        const TimeMs from = local_window(zone, days.previous()).first;
        const TimeMs to = local_window(zone, days).second;
        auto data = store.load_stats(id, from, to);
        if (!data) return data.error();
        out.push_back(StoreStats{id, s.region, zone, std::move(*data)});
    }
    return out;
}

int run_report(const std::vector<std::string>& args) {
    auto o = parse_report_options(args);
    if (!o) {
        std::fprintf(stderr, "storeq-hq report: %s\n%s", o.error().to_string().c_str(), kHqUsage);
        return 2;
    }
    if (o->help) {
        std::fputs(kHqUsage, stdout);
        return 0;
    }
    auto tree = load_tree_file(o->tree_path);
    if (!tree) {
        std::fprintf(stderr, "storeq-hq report: --tree %s\n", tree.error().to_string().c_str());
        return 2;
    }
    auto db = PgConnection::connect(o->pg_conninfo);
    if (!db) {
        std::fprintf(stderr, "storeq-hq report: --pg: %s\n", db.error().what.c_str());
        return 1;
    }
    HqStore store(*db);
    auto stats = load_chain_stats(store, *tree, o->days);
    if (!stats) {
        std::fprintf(stderr, "storeq-hq report: %s\n", stats.error().to_string().c_str());
        return 1;
    }
    const auto rows = chain_report(*stats, o->by, o->days);
    Rows cells;
    for (const auto& row : rows) cells.push_back(report_cells(row, o->by));
    const auto columns = report_columns(o->by);
    std::string text;
    switch (o->format) {
        case ReportOptions::Format::table: text = table_text(columns, cells); break;
        case ReportOptions::Format::csv: text = csv_text(columns, cells); break;
        case ReportOptions::Format::json: {
            const char* by = o->by == ReportBy::store ? "store" : o->by == ReportBy::region ? "region" : "chain";
            text = json_text(o->from_date, o->to_date, by, columns, cells);
            break;
        }
    }
    std::fputs(text.c_str(), stdout);
    return 0;
}

}  // namespace storeq::hq
