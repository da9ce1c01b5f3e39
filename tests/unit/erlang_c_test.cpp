// Erlang C (storeq/controller/erlang_c.hpp) against values known without this code: the
// issue's hand-worked table, closed forms and a published exercise, and a long-double
// reference computed another way (log-space Poisson sums) for hundreds of tills.
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <limits>
#include <random>

#include "storeq/controller/erlang_c.hpp"

using namespace storeq::controller;

namespace {

// Erlang C from its definition, C = P(c)·c/(c-a) / (sum_{k<c} P(k) + P(c)·c/(c-a)) with
// P(k) = a^k/k!, every term in log space (lgammal) and summed with log-sum-exp in long
// double: no recursion shared with the implementation.
long double reference_erlang_c(int c, long double a) {
    auto log_term = [&](int k) { return k * std::log(a) - std::lgamma(static_cast<long double>(k) + 1); };
    const long double log_last = log_term(c) + std::log(static_cast<long double>(c) / (c - a));
    long double top = log_last;
    for (int k = 0; k < c; ++k) top = std::max(top, log_term(k));
    long double sum = std::exp(log_last - top);
    for (int k = 0; k < c; ++k) sum += std::exp(log_term(k) - top);
    return std::exp(log_last - top) / sum;
}

}  // namespace

TEST_CASE("erlang c: the hand-worked table of issue 14", "[erlang]") {
    // 100 arrivals per 30 minutes, 3 minutes of service: a = 100/1800 · 180 = 10 Erlangs.
    // Target: 80% served within 20 s. Worked by hand in the issue (the sum formula with
    // factorials): 13 tills serve 79.6% in time, 14 serve 88.8%, with a 17.4% chance of waiting.
    const double arrivals_per_s = 100.0 / 1800.0;
    const double service_s = 180;
    const auto thirteen = service_level(13, arrivals_per_s, service_s, 20);
    CHECK(thirteen.within_target == Approx(0.796).margin(0.001));
    const auto fourteen = service_level(14, arrivals_per_s, service_s, 20);
    CHECK(fourteen.within_target == Approx(0.888).margin(0.001));
    CHECK(fourteen.wait_probability == Approx(0.174).margin(0.001));
    CHECK(erlang_c(14, 10) == Approx(0.174).margin(0.001));

    const auto needed = tills_needed(arrivals_per_s, service_s, 20, 0.80, 30);
    CHECK(needed.tills == 14);
    CHECK(needed.reachable);
    CHECK(needed.level.within_target == Approx(0.888).margin(0.001));
    CHECK(needed.level.wait_probability == Approx(0.174).margin(0.001));
    // The level reported is the one service_level gives for those tills.
    CHECK(needed.level.within_target == Approx(fourteen.within_target).epsilon(1e-12));
}

TEST_CASE("erlang c: rows worked out independently", "[erlang]") {
    // c = 3, a = 2, by hand: sum_{k<3} 2^k/k! = 1 + 2 + 2 = 5, and 2^3/3! · 3/(3-2) = 4,
    // so C = 4/9 (also the basic example of ErlangC[3, 2] in the Wolfram Language docs).
    CHECK(erlang_c(3, 2.0) == Approx(4.0 / 9.0).epsilon(1e-12));
    // M/M/1: the chance of waiting is the utilisation, C(1, a) = a (any queueing text,
    // e.g. Kleinrock, Queueing Systems vol. 1, §3.2).
    CHECK(erlang_c(1, 0.3) == Approx(0.3).epsilon(1e-12));
    CHECK(erlang_c(1, 0.9) == Approx(0.9).epsilon(1e-12));
    // M/M/2: C(2, a) = a² / (2 + a) (the same sum formula, closed form).
    CHECK(erlang_c(2, 1.5) == Approx(1.5 * 1.5 / 3.5).epsilon(1e-12));
    CHECK(erlang_c(2, 0.5) == Approx(0.25 / 2.5).epsilon(1e-12));
    // A textbook exercise: 120 customers an hour, 3 minutes each, 10 assistants (a = 6):
    // "from the Erlang C curve, the probability of waiting is about 0.10" (read off a chart,
    // so checked to half a point).
    CHECK(erlang_c(10, 6.0) == Approx(0.10).margin(0.005));
    // M/M/1 service level: P(wait <= t) = 1 - ρ·exp(-(μ - λ)·t): λ = 1/120 s, s = 60 s
    // (ρ = 0.5, μ - λ = 1/120 per s), t = 60 s: 1 - 0.5·e^-0.5.
    CHECK(service_level(1, 1.0 / 120, 60, 60).within_target == Approx(1 - 0.5 * std::exp(-0.5)).epsilon(1e-12));
}

