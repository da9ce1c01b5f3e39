// The dashboard's queue-cost line from the stats documents (tests/web/figures_test.js
// holds the web's port to the same strings).
#include <catch2/catch.hpp>

#include "model/queue_cost_view.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {
StatsRow row(std::map<std::string, double> figures) { return StatsRow{"2026-12-03", "all", std::move(figures)}; }
}  // namespace

TEST_CASE("the queue-cost line: both groups with n, the difference with its interval, today and 7 days") {
    ManagerStats stats;
    stats.today = StatsToday{};
    stats.today->totals = row({{"happy_after_breach", 61.4}, {"happy_after_breach_n", 212}, {"happy_no_breach", 82.5},
                               {"happy_no_breach_n", 1904}, {"happy_breach_diff", -21.1},
                               {"happy_breach_diff_ci95_low", -26.5}, {"happy_breach_diff_ci95_high", -15.7}});
    stats.daily = StatsDaily{};
    stats.daily->week = row({{"happy_breach_diff", -18.0}, {"happy_breach_diff_ci95_low", -22.4},
                             {"happy_breach_diff_ci95_high", 0.5}});
    const QueueCostView v = make_queue_cost_view(stats, false);
    CHECK_FALSE(v.waiting);
    CHECK(v.line == "after a queue: Happy Index 61 (n 212) vs 83 (n 1,904)");
    CHECK(v.difference == "difference -21 (-27 to -16), 7 days -18 (-22 to +1): an association, not proof");
    CHECK(v.costs);
}

TEST_CASE("the queue-cost line before any judged answer, and for an NPS store") {
    ManagerStats stats;
    CHECK(make_queue_cost_view(stats, false).waiting);
    stats.today = StatsToday{};
    stats.today->totals = row({{"happy_after_breach_n", 0}, {"happy_no_breach_n", 0}});
    const QueueCostView none = make_queue_cost_view(stats, false);
    CHECK(none.line == "after a queue: Happy Index - (n 0) vs - (n 0)");
    CHECK(none.difference == "difference -: an association, not proof");
    CHECK_FALSE(none.costs);
    stats.today->totals = row({{"nps_after_breach", 12.5}, {"nps_after_breach_n", 8}, {"nps_no_breach", 40},
                               {"nps_no_breach_n", 1234567}, {"nps_breach_diff", -27.5}});
    const QueueCostView nps = make_queue_cost_view(stats, true);
    CHECK(nps.line == "after a queue: NPS 13 (n 8) vs 40 (n 1,234,567)");
    CHECK(nps.difference == "difference -28: an association, not proof");
    CHECK(grouped_count(999) == "999");
    CHECK(grouped_count(1000) == "1,000");
    CHECK(grouped_count(-12345) == "-12,345");
}
