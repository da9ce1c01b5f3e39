// Wrong clocks (issue 10): a kiosk whose clock is 40 days behind or 2 days ahead still
// gives real answers. Before, the codec refused them after the broker had acknowledged
// them: never stored, and with receipts held at the kiosk for good. Now they are stored,
// flagged, receipted, and counted at the time the controller received them.
// Real broker, real controller binary, real SQLite file.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <random>

#include "storeq/ids.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr TimeMs kDay = 86'400'000;

std::string feedback_at(const std::string& id, TimeMs ts) {
    return encode(Feedback{id, ts, Scale::smiley4, 3, std::nullopt, FollowUp::none, "en", false});
}
}  // namespace

TEST_CASE("responses from kiosks 40 days behind and 2 days ahead are stored, flagged, receipted and counted today") {
    StoreFixture store;
    std::mt19937_64 rng(11);
    const TimeMs now = wall_clock_ms();
    const std::string behind = make_uuid_v7(now - 40 * kDay, rng);
    const std::string ahead = make_uuid_v7(now + 2 * kDay, rng);
    const std::string right = make_uuid_v7(now, rng);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_at(behind, now - 40 * kDay));
    store.publish(feedback_topic(store.options.store, "exit-2"), feedback_at(ahead, now + 2 * kDay));
    store.publish(feedback_topic(store.options.store, "exit-3"), feedback_at(right, now));

    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback") == 3; }, 10'000));
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE clock_suspect = 1") == 2);
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE clock_suspect = 1 AND id = '" + right + "'") == 0);
    // The device's time is kept as it said it; the figures count them when they came.
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE id = '" + behind + "' AND ts = " +
                           std::to_string(now - 40 * kDay)) == 1);
    // The kiosks may let go of them.
    for (const char* kiosk : {"exit-1", "exit-2"})
        CHECK(store.probe.wait_for([&](const MqttMessage& m) { return m.topic == receipt_topic(store.options.store, kiosk); },
                                   10'000));
    // Today's figures hold all three.
    auto today = store.probe.wait_for(
        [&](const MqttMessage& m) {
            if (m.topic != stats_topic(store.options.store, "today")) return false;
            auto j = nlohmann::json::parse(m.payload, nullptr, false);
            return !j.is_discarded() && j["totals"].value("responses", 0) == 3;
        },
        20'000);
    INFO(store.controller->log_text());
    CHECK(today);
}

TEST_CASE("a response stamped before 2000 or after 2100 is refused as a clock never set, naming the field") {
    StoreFixture store;
    std::mt19937_64 rng(12);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_at(make_uuid_v7(wall_clock_ms(), rng), 1000));
    REQUIRE(wait_until([&] { return store.controller->log_text().find("ts: before 2000-01-01") != std::string::npos; },
                       10'000));
    CHECK(store.count_rows("SELECT count(*) FROM feedback") == 0);
    CHECK(store.controller->running());
}
