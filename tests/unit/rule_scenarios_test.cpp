// The "second customer waiting" rule, one scenario per behaviour, with injected time.
#include <catch2/catch.hpp>

#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

// Drives the pure core like the shell does and keeps every published prompt change.
struct StoreSim {
    Config config;
    State state;
    std::vector<PublishPrompt> published;
    std::vector<std::string> notes;
    TimeMs now = 1'000'000;
    std::int64_t seq = 0;
    CountSource source = CountSource::sensor;

    explicit StoreSim(Config c) : config(std::move(c)), state(initial_state(config, 7)) {}

    void feed(const Event& e) {
        auto r = step(std::move(state), e, config, now);
        state = std::move(r.state);
        for (auto& c : r.commands) {
            if (auto* p = std::get_if<PublishPrompt>(&c)) published.push_back(*p);
            if (auto* n = std::get_if<Note>(&c)) notes.push_back(n->text);
        }
    }
    void at(TimeMs t) { now = t; }
    void count(int lane, int n) { feed(QueueCountReceived{lane, QueueCount{n, now, source, ++seq}}); }
    void open(int lane) { feed(LaneStateReceived{lane, LaneState{true, now, std::nullopt}}); }
    void close(int lane) { feed(LaneStateReceived{lane, LaneState{false, now, std::nullopt}}); }
    void claim(const std::string& id, const std::string& by) { feed(ClaimReceived{id, Claim{by, now, std::nullopt}}); }
    void tick_until(TimeMs t) {
        while (now < t) {
            now = std::min(t, now + 100);
            feed(TimePassed{});
        }
    }
    std::vector<Prompt> live() const {
        std::vector<Prompt> out;
        for (const auto& [id, l] : state.live) out.push_back(l.prompt);
        return out;
    }
    std::vector<PublishPrompt> with_transition(const std::string& t) const {
        std::vector<PublishPrompt> out;
        for (const auto& p : published)
            if (p.transition == t) out.push_back(p);
        return out;
    }
};

Config store_of(const std::string& tills) {
    Config c;
    c.tills = *parse_till_list(tills);
    return c;
}

}  // namespace

