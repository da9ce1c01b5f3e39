// Alert and AlertAnswer on the wire (docs/protocol.md): every field survives the codec, and
// bad answers are refused naming the field.
#include <catch2/catch.hpp>

#include "storeq/codec.hpp"

using namespace storeq;

TEST_CASE("an alert survives encode then decode, every field") {
    Alert a;
    a.id = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";
    a.rule = "negative_share.evening";
    a.kind = AlertRuleKind::negative_share;
    a.tone = AlertTone::bad;
    a.level = 2;
    a.state = AlertState::acknowledged;
    a.figure = 62.5;
    a.threshold = 50;
    a.n = 8;
    a.window = 900'000;
    a.reasons = {{"queue", 4}, {"stock", 1}};
    a.opened = 1'763'806'531'000;
    a.updated = 1'763'806'590'000;
    a.acknowledged_by = "handheld-1";
    a.acknowledged_at = a.updated;
    a.comment = "on my way";
    auto back = decode_alert(encode(a));
    REQUIRE(back);
    CHECK(*back == a);
    a.state = AlertState::closed;
    a.closed_by = "auto";
    a.closed_at = a.updated + 600'000;
    a.kind = AlertRuleKind::great_hour;
    a.tone = AlertTone::good;
    back = decode_alert(encode(a));
    REQUIRE(back);
    CHECK(*back == a);
}

TEST_CASE("an alert answer: acknowledge, close with its comment, and what is refused") {
    const TimeMs now = 1'763'806'590'000;
    AlertAnswer ack{AlertAction::acknowledge, "handheld-1", now, std::nullopt};
    auto back = decode_alert_answer(encode(ack), now);
    REQUIRE(back);
    CHECK(*back == ack);
    AlertAnswer close{AlertAction::close, "manager", now, std::string("till roll ran out")};
    back = decode_alert_answer(encode(close), now);
    REQUIRE(back);
    CHECK(*back == close);

    auto no_comment = decode_alert_answer(R"({"action":"close","by":"manager","ts":1763806590000})", now);
    REQUIRE(!no_comment);
    CHECK(no_comment.error().to_string().find("comment") != std::string::npos);
    auto bad_action = decode_alert_answer(R"({"action":"delete","by":"manager","ts":1763806590000})", now);
    REQUIRE(!bad_action);
    CHECK(bad_action.error().to_string().find("acknowledge, close") != std::string::npos);
    const std::string long_comment(281, 'x');
    CHECK(!decode_alert_answer(R"({"action":"acknowledge","by":"manager","ts":1763806590000,"comment":")" + long_comment + "\"}", now));
    CHECK(!decode_alert_answer(R"({"action":"acknowledge","by":"Manager!","ts":1763806590000})", now));
}
