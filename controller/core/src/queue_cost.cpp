#include "storeq/controller/queue_cost.hpp"

#include <algorithm>
#include <cmath>

namespace storeq::controller {
namespace {

constexpr double kZ95 = 1.96;

Difference happy_difference(const HappyIndex& after, const HappyIndex& none) {
    Difference d;
    if (!after.value || !none.value) return d;
    d.value = *after.value - *none.value;
    if (!after.ci_low || !none.ci_low) return d;
    const double half_width = kZ95 * std::sqrt(after.variance_of_mean + none.variance_of_mean);
    d.ci_low = std::max(-100.0, *d.value - half_width);
    d.ci_high = std::min(100.0, *d.value + half_width);
    return d;
}

// The adjusted-Wald estimate of each side (feedback_stats.hpp), the variances added: the
// interval is centred on the adjusted difference, as each side's is on its adjusted score.
Difference nps_difference(const NpsScore& after, const NpsScore& none) {
    Difference d;
    if (!after.score || !none.score) return d;
    d.value = *after.score - *none.score;
    const double centre = after.adjusted - none.adjusted;
    const double half_width = kZ95 * std::sqrt(after.adjusted_variance + none.adjusted_variance);
    d.ci_low = std::max(-200.0, (centre - half_width) * 100.0);
    d.ci_high = std::min(200.0, (centre + half_width) * 100.0);
    return d;
}

}  // namespace

QueueCost queue_cost(const FeedbackTally& tally) {
    QueueCost q;
    const ScoreCounts& none = tally.by_breach[0];
    const ScoreCounts& after = tally.by_breach[1];
    q.happy_after = happy_index(after);
    q.happy_none = happy_index(none);
    q.happy_difference = happy_difference(q.happy_after, q.happy_none);
    q.nps_after = nps_score(after.nps);
    q.nps_none = nps_score(none.nps);
    q.nps_difference = nps_difference(q.nps_after, q.nps_none);
    return q;
}

}  // namespace storeq::controller
