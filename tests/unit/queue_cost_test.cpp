// What a queue costs: which responses came "after a breach" (queued_in_breach, judged on
// the rule's own breaches), and the figures of the two groups with their intervals.
#include <catch2/catch.hpp>

#include <cmath>

#include "storeq/controller/queue_cost.hpp"
#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

constexpr TimeMs kMin = 60'000;

// Drives the pure core as the shell does: samples, lane states, time passing.
struct Store {
    Config config;
    State state;
    TimeMs now = 10 * kMin;
    std::int64_t seq = 0;

    explicit Store(Config c) : config(std::move(c)), state(initial_state(config, 7)) {}
    void feed(const Event& e) { state = step(std::move(state), e, config, now).state; }
    void count(int lane, int n) { feed(QueueCountReceived{lane, QueueCount{n, now, CountSource::manual, ++seq}}); }
    void open(int lane) { feed(LaneStateReceived{lane, LaneState{true, now, std::nullopt}}); }
    void pass_to(TimeMs t) {
        while (now < t) {
            now = std::min(t, now + 1'000);
            feed(TimePassed{});
        }
    }
    std::optional<bool> judged(TimeMs at) const { return queued_in_breach(state, at, now, config); }
};

Config two_tills() {
    Config c;
    c.tills = {1, 2};
    return c;  // waiting_threshold 2, dwell 3 s, exit_lag 5 min
}

}  // namespace

