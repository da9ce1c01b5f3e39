// The feedback flow beyond one tap: follow-up reasons, skip, timeout, language fallback,
// the configuration file, and the lane/staff notices and the service screen. Pure model.
#include <catch2/catch.hpp>

#include "model/kiosk_config_file.hpp"
#include "model/kiosk_update.hpp"
#include "model/kiosk_view.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {

constexpr TimeMs t0 = 1'763'806'530'000;
const std::string kId = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";

KioskConfig with_reasons() {
    KioskConfig config;
    config.store = "store-1";
    config.device = "exit-1";
    config.locale = "nl";
    config.languages = {"nl", "en", "de", "fr"};
    config.positive_reasons = {"staff", "speed"};
    config.negative_reasons = {"queue", "stock", "other"};
    return config;
}

std::vector<Feedback> feedbacks(const UpdateResult& r) {
    std::vector<Feedback> found;
    for (const auto& c : r.commands)
        if (auto* f = std::get_if<PublishFeedback>(&c)) found.push_back(f->feedback);
    return found;
}

}  // namespace

TEST_CASE("a face with reasons configured asks the follow-up and publishes once with the reason", "[kiosk-model]") {
    const auto config = with_reasons();
    auto asked = update(KioskState{}, Intent{TapFace{0}}, config, t0, kId);
    CHECK(asked.commands.empty());  // the answer waits for its reason
    CHECK(asked.state.feedback_phase == FeedbackPhase::follow_up);
    auto view = make_feedback_view(asked.state, config);
    REQUIRE(view.reasons.size() == 3);
    CHECK(view.reasons[0].code == "queue");

    auto done = update(asked.state, Intent{ReasonPressed{"queue"}}, config, t0 + 2000, "");
    const auto published = feedbacks(done);
    REQUIRE(published.size() == 1);
    CHECK(published[0].id == kId);
    CHECK(published[0].ts == t0);
    CHECK(published[0].score == 0);
    CHECK(published[0].reason == std::optional<std::string>("queue"));
    CHECK(published[0].ui == FollowUp::complete);
    CHECK(done.state.feedback_phase == FeedbackPhase::thank_you);
}

TEST_CASE("a reason from the other side's set is refused", "[kiosk-model]") {
    const auto config = with_reasons();
    auto asked = update(KioskState{}, Intent{TapFace{3}}, config, t0, kId);
    CHECK(update(asked.state, Intent{ReasonPressed{"queue"}}, config, t0 + 1, "").commands.empty());
    CHECK(feedbacks(update(asked.state, Intent{ReasonPressed{"staff"}}, config, t0 + 1, "")).size() == 1);
}

TEST_CASE("skip and timeout are recorded in the ui field", "[kiosk-model]") {
    const auto config = with_reasons();
    auto asked = update(KioskState{}, Intent{TapFace{3}}, config, t0, kId);
    auto skipped = feedbacks(update(asked.state, Intent{SkipPressed{}}, config, t0 + 1, ""));
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0].ui == FollowUp::skip);
    CHECK_FALSE(skipped[0].reason);

    REQUIRE(next_deadline(asked.state, config) == t0 + config.follow_up_timeout_ms);
    auto early = update(asked.state, Event{Tick{}}, config, t0 + config.follow_up_timeout_ms - 1);
    CHECK(early.commands.empty());
    auto timed_out = update(asked.state, Event{Tick{}}, config, t0 + config.follow_up_timeout_ms);
    const auto published = feedbacks(timed_out);
    REQUIRE(published.size() == 1);
    CHECK(published[0].ui == FollowUp::timeout);
    CHECK(timed_out.state.feedback_phase == FeedbackPhase::question);
}

TEST_CASE("the chosen language is used for the answer and falls back to the default after it", "[kiosk-model]") {
    const auto config = with_reasons();
    auto state = update(KioskState{}, Intent{LanguagePressed{"de"}}, config, t0, "").state;
    CHECK(make_feedback_view(state, config).languages[2].selected);
    CHECK(update(state, Intent{LanguagePressed{"xx"}}, config, t0, "").state == state);  // no such button

    state = update(state, Intent{TapFace{3}}, config, t0, kId).state;
    auto done = update(state, Intent{SkipPressed{}}, config, t0 + 1, "");
    CHECK(feedbacks(done)[0].locale == "de");
    auto back = update(done.state, Event{Tick{}}, config, t0 + 1 + config.thank_you_ms);
    CHECK(back.state.feedback_phase == FeedbackPhase::question);
    CHECK(back.state.locale.empty());
    CHECK(make_feedback_view(back.state, config).languages[0].selected);  // nl, the store's default
}

TEST_CASE("nps answers 0 to 10 and passives count as positive", "[kiosk-model]") {
    auto config = with_reasons();
    config.scale = Scale::nps;
    CHECK(make_feedback_view(KioskState{}, config).nps);
    CHECK_FALSE(is_positive_answer(Scale::nps, 6));
    CHECK(is_positive_answer(Scale::nps, 7));
    CHECK(update(KioskState{}, Intent{TapFace{11}}, config, t0, kId).state == KioskState{});
    auto asked = update(KioskState{}, Intent{TapFace{10}}, config, t0, kId);
    CHECK(make_feedback_view(asked.state, config).reasons[0].code == "staff");
}

