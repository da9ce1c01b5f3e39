// The simulator's satisfaction model seen through the controller's own figures: a
// simulated store (tools/sim store_model) drives the pure rule (step) with injected time;
// every answer is judged as the controller judges it when storing it (queued_in_breach)
// and the queue-cost figures come from queue_cost, as in the report. No broker, no
// database: the pure parts only, so a simulated week takes seconds.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "store_model.hpp"
#include "storeq/controller/queue_cost.hpp"
#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

constexpr TimeMs kStart = 1'767'254'400'000;  // 2026-01-01 08:00 UTC
constexpr TimeMs kHour = 3'600'000;

struct Outcome {
    QueueCost cost;
    std::int64_t answers = 0;
    sim::StoreStats store;
};

Outcome simulate(double best_face_drop, TimeMs duration, std::uint64_t seed) {
    Config config;
    config.tills = {1, 2, 3};
    State state = initial_state(config, seed);
    sim::StoreSettings settings;
    settings.tills = config.tills;
    settings.best_face_drop = best_face_drop;
    settings.arrivals_per_minute = 10;
    // Three tills for 2.5 erlangs of work, and staff who take minutes to open one: queues
    // build, so enough shoppers stand over one in front for a week to show it (measured:
    // 41% of those served, 36 s on average; 94% of the answers came after a breach).
    settings.open_walk_min = 180'000;
    settings.open_walk_max = 420'000;
    sim::StoreModel model(settings, kStart, seed);
    FeedbackTally tally;
    Outcome out;
    TimeMs now = kStart;
    auto feed = [&](const Event& e, TimeMs at) {
        now = std::max(now, at);
        auto result = step(std::move(state), e, config, now);
        state = std::move(result.state);
        for (const auto& c : result.commands)
            if (const auto* p = std::get_if<PublishPrompt>(&c)) model.observe_prompt(p->prompt, now);
    };
    for (TimeMs t = kStart; t < kStart + duration; t += 1'000) {
        for (const auto& event : model.advance(t)) {
            if (const auto* q = std::get_if<sim::QueueCountPublished>(&event)) {
                feed(QueueCountReceived{q->lane, q->sample}, q->sample.ts);
            } else if (const auto* l = std::get_if<sim::LaneStatePublished>(&event)) {
                feed(LaneStateReceived{l->lane, l->state}, l->state.ts);
            } else if (const auto* c = std::get_if<sim::ClaimPublished>(&event)) {
                feed(ClaimReceived{c->prompt_id, c->claim}, c->claim.ts);
            } else if (const auto* f = std::get_if<sim::FeedbackPublished>(&event)) {
                now = std::max(now, f->feedback.ts);
                const auto after = queued_in_breach(state, f->feedback.ts, now, config);
                const BreachExposure exposure = !after ? BreachExposure::unknown
                                                : *after ? BreachExposure::after_breach
                                                         : BreachExposure::no_breach;
                tally.add(f->feedback.scale, f->feedback.score, f->feedback.misuse, std::nullopt, 1, exposure);
                ++out.answers;
            }
        }
        feed(TimePassed{}, t);
    }
    out.cost = queue_cost(tally);
    out.store = model.stats();
    return out;
}

void report(const char* what, const Outcome& o) {
    const QueueCost& q = o.cost;
    UNSCOPED_INFO(what << ": served " << o.store.served << ", over one in front " << o.store.over_one_in_front
                       << " (mean " << (o.store.over_one_in_front ? o.store.total_over_one_in_front / o.store.over_one_in_front : 0)
                       << " ms), answers " << o.answers << ", after a breach " << q.happy_after.n << " HI "
                       << q.happy_after.value.value_or(-1) << ", none " << q.happy_none.n << " HI "
                       << q.happy_none.value.value_or(-1) << ", difference " << q.happy_difference.value.value_or(0)
                       << " [" << q.happy_difference.ci_low.value_or(0) << ", "
                       << q.happy_difference.ci_high.value_or(0) << "]");
}

// A simulated week by default; STOREQ_LONG is not needed (seconds). Seeds are fixed.
TimeMs week() { return 7 * 24 * kHour; }

}  // namespace

TEST_CASE("with the satisfaction model on, a simulated week shows a queue cost whose interval excludes 0") {
    const Outcome o = simulate(0.10, week(), 11);
    report("best face drop 0.10", o);
    const QueueCost& q = o.cost;
    REQUIRE(q.happy_after.n >= 100);
    REQUIRE(q.happy_none.n >= 100);
    REQUIRE(q.happy_difference.ci_high);
    CHECK(*q.happy_difference.value < 0);
    CHECK(*q.happy_difference.ci_high < 0);
}

TEST_CASE("with the satisfaction model off, the same week's interval of the difference includes 0") {
    const Outcome o = simulate(0.0, week(), 11);
    report("best face drop 0", o);
    const QueueCost& q = o.cost;
    REQUIRE(q.happy_after.n >= 100);
    REQUIRE(q.happy_none.n >= 100);
    REQUIRE(q.happy_difference.ci_low);
    CHECK(*q.happy_difference.ci_low <= 0);
    CHECK(*q.happy_difference.ci_high >= 0);
}
