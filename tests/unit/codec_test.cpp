// The JSON codec: every message round-trips, every malformed field is rejected with its reason.
#include <catch2/catch.hpp>

#include "storeq/codec.hpp"

using namespace storeq;

namespace {
constexpr TimeMs kNow = 1'763'806'530'123;
const std::string kId = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";

std::string feedback_json(const std::string& field, const std::string& value) {
    std::map<std::string, std::string> fields{{"id", "\"" + kId + "\""}, {"ts", std::to_string(kNow)},
                                              {"scale", "\"smiley4\""}, {"score", "3"}, {"ui", "\"complete\""},
                                              {"locale", "\"nl\""}, {"misuse", "false"}, {"reason", "\"staff\""}};
    if (value.empty()) fields.erase(field);
    else fields[field] = value;
    std::string text = "{";
    for (const auto& [k, v] : fields) text += (text.size() > 1 ? "," : "") + ("\"" + k + "\":" + v);
    return text + "}";
}
}  // namespace

TEST_CASE("every message survives encode then decode unchanged") {
    Feedback f{kId, kNow, Scale::nps, 9, std::string("staff"), FollowUp::complete, "nl", true};
    CHECK(*decode_feedback(encode(f), kNow) == f);
    QueueCount q{3, kNow, CountSource::sensor, 1842};
    CHECK(*decode_queue_count(encode(q), kNow) == q);
    LaneState l{true, kNow, std::string("anna")};
    CHECK(*decode_lane_state(encode(l), kNow) == l);
    Prompt p;
    p.id = kId;
    p.action = PromptAction::open_till;
    p.till = 4;
    p.state = PromptState::claimed;
    p.level = 2;
    p.reason = PromptReason{2, 3, 2};
    p.raised = kNow;
    p.updated = kNow + 900;
    p.claimed_by = "anna";
    p.message = {{"en", "Open till 4"}, {"nl", "Open kassa 4"}};
    CHECK(*decode_prompt(encode(p)) == p);
    Claim c{"anna", kNow, std::string("handheld-2")};
    CHECK(*decode_claim(encode(c), kNow) == c);
    Status s{false, DeviceKind::lane, "0.1.0", kNow, 12, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    CHECK(*decode_status(encode(s), kNow) == s);
    // A point of sale reports its own status too (it publishes counts with source pos).
    Status pos{true, DeviceKind::pos, "2.4", kNow, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    CHECK(encode(pos).find(R"("kind":"pos")") != std::string::npos);
    CHECK(*decode_status(encode(pos), kNow) == pos);
    Status controller{true, DeviceKind::controller, "0.1.0", kNow, std::nullopt, std::vector<int>{3, 5}, 7, 2, 4, std::string("failing")};
    CHECK(*decode_status(encode(controller), kNow) == controller);
    WaitEstimate w{2, 2, 3, kNow};
    CHECK(*decode_wait_estimate(encode(w)) == w);
    ClockTick t{kNow};
    CHECK(*decode_clock_tick(encode(t)) == t);
}

TEST_CASE("the protocol's own examples decode") {
    auto f = decode_feedback(
        R"({"id":"0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f","ts":1763806530123,"scale":"smiley4","score":3,"reason":"staff","ui":"complete","locale":"nl","misuse":false})",
        kNow);
    REQUIRE(f);
    CHECK(f->score == 3);
    CHECK(f->reason == "staff");
    auto q = decode_queue_count(R"({"count":3,"ts":1763806530123,"source":"sensor","seq":1842})", kNow);
    REQUIRE(q);
    CHECK(q->waiting() == 2);
}

TEST_CASE("unknown fields are ignored for forward compatibility") {
    auto q = decode_queue_count(R"({"count":1,"ts":1763806530123,"source":"pos","colour":"blue"})", kNow);
    REQUIRE(q);
    CHECK(q->source == CountSource::pos);
    CHECK_FALSE(q->seq.has_value());
}

TEST_CASE("each malformed feedback field is rejected naming the field and the reason") {
    struct Case { std::string field, value, where, what_contains; };
    const std::vector<Case> cases{
        {"id", "\"not-a-uuid\"", "id", "UUID"},
        {"id", "", "id", "missing"},
        {"id", "42", "id", "string"},
        {"ts", "\"yesterday\"", "ts", "integer"},
        // A kiosk's clock days off is no reason to refuse its answer (clock_suspect when
        // stored); a clock never set, or garbage, is.
        {"ts", "86400000", "ts", "before 2000-01-01"},
        {"ts", "4102444800000", "ts", "after 2100-01-01"},
        {"ts", "1.5", "ts", "integer"},
        {"scale", "\"smiley7\"", "scale", "one of"},
        {"score", "4", "score", "out of range 0..3"},
        {"score", "-1", "score", "out of range"},
        {"score", "99999999999999999999999", "score", "integer"},
        {"reason", "\"Staff!\"", "reason", "[a-z0-9_]"},
        {"ui", "\"maybe\"", "ui", "one of"},
        {"misuse", "\"no\"", "misuse", "true or false"},
    };
    for (const auto& c : cases) {
        INFO(c.field << " = " << c.value);
        auto decoded = decode_feedback(feedback_json(c.field, c.value), kNow);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().where == c.where);
        CHECK_THAT(decoded.error().what, Catch::Contains(c.what_contains));
    }
}

TEST_CASE("payloads that are not small JSON objects are rejected, not crashed on") {
    CHECK(decode_queue_count("", kNow).error().where == "payload");
    CHECK(decode_queue_count("[1,2,3]", kNow).error().what == "not a JSON object");
    CHECK(decode_queue_count("{\"count\":", kNow).error().what == "not valid UTF-8 JSON");
    CHECK(decode_queue_count("{\"source\":\"\xff\xfe\"}", kNow).error().what == "not valid UTF-8 JSON");
    CHECK(decode_queue_count(std::string(5000, ' ') + "{}", kNow).error().what == "larger than 4096 bytes");
    CHECK(decode_queue_count(std::string(2000, '[') + std::string(2000, ']'), kNow).error().where == "payload");
}

TEST_CASE("each malformed queue count, lane state, claim and status field is rejected") {
    CHECK(decode_queue_count(R"({"count":100,"ts":1763806530123,"source":"sensor"})", kNow).error().where == "count");
    CHECK(decode_queue_count(R"({"count":2,"ts":1763806530123,"source":"camera"})", kNow).error().where == "source");
    CHECK(decode_queue_count(R"({"count":2,"ts":1763806530123,"source":"sim","seq":-1})", kNow).error().where == "seq");
    CHECK(decode_lane_state(R"({"open":1,"ts":1763806530123})", kNow).error().where == "open");
    CHECK(decode_lane_state(R"({"open":true,"ts":1763806530123,"by":"Anna"})", kNow).error().where == "by");
    CHECK(decode_claim(R"({"ts":1763806530123})", kNow).error().where == "by");
    CHECK(decode_status(R"({"online":true,"kind":"toaster","version":"1","ts":1763806530123})", kNow).error().where == "kind");
    CHECK(decode_prompt(R"({"id":"0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f","action":"open_till","till":4,"state":"open","level":3,"raised":1,"updated":1})")
              .error().where == "level");
}

TEST_CASE("a feedback is timed by the kiosk's measured clock when there is one, else by the window") {
    constexpr TimeMs kDay = 86'400'000;
    const TimeMs now = 1'780'000'000'000;
    // Measured 29 days behind: flagged, and corrected by what was measured.
    auto behind = feedback_timing(now - 29 * kDay, now, 29 * kDay);
    CHECK(behind.clock_suspect);
    CHECK(behind.clock_offset == 29 * kDay);
    // Measured right: an old ts is an answer that waited, believed even past the window.
    CHECK_FALSE(feedback_timing(now - 40 * kDay, now, 1500).clock_suspect);
    CHECK_FALSE(feedback_timing(now, now, -kKioskClockToleranceMs).clock_suspect);
    CHECK(feedback_timing(now, now, -kKioskClockToleranceMs - 1).clock_suspect);
    // Not measured: the window decides, and a suspect one counts on arrival (no offset).
    CHECK_FALSE(feedback_timing(now - 29 * kDay, now, std::nullopt).clock_suspect);
    auto unmeasured = feedback_timing(now - 40 * kDay, now, std::nullopt);
    CHECK(unmeasured.clock_suspect);
    CHECK_FALSE(unmeasured.clock_offset);
}