TEST_CASE("a second customer waiting at an open lane raises one open_till for the next closed till") {
    auto config = store_of("1-4");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.count(1, 1);
    store.count(1, 2);  // one waiting: the promise holds
    CHECK(store.published.empty());
    store.count(1, 3);  // the second customer is waiting
    REQUIRE(store.published.size() == 1);
    const Prompt& p = store.published[0].prompt;
    CHECK(p.action == PromptAction::open_till);
    CHECK(p.till == 2);
    CHECK(p.state == PromptState::open);
    CHECK(p.level == 1);
    CHECK(p.reason == PromptReason{1, 3, 2});
    CHECK(p.message.at("en") == "Open till 2: 2 customers waiting at till 1");
    store.count(1, 4);  // the same demand never raises a second prompt
    store.tick_until(store.now + 5'000);
    CHECK(store.with_transition("raised").size() == 1);
}

TEST_CASE("dwell filters a flickering sensor") {
    StoreSim store(store_of("1-2"));  // dwell 3 s
    store.open(1);
    store.count(1, 3);
    store.tick_until(store.now + 2'900);
    CHECK(store.published.empty());
    store.count(1, 2);  // dips under the threshold: the dwell starts again
    store.tick_until(store.now + 100);
    store.count(1, 3);
    store.tick_until(store.now + 2'900);
    CHECK(store.published.empty());
    store.tick_until(store.now + 200);
    CHECK(store.with_transition("raised").size() == 1);
}

TEST_CASE("first claim wins, later claims change nothing") {
    auto config = store_of("1-2");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.count(1, 3);
    const std::string id = store.published.at(0).prompt.id;
    store.claim(id, "anna");
    store.claim(id, "ben");
    REQUIRE(store.with_transition("claimed").size() == 1);
    CHECK(store.live().at(0).claimed_by == "anna");
    CHECK(store.live().at(0).state == PromptState::claimed);
    REQUIRE(store.notes.size() == 1);
    CHECK_THAT(store.notes[0], Catch::Contains("already claimed by anna"));
    store.claim("0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f", "carl");
    CHECK_THAT(store.notes.back(), Catch::Contains("not live"));
}

TEST_CASE("the prompted till opening fulfils the prompt, and settle holds back a new one") {
    auto config = store_of("1-3");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.count(1, 4);
    const std::string id = store.published.at(0).prompt.id;
    store.claim(id, "anna");
    store.tick_until(store.now + 1'000);
    store.open(2);
    auto fulfilled = store.with_transition("fulfilled");
    REQUIRE(fulfilled.size() == 1);
    CHECK(fulfilled[0].prompt.id == id);
    CHECK(fulfilled[0].prompt.state == PromptState::fulfilled);
    CHECK(store.live().empty());
    // Lane 1 still breaches: no new prompt until settle (20 s) has passed.
    store.tick_until(store.now + 19'900);
    CHECK(store.with_transition("raised").size() == 1);
    store.tick_until(store.now + 200);
    auto raised = store.with_transition("raised");
    REQUIRE(raised.size() == 2);
    CHECK(raised[1].prompt.till == 3);
}

TEST_CASE("another closed till opening also fulfils the prompt") {
    auto config = store_of("1-3");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.count(1, 3);
    store.open(3);  // not the prompted till 2
    REQUIRE(store.with_transition("fulfilled").size() == 1);
    CHECK(store.with_transition("fulfilled")[0].prompt.till == 2);
}

TEST_CASE("the queue clearing for clear_dwell before a till opens stands staff down") {
    auto config = store_of("1-2");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.count(1, 3);
    store.count(1, 1);
    store.tick_until(store.now + 9'900);
    CHECK(store.with_transition("cancelled").empty());
    store.tick_until(store.now + 200);
    auto cancelled = store.with_transition("cancelled");
    REQUIRE(cancelled.size() == 1);
    CHECK(cancelled[0].prompt.state == PromptState::cancelled);
    CHECK(store.live().empty());
}

TEST_CASE("tills open in the store's configured order") {
    auto config = store_of("3,1,2");
    config.dwell = 0;
    StoreSim store(config);
    store.open(3);
    store.count(3, 3);
    REQUIRE(store.published.size() == 1);
    CHECK(store.published[0].prompt.till == 1);
}

TEST_CASE("a further breaching lane gets its own prompt for the next till") {
    auto config = store_of("1-4");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.open(2);
    store.count(1, 3);
    store.count(2, 3);
    auto raised = store.with_transition("raised");
    REQUIRE(raised.size() == 2);
    CHECK(raised[0].prompt.till == 3);
    CHECK(raised[1].prompt.till == 4);
}

TEST_CASE("balance first when another open lane is free, then open a till after the grace") {
    auto config = store_of("1-3");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.open(2);
    store.count(2, 1);  // till 2 serves one customer, nobody waiting
    store.count(1, 3);
    REQUIRE(store.published.size() == 1);
    CHECK(store.published[0].prompt.action == PromptAction::balance);
    CHECK(store.published[0].prompt.till == 2);
    store.tick_until(store.now + 30'000);
    CHECK(store.with_transition("expired").size() == 1);
    auto raised = store.with_transition("raised");
    REQUIRE(raised.size() == 2);
    CHECK(raised[1].prompt.action == PromptAction::open_till);
    CHECK(raised[1].prompt.till == 3);
}

TEST_CASE("every till open: all_tills_open at level 2, at most once per cooldown") {
    auto config = store_of("1-2");
    config.dwell = 0;
    config.clear_dwell = 1'000;
    StoreSim store(config);
    store.source = CountSource::manual;  // counts set by hand hold until changed
    store.open(1);
    store.open(2);
    store.count(2, 2);
    store.count(1, 3);
    REQUIRE(store.published.size() == 1);
    CHECK(store.published[0].prompt.action == PromptAction::all_tills_open);
    CHECK(store.published[0].prompt.level == 2);
    store.count(1, 1);
    store.tick_until(store.now + 1'000);
    CHECK(store.with_transition("cancelled").size() == 1);
    store.count(1, 3);
    store.tick_until(store.now + 60'000);
    CHECK(store.with_transition("raised").size() == 1);  // cooldown is 10 min
    store.tick_until(store.now + 600'000);
    CHECK(store.with_transition("raised").size() == 2);
}

TEST_CASE("unclaimed after claim_timeout, or claimed but not open after open_timeout, escalates to level 2") {
    auto config = store_of("1-4");
    config.dwell = 0;
    StoreSim store(config);
    store.source = CountSource::manual;
    store.open(1);
    store.open(2);
    store.count(2, 3);
    store.count(1, 3);
    auto raised = store.with_transition("raised");
    REQUIRE(raised.size() == 2);
    const auto unclaimed = raised[0].prompt.id;
    const auto claimed = raised[1].prompt.id;
    store.claim(claimed, "anna");
    store.tick_until(store.now + 29'900);
    CHECK(store.with_transition("escalated").empty());
    store.tick_until(store.now + 200);
    auto escalated = store.with_transition("escalated");
    REQUIRE(escalated.size() == 1);
    CHECK(escalated[0].prompt.id == unclaimed);
    CHECK(escalated[0].prompt.level == 2);
    store.tick_until(store.now + 120'000 - 30'100 - 100);
    CHECK(store.with_transition("escalated").size() == 1);
    store.tick_until(store.now + 200);
    REQUIRE(store.with_transition("escalated").size() == 2);
    CHECK(store.with_transition("escalated")[1].prompt.id == claimed);
}

TEST_CASE("two idle open lanes for idle_close suggest closing the till opened last") {
    StoreSim store(store_of("2,1,3"));
    store.source = CountSource::pos;
    store.open(2);
    store.open(1);
    store.count(1, 1);
    store.count(2, 0);
    store.tick_until(store.now + 599'900);
    CHECK(store.published.empty());
    store.tick_until(store.now + 200);
    REQUIRE(store.published.size() == 1);
    CHECK(store.published[0].prompt.action == PromptAction::close_till);
    CHECK(store.published[0].prompt.till == 1);
    store.close(1);
    CHECK(store.with_transition("fulfilled").size() == 1);
}

TEST_CASE("samples older than the last one seen are ignored") {
    auto config = store_of("1-2");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.feed(QueueCountReceived{1, QueueCount{1, store.now, CountSource::sensor, 10}});
    store.feed(QueueCountReceived{1, QueueCount{5, store.now, CountSource::sensor, 9}});  // late by seq
    CHECK(store.published.empty());
    CHECK(store.state.lanes.at(1).count == 1);
    store.feed(QueueCountReceived{2, QueueCount{1, store.now, CountSource::manual, std::nullopt}});
    store.feed(QueueCountReceived{2, QueueCount{4, store.now - 1, CountSource::manual, std::nullopt}});  // late by ts
    CHECK(store.state.lanes.at(2).count == 1);
    CHECK(store.state.stale_samples == 2);
}

TEST_CASE("a lane whose sensor goes silent is unknown, never assumed empty") {
    auto config = store_of("1-2");
    config.dwell = 0;
    StoreSim store(config);
    store.open(1);
    store.count(1, 3);
    REQUIRE(store.live().size() == 1);
    store.tick_until(store.now + 120'000);  // sensor_timeout 60 s passes
    CHECK(store.with_transition("cancelled").empty());  // not stood down on missing data
    CHECK(store.live().size() == 1);
}

TEST_CASE("a queue sample for a till the store does not have changes nothing and says why") {
    StoreSim store(store_of("1-2"));
    store.count(7, 5);
    REQUIRE(store.notes.size() == 1);
    CHECK_THAT(store.notes[0], Catch::Contains("lane 7"));
}

TEST_CASE("till lists and the configuration file are checked key by key") {
    CHECK(*parse_till_list("1-3,7") == std::vector<int>{1, 2, 3, 7});
    CHECK(parse_till_list("1,1").error().what == "till 1 is listed twice");
    CHECK(parse_till_list("0-2").error().what == "till 0 is outside 1..999");
    auto config = parse_config("# store 12\ntills = 1-6\nopening_order = 3,4,1,2,5,6\ndwell = 5s\nclear_dwell = 2min\n");
    REQUIRE(config);
    CHECK(config->tills.front() == 3);
    CHECK(config->dwell == 5'000);
    CHECK(config->clear_dwell == 120'000);
    CHECK(parse_config("tills = 1-2\nwait = 3s\n").error().where == "wait (line 2)");
    CHECK(parse_config("tills = 1-2\nwait = 3s\n").error().what == "unknown key");
    CHECK(parse_config("tills = 1-2\ndwell = 3\n").error().what == "must be a duration with a unit, like 3s, 500ms or 10min");
    CHECK(parse_config("tills = 1-2\ndwell = 11min\n").error().what == "out of range 0ms..600000ms");
    CHECK(parse_config("tills = 1-2\nwaiting_threshold = two\n").error().what == "must be a whole number");
    CHECK(parse_config("tills = 1-3\nopening_order = 1,2\n").error().where == "opening_order");
}

TEST_CASE("wait estimates use the configured service time, then the one learned from the counts, rounded up") {
    StoreSim store(store_of("1-4"));
    store.config.dwell = 600'000;  // keep prompts out of this scenario
    store.open(1);
    std::vector<WaitEstimate> estimates;
    auto latest = [&] {
        auto r = step(store.state, TimePassed{}, store.config, store.now);
        return r.state.lanes.at(1).published_wait;
    };
    store.count(1, 6);
    REQUIRE(latest());
    CHECK(latest()->waiting == 5);
    CHECK(latest()->minutes == 5);  // 5 waiting x 60 s default
    // Five customers leave, one every 25 s, while the lane stays busy.
    for (int n = 5; n >= 1; --n) {
        store.tick_until(store.now + 25'000);
        store.count(1, n);
    }
    CHECK(service_time_of(store.state.lanes.at(1), store.config) == 25'000);
    store.count(1, 4);  // three waiting x 25 s = 75 s: shown as 2 minutes
    CHECK(latest()->waiting == 3);
    CHECK(latest()->minutes == 2);
}

TEST_CASE("idle time at a lane is not learned as service time") {
    StoreSim store(store_of("1-2"));
    store.open(1);
    for (int i = 0; i < 6; ++i) {
        store.count(1, 1);
        store.tick_until(store.now + 20'000);
        store.count(1, 0);                       // served in 20 s
        store.tick_until(store.now + 300'000);   // then nobody for 5 minutes
    }
    CHECK(service_time_of(store.state.lanes.at(1), store.config) == 20'000);
}

TEST_CASE("one tap on a lane display does not silence the lane's sensor: samples are ordered per source") {
    // The lane display numbers its samples by the epoch in ms, the sensor by a counter:
    // comparing the two made every later sensor sample look older than the tap.
    StoreSim store(store_of("1-2"));
    store.open(1);
    store.feed(QueueCountReceived{1, QueueCount{1, store.now, CountSource::manual, 1'763'798'400'000}});
    for (int i = 1; i <= 15; ++i) {
        store.now += 1000;
        store.feed(QueueCountReceived{1, QueueCount{5, store.now, CountSource::sensor, i}});
    }
    CHECK(store.state.lanes.at(1).count == 5);
    CHECK(store.state.stale_samples == 0);
    REQUIRE(store.with_transition("raised").size() == 1);
    CHECK(store.with_transition("raised")[0].prompt.reason->waiting == 4);
    // The newest sample wins, whatever its source: a display tap after the sensor's
    // samples sets the count until the sensor's next sample.
    store.now += 1000;
    store.feed(QueueCountReceived{1, QueueCount{2, store.now, CountSource::manual, 1'763'798'416'000}});
    CHECK(store.state.lanes.at(1).count == 2);
    store.now += 1000;
    store.feed(QueueCountReceived{1, QueueCount{6, store.now, CountSource::sensor, 16}});
    CHECK(store.state.lanes.at(1).count == 6);
    // Within one source the order still holds: a late sensor sample changes nothing.
    store.feed(QueueCountReceived{1, QueueCount{0, store.now, CountSource::sensor, 3}});
    CHECK(store.state.lanes.at(1).count == 6);
    CHECK(store.state.stale_samples == 1);
}
