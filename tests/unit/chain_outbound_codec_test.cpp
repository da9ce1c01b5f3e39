// The store -> head office contract: what the controller writes, storeq-hq reads back the
// same; what is malformed is refused with the field named.
#include <catch2/catch.hpp>

#include "storeq/chain/outbound.hpp"

using namespace storeq;
using namespace storeq::chain;
using storeq::controller::BreachExposure;

namespace {
Batch sample_batch() {
    FeedbackEntry f{"01890a5d-ac96-774b-bcce-b302099a8057", "exit-1", 1'700'000'000'000, 1'700'000'000'500,
                    1'700'000'000'000, Scale::nps, 9, std::string("staff"), false, false, true};
    PromptEntry p{"p-1", PromptAction::open_till, 3, PromptState::claimed, 1, 1'700'000'100'000, 1'700'000'130'000,
                  std::string("anna"), 1'700'000'130'000};
    LaneEntry l{3, true, 1'700'000'160'000};
    HourEntry h;
    h.hour = 1'699'999'200'000;
    LaneTotals t;
    t.open_ms = 3'600'000;
    t.counted_ms = 3'500'000;
    t.breach_ms = 60'000;
    t.queue_ms = 4'000'000;
    t.max_queue = 4;
    t.samples = 120;
    t.breaches = 1;
    t.kept = 1;
    h.lanes = {{1, t}, {3, LaneTotals{}}};
    h.feedback.add(Scale::smiley4, 3, false, std::string("staff"));
    h.feedback.add(Scale::nps, 2, false, std::string("queue"), 1, BreachExposure::after_breach);
    h.feedback.add(Scale::smiley4, 1, false, std::nullopt, 3, BreachExposure::no_breach);
    h.feedback.misuse = 2;
    return Batch{"s001", "Europe/Amsterdam", {{41, f}, {42, p}, {43, l}, {44, h}}};
}
}  // namespace

TEST_CASE("an outbound batch of every entry kind decodes to what the store encoded") {
    const Batch sent = sample_batch();
    auto got = decode_batch(encode(sent));
    REQUIRE(got);
    CHECK(*got == sent);
}

TEST_CASE("an outbound entry from a store before the queue-cost figures reads as not known") {
    const std::string old_store =
        R"({"v":1,"store":"s001","zone":"UTC","entries":[{"seq":1,"kind":"feedback","id":"f-1","kiosk":"exit-1",)"
        R"("ts":1,"received":2,"counted_at":1,"scale":"smiley4","score":3,"reason":null,"misuse":false,)"
        R"("clock_suspect":false},{"seq":2,"kind":"hour","hour":0,"lanes":[],"feedback":{"smiley4":[0,0,0,1],)"
        R"("smiley5":[0,0,0,0,0],"nps":[0,0,0,0,0,0,0,0,0,0,0],"misuse":0,"reasons_positive":{},"reasons_negative":{}}}]})";
    auto got = decode_batch(old_store);
    REQUIRE(got);
    CHECK_FALSE(std::get<FeedbackEntry>(got->entries[0].body).after_breach);
    const auto& hour = std::get<HourEntry>(got->entries[1].body);
    CHECK(hour.feedback.smiley4[3] == 1);
    CHECK(hour.feedback.by_breach[0].smiley4[3] + hour.feedback.by_breach[1].smiley4[3] == 0);
}

TEST_CASE("a batch spliced from stored entry bodies is the same batch") {
    const Batch sent = sample_batch();
    std::vector<std::pair<std::int64_t, std::string>> stored;
    for (const Entry& e : sent.entries) stored.emplace_back(e.seq, entry_json(e.body));
    auto got = decode_batch(batch_json(sent.store, sent.zone, stored));
    REQUIRE(got);
    CHECK(*got == sent);
}

TEST_CASE("a malformed outbound batch is refused with the field named") {
    auto refused = [](const std::string& payload) {
        auto got = decode_batch(payload);
        REQUIRE_FALSE(got);
        return got.error().to_string();
    };
    CHECK(refused("not json") == "payload: is not JSON");
    CHECK(refused(R"({"v":2,"store":"s001","zone":"UTC","entries":[]})") == "v: must be 1");
    CHECK(refused(R"({"v":1,"store":"S 1","zone":"UTC","entries":[]})").rfind("store:", 0) == 0);
    CHECK(refused(R"({"v":1,"store":"s001","zone":"UTC","entries":[{"seq":2,"kind":"lane","lane":1,"open":true,"at":5},)"
                  R"({"seq":2,"kind":"lane","lane":1,"open":false,"at":6}]})") ==
          "entries[1].seq: must be above the entry before it");
    CHECK(refused(R"({"v":1,"store":"s001","zone":"UTC","entries":[{"seq":1,"kind":"lane","lane":0,"open":true,"at":5}]})") ==
          "entries[0].lane: must be at least 1");
    CHECK(refused(R"({"v":1,"store":"s001","zone":"UTC","entries":[{"seq":1,"kind":"gossip"}]})") ==
          "entries[0].kind: must be feedback, prompt, lane or hour, got 'gossip'");
    CHECK(refused(R"({"v":1,"store":"s001","zone":"UTC","entries":[{"seq":1,"kind":"hour","hour":0,"lanes":[],)"
                  R"("feedback":{"smiley4":[1,2],"smiley5":[0,0,0,0,0],"nps":[0,0,0,0,0,0,0,0,0,0,0],"misuse":0,)"
                  R"("reasons_positive":{},"reasons_negative":{}}}]})") ==
          "entries[0].feedback.smiley4: must be an array of 4 counts");
}

TEST_CASE("an ack decodes, and the outbound topic names its store") {
    auto ack = decode_ack(encode(Ack{1234}));
    REQUIRE(ack);
    CHECK(ack->seq == 1234);
    CHECK_FALSE(decode_ack(R"({"v":1,"seq":"12"})"));
    CHECK(outbound_topic("s001") == "storeq/v1/s001/hq/outbound");
    CHECK(ack_topic("s001") == "storeq/v1/s001/hq/ack");
    auto store = store_of_outbound_topic("storeq/v1/s042/hq/outbound");
    REQUIRE(store);
    CHECK(*store == "s042");
    CHECK_FALSE(store_of_outbound_topic("storeq/v1/s042/hq/ack"));
    CHECK_FALSE(store_of_outbound_topic("storeq/v1/BAD STORE/hq/outbound"));
}
