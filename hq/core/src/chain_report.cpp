#include "storeq/hq/chain_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "storeq/stats_columns.hpp"

namespace storeq::hq {
namespace {

using controller::PeriodFigures;
using controller::StatsData;

std::size_t column_index(std::string_view name) {
    const auto& columns = controller::stats_columns();
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

// A changed figure, as the figures are shown: the difference of the two shown (rounded)
// cells, with their places. Empty when either period has no value.
Cell change(const std::vector<Cell>& now, const std::vector<Cell>& before, std::string_view column) {
    const std::size_t i = column_index(column);
    if (i >= now.size() || now[i].kind != Cell::Kind::decimal || before[i].kind != Cell::Kind::decimal) return Cell{};
    const double scale = std::pow(10.0, now[i].places);
    double d = std::round((now[i].decimal - before[i].decimal) * scale) / scale;
    if (d == 0) d = 0;  // no "-0.0"
    return Cell{Cell::Kind::decimal, 0, d, now[i].places, {}};
}

// Figures of several stores together, each counted over its own local days.
PeriodFigures merged_figures(const std::vector<const StoreStats*>& members, const DayRange& days) {
    StatsData merged;
    TimeMs from = 0, to = 0;
    bool first = true;
    for (const StoreStats* s : members) {
        const auto [f, t] = local_window(s->zone, days);
        merged.merge(restricted(s->data, f, t));
        from = first ? f : std::min(from, f);
        to = first ? t : std::max(to, t);
        first = false;
    }
    return controller::period_figures(merged, from, to);
}

ChainRow row_of(std::string key, std::string region, const std::vector<const StoreStats*>& members,
                const DayRange& days) {
    ChainRow row;
    row.key = std::move(key);
    row.region = std::move(region);
    row.cells = controller::stats_row(merged_figures(members, days), period_text(days), std::nullopt);
    const auto before = controller::stats_row(merged_figures(members, days.previous()), period_text(days.previous()),
                                              std::nullopt);
    row.change_compliance_pct = change(row.cells, before, stats_column::compliance_pct);
    row.change_happy_index = change(row.cells, before, stats_column::happy_index);
    row.change_nps = change(row.cells, before, stats_column::nps);
    return row;
}

void rank(std::vector<ChainRow>& rows) {
    const std::size_t c = column_index(stats_column::compliance_pct);
    std::sort(rows.begin(), rows.end(), [c](const ChainRow& a, const ChainRow& b) {
        const bool ha = a.cells[c].kind == Cell::Kind::decimal, hb = b.cells[c].kind == Cell::Kind::decimal;
        if (ha != hb) return ha;  // a row with no counted time ranks last
        if (ha && a.cells[c].decimal != b.cells[c].decimal) return a.cells[c].decimal > b.cells[c].decimal;
        return a.key < b.key;
    });
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].rank = static_cast<int>(i + 1);
}

}  // namespace

std::pair<TimeMs, TimeMs> local_window(const controller::TimeZone& zone, const DayRange& days) {
    return {controller::utc_of_local(zone, days.from_day * controller::kDayMs),
            controller::utc_of_local(zone, (days.to_day + 1) * controller::kDayMs)};
}

std::string period_text(const DayRange& days) {
    auto date = [](long long day) {
        int y = 0, m = 0, d = 0;
        controller::civil_from_days(day, y, m, d);
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
        return std::string(buffer);
    };
    return days.from_day == days.to_day ? date(days.from_day) : date(days.from_day) + "/" + date(days.to_day);
}

StatsData restricted(const StatsData& data, TimeMs from, TimeMs to) {
    StatsData out;
    for (auto it = data.lanes.lower_bound({from, INT32_MIN}); it != data.lanes.end() && it->first.first < to; ++it)
        out.lanes.insert(*it);
    for (auto it = data.feedback.lower_bound(from); it != data.feedback.end() && it->first < to; ++it)
        out.feedback.insert(*it);
    for (const auto& p : data.prompts)
        if (p.raised >= from && p.raised < to) out.prompts.push_back(p);
    return out;
}

std::vector<ChainRow> chain_report(const std::vector<StoreStats>& stores, ReportBy by, const DayRange& days) {
    std::vector<ChainRow> rows;
    if (by == ReportBy::store) {
        for (const StoreStats& s : stores) rows.push_back(row_of(s.store, s.region, {&s}, days));
    } else if (by == ReportBy::region) {
        std::map<std::string, std::vector<const StoreStats*>> regions;
        for (const StoreStats& s : stores) regions[s.region].push_back(&s);
        for (const auto& [region, members] : regions) rows.push_back(row_of(region, "", members, days));
    } else {
        std::vector<const StoreStats*> all;
        for (const StoreStats& s : stores) all.push_back(&s);
        rows.push_back(row_of("chain", "", all, days));
    }
    rank(rows);
    return rows;
}

std::vector<std::string> report_columns(ReportBy by) {
    std::vector<std::string> columns{"rank"};
    if (by == ReportBy::store) columns.insert(columns.end(), {"store", "region"});
    else columns.push_back(by == ReportBy::region ? "region" : "chain");
    const auto& stats = controller::stats_columns();
    columns.insert(columns.end(), stats.begin(), stats.end());
    columns.insert(columns.end(), {"change_compliance_pct", "change_happy_index", "change_nps"});
    return columns;
}

std::vector<Cell> report_cells(const ChainRow& row, ReportBy by) {
    auto text = [](const std::string& v) { return Cell{Cell::Kind::text, 0, 0, 0, v}; };
    std::vector<Cell> cells{Cell{Cell::Kind::integer, row.rank, 0, 0, {}}, text(row.key)};
    if (by == ReportBy::store) cells.push_back(text(row.region));
    cells.insert(cells.end(), row.cells.begin(), row.cells.end());
    cells.insert(cells.end(), {row.change_compliance_pct, row.change_happy_index, row.change_nps});
    return cells;
}

}  // namespace storeq::hq
