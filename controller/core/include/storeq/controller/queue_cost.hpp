#pragma once
// What a queue costs in smiles: the Happy Index and NPS of the answers given after a
// breach against those given with no breach, each with its n and 95% interval, and the
// difference with its interval (docs/stats.md, "What a queue costs"). An association, not
// a proof: a busy hour has queues and other reasons to be unhappy. Pure: counts in.
#include <optional>

#include "storeq/controller/feedback_stats.hpp"

namespace storeq::controller {

// after - none, with its 95% interval: the two groups' variances added (independent
// samples, normal approximation); none while a side has no interval.
struct Difference {
    std::optional<double> value, ci_low, ci_high;
    bool operator==(const Difference&) const = default;
};

struct QueueCost {
    HappyIndex happy_after, happy_none;
    Difference happy_difference;  // Happy Index points, -100..100
    NpsScore nps_after, nps_none;
    Difference nps_difference;    // NPS points, -200..200
    bool operator==(const QueueCost&) const = default;
};

QueueCost queue_cost(const FeedbackTally& tally);

}  // namespace storeq::controller
