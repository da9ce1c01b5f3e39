#pragma once
// What the controller's /metrics says (docs/integrations.md): the figures, gathered with
// the controller's lock held into a MetricsSnapshot (plain data, copied once a second),
// and turned into Prometheus metric families off that lock, on the responder's thread.
// Names follow Prometheus's conventions: storeq_ prefix, base units (_seconds), _total
// for counters, labels of few values (lane, action, outcome, scale, score, reason, kiosk).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storeq/metrics/exposition.hpp"

namespace storeq::controller {

// What committed transactions did: counted when the commit that holds it succeeds, so a
// transaction rolled back and retried counts once (durable_step.hpp).
struct DurableTally {
    std::map<std::string, std::int64_t> prompts_raised;                         // by action
    std::map<std::pair<std::string, std::string>, std::int64_t> prompts_ended;  // action, outcome
    std::map<std::pair<std::string, int>, std::int64_t> feedback;               // scale, score: first stored
    std::int64_t feedback_misuse = 0;
    void add(const DurableTally& other);
};

// Upper bounds in seconds. One rule step is microseconds (bench/prompt_latency); a commit
// with an fsync-free WAL is ~0.1-1 ms, a slow disk tens of ms.
std::vector<double> rule_step_buckets();
std::vector<double> commit_buckets();

struct LaneFigures {
    int lane = 0;
    bool open = false;
    std::optional<int> count;  // none: no count the rule can use (unknown, never taken as empty)
};

struct MetricsSnapshot {
    std::string version;
    std::vector<LaneFigures> lanes;
    std::int64_t live_prompts = 0;
    bool storage_failing = false;
    DurableTally tally;
    metrics::Histogram rule_step_seconds{rule_step_buckets()};
    metrics::Histogram commit_seconds{commit_buckets()};
    std::map<std::string, std::int64_t> rejected;      // by reason (intake.hpp's Rejected)
    std::int64_t not_published = 0;                    // refused before sending (too large)
    std::map<std::string, std::int64_t> kiosk_backlog;  // the kiosks' live statuses' backlog
    std::optional<std::int64_t> head_office_backlog;   // head_office = on: entries not acked
};

std::vector<metrics::Family> metric_families(const MetricsSnapshot& snapshot);

}  // namespace storeq::controller
