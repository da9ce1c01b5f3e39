#include "storeq/controller/prompt_stats.hpp"

#include <algorithm>
#include <cmath>

namespace storeq::controller {

std::optional<TimeMs> percentile_nearest_rank(std::vector<TimeMs> values, double p) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

ResponseTimes response_times(const std::vector<TimeMs>& durations) {
    ResponseTimes r;
    r.n = static_cast<std::int64_t>(durations.size());
    r.p50 = percentile_nearest_rank(durations, 50);
    r.p90 = percentile_nearest_rank(durations, 90);
    return r;
}

PromptFigures prompt_figures(const std::vector<PromptRecord>& prompts, TimeMs from, TimeMs to) {
    PromptFigures f;
    std::vector<TimeMs> to_claim, to_open;
    for (const auto& p : prompts) {
        if (p.raised < from || p.raised >= to) continue;
        ++f.raised;
        ++f.by_outcome[std::string(to_string(p.action))][std::string(to_string(p.state))];
        if (p.action != PromptAction::open_till) continue;
        if (p.claimed_at) to_claim.push_back(*p.claimed_at - p.raised);
        if (p.state == PromptState::fulfilled) to_open.push_back(p.updated - p.raised);
    }
    f.time_to_claim = response_times(to_claim);
    f.time_to_open = response_times(to_open);
    return f;
}

}  // namespace storeq::controller
