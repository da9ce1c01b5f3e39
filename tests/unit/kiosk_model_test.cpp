// The kiosk's pure model: intents and events in, state and commands out. No SDL, no I/O.
#include <catch2/catch.hpp>

#include "model/kiosk_update.hpp"
#include "model/kiosk_view.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {

constexpr TimeMs t0 = 1'763'806'530'000;
const std::string kId = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";

KioskConfig feedback_config() {
    KioskConfig config;
    config.role = Role::feedback;
    config.store = "store-1";
    config.device = "exit-1";
    config.locale = "nl";
    return config;
}

KioskConfig lane_config() {
    KioskConfig config;
    config.role = Role::lane;
    config.store = "store-1";
    config.device = "lane-4";
    config.till = 4;
    return config;
}

Prompt open_till_prompt(std::string id, int till) {
    Prompt prompt;
    prompt.id = std::move(id);
    prompt.action = PromptAction::open_till;
    prompt.till = till;
    prompt.state = PromptState::open;
    prompt.raised = prompt.updated = t0;
    prompt.message["en"] = "2 customers waiting at till 2";
    return prompt;
}

template <class T>
const T& only_command(const UpdateResult& result) {
    REQUIRE(result.commands.size() == 1);
    REQUIRE(std::holds_alternative<T>(result.commands.front()));
    return std::get<T>(result.commands.front());
}

}  // namespace

TEST_CASE("a face tap publishes one Feedback and shows the thank-you", "[kiosk-model]") {
    const auto config = feedback_config();
    auto result = update(KioskState{}, Intent{TapFace{2}}, config, t0, kId);
    const auto& feedback = only_command<PublishFeedback>(result).feedback;
    CHECK(feedback.id == kId);
    CHECK(feedback.ts == t0);
    CHECK(feedback.scale == Scale::smiley4);
    CHECK(feedback.score == 2);
    CHECK(feedback.ui == FollowUp::none);
    CHECK(feedback.locale == "nl");
    CHECK_FALSE(feedback.misuse);
    CHECK(result.state.feedback_phase == FeedbackPhase::thank_you);
    CHECK(next_deadline(result.state, config) == t0 + config.thank_you_ms);
    CHECK(make_feedback_view(result.state, config).thank_you);
}

TEST_CASE("the thank-you returns to the question after its time", "[kiosk-model]") {
    const auto config = feedback_config();
    auto state = update(KioskState{}, Intent{TapFace{3}}, config, t0, kId).state;
    state = update(state, Event{Tick{}}, config, t0 + config.thank_you_ms - 1).state;
    CHECK(state.feedback_phase == FeedbackPhase::thank_you);
    auto back = update(state, Event{Tick{}}, config, t0 + config.thank_you_ms);
    CHECK(back.state.feedback_phase == FeedbackPhase::question);
    CHECK(back.commands.empty());
    CHECK_FALSE(next_deadline(back.state, config));
}

TEST_CASE("a press inside the response interval is kept and flagged and starts no flow", "[kiosk-model]") {
    const auto config = feedback_config();
    auto state = update(KioskState{}, Intent{TapFace{3}}, config, t0, kId).state;
    state = update(state, Event{Tick{}}, config, t0 + config.thank_you_ms).state;

    const TimeMs soon = t0 + config.response_interval_ms - 1;
    auto flagged = update(state, Intent{TapFace{0}}, config, soon, kId);
    CHECK(only_command<PublishFeedback>(flagged).feedback.misuse);
    CHECK(flagged.state.feedback_phase == FeedbackPhase::question);

    // The interval counts from the last press, flagged or not.
    auto later = update(flagged.state, Intent{TapFace{1}}, config, soon + config.response_interval_ms, kId);
    CHECK_FALSE(only_command<PublishFeedback>(later).feedback.misuse);
    CHECK(later.state.feedback_phase == FeedbackPhase::thank_you);
}

TEST_CASE("a score outside the scale publishes nothing", "[kiosk-model]") {
    CHECK(update(KioskState{}, Intent{TapFace{4}}, feedback_config(), t0, kId).commands.empty());
    CHECK(update(KioskState{}, Intent{TapFace{-1}}, feedback_config(), t0, kId).commands.empty());
}

TEST_CASE("plus and minus publish manual QueueCounts with increasing seq", "[kiosk-model]") {
    const auto config = lane_config();
    auto one = update(KioskState{}, Intent{QueueIncrementPressed{}}, config, t0, "");
    const auto& first = only_command<PublishQueueCount>(one);
    CHECK(first.lane == 4);
    CHECK(first.count.count == 1);
    CHECK(first.count.source == CountSource::manual);
    REQUIRE(first.count.seq);
    // Seeded from the clock: still increasing after the display restarts.
    CHECK(*first.count.seq >= t0);

    auto two = update(one.state, Intent{QueueIncrementPressed{}}, config, t0, "");
    const auto& second = only_command<PublishQueueCount>(two);
    CHECK(second.count.count == 2);
    CHECK(*second.count.seq > *first.count.seq);

    auto down = update(two.state, Intent{QueueDecrementPressed{}}, config, t0 + 1, "");
    CHECK(only_command<PublishQueueCount>(down).count.count == 1);
    CHECK(make_lane_view(down.state, config).waiting == 0);
}

TEST_CASE("the queue count stays within 0..99", "[kiosk-model]") {
    const auto config = lane_config();
    CHECK(update(KioskState{}, Intent{QueueDecrementPressed{}}, config, t0, "").commands.empty());
    KioskState full;
    full.queue_count = kMaxQueueCount;
    CHECK(update(full, Intent{QueueIncrementPressed{}}, config, t0, "").commands.empty());
}

