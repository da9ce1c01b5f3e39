// The forecast's messages (issue 14): door counts a third-party people counter can publish
// from docs/protocol.md alone, POS served counts, and the controller's forecast.
#include <catch2/catch.hpp>

#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

using namespace storeq;

namespace {
constexpr TimeMs kNow = 1'763'806'530'123;
}

TEST_CASE("a door count as docs/protocol.md shows it decodes, and bad ones name the field", "[forecast]") {
    // The example in docs/protocol.md, written by hand, not by our encoder.
    auto door = decode_door_count(R"({"people": 14, "interval": 60000, "ts": 1763806530123})", kNow);
    REQUIRE(door);
    CHECK(door->people == 14);
    CHECK(door->interval == 60'000);
    CHECK_FALSE(door->seq);
    CHECK(*decode_door_count(encode(DoorCount{3, 300'000, kNow, 77}), kNow) == DoorCount{3, 300'000, kNow, 77});

    auto negative = decode_door_count(R"({"people": -1, "interval": 60000, "ts": 1763806530123})", kNow);
    REQUIRE_FALSE(negative);
    CHECK(negative.error().where == "people");
    auto no_interval = decode_door_count(R"({"people": 1, "ts": 1763806530123})", kNow);
    REQUIRE_FALSE(no_interval);
    CHECK(no_interval.error().where == "interval");
    auto tiny_interval = decode_door_count(R"({"people": 1, "interval": 10, "ts": 1763806530123})", kNow);
    REQUIRE_FALSE(tiny_interval);
    CHECK(tiny_interval.error().where == "interval");
    CHECK_FALSE(decode_door_count(R"({"people": 1.5, "interval": 60000, "ts": 1763806530123})", kNow));
    CHECK_FALSE(decode_door_count("[]", kNow));
}

TEST_CASE("a POS served count and the forecast survive encode then decode", "[forecast]") {
    LaneServed served{6, 60'000, kNow, 12};
    CHECK(*decode_lane_served(encode(served), kNow) == served);
    CHECK_FALSE(decode_lane_served(R"({"served": 1000, "interval": 60000, "ts": 1763806530123})", kNow));

    Forecast f;
    f.ts = kNow;
    f.open_tills = 2;
    f.needed_now = 2;
    f.needed_in15 = 3;
    f.needed_in30 = 4;
    f.arrivals_now = 4.5;
    f.arrivals_in15 = 6.25;
    f.arrivals_in30 = 8;
    f.service_s = 45;
    f.door_per_min = 5;
    f.usual_door_per_min = 4;
    f.level = 1.25;
    f.lag_min = 17;
    f.buyer_share = 0.9;
    f.target_share = 0.8;
    f.history_days = 15.5;
    f.profile_learned = true;
    f.prompts = true;
    CHECK(*decode_forecast(encode(f)) == f);
    CHECK_FALSE(decode_forecast(R"({"ts": 1, "open_tills": 1, "needed_now": 1, "needed_in15": 1, "needed_in30": 1, "prompts": true})"));
}

TEST_CASE("door, served and forecast topics parse to their kinds and back", "[forecast]") {
    auto door = parse_topic("storeq/v1/s001/door/2/count");
    REQUIRE(door);
    CHECK(door->kind == TopicKind::door);
    CHECK(door->lane == 2);
    CHECK(topic_name(*door) == door_topic("s001", 2));
    auto served = parse_topic("storeq/v1/s001/lane/5/served");
    REQUIRE(served);
    CHECK(served->kind == TopicKind::served);
    CHECK(topic_name(*served) == served_topic("s001", 5));
    auto forecast = parse_topic("storeq/v1/s001/forecast");
    REQUIRE(forecast);
    CHECK(forecast->kind == TopicKind::forecast);
    CHECK_FALSE(parse_topic("storeq/v1/s001/door/0/count"));
    CHECK_FALSE(parse_topic("storeq/v1/s001/door/x/count"));
    CHECK_FALSE(parse_topic("storeq/v1/s001/door/1"));
}

TEST_CASE("prepare_till is a prompt action every codec reads back", "[forecast]") {
    Prompt p;
    p.id = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";
    p.action = PromptAction::prepare_till;
    p.till = 5;
    p.raised = p.updated = kNow;
    p.message = {{"en", "Till 5 will be needed in about 10 minutes"}};
    auto back = decode_prompt(encode(p));
    REQUIRE(back);
    CHECK(back->action == PromptAction::prepare_till);
    CHECK(to_string(PromptAction::prepare_till) == "prepare_till");
}
