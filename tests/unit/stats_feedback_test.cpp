// Feedback figures against examples worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "storeq/controller/feedback_stats.hpp"
#include "storeq/controller/prompt_stats.hpp"

using namespace storeq;
using namespace storeq::controller;

TEST_CASE("Happy Index: four faces 126/60/16/17, best face first, give 78") {
    // Counts are given best face first: score 3 (best) 126, score 2 60, score 1 16,
    // score 0 (worst) 17. Weights 100, 66.7, 33.3, 0:
    //   (126*100 + 60*200/3 + 16*100/3 + 17*0) / 219 = 17133.3 / 219 = 78.23
    // (Worst face first would give 21.8: the 78 fixes the order.)
    FeedbackTally t;
    t.add(Scale::smiley4, 3, false, std::nullopt, 126);
    t.add(Scale::smiley4, 2, false, std::nullopt, 60);
    t.add(Scale::smiley4, 1, false, std::nullopt, 16);
    t.add(Scale::smiley4, 0, false, std::nullopt, 17);
    const auto h = happy_index(t);
    CHECK(h.n == 219);
    REQUIRE(h.value);
    CHECK(*h.value == Approx(78.234).epsilon(1e-4));
    CHECK(std::lround(*h.value) == 78);
}

TEST_CASE("Happy Index: five faces weigh 0, 25, 50, 75, 100 and mix with four faces") {
    FeedbackTally t;
    t.add(Scale::smiley5, 2, false, std::nullopt, 1);  // 50
    t.add(Scale::smiley5, 4, false, std::nullopt, 1);  // 100
    t.add(Scale::smiley4, 1, false, std::nullopt, 1);  // 33.3
    const auto h = happy_index(t);
    CHECK(h.n == 3);
    CHECK(*h.value == Approx((50.0 + 100.0 + 100.0 / 3) / 3));
    CHECK_FALSE(happy_index(FeedbackTally{}).value);
}

TEST_CASE("NPS with its adjusted-Wald 95% interval, worked by hand") {
    // 50 answers: 25 promoters (9-10), 15 passives (7-8), 10 detractors (0-6): NPS 30.
    // Adjusted: n' = 53, p' = 25.75 / 53 = 0.485849, d' = 10.75 / 53 = 0.202830,
    //   centre = 0.283019; var = (0.688679 - 0.283019^2) / 53 = 0.011483; sqrt = 0.107157
    //   half width = 1.96 * 0.107157 = 0.210028 -> interval 7.30 .. 49.30
    std::array<std::int64_t, 11> by_score{};
    by_score[10] = 15;
    by_score[9] = 10;
    by_score[8] = 10;
    by_score[7] = 5;
    by_score[6] = 4;
    by_score[3] = 4;
    by_score[0] = 2;
    const auto s = nps_score(by_score);
    CHECK(s.n == 50);
    CHECK(s.promoters == 25);
    CHECK(s.passives == 15);
    CHECK(s.detractors == 10);
    CHECK(*s.score == Approx(30.0));
    CHECK(*s.ci_low == Approx(7.299).epsilon(1e-3));
    CHECK(*s.ci_high == Approx(49.305).epsilon(1e-3));
    CHECK_FALSE(s.thin);
}

TEST_CASE("NPS of a few answers is thin with an interval as wide as they leave it, and none at all is not thin") {
    std::array<std::int64_t, 11> by_score{};
    by_score[10] = 1;
    auto s = nps_score(by_score);
    // One promoter: NPS 100, but nobody may read "100..100" into it.
    CHECK(s.thin);
    CHECK(*s.score == Approx(100));
    CHECK(*s.ci_low == Approx(-48.5));
    CHECK(*s.ci_high == Approx(98.5));
    by_score[10] = 29;
    s = nps_score(by_score);
    CHECK(s.thin);
    CHECK(*s.ci_low == Approx(78.04).epsilon(1e-3));
    CHECK(*s.ci_high == Approx(100));  // clamped
    by_score[0] = 1;
    s = nps_score(by_score);  // 30 answers
    CHECK_FALSE(s.thin);
    CHECK(*s.ci_high <= 100.0);
    CHECK(*s.ci_low == Approx(68.32).epsilon(1e-3));
    // No answers: no score, no interval, and not "thin" (nothing to distrust).
    const auto none = nps_score({});
    CHECK_FALSE(none.thin);
    CHECK_FALSE(none.score);
    CHECK_FALSE(none.ci_low);
}

TEST_CASE("misuse presses are counted but in no score, and reasons count by the side the kiosk asked") {
    FeedbackTally t;
    t.add(Scale::smiley4, 3, false, std::string("staff"));
    t.add(Scale::smiley4, 2, false, std::string("staff"));
    t.add(Scale::smiley4, 0, false, std::string("queue"));
    t.add(Scale::smiley4, 0, true, std::nullopt, 5);
    t.add(Scale::smiley5, 2, false, std::string("queue"));  // middle of five: asked what to improve
    t.add(Scale::nps, 7, false, std::string("price"));      // passive: asked what went well
    t.add(Scale::nps, 6, false, std::string("price"));
    t.add(Scale::smiley4, 9, false, std::nullopt);  // out of range: ignored
    CHECK(t.misuse == 5);
    CHECK(t.scored() == 6);
    CHECK(happy_index(t).n == 4);
    CHECK(t.reasons_positive == std::map<std::string, std::int64_t>{{"price", 1}, {"staff", 2}});
    CHECK(t.reasons_negative == std::map<std::string, std::int64_t>{{"price", 1}, {"queue", 2}});
}

TEST_CASE("prompt response times are nearest-rank p50/p90 over open_till prompts") {
    const TimeMs s = 1'000'000;
    std::vector<PromptRecord> prompts{
        {PromptAction::open_till, PromptState::fulfilled, s, s + 10'000, s + 60'000},
        {PromptAction::open_till, PromptState::fulfilled, s, s + 20'000, s + 100'000},
        {PromptAction::open_till, PromptState::cancelled, s, s + 40'000, s + 50'000},
        {PromptAction::balance, PromptState::expired, s, std::nullopt, s + 30'000},
        {PromptAction::open_till, PromptState::fulfilled, s - 1, s, s + 1},  // raised before the period
    };
    const auto f = prompt_figures(prompts, s, s + 3'600'000);
    CHECK(f.raised == 4);
    CHECK(f.by_outcome.at("open_till").at("fulfilled") == 2);
    CHECK(f.by_outcome.at("open_till").at("cancelled") == 1);
    CHECK(f.by_outcome.at("balance").at("expired") == 1);
    // claims 10, 20, 40 s: p50 = 2nd of 3 (ceil(1.5)), p90 = 3rd (ceil(2.7))
    CHECK(f.time_to_claim == ResponseTimes{3, 20'000, 40'000});
    // opens 60, 100 s: p50 = 1st of 2, p90 = 2nd
    CHECK(f.time_to_open == ResponseTimes{2, 60'000, 100'000});
    CHECK(percentile_nearest_rank({}, 50) == std::nullopt);
}