TEST_CASE("open and close publish LaneState by this device", "[kiosk-model]") {
    const auto config = lane_config();
    auto opened = update(KioskState{}, Intent{LaneOpenPressed{}}, config, t0, "");
    const auto& open = only_command<PublishLaneState>(opened);
    CHECK(open.lane == 4);
    CHECK(open.state == LaneState{true, t0, std::string("lane-4")});
    CHECK(opened.state.lane_open);
    auto closed = update(opened.state, Intent{LaneClosePressed{}}, config, t0 + 1, "");
    CHECK_FALSE(only_command<PublishLaneState>(closed).state.open);
    CHECK_FALSE(closed.state.lane_open);
}

TEST_CASE("the broker's echo of an older sample does not undo a newer press", "[kiosk-model]") {
    const auto config = lane_config();
    auto state = update(KioskState{}, Intent{QueueIncrementPressed{}}, config, t0, "").state;
    state = update(state, Intent{QueueIncrementPressed{}}, config, t0 + 100, "").state;
    state = update(state, Event{QueueCountReceived{QueueCount{1, t0, CountSource::manual, t0}}}, config, t0 + 150).state;
    CHECK(state.queue_count == 2);
    // A newer sample (a sensor, or our own count before a restart) is shown.
    state = update(state, Event{QueueCountReceived{QueueCount{5, t0 + 200, CountSource::sensor, {}}}}, config, t0 + 250).state;
    CHECK(state.queue_count == 5);
}

TEST_CASE("live prompts come and go and a prompt for this till is the call", "[kiosk-model]") {
    const auto config = lane_config();
    auto state = update(KioskState{}, Event{PromptUpdated{open_till_prompt("p-other", 7)}}, config, t0).state;
    state = update(state, Event{PromptUpdated{open_till_prompt("p-mine", 4)}}, config, t0).state;
    auto view = make_lane_view(state, config);
    REQUIRE(view.call);
    CHECK(view.call->id == "p-mine");
    CHECK(view.call->title == "Please open till 4");
    CHECK(view.call->can_claim);
    REQUIRE(view.banners.size() == 1);
    CHECK(view.banners[0].id == "p-other");

    auto fulfilled = open_till_prompt("p-mine", 4);
    fulfilled.state = PromptState::fulfilled;
    state = update(state, Event{PromptUpdated{fulfilled}}, config, t0 + 1).state;
    CHECK_FALSE(make_lane_view(state, config).call);

    state = update(state, Event{PromptCleared{"p-other"}}, config, t0 + 2).state;
    CHECK(state.prompts.empty());
}

TEST_CASE("a claim is sent once and not for a prompt already claimed", "[kiosk-model]") {
    const auto config = lane_config();
    auto state = update(KioskState{}, Event{PromptUpdated{open_till_prompt("p-1", 4)}}, config, t0).state;
    auto claimed = update(state, Intent{ClaimPressed{"p-1"}}, config, t0 + 10, "");
    const auto& claim = only_command<PublishClaim>(claimed);
    CHECK(claim.prompt_id == "p-1");
    CHECK(claim.claim == Claim{"lane-4", t0 + 10, std::string("lane-4")});
    CHECK(make_lane_view(claimed.state, config).call->claim_sent);

    CHECK(update(claimed.state, Intent{ClaimPressed{"p-1"}}, config, t0 + 20, "").commands.empty());
    CHECK(update(claimed.state, Intent{ClaimPressed{"p-unknown"}}, config, t0 + 20, "").commands.empty());

    auto by_anna = open_till_prompt("p-1", 4);
    by_anna.state = PromptState::claimed;
    by_anna.claimed_by = "anna";
    auto confirmed = update(claimed.state, Event{PromptUpdated{by_anna}}, config, t0 + 30).state;
    auto view = make_lane_view(confirmed, config);
    CHECK(view.call->claimed_by == std::optional<std::string>("anna"));
    CHECK_FALSE(view.call->can_claim);
    CHECK(update(confirmed, Intent{ClaimPressed{"p-1"}}, config, t0 + 40, "").commands.empty());
}

TEST_CASE("a handheld can claim a forecast's prepare_till, and its stand-down says the forecast changed", "[kiosk-model][forecast]") {
    KioskConfig config;
    config.role = Role::staff;
    config.store = "store-1";
    config.device = "handheld-1";
    Prompt prepare = open_till_prompt("p-prepare", 5);
    prepare.action = PromptAction::prepare_till;
    prepare.message["en"] = "Till 5 will be needed in about 10 minutes";
    auto state = update(KioskState{}, Event{PromptUpdated{prepare}}, config, t0).state;
    auto view = make_staff_view(state, config);
    REQUIRE(view.prompts.size() == 1);
    CHECK(view.prompts[0].title == "Get ready: till 5 soon");
    CHECK(view.prompts[0].message == "Till 5 will be needed in about 10 minutes");
    CHECK(view.prompts[0].can_claim);
    auto claimed = update(state, Intent{ClaimPressed{"p-prepare"}}, config, t0 + 1'000, "");
    REQUIRE(claimed.commands.size() == 1);
    prepare.state = PromptState::cancelled;
    state = update(claimed.state, Event{PromptUpdated{prepare}}, config, t0 + 60'000).state;
    view = make_staff_view(state, config);
    REQUIRE(view.stand_downs.size() == 1);
    CHECK(view.stand_downs[0].detail == "The forecast no longer needs this till. Back to other work.");
}
