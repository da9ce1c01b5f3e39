#pragma once
// The dashboard's queue-cost line (docs/stats.md, "What a queue costs"): the day's score of
// the answers given after a breach against those with none, with their n, and the
// difference with its 95% interval for today and the last 7 days. Worked out from the
// stats documents without ImGui; web/common/queue_cost_figures.js is its port, to the digit.
#include <string>

#include "model/manager_stats.hpp"

namespace storeq::kiosk {

struct QueueCostView {
    bool waiting = true;  // no stats/today yet
    // "after a queue: Happy Index 61 (n 212) vs 82 (n 1,904)"
    std::string line;
    // "difference -21 (-27 to -15), 7 days -18 (-22 to -14): an association, not proof"
    std::string difference;
    bool costs = false;  // today's interval lies below 0: answers after a queue are worse
};

// `nps`: the store answers on the NPS scale only (the dashboard's score is NPS).
QueueCostView make_queue_cost_view(const ManagerStats& stats, bool nps);

// 1904 -> "1,904": the figure as the line prints it in every language (digits never change).
std::string grouped_count(long long n);

}  // namespace storeq::kiosk
