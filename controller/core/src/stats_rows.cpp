#include "storeq/controller/stats_rows.hpp"

#include "storeq/stats_columns.hpp"

#include <cmath>
#include <cstdio>

namespace storeq::controller {
namespace {

Cell integer(std::int64_t v) { return Cell{Cell::Kind::integer, v, 0, 0, {}}; }
Cell text(std::string v) { return Cell{Cell::Kind::text, 0, 0, 0, std::move(v)}; }
Cell decimal(std::optional<double> v, int places) {
    if (!v || !std::isfinite(*v)) return Cell{};
    const double scale = std::pow(10.0, places);
    double rounded = std::round(*v * scale) / scale;
    if (rounded == 0) rounded = 0;  // no "-0.0"
    return Cell{Cell::Kind::decimal, 0, rounded, places, {}};
}
Cell minutes(TimeMs ms) { return decimal(static_cast<double>(ms) / 60'000.0, 2); }
Cell seconds(std::optional<TimeMs> ms) {
    return ms ? decimal(static_cast<double>(*ms) / 1000.0, 1) : Cell{};
}
std::optional<double> percent(std::optional<double> share) {
    return share ? std::optional<double>(*share * 100.0) : std::nullopt;
}
std::int64_t outcome(const PromptFigures& p, const char* state) {
    std::int64_t n = 0;
    for (const auto& [action, states] : p.by_outcome)
        if (auto it = states.find(state); it != states.end()) n += it->second;
    return n;
}

}  // namespace

Cell integer_cell(std::int64_t v) { return integer(v); }
Cell text_cell(std::string v) { return text(std::move(v)); }
Cell decimal_cell(std::optional<double> v, int places) { return decimal(v, places); }
Cell seconds_cell(std::optional<TimeMs> ms) { return seconds(ms); }

const std::vector<std::string>& stats_columns() {
    static const std::vector<std::string> columns(stats_column::all.begin(), stats_column::all.end());
    return columns;
}

std::vector<Cell> stats_row(const PeriodFigures& f, const std::string& period, std::optional<int> lane) {
    LaneTotals q = f.queues;
    if (lane) {
        auto it = f.lanes.find(*lane);
        q = it == f.lanes.end() ? LaneTotals{} : it->second;
    }
    std::vector<Cell> row{text(period), lane ? integer(*lane) : text("all"), minutes(q.open_ms),
                          minutes(q.counted_ms), minutes(q.unknown_ms), minutes(q.breach_ms),
                          decimal(percent(compliance(q)), 1), decimal(average_queue(q), 2), integer(q.max_queue),
                          integer(q.samples), integer(q.breaches), integer(q.kept), integer(q.broken),
                          decimal(percent(promise_kept_rate(q)), 1)};
    if (lane) {
        row.resize(stats_columns().size());  // feedback and prompts belong to the store
        return row;
    }
    const auto& p = f.prompts;
    const std::vector<Cell> store{
        integer(f.feedback.scored()), integer(f.feedback.misuse), decimal(f.happy.value, 1), integer(f.happy.n),
        decimal(f.nps.score, 1), decimal(f.nps.ci_low, 1), decimal(f.nps.ci_high, 1), integer(f.nps.n),
        integer(f.nps.thin ? 1 : 0), integer(p.raised), integer(outcome(p, "fulfilled")),
        integer(outcome(p, "cancelled")), seconds(p.time_to_claim.p50), seconds(p.time_to_claim.p90),
        seconds(p.time_to_open.p50), seconds(p.time_to_open.p90)};
    row.insert(row.end(), store.begin(), store.end());
    const QueueCost& cost = f.queue_cost;
    auto add_happy = [&](const HappyIndex& h) {
        row.insert(row.end(), {decimal(h.value, 1), integer(h.n), decimal(h.ci_low, 1), decimal(h.ci_high, 1)});
    };
    auto add_nps = [&](const NpsScore& s) {
        row.insert(row.end(), {decimal(s.score, 1), integer(s.n), decimal(s.ci_low, 1), decimal(s.ci_high, 1)});
    };
    auto add_difference = [&](const Difference& d) {
        row.insert(row.end(), {decimal(d.value, 1), decimal(d.ci_low, 1), decimal(d.ci_high, 1)});
    };
    add_happy(cost.happy_after);
    add_happy(cost.happy_none);
    add_difference(cost.happy_difference);
    add_nps(cost.nps_after);
    add_nps(cost.nps_none);
    add_difference(cost.nps_difference);
    return row;
}

std::string cell_text(const Cell& cell) {
    switch (cell.kind) {
        case Cell::Kind::empty: return "";
        case Cell::Kind::integer: return std::to_string(cell.integer);
        case Cell::Kind::text: return cell.text;
        case Cell::Kind::decimal: {
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, "%.*f", cell.places, cell.decimal);
            return buffer;
        }
    }
    return "";
}

}  // namespace storeq::controller
