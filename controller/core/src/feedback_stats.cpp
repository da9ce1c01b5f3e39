#include "storeq/controller/feedback_stats.hpp"

#include <algorithm>
#include <cmath>

namespace storeq::controller {

namespace {
void fold_side(std::map<std::string, std::int64_t>& reasons, const std::vector<std::string>& kept) {
    std::int64_t other = 0;
    for (auto it = reasons.begin(); it != reasons.end();) {
        if (std::find(kept.begin(), kept.end(), it->first) != kept.end()) {
            ++it;
            continue;
        }
        other += it->second;
        it = reasons.erase(it);
    }
    if (other > 0) reasons["other"] += other;
}
}  // namespace

void fold_reasons(FeedbackTally& tally, const std::vector<std::string>& positive,
                  const std::vector<std::string>& negative) {
    fold_side(tally.reasons_positive, positive);
    fold_side(tally.reasons_negative, negative);
}

bool is_positive_answer(Scale scale, int score) {
    // NPS passives (7, 8) are asked what went well, like promoters; the middle face of
    // five is asked what to improve.
    if (scale == Scale::nps) return score >= 7;
    return score * 2 > max_score(scale);
}

void ScoreCounts::add(Scale scale, int score, std::int64_t n) {
    if (score < 0 || score > max_score(scale)) return;
    const auto index = static_cast<std::size_t>(score);
    switch (scale) {
        case Scale::smiley4: smiley4[index] += n; break;
        case Scale::smiley5: smiley5[index] += n; break;
        case Scale::nps: nps[index] += n; break;
    }
}

void ScoreCounts::merge(const ScoreCounts& o) {
    for (std::size_t i = 0; i < smiley4.size(); ++i) smiley4[i] += o.smiley4[i];
    for (std::size_t i = 0; i < smiley5.size(); ++i) smiley5[i] += o.smiley5[i];
    for (std::size_t i = 0; i < nps.size(); ++i) nps[i] += o.nps[i];
}

void FeedbackTally::add(Scale scale, int score, bool is_misuse, const std::optional<std::string>& reason,
                        std::int64_t n, BreachExposure exposure) {
    if (score < 0 || score > max_score(scale)) return;
    if (is_misuse) {
        misuse += n;
        return;
    }
    if (exposure != BreachExposure::unknown) by_breach[exposure == BreachExposure::after_breach ? 1 : 0].add(scale, score, n);
    const auto index = static_cast<std::size_t>(score);
    switch (scale) {
        case Scale::smiley4: smiley4[index] += n; break;
        case Scale::smiley5: smiley5[index] += n; break;
        case Scale::nps: nps[index] += n; break;
    }
    if (reason) add_reason(is_positive_answer(scale, score), *reason, n);
}

void FeedbackTally::add_reason(bool positive, const std::string& reason, std::int64_t n) {
    (positive ? reasons_positive : reasons_negative)[reason] += n;
}

void FeedbackTally::merge(const FeedbackTally& o) {
    for (std::size_t i = 0; i < smiley4.size(); ++i) smiley4[i] += o.smiley4[i];
    for (std::size_t i = 0; i < smiley5.size(); ++i) smiley5[i] += o.smiley5[i];
    for (std::size_t i = 0; i < nps.size(); ++i) nps[i] += o.nps[i];
    misuse += o.misuse;
    for (std::size_t i = 0; i < by_breach.size(); ++i) by_breach[i].merge(o.by_breach[i]);
    for (const auto& [reason, n] : o.reasons_positive) reasons_positive[reason] += n;
    for (const auto& [reason, n] : o.reasons_negative) reasons_negative[reason] += n;
}

std::int64_t FeedbackTally::scored() const {
    std::int64_t n = 0;
    for (auto c : smiley4) n += c;
    for (auto c : smiley5) n += c;
    for (auto c : nps) n += c;
    return n;
}

namespace {
HappyIndex happy_of(const std::array<std::int64_t, 4>& smiley4, const std::array<std::int64_t, 5>& smiley5) {
    HappyIndex h;
    double weighted = 0, squares = 0;
    auto add = [&](const auto& counts) {
        const double top = static_cast<double>(counts.size() - 1);
        for (std::size_t score = 0; score < counts.size(); ++score) {
            const double weight = 100.0 * static_cast<double>(score) / top;
            h.n += counts[score];
            weighted += static_cast<double>(counts[score]) * weight;
            squares += static_cast<double>(counts[score]) * weight * weight;
        }
    };
    add(smiley4);
    add(smiley5);
    if (h.n == 0) return h;
    const double n = static_cast<double>(h.n);
    const double mean = weighted / n;
    h.value = mean;
    if (h.n < 2) return h;
    // Sample variance from the sums (weights are at most 100: no precision trouble here).
    const double variance = std::max(0.0, (squares - n * mean * mean) / (n - 1.0));
    h.variance_of_mean = variance / n;
    const double half_width = 1.96 * std::sqrt(h.variance_of_mean);
    h.ci_low = std::max(0.0, mean - half_width);
    h.ci_high = std::min(100.0, mean + half_width);
    return h;
}
}  // namespace

HappyIndex happy_index(const FeedbackTally& t) { return happy_of(t.smiley4, t.smiley5); }
HappyIndex happy_index(const ScoreCounts& c) { return happy_of(c.smiley4, c.smiley5); }

NpsScore nps_score(const std::array<std::int64_t, 11>& by_score) {
    NpsScore s;
    for (int score = 0; score <= 10; ++score) {
        const auto c = by_score[static_cast<std::size_t>(score)];
        s.n += c;
        if (score >= 9) s.promoters += c;
        else if (score >= 7) s.passives += c;
        else s.detractors += c;
    }
    s.thin = s.n > 0 && s.n < kThinSample;
    if (s.n == 0) return s;
    const double n = static_cast<double>(s.n);
    s.score = (static_cast<double>(s.promoters) - static_cast<double>(s.detractors)) / n * 100.0;
    const double n_adj = n + 3.0;
    const double p_prom = (static_cast<double>(s.promoters) + 0.75) / n_adj;
    const double p_det = (static_cast<double>(s.detractors) + 0.75) / n_adj;
    const double centre = p_prom - p_det;
    const double variance = std::max(0.0, (p_prom + p_det - centre * centre) / n_adj);
    const double half_width = 1.96 * std::sqrt(variance);
    s.adjusted = centre;
    s.adjusted_variance = variance;
    s.ci_low = std::max(-100.0, (centre - half_width) * 100.0);
    s.ci_high = std::min(100.0, (centre + half_width) * 100.0);
    return s;
}

}  // namespace storeq::controller
