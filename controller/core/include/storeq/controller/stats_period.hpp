#pragma once
// Every figure of one period (an hour, a day, 28 days) from the hourly buckets: what the
// stats documents and `storeq-controller report` show. Pure.
#include <map>
#include <vector>

#include "storeq/controller/feedback_stats.hpp"
#include "storeq/controller/lane_stats.hpp"
#include "storeq/controller/prompt_stats.hpp"
#include "storeq/controller/queue_cost.hpp"

namespace storeq::controller {

// Hourly buckets as the rollup tables hold them (feedback by the hour of its device ts,
// lanes by the hour of the controller's receive time), and the prompts.
struct StatsData {
    LaneHours lanes;
    std::map<TimeMs, FeedbackTally> feedback;  // hour start -> responses
    std::vector<PromptRecord> prompts;
    void merge(const StatsData& more);  // adds buckets; appends prompts
};

struct PeriodFigures {
    TimeMs from = 0, to = 0;
    FeedbackTally feedback;
    HappyIndex happy;
    NpsScore nps;
    QueueCost queue_cost;              // after a breach against no breach
    LaneTotals queues;                 // every lane together
    std::map<int, LaneTotals> lanes;   // by lane
    PromptFigures prompts;
};

// Buckets whose hour starts in [from, to); prompts raised in [from, to).
PeriodFigures period_figures(const StatsData& data, TimeMs from, TimeMs to);

}  // namespace storeq::controller
