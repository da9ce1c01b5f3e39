// home_assistant = on against a real broker and the real controller: the discovery
// documents are there, retained, for a Home Assistant that connects later; when they are
// gone from the broker (a broker that lost its retained messages), Home Assistant's
// "online" brings them back. The entities' state topics carry what their templates read.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
std::set<std::string> config_topics(const std::vector<MqttMessage>& messages) {
    std::set<std::string> topics;
    for (const auto& m : messages)
        if (!m.payload.empty() && m.topic.size() > 7 && m.topic.substr(m.topic.size() - 7) == "/config") topics.insert(m.topic);
    return topics;
}
}  // namespace

TEST_CASE("home_assistant = on: discovery documents are retained and published again when Home Assistant is online",
          "[home-assistant]") {
    StoreFixtureOptions options;
    options.store = "s1";
    options.tills = "1-2";
    options.config_text = "tills = 1-2\nhome_assistant = on\n";
    StoreFixture store(options);
    const std::size_t expected = 2 * 2 + 4;  // waiting and open per till; prompts, Happy Index, NPS, One-in-Front

    // Home Assistant connecting after the controller finds every document, retained.
    REQUIRE(wait_until([&] { return config_topics(store.retained_now("homeassistant/#")).size() == expected; }, 15'000));
    const auto shown = store.retained_now("homeassistant/#");
    for (const auto& m : shown) {
        INFO(m.topic);
        CHECK(m.retained);
        const auto doc = nlohmann::json::parse(m.payload);
        CHECK(doc.at("availability_topic") == "storeq/v1/s1/device/controller/status");
        CHECK(doc.at("device").at("identifiers") == nlohmann::json::array({"storeq_s1"}));
    }
    CHECK(config_topics(shown).count("homeassistant/binary_sensor/storeq_s1/lane_2_open/config") == 1);

    // The waiting sensor's state topic: till 1 open with 3 in the lane is 2 waiting.
    store.publish(store.topic_root() + "lane/1/state", lane_open_payload(true), true);
    store.publish(store.topic_root() + "lane/1/queue", count_payload(3, 1), true);
    auto wait = store.probe.wait_for(
        [&](const MqttMessage& m) {
            return m.topic == store.topic_root() + "lane/1/wait" && nlohmann::json::parse(m.payload).value("waiting", -1) == 2;
        },
        10'000);
    CHECK(wait.has_value());

    // The broker loses them (cleared here by hand, as a broker without persistence would
    // after a restart). Home Assistant's last-will ("offline") changes nothing ...
    // Cleared until the broker holds none: a clean-clone CI run once found documents there
    // right after one clearing (a start-up publish that came late), which is not what this
    // test is about.
    REQUIRE(wait_until([&] {
        for (const auto& topic : config_topics(shown)) store.publish(topic, "", true);
        return config_topics(store.retained_now("homeassistant/#")).empty();
    }, 10'000));
    store.publish("homeassistant/status", "offline");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(config_topics(store.retained_now("homeassistant/#")).empty());
    // ... its birth message ("online", after it restarted) brings every document back.
    store.publish("homeassistant/status", "online");
    CHECK(wait_until([&] { return config_topics(store.retained_now("homeassistant/#")).size() == expected; }, 10'000));
    CHECK(store.controller->log_text().find("discovery documents published") != std::string::npos);
}

TEST_CASE("home_assistant off (the default): nothing is published under homeassistant/", "[home-assistant]") {
    StoreFixtureOptions options;
    options.store = "s1";
    options.tills = "1-2";
    StoreFixture store(options);
    store.publish("homeassistant/status", "online");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(store.retained_now("homeassistant/#").empty());
}
