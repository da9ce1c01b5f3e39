#include "storeq/controller/stats_period.hpp"

namespace storeq::controller {

void StatsData::merge(const StatsData& more) {
    for (const auto& [key, totals] : more.lanes) lanes[key].merge(totals);
    for (const auto& [hour, tally] : more.feedback) feedback[hour].merge(tally);
    prompts.insert(prompts.end(), more.prompts.begin(), more.prompts.end());
}

PeriodFigures period_figures(const StatsData& data, TimeMs from, TimeMs to) {
    PeriodFigures f;
    f.from = from;
    f.to = to;
    for (auto it = data.feedback.lower_bound(from); it != data.feedback.end() && it->first < to; ++it)
        f.feedback.merge(it->second);
    f.happy = happy_index(f.feedback);
    f.nps = nps_score(f.feedback.nps);
    f.queue_cost = queue_cost(f.feedback);
    f.lanes = totals_by_lane(data.lanes, from, to, &f.queues);
    f.prompts = prompt_figures(data.prompts, from, to);
    return f;
}

}  // namespace storeq::controller
