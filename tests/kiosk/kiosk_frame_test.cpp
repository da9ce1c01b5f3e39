// Headless ImGui frames with clicks injected through io.MousePos/io.MouseDown: what a tap
// on the real screen publishes.
#include <catch2/catch.hpp>

#include "kiosk_harness.hpp"
#include "model/kiosk_update.hpp"
#include "storeq/ids.hpp"

using namespace storeq;
using namespace storeq::kiosk;
using storeq::kiosk::test::HeadlessKiosk;

namespace {

Prompt open_till_prompt(const std::string& id, int till, TimeMs now) {
    Prompt prompt;
    prompt.id = id;
    prompt.action = PromptAction::open_till;
    prompt.till = till;
    prompt.raised = prompt.updated = now;
    prompt.message["en"] = "2 customers waiting at till 2";
    return prompt;
}

}  // namespace

TEST_CASE("a tap on a face publishes exactly one Feedback with that face's score", "[kiosk]") {
    const int score = GENERATE(0, 1, 2, 3);
    HeadlessKiosk kiosk(Role::feedback);
    kiosk.click("face-" + std::to_string(score));

    REQUIRE(kiosk.publisher.commands.size() == 1);
    const auto feedbacks = kiosk.publisher.all<PublishFeedback>();
    REQUIRE(feedbacks.size() == 1);
    const Feedback& feedback = feedbacks.front().feedback;
    CHECK(feedback.score == score);
    CHECK(feedback.scale == Scale::smiley4);
    CHECK(feedback.ts == kiosk.now);
    CHECK_FALSE(feedback.misuse);
    CHECK(is_valid_uuid(feedback.id));
    CHECK(kiosk.app->state().feedback_phase == FeedbackPhase::thank_you);

    // More frames with the pointer still there publish nothing more.
    for (int i = 0; i < 3; ++i) kiosk.app->render_frame();
    CHECK(kiosk.publisher.commands.size() == 1);
}

TEST_CASE("after the thank-you the faces come back and take a new answer", "[kiosk]") {
    HeadlessKiosk kiosk(Role::feedback);
    kiosk.click("face-3");
    CHECK(kiosk.app->targets().count("face-0") == 0);  // thank-you screen: no faces to press

    kiosk.now += 5'000;
    CHECK(kiosk.app->apply_pending());
    kiosk.app->render_frame();
    kiosk.click("face-0");
    const auto feedbacks = kiosk.publisher.all<PublishFeedback>();
    REQUIRE(feedbacks.size() == 2);
    CHECK(feedbacks[0].feedback.score == 3);
    CHECK(feedbacks[1].feedback.score == 0);
    CHECK(feedbacks[0].feedback.id != feedbacks[1].feedback.id);
}

TEST_CASE("pressing + twice on the lane screen publishes QueueCounts 1 then 2", "[kiosk]") {
    HeadlessKiosk kiosk(Role::lane);
    kiosk.click("queue-plus");
    kiosk.now += 1'000;
    kiosk.click("queue-plus");

    const auto counts = kiosk.publisher.all<PublishQueueCount>();
    REQUIRE(counts.size() == 2);
    CHECK(kiosk.publisher.commands.size() == 2);
    CHECK(counts[0].lane == 4);
    CHECK(counts[0].count.count == 1);
    CHECK(counts[1].count.count == 2);
    CHECK(counts[0].count.source == CountSource::manual);
    CHECK(*counts[1].count.seq > *counts[0].count.seq);

    kiosk.click("queue-minus");
    const auto after_minus = kiosk.publisher.all<PublishQueueCount>();
    REQUIRE(after_minus.size() == 3);
    CHECK(after_minus[2].count.count == 1);
}

TEST_CASE("the open and close buttons publish LaneState", "[kiosk]") {
    HeadlessKiosk kiosk(Role::lane);
    kiosk.click("lane-open");
    kiosk.now += 1'000;
    kiosk.click("lane-close");
    const auto states = kiosk.publisher.all<PublishLaneState>();
    REQUIRE(states.size() == 2);
    CHECK(states[0].lane == 4);
    CHECK(states[0].state.open);
    CHECK(states[0].state.by == std::optional<std::string>("lane-4"));
    CHECK_FALSE(states[1].state.open);
}

TEST_CASE("the claim button on a call for this till publishes a Claim for that prompt", "[kiosk]") {
    HeadlessKiosk kiosk(Role::lane);
    const std::string id = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";
    kiosk.app->post(PromptUpdated{open_till_prompt(id, 4, kiosk.now)});
    REQUIRE(kiosk.app->apply_pending());
    kiosk.app->render_frame();

    kiosk.click("claim-" + id);
    const auto claims = kiosk.publisher.all<PublishClaim>();
    REQUIRE(claims.size() == 1);
    CHECK(kiosk.publisher.commands.size() == 1);
    CHECK(claims[0].prompt_id == id);
    CHECK(claims[0].claim == Claim{"lane-4", kiosk.now, std::string("lane-4")});

    // The call stays up, now offering to open the till, which fulfils the prompt.
    kiosk.click("call-open");
    const auto states = kiosk.publisher.all<PublishLaneState>();
    REQUIRE(states.size() == 1);
    CHECK(states[0].state.open);
}

TEST_CASE("a face then a reason chip on screen publishes one complete Feedback", "[kiosk]") {
    auto config = storeq::kiosk::test::test_config(Role::feedback);
    config.languages = {"en", "nl"};
    config.negative_reasons = {"queue", "other"};
    HeadlessKiosk kiosk(config, 1024, 600);
    kiosk.click("lang-nl");
    kiosk.click("face-0");
    CHECK(kiosk.publisher.commands.empty());
    kiosk.click("reason-queue");
    const auto feedbacks = kiosk.publisher.all<PublishFeedback>();
    REQUIRE(feedbacks.size() == 1);
    CHECK(feedbacks[0].feedback.reason == std::optional<std::string>("queue"));
    CHECK(feedbacks[0].feedback.ui == FollowUp::complete);
    CHECK(feedbacks[0].feedback.locale == "nl");
}

TEST_CASE("the staff screen claims a call with one tap", "[kiosk]") {
    HeadlessKiosk kiosk(Role::staff, 480, 800);
    const std::string id = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";
    kiosk.post(PromptUpdated{open_till_prompt(id, 4, kiosk.now)});
    kiosk.click("claim-" + id);
    const auto claims = kiosk.publisher.all<PublishClaim>();
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].claim.by == "anna");
    CHECK_FALSE(kiosk.has_target("claim-" + id));  // sent: no second button
}

TEST_CASE("holding the corner and typing the PIN opens the service screen", "[kiosk]") {
    HeadlessKiosk kiosk(Role::feedback);
    const Rect corner = kiosk.app->targets().at("service-corner");
    kiosk.app->press(corner.center_x(), corner.center_y(), [&] { kiosk.now += 2'000; });
    kiosk.app->render_frame(InjectedMouse{-100, -100, false});
    REQUIRE(kiosk.has_target("pin-2"));
    for (const char* key : {"pin-2", "pin-5", "pin-8", "pin-0"}) kiosk.click(key);
    CHECK(kiosk.app->state().service == ServicePhase::open);
    kiosk.click("service-close");
    CHECK(kiosk.has_target("face-0"));
    CHECK(kiosk.publisher.commands.empty());
}