TEST_CASE("the configuration file sets every key and names a bad line", "[kiosk-model]") {
    KioskConfig config;
    const auto ok = apply_kiosk_config_text(
        "# comment\nscale = smiley5\npositive_reasons = staff, speed\nnegative_reasons = queue\n"
        "languages = nl, en\ndefault_language = nl\nresponse_interval = 5s\nfollow_up_timeout = 10s\n"
        "theme = high_contrast\nlayout = low_reach\nservice_pin = 1234\nthank_you = 2500ms\n",
        config);
    REQUIRE(ok.has_value());
    CHECK(config.scale == Scale::smiley5);
    CHECK(config.positive_reasons == std::vector<std::string>{"staff", "speed"});
    CHECK(config.languages == std::vector<std::string>{"nl", "en"});
    CHECK(config.locale == "nl");
    CHECK(config.response_interval_ms == 5000);
    CHECK(config.follow_up_timeout_ms == 10000);
    CHECK(config.thank_you_ms == 2500);
    CHECK(config.theme == ThemeKind::high_contrast);
    CHECK(config.layout == LayoutKind::low_reach);
    CHECK(config.service_pin == "1234");

    auto seven = apply_kiosk_config_text("\npositive_reasons = a, b, c, d, e, f, g\n", config);
    REQUIRE_FALSE(seven.has_value());
    CHECK(seven.error().where == "line 2: positive_reasons");
    CHECK_FALSE(apply_kiosk_config_text("response_interval = 4\n", config).has_value());
    CHECK_FALSE(apply_kiosk_config_text("colour = red\n", config).has_value());
}

TEST_CASE("a cancelled call becomes a stand-down notice that expires", "[kiosk-model]") {
    KioskConfig config;
    config.role = Role::staff;
    config.device = "anna";
    Prompt prompt;
    prompt.id = "p-1";
    prompt.till = 4;
    auto state = update(KioskState{}, Event{PromptUpdated{prompt}}, config, t0).state;
    CHECK(make_staff_view(state, config).prompts.size() == 1);
    prompt.state = PromptState::cancelled;
    state = update(state, Event{PromptUpdated{prompt}}, config, t0 + 10).state;
    auto view = make_staff_view(state, config);
    CHECK(view.prompts.empty());
    REQUIRE(view.stand_downs.size() == 1);
    CHECK(next_deadline(state, config) == t0 + 10 + config.stand_down_notice_ms);
    state = update(state, Event{Tick{}}, config, t0 + 10 + config.stand_down_notice_ms).state;
    CHECK(make_staff_view(state, config).stand_downs.empty());
}

TEST_CASE("the lane shows its own wait estimate only", "[kiosk-model]") {
    KioskConfig config;
    config.role = Role::lane;
    config.till = 4;
    auto state = update(KioskState{}, Event{WaitEstimateReceived{WaitEstimate{5, 3, 4, t0}}}, config, t0).state;
    CHECK_FALSE(make_lane_view(state, config).wait_minutes);
    state = update(state, Event{WaitEstimateReceived{WaitEstimate{4, 2, 3, t0}}}, config, t0).state;
    CHECK(make_lane_view(state, config).wait_minutes == std::optional<int>(3));
}

TEST_CASE("the service screen opens after a 2 s corner hold and the right PIN", "[kiosk-model]") {
    auto config = with_reasons();
    auto state = update(KioskState{}, Intent{ServiceCornerDown{}}, config, t0, "").state;
    CHECK(update(state, Intent{ServiceCornerUp{}}, config, t0 + 500, "").state.service == ServicePhase::closed);
    REQUIRE(next_deadline(state, config) == t0 + config.service_hold_ms);
    state = update(state, Event{Tick{}}, config, t0 + config.service_hold_ms).state;
    REQUIRE(state.service == ServicePhase::pin);
    // While the pad is up a face tap does nothing.
    CHECK(update(state, Intent{TapFace{2}}, config, t0, kId).commands.empty());
    for (int digit : {1, 1, 1, 1}) state = update(state, Intent{PinDigitPressed{digit}}, config, t0 + 3000, "").state;
    CHECK(state.service == ServicePhase::pin);
    CHECK(state.pin_rejected);
    for (int digit : {2, 5, 8, 0}) state = update(state, Intent{PinDigitPressed{digit}}, config, t0 + 4000, "").state;
    CHECK(state.service == ServicePhase::open);
    state = update(state, Event{OutboxBacklogChanged{3}}, config, t0 + 4000).state;
    const auto view = make_service_view(state, config, "1.2.3", "software");
    CHECK(view.facts[1].second == "3 feedback(s) waiting");
    CHECK(view.facts[2].second == "1.2.3");
    // Left alone, it closes itself.
    CHECK(update(state, Event{Tick{}}, config, t0 + 4000 + config.service_idle_ms).state.service == ServicePhase::closed);
}
