#pragma once
// How fast staff answered prompts: time to claim, time to open (p50/p90), prompts by
// action and outcome. Pure: stored prompt rows in, figures out.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::controller {

// One stored prompt (table `prompts`), as far as the figures need it.
struct PromptRecord {
    PromptAction action = PromptAction::open_till;
    PromptState state = PromptState::open;  // its latest state
    TimeMs raised = 0;
    std::optional<TimeMs> claimed_at;
    TimeMs updated = 0;  // when it reached `state`: the fulfilment time of a fulfilled one
};

// Nearest-rank percentile (the smallest value with at least p% of values at or below it).
std::optional<TimeMs> percentile_nearest_rank(std::vector<TimeMs> values, double p);

struct ResponseTimes {
    std::int64_t n = 0;
    std::optional<TimeMs> p50, p90;
    bool operator==(const ResponseTimes&) const = default;
};
ResponseTimes response_times(const std::vector<TimeMs>& durations);

struct PromptFigures {
    std::int64_t raised = 0;
    // action -> state -> prompts (state `open`/`claimed`: still live)
    std::map<std::string, std::map<std::string, std::int64_t>> by_outcome;
    ResponseTimes time_to_claim;  // open_till prompts: raised -> first claim
    ResponseTimes time_to_open;   // open_till prompts fulfilled: raised -> a till opened
    bool operator==(const PromptFigures&) const = default;
};
// Prompts raised in [from, to).
PromptFigures prompt_figures(const std::vector<PromptRecord>& prompts, TimeMs from, TimeMs to);

}  // namespace storeq::controller
