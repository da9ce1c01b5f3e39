#include "controller_metrics.hpp"

namespace storeq::controller {
using metrics::Family;
using metrics::MetricType;

void DurableTally::add(const DurableTally& other) {
    for (const auto& [key, n] : other.prompts_raised) prompts_raised[key] += n;
    for (const auto& [key, n] : other.prompts_ended) prompts_ended[key] += n;
    for (const auto& [key, n] : other.feedback) feedback[key] += n;
    feedback_misuse += other.feedback_misuse;
}

std::vector<double> rule_step_buckets() {
    return {2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 0.025};
}

std::vector<double> commit_buckets() {
    return {1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
}

std::vector<Family> metric_families(const MetricsSnapshot& s) {
    auto d = [](std::int64_t n) { return static_cast<double>(n); };
    std::vector<Family> out;
    out.push_back({"storeq_build_info", "The controller's version (the value is always 1).", MetricType::gauge,
                   {{{{"version", s.version}}, 1, {}}}});

    Family open{"storeq_lane_open", "1 while the till is open, 0 while it is closed.", MetricType::gauge, {}};
    Family length{"storeq_lane_queue_length",
                  "People in the lane, the one being served included; absent while the lane's count is unknown.",
                  MetricType::gauge, {}};
    Family waiting{"storeq_lane_waiting",
                   "People waiting in the lane (the queue length less the one being served); absent while unknown.",
                   MetricType::gauge, {}};
    for (const auto& lane : s.lanes) {
        const metrics::Labels labels{{"lane", std::to_string(lane.lane)}};
        open.samples.push_back({labels, lane.open ? 1.0 : 0.0, {}});
        if (!lane.count) continue;
        length.samples.push_back({labels, d(*lane.count), {}});
        waiting.samples.push_back({labels, d(*lane.count > 0 ? *lane.count - 1 : 0), {}});
    }
    out.push_back(std::move(open));
    out.push_back(std::move(length));
    out.push_back(std::move(waiting));
    out.push_back({"storeq_prompts_live", "Prompts open or claimed now.", MetricType::gauge,
                   {{{}, d(s.live_prompts), {}}}});

    Family raised{"storeq_prompts_raised_total", "Prompts raised since the controller started, by action.",
                  MetricType::counter, {}};
    for (const auto& [action, n] : s.tally.prompts_raised) raised.samples.push_back({{{"action", action}}, d(n), {}});
    out.push_back(std::move(raised));
    Family ended{"storeq_prompts_ended_total",
                 "Prompts ended since the controller started, by action and outcome (fulfilled, cancelled, expired).",
                 MetricType::counter, {}};
    for (const auto& [key, n] : s.tally.prompts_ended)
        ended.samples.push_back({{{"action", key.first}, {"outcome", key.second}}, d(n), {}});
    out.push_back(std::move(ended));

    Family feedback{"storeq_feedback_total",
                    "Responses stored since the controller started (each id once), by scale and score (0 the most negative).",
                    MetricType::counter, {}};
    for (const auto& [key, n] : s.tally.feedback)
        feedback.samples.push_back({{{"scale", key.first}, {"score", std::to_string(key.second)}}, d(n), {}});
    out.push_back(std::move(feedback));
    out.push_back({"storeq_feedback_misuse_total",
                   "Of those, responses pressed inside the kiosk's response interval (left out of the scores).",
                   MetricType::counter, {{{}, d(s.tally.feedback_misuse), {}}}});

    Family rejected{"storeq_messages_rejected_total",
                    "Messages rejected since the controller started (bad topic, payload or claim), by reason.",
                    MetricType::counter, {}};
    for (const auto& [reason, n] : s.rejected) rejected.samples.push_back({{{"reason", reason}}, d(n), {}});
    out.push_back(std::move(rejected));
    out.push_back({"storeq_messages_not_published_total",
                   "Messages the controller did not publish because the broker would refuse them.", MetricType::counter,
                   {{{}, d(s.not_published), {}}}});

    Family kiosks{"storeq_kiosk_outbox_backlog",
                  "Responses waiting in each kiosk's outbox, as its latest live status said.", MetricType::gauge, {}};
    for (const auto& [kiosk, n] : s.kiosk_backlog) kiosks.samples.push_back({{{"kiosk", kiosk}}, d(n), {}});
    out.push_back(std::move(kiosks));
    if (s.head_office_backlog)
        out.push_back({"storeq_head_office_backlog_entries",
                       "Outbound log entries head office has not acknowledged yet (head_office = on).",
                       MetricType::gauge, {{{}, d(*s.head_office_backlog), {}}}});
    out.push_back({"storeq_storage_failing", "1 while the database cannot take writes.", MetricType::gauge,
                   {{{}, s.storage_failing ? 1.0 : 0.0, {}}}});

    out.push_back({"storeq_rule_step_duration_seconds", "Time one step of the rule engine took (an input or time passing).",
                   MetricType::histogram, {{{}, 0, s.rule_step_seconds}}});
    out.push_back({"storeq_commit_duration_seconds", "Time one SQLite commit of the controller's flow took.",
                   MetricType::histogram, {{{}, 0, s.commit_seconds}}});
    return out;
}

}  // namespace storeq::controller
