// Topic names and identifiers.
#include <catch2/catch.hpp>

#include <set>

#include "storeq/ids.hpp"
#include "storeq/topics.hpp"

using namespace storeq;

TEST_CASE("every built topic parses back to what built it") {
    const std::string uuid = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";
    std::vector<Topic> topics{
        {TopicKind::feedback, "store-1", "exit-1", 0, "", "", ""}, {TopicKind::queue, "store-1", "", 12, "", "", ""},
        {TopicKind::lane_state, "store-1", "", 999, "", "", ""},    {TopicKind::prompt, "store-1", "", 0, uuid, "", ""},
        {TopicKind::claim, "store-1", "handheld-1", 0, uuid, "", ""},       {TopicKind::status, "store-1", "lane-2", 0, "", "", ""},
        {TopicKind::wait, "store-1", "", 1, "", "", ""},            {TopicKind::stats, "store-1", "", 0, "", "today", ""},
        {TopicKind::clock, "store-1", "", 0, "", "", ""},
        {TopicKind::receipt, "store-1", "exit-1", 0, "", "", ""},   {TopicKind::durable, "store-1", "", 0, "", "", ""},
        {TopicKind::head_office, "store-1", "", 0, "", "outbound", ""}, {TopicKind::head_office, "store-1", "", 0, "", "ack", ""},
        {TopicKind::alert, "store-1", "", 0, "", "", uuid},
        {TopicKind::alert_answer, "store-1", "manager-2", 0, "", "", uuid},
    };
    for (const auto& t : topics) {
        INFO(topic_name(t));
        auto parsed = parse_topic(topic_name(t));
        REQUIRE(parsed);
        CHECK(*parsed == t);
    }
    CHECK(queue_topic("s1", 3) == "storeq/v1/s1/lane/3/queue");
    CHECK(receipt_topic("s1", "exit-1") == "storeq/v1/s1/kiosk/exit-1/receipt");
    CHECK(durable_topic("s1") == "storeq/v1/s1/durable");
    CHECK(claim_topic("s1", uuid, "handheld-2") == "storeq/v1/s1/prompts/" + uuid + "/claim/handheld-2");
    CHECK(alert_answer_topic("s1", uuid, "manager") == "storeq/v1/s1/alerts/" + uuid + "/answer/manager");
}

TEST_CASE("foreign and malformed topics are refused with a reason") {
    for (const char* bad : {"storeq/v2/s1/clock", "storeq/v1/S1/clock", "storeq/v1/s1/lane/0/queue",
                            "storeq/v1/s1/lane/1000/queue", "storeq/v1/s1/lane/01/queue", "storeq/v1/s1/lane/x/queue",
                            "storeq/v1/s1/lane/1/colour", "storeq/v1/s1/prompts/123", "storeq/v1/s1/kiosk/Exit/feedback",
                            "storeq/v1/s1/kiosk/exit-1/feedback/extra", "storeq/v1/s1", "other/topic",
                            "storeq/v1/s1/alerts/123", "storeq/v1/s1/alerts/0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f/answer"}) {
        INFO(bad);
        auto parsed = parse_topic(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().where == "topic");
    }
}

TEST_CASE("ids follow the protocol's patterns") {
    CHECK(is_valid_id("exit-1"));
    CHECK(is_valid_id(std::string(32, 'a')));
    CHECK_FALSE(is_valid_id(std::string(33, 'a')));
    CHECK_FALSE(is_valid_id("-exit"));
    CHECK_FALSE(is_valid_id("Exit"));
    CHECK_FALSE(is_valid_id(""));
    CHECK(is_valid_reason_code("long_wait"));
    CHECK_FALSE(is_valid_reason_code("long-wait"));
}

TEST_CASE("UUIDv7 ids are canonical, versioned, unique and sort by time") {
    std::mt19937_64 rng(42);
    std::set<std::string> seen;
    std::string previous;
    for (int i = 0; i < 1000; ++i) {
        const auto id = make_uuid_v7(1'763'806'530'000 + i, rng);
        REQUIRE(is_valid_uuid(id));
        CHECK(id[14] == '7');
        CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
        CHECK(id > previous);
        previous = id;
        seen.insert(id);
    }
    CHECK(seen.size() == 1000);
}
