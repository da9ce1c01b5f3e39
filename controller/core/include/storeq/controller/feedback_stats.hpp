#pragma once
// Shopper feedback in figures a manager reads: Happy Index, NPS with its 95% interval,
// reasons by side. Pure: counts in, figures out (docs/stats.md defines every figure).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::controller {

// Scored answers by scale and score.
struct ScoreCounts {
    std::array<std::int64_t, 4> smiley4{};  // index = score, 0 the worst face
    std::array<std::int64_t, 5> smiley5{};
    std::array<std::int64_t, 11> nps{};
    void add(Scale scale, int score, std::int64_t n);  // a bad score is ignored
    void merge(const ScoreCounts& other);
    bool operator==(const ScoreCounts&) const = default;
};

// Whether a response's shopper probably queued in a breach (queued_in_breach, step.hpp),
// as it is stored with the response: not known, no, yes.
enum class BreachExposure { unknown = -1, no_breach = 0, after_breach = 1 };

// Responses counted by scale and score, over any period (an hour, a day, 28 days).
// Misuse presses (inside the kiosk's response interval) are counted, never scored.
struct FeedbackTally {
    std::array<std::int64_t, 4> smiley4{};  // index = score, 0 the worst face
    std::array<std::int64_t, 5> smiley5{};
    std::array<std::int64_t, 11> nps{};
    std::int64_t misuse = 0;
    // The scored answers again, split by BreachExposure: [0] no breach, [1] after a
    // breach; answers not known are in neither (the queue-cost figures, queue_cost.hpp).
    std::array<ScoreCounts, 2> by_breach{};
    // Follow-up answers, split the way the kiosk asks them (is_positive_answer).
    std::map<std::string, std::int64_t> reasons_positive;
    std::map<std::string, std::int64_t> reasons_negative;

    // n presses of one (scale, score, misuse, reason, exposure); a bad score is ignored.
    void add(Scale scale, int score, bool misuse, const std::optional<std::string>& reason, std::int64_t n = 1,
             BreachExposure exposure = BreachExposure::unknown);
    void add_reason(bool positive, const std::string& reason, std::int64_t n);
    void merge(const FeedbackTally& other);
    std::int64_t scored() const;  // responses in some score (misuse left out)
    bool operator==(const FeedbackTally&) const = default;
};

// Keeps the reason codes of each side's list and adds every other code into `other`:
// what the stats documents and the rollups hold, bounded by the configuration whatever
// codes the kiosks sent.
void fold_reasons(FeedbackTally& tally, const std::vector<std::string>& positive,
                  const std::vector<std::string>& negative);

// The kiosk asks "what went well?" for these answers and "what went wrong?" for the
// others; reasons are counted on the same side. Must match kiosk/model's rule.
bool is_positive_answer(Scale scale, int score);

// Happy Index 0..100: the mean face weight over smiley4 and smiley5 responses, faces
// evenly spaced from the worst (0) to the best (100): smiley4 0, 33.3, 66.7, 100.
// With its 95% interval (normal approximation of a mean: value +- 1.96 * s / sqrt(n), s the
// sample standard deviation of the face weights, clamped to 0..100; none below n = 2) and
// the variance of the mean (s^2 / n), which the queue-cost difference adds up.
struct HappyIndex {
    std::int64_t n = 0;
    std::optional<double> value;  // none when n == 0
    std::optional<double> ci_low, ci_high;
    double variance_of_mean = 0;
    bool operator==(const HappyIndex&) const = default;
};
HappyIndex happy_index(const FeedbackTally& tally);
HappyIndex happy_index(const ScoreCounts& counts);

// Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100..100, with the
// adjusted-Wald 95% interval (Rocks 2016, The American Statistician: the best coverage of
// the six methods he compared, also at small n). With n' = n + 3, p' = (promoters + 3/4)
// / n', d' = (detractors + 3/4) / n':
//   var = (p' + d' - (p' - d')^2) / n',  interval (p' - d') +- 1.96 * sqrt(var), * 100,
// clamped to -100..100. The plain Wald interval said 100..100 for one promoter; this one
// says -49..98. `thin`: 1..kThinSample-1 responses: show it, do not trust it; no score at
// n = 0 is not thin, it is absent.
inline constexpr std::int64_t kThinSample = 30;
struct NpsScore {
    std::int64_t n = 0, promoters = 0, passives = 0, detractors = 0;
    std::optional<double> score, ci_low, ci_high;  // none when n == 0
    bool thin = true;
    // The adjusted estimate p' - d' (a share, -1..1) and its variance `var` above: what the
    // interval of a difference of two scores is made of (queue_cost.hpp).
    double adjusted = 0, adjusted_variance = 0;
    bool operator==(const NpsScore&) const = default;
};
NpsScore nps_score(const std::array<std::int64_t, 11>& by_score);

}  // namespace storeq::controller