TEST_CASE("erlang c: hundreds of tills stay finite and exact", "[erlang]") {
    for (const auto& [c, a] : {std::pair{500, 450.0}, std::pair{500, 499.0}, std::pair{300, 200.0},
                               std::pair{1000, 980.0}, std::pair{60, 45.5}}) {
        INFO("c " << c << " a " << a);
        const double computed = erlang_c(c, a);
        REQUIRE(std::isfinite(computed));
        const long double reference = reference_erlang_c(c, a);
        CHECK(computed == Approx(static_cast<double>(reference)).epsilon(1e-9));
        CHECK(computed > 0);
        CHECK(computed < 1);
    }
    // Far more tills than load: B underflows, C is 0, nothing is NaN.
    CHECK(erlang_c(5000, 10.0) == 0.0);
    CHECK(std::isfinite(erlang_c(INT_MAX / 2, 3.0)));
}

TEST_CASE("erlang c: more tills never make it worse", "[erlang]") {
    for (double a : {0.5, 3.0, 10.0, 47.3, 450.0}) {
        INFO("a " << a);
        double previous_wait = 1.1, previous_within = -0.1;
        for (int c = 1; c <= static_cast<int>(a) + 80; ++c) {
            const auto level = service_level(c, a / 60.0, 60, 20);
            CHECK(level.wait_probability <= previous_wait);
            CHECK(level.within_target >= previous_within);
            previous_wait = level.wait_probability;
            previous_within = level.within_target;
        }
    }
}

TEST_CASE("erlang c: the edges and bad input", "[erlang]") {
    CHECK(erlang_c(3, 3.0) == 1.0);  // servers <= load: the line grows without end
    CHECK(erlang_c(2, 7.0) == 1.0);
    CHECK(erlang_c(0, 1.0) == 1.0);
    CHECK(erlang_c(-4, 1.0) == 1.0);
    CHECK(erlang_c(4, 0.0) == 0.0);  // no load
    CHECK(erlang_c(4, -2.0) == 0.0);
    CHECK(erlang_c(4, std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(erlang_c(4, std::nan("")) == 1.0);

    const auto overloaded = service_level(3, 1.0, 10, 20);  // a = 10 > 3
    CHECK(overloaded.wait_probability == 1.0);
    CHECK(overloaded.within_target == 0.0);
    const auto idle = service_level(3, 0.0, 10, 20);
    CHECK(idle.wait_probability == 0.0);
    CHECK(idle.within_target == 1.0);

    // No arrivals: min_tills, reachable.
    auto none = tills_needed(0.0, 180, 20, 0.8, 10, 2);
    CHECK(none.tills == 2);
    CHECK(none.reachable);
    // Bad input: min_tills, not reachable.
    for (const auto& bad : {tills_needed(-1.0, 180, 20, 0.8, 10, 2), tills_needed(0.1, 0.0, 20, 0.8, 10, 2),
                            tills_needed(0.1, -5, 20, 0.8, 10, 2), tills_needed(0.1, 180, 20, 0.8, 1, 2),
                            tills_needed(std::nan(""), 180, 20, 0.8, 10, 2),
                            tills_needed(0.1, 180, 20, 1.5, 10, 2)}) {
        CHECK(bad.tills == 2);
        CHECK_FALSE(bad.reachable);
    }
    // Unreachable: even max_tills miss it.
    const auto short_of = tills_needed(100.0 / 1800.0, 180, 20, 0.8, 12);
    CHECK(short_of.tills == 12);
    CHECK_FALSE(short_of.reachable);
    // 12 tills: 64.0% in time (the factorial sum formula, by hand as in the issue).
    CHECK(short_of.level.within_target == Approx(0.640).margin(0.001));
    // min_tills above the answer: min_tills.
    CHECK(tills_needed(100.0 / 1800.0, 180, 20, 0.8, 30, 17).tills == 17);
}

TEST_CASE("erlang c: random input never gives NaN", "[erlang]") {
    std::mt19937_64 rng(14);
    const double specials[] = {0.0, -1.0, 1e-300, 1e300, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), std::nan("")};
    auto any = [&]() {
        const auto pick = std::uniform_int_distribution<int>(0, 9)(rng);
        if (pick < 7) return specials[pick];
        return std::uniform_real_distribution<double>(-5, 600)(rng);
    };
    for (int i = 0; i < 3000; ++i) {
        const int servers = std::uniform_int_distribution<int>(-3, 700)(rng);
        const double a = any(), s = any(), t = any(), share = any();
        const double c = erlang_c(servers, a);
        REQUIRE(c >= 0);
        REQUIRE(c <= 1);
        const auto level = service_level(servers, a, s, t);
        REQUIRE(level.wait_probability >= 0);
        REQUIRE(level.wait_probability <= 1);
        REQUIRE(level.within_target >= 0);
        REQUIRE(level.within_target <= 1);
        const auto needed = tills_needed(a, s, t, share, std::uniform_int_distribution<int>(-2, 700)(rng));
        REQUIRE(needed.level.within_target >= 0);
        REQUIRE(needed.level.within_target <= 1);
        REQUIRE(needed.level.wait_probability >= 0);
        REQUIRE(needed.level.wait_probability <= 1);
    }
}