TEST_CASE("a response counts as after a breach while one lasts and for exit_lag after it ended") {
    Store s(two_tills());
    s.open(1);
    s.count(1, 1);
    const TimeMs watched = s.now;
    s.pass_to(watched + 10 * kMin);
    // Nothing known before this run watched the lanes for exit_lag: not judged either way.
    CHECK_FALSE(s.judged(watched + 4 * kMin).has_value());
    CHECK(s.judged(watched + 6 * kMin) == false);

    const TimeMs long_queue = s.now;
    s.count(1, 3);  // two waiting: a breach from dwell (3 s) on
    s.pass_to(long_queue + 2'000);
    CHECK(s.judged(s.now) == false);  // within dwell: not yet a breach
    s.pass_to(long_queue + 2 * kMin);
    CHECK(s.judged(s.now) == true);                // while it lasts
    CHECK(s.judged(long_queue + 1'000) == false);  // a response from before it began
    const TimeMs ended = s.now;
    s.count(1, 2);  // one waiting: the breach ends
    s.pass_to(ended + 20 * kMin);
    CHECK(s.judged(ended + 4 * kMin) == true);   // late (sent now), judged at its own time
    CHECK(s.judged(ended + 5 * kMin) == true);   // exit_lag is included
    CHECK(s.judged(ended + 5 * kMin + 1) == false);
    CHECK(s.judged(s.now) == false);
    // A kiosk clock ahead of ours (not enough to be suspect): judged at our time.
    CHECK(s.judged(s.now + 10 * kMin) == false);
}

TEST_CASE("exit_lag is the store's: 0 counts only responses while a breach lasted") {
    Config c = two_tills();
    c.exit_lag = 0;
    Store s(c);
    s.open(1);
    s.count(1, 1);
    s.pass_to(s.now + kMin);
    const TimeMs long_queue = s.now;
    s.count(1, 4);
    s.pass_to(long_queue + kMin);
    s.count(1, 1);
    const TimeMs ended = s.now;
    s.pass_to(ended + kMin);
    CHECK(s.judged(ended - 1'000) == true);
    CHECK(s.judged(ended + 1'000) == false);
}

TEST_CASE("a breach on any lane counts, and one the rule let go of makes older answers unknown") {
    Store s(two_tills());
    s.open(1);
    s.open(2);
    s.count(1, 1);
    s.count(2, 1);
    s.pass_to(s.now + 10 * kMin);
    const TimeMs first = s.now;
    s.count(2, 5);
    s.pass_to(first + kMin);
    s.count(2, 1);
    s.pass_to(first + 3 * kMin);
    CHECK(s.judged(first + 2 * kMin) == true);  // lane 2's breach, whatever till the shopper used
    REQUIRE(s.state.breaches.ended.size() == 1);
    // Past kMaxBreachSpans the oldest are let go: answers from their time are not known.
    for (std::size_t i = 0; i < kMaxBreachSpans; ++i) {
        s.count(2, 5);
        s.pass_to(s.now + 4'000);
        s.count(2, 1);
        s.pass_to(s.now + 1'000);
    }
    CHECK(s.state.breaches.ended.size() == kMaxBreachSpans);
    CHECK_FALSE(s.judged(first + 2 * kMin).has_value());
    CHECK(s.judged(s.now) == true);
}

TEST_CASE("the queue-cost figures: each side's Happy Index and NPS with n and interval, and the difference") {
    FeedbackTally t;
    // After a breach: 4-face answers 10 x best, 10 x worst. No breach: 30 x best, 10 x second.
    t.add(Scale::smiley4, 3, false, std::nullopt, 10, BreachExposure::after_breach);
    t.add(Scale::smiley4, 0, false, std::nullopt, 10, BreachExposure::after_breach);
    t.add(Scale::smiley4, 3, false, std::nullopt, 30, BreachExposure::no_breach);
    t.add(Scale::smiley4, 2, false, std::nullopt, 10, BreachExposure::no_breach);
    t.add(Scale::smiley4, 1, false, std::nullopt, 5);  // not known: in the day's figure only
    t.add(Scale::smiley4, 0, true, std::nullopt, 3, BreachExposure::after_breach);  // misuse: in no score
    CHECK(happy_index(t).n == 65);

    const QueueCost q = queue_cost(t);
    CHECK(q.happy_after.n == 20);
    CHECK(*q.happy_after.value == Approx(50.0));
    // s = sqrt(20 * 50^2 / 19) = 51.299; half width 1.96 * s / sqrt(20) = 22.48
    CHECK(*q.happy_after.ci_low == Approx(27.52).margin(0.01));
    CHECK(*q.happy_after.ci_high == Approx(72.48).margin(0.01));
    CHECK(q.happy_none.n == 40);
    CHECK(*q.happy_none.value == Approx(91.667).margin(0.001));
    // none: weights 100 (30x), 66.67 (10x); s^2 = (30 * 8.333^2 + 10 * 25^2) / 39 = 213.68
    CHECK(q.happy_none.variance_of_mean == Approx(213.68 / 40).margin(0.01));
    CHECK(*q.happy_difference.value == Approx(-41.667).margin(0.001));
    const double half = 1.96 * std::sqrt(q.happy_after.variance_of_mean + q.happy_none.variance_of_mean);
    CHECK(*q.happy_difference.ci_low == Approx(-41.667 - half).margin(0.001));
    CHECK(*q.happy_difference.ci_high == Approx(-41.667 + half).margin(0.001));
    CHECK(*q.happy_difference.ci_high < 0);  // the interval excludes 0
    // No NPS answers: no score, no difference.
    CHECK(q.nps_after.n == 0);
    CHECK_FALSE(q.nps_difference.value);
}

TEST_CASE("the NPS difference uses each side's adjusted-Wald estimate, variances added") {
    FeedbackTally t;
    // After: 5 promoters, 5 passives, 10 detractors (NPS -25). None: 25, 15, 10 (NPS 30).
    t.add(Scale::nps, 10, false, std::nullopt, 5, BreachExposure::after_breach);
    t.add(Scale::nps, 8, false, std::nullopt, 5, BreachExposure::after_breach);
    t.add(Scale::nps, 3, false, std::nullopt, 10, BreachExposure::after_breach);
    t.add(Scale::nps, 9, false, std::nullopt, 25, BreachExposure::no_breach);
    t.add(Scale::nps, 7, false, std::nullopt, 15, BreachExposure::no_breach);
    t.add(Scale::nps, 0, false, std::nullopt, 10, BreachExposure::no_breach);
    const QueueCost q = queue_cost(t);
    CHECK(*q.nps_after.score == Approx(-25.0));
    CHECK(*q.nps_none.score == Approx(30.0));
    CHECK(*q.nps_none.ci_low == Approx(7.3).margin(0.05));  // docs/stats.md's example
    CHECK(*q.nps_difference.value == Approx(-55.0));
    // after: n' 23, p' 5.75/23 = .25, d' 10.75/23 = .4674; centre -.2174, var (.7174 - .0473)/23 = .02914
    // none: n' 53, p' 25.75/53 = .4858, d' 10.75/53 = .2028; centre .2830, var (.6887 - .0801)/53 = .01148
    const double centre = -0.2174 - 0.2830;
    const double half = 1.96 * std::sqrt(0.02914 + 0.01148);
    CHECK(*q.nps_difference.ci_low == Approx((centre - half) * 100).margin(0.1));
    CHECK(*q.nps_difference.ci_high == Approx((centre + half) * 100).margin(0.1));
    CHECK(*q.nps_difference.ci_high < 0);
    CHECK(*q.nps_difference.ci_low == Approx(-89.54).margin(0.01));  // docs/stats.md's example
    CHECK(*q.nps_difference.ci_high == Approx(-10.54).margin(0.01));
}

TEST_CASE("one answer on a side has a figure but no interval, and no interval of the difference") {
    FeedbackTally t;
    t.add(Scale::smiley5, 4, false, std::nullopt, 1, BreachExposure::after_breach);
    t.add(Scale::smiley5, 2, false, std::nullopt, 3, BreachExposure::no_breach);
    const QueueCost q = queue_cost(t);
    CHECK(*q.happy_after.value == Approx(100.0));
    CHECK_FALSE(q.happy_after.ci_low);
    CHECK(*q.happy_difference.value == Approx(50.0));
    CHECK_FALSE(q.happy_difference.ci_low);
}
