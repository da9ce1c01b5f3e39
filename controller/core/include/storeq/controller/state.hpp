#pragma once
// The controller's whole memory, as plain data: what restart restores from SQLite.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "storeq/controller/alerts.hpp"
#include "storeq/controller/breach_memory.hpp"
#include "storeq/controller/forecast_rule.hpp"
#include "storeq/controller/lane_count.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

struct Lane {
    bool open = false;
    int count = 0;
    bool has_sample = false;               // no sample yet: unknown, not empty
    CountSource source = CountSource::sensor;  // who sent the last sample
    TimeMs last_sample_at = 0;             // controller time of the last accepted sample
    SampleOrder order;                     // the last sample of each source (ordering)
    std::optional<TimeMs> over_since;      // open with waiting >= threshold since
    std::optional<TimeMs> settle_until;    // a prompt for this lane was fulfilled: wait till then
    std::optional<TimeMs> balance_tried_at; // last balance prompt for this lane (once per breach)
    // Service time learned from the counts: customers leaving a lane that stayed busy.
    std::optional<TimeMs> serving_since;   // the current customer's service began (count > 0)
    double service_ms = 0;                 // moving average of observed service times
    int services_seen = 0;
    std::optional<WaitEstimate> published_wait;  // last estimate published for this lane
    bool operator==(const Lane&) const = default;
};

// A live prompt and what the rule needs to remember about it.
struct LivePrompt {
    Prompt prompt;
    int demand_lane = 0;                // the breaching lane that caused it (0: none)
    std::optional<TimeMs> clear_since;  // the demand has been gone since
    std::optional<TimeMs> claimed_at;
    bool operator==(const LivePrompt&) const = default;
};

struct State {
    std::map<int, Lane> lanes;              // every configured till, by number
    std::map<std::string, LivePrompt> live;  // live prompts by id
    std::optional<TimeMs> last_all_tills_open;
    std::optional<TimeMs> idle_since;       // 2+ lanes open and nobody waiting since
    std::uint64_t id_seed = 0;              // drives prompt ids; set once by the shell
    TimeMs now = 0;                         // time of the last event seen
    std::int64_t stale_samples = 0;         // queue samples ignored as older than the last
    Forecasting forecast;                   // door counts, the arrival model, the latest forecast
    AlertsState alerts;                     // the alert rules' windows and the open alerts
    BreachMemory breaches;                  // breaches that ended: "after a breach" (queue_cost.hpp)
    bool operator==(const State&) const = default;
};

}  // namespace storeq::controller
