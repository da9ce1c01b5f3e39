// Home Assistant MQTT discovery documents (home_assistant.hpp) checked against Home
// Assistant's documented schema: the discovery topic's shape, the fields each component
// accepts and their types, and that every value_template reads a field the producer of its
// state topic really writes.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "storeq/codec.hpp"
#include "storeq/controller/home_assistant.hpp"
#include "storeq/stats_columns.hpp"
#include "storeq/topics.hpp"

using namespace storeq;
using namespace storeq::controller;
using Json = nlohmann::json;

namespace {
// Configuration variables of Home Assistant's MQTT sensor and binary sensor (the
// integrations' pages, MQTT discovery section): a key outside these is not one HA reads.
const std::set<std::string> kCommonKeys{
    "availability", "availability_mode", "availability_template", "availability_topic", "device", "device_class",
    "enabled_by_default", "encoding", "entity_category", "entity_picture", "expire_after", "force_update", "icon",
    "json_attributes_template", "json_attributes_topic", "name", "object_id", "default_entity_id",
    "payload_available", "payload_not_available", "platform", "qos", "state_topic", "unique_id", "value_template",
    "origin"};
const std::set<std::string> kSensorOnly{"last_reset_value_template", "options", "state_class",
                                        "suggested_display_precision", "unit_of_measurement"};
const std::set<std::string> kBinarySensorOnly{"off_delay", "payload_off", "payload_on"};
const std::set<std::string> kDeviceKeys{"configuration_url", "connections", "hw_version", "identifiers",
                                        "manufacturer", "model", "model_id", "name", "serial_number",
                                        "suggested_area", "sw_version", "via_device"};
// Binary sensor device classes (binary_sensor integration page); a sensor's state classes.
const std::set<std::string> kBinaryDeviceClasses{"battery", "battery_charging", "carbon_monoxide", "cold",
    "connectivity", "door", "garage_door", "gas", "heat", "light", "lock", "moisture", "motion", "moving",
    "occupancy", "opening", "plug", "power", "presence", "problem", "running", "safety", "smoke", "sound",
    "tamper", "update", "vibration", "window"};
const std::set<std::string> kStateClasses{"measurement", "total", "total_increasing"};

Config store_config() {
    Config config;
    config.tills = {3, 1, 2};
    config.home_assistant = true;
    return config;
}

// The JSON path a template like "{{ value_json.totals.nps }}" reads.
std::vector<std::string> template_path(const std::string& value_template) {
    static const std::regex field(R"(value_json((\.[a-z_]+)+))");
    std::smatch match;
    REQUIRE(std::regex_search(value_template, match, field));
    std::vector<std::string> path;
    const std::string dotted = match[1].str();
    std::size_t at = 1;
    while (at <= dotted.size()) {
        const auto next = std::min(dotted.find('.', at), dotted.size());
        path.push_back(dotted.substr(at, next - at));
        at = next + 1;
    }
    return path;
}

bool has_path(const Json& doc, const std::vector<std::string>& path) {
    const Json* at = &doc;
    for (const auto& key : path) {
        if (!at->is_object() || !at->contains(key)) return false;
        at = &(*at)[key];
    }
    return true;
}
}  // namespace

TEST_CASE("Home Assistant discovery: two entities per till and four for the store, under the store's node") {
    const auto messages = home_assistant_discovery(store_config(), "s1", "0.1.0");
    REQUIRE(messages.size() == 3 * 2 + 4);
    // homeassistant/<component>/<node_id>/<object_id>/config, ids of [a-zA-Z0-9_-].
    const std::regex topic(R"(homeassistant/(sensor|binary_sensor)/storeq_s1/[a-zA-Z0-9_-]+/config)");
    std::set<std::string> topics, unique_ids;
    for (const auto& m : messages) {
        INFO(m.topic);
        CHECK(std::regex_match(m.topic, topic));
        CHECK(m.retained);
        topics.insert(m.topic);
        unique_ids.insert(Json::parse(m.payload).at("unique_id").get<std::string>());
    }
    CHECK(topics.size() == messages.size());
    CHECK(unique_ids.size() == messages.size());
    CHECK(messages[0].topic == "homeassistant/sensor/storeq_s1/lane_1_waiting/config");
    CHECK(messages[1].topic == "homeassistant/binary_sensor/storeq_s1/lane_1_open/config");
    CHECK(messages[4].topic == "homeassistant/sensor/storeq_s1/lane_3_waiting/config");
    // Another store's documents never share an id or a topic with this one's.
    for (const auto& m : home_assistant_discovery(store_config(), "s2", "0.1.0")) {
        CHECK(topics.count(m.topic) == 0);
        CHECK(unique_ids.count(Json::parse(m.payload).at("unique_id").get<std::string>()) == 0);
    }
}

TEST_CASE("Home Assistant discovery: every field is one Home Assistant documents, of its type") {
    for (const auto& m : home_assistant_discovery(store_config(), "s1", "0.1.0")) {
        INFO(m.topic << " " << m.payload);
        const Json doc = Json::parse(m.payload);
        REQUIRE(doc.is_object());
        const bool sensor = m.topic.rfind("homeassistant/sensor/", 0) == 0;
        for (const auto& [key, value] : doc.items()) {
            INFO(key);
            CHECK((kCommonKeys.count(key) || (sensor ? kSensorOnly : kBinarySensorOnly).count(key)));
        }
        for (const char* key : {"name", "unique_id", "state_topic", "value_template", "availability_topic",
                                "availability_template"})
            CHECK(doc.at(key).is_string());
        CHECK(doc.at("qos").is_number_integer());
        CHECK(doc.at("qos").get<int>() == 1);
        // The availability is the controller's retained status with its last-will.
        CHECK(doc.at("availability_topic") == "storeq/v1/s1/device/controller/status");
        const Json& device = doc.at("device");
        REQUIRE(device.is_object());
        for (const auto& [key, value] : device.items()) {
            INFO(key);
            CHECK(kDeviceKeys.count(key));
        }
        CHECK(device.at("identifiers") == Json::array({"storeq_s1"}));
        CHECK(device.at("name") == "storeq s1");
        CHECK(device.at("sw_version") == "0.1.0");
        if (sensor) {
            CHECK(doc.at("state_class") == "measurement");
            CHECK(kStateClasses.count(doc.at("state_class").get<std::string>()));
            CHECK(doc.at("unit_of_measurement").is_string());
        } else {
            CHECK_FALSE(doc.contains("state_class"));  // a binary sensor has none
            CHECK(kBinaryDeviceClasses.count(doc.at("device_class").get<std::string>()));
        }
    }
}

TEST_CASE("Home Assistant discovery: each template reads a field its state topic's producer writes") {
    // What storeq publishes on each state topic, encoded by the producers' own code.
    const TimeMs now = 1'763'806'530'123;
    Status status;
    status.online = true;
    status.kind = DeviceKind::controller;
    status.version = "0.1.0";
    status.ts = now;
    status.live_prompts = 2;
    Json today = {{"ts", now}, {"totals", Json::object()}};
    for (auto column : stats_column::all) today["totals"][std::string(column)] = nullptr;
    std::map<std::string, Json> published{
        {wait_topic("s1", 2), Json::parse(encode(WaitEstimate{2, 3, 4, now}))},
        {lane_state_topic("s1", 2), Json::parse(encode(LaneState{true, now, "anna"}))},
        {status_topic("s1", "controller"), Json::parse(encode(status))},
        {stats_topic("s1", "today"), today},
    };
    int checked = 0;
    for (const auto& m : home_assistant_discovery(store_config(), "s1", "0.1.0")) {
        const Json doc = Json::parse(m.payload);
        const std::string state_topic = doc.at("state_topic");
        if (state_topic.find("/lane/1/") != std::string::npos || state_topic.find("/lane/3/") != std::string::npos)
            continue;  // the same shape as lane 2's
        INFO(m.topic << " reads " << state_topic);
        REQUIRE(published.count(state_topic));
        CHECK(has_path(published.at(state_topic), template_path(doc.at("value_template"))));
        CHECK(has_path(published.at(status_topic("s1", "controller")), template_path(doc.at("availability_template"))));
        ++checked;
    }
    CHECK(checked == 2 + 4);
}

TEST_CASE("Home Assistant discovery: the broker ACL pattern covers exactly the store's config topics") {
    CHECK(home_assistant_config_pattern("s1") == "homeassistant/+/storeq_s1/+/config");
    CHECK(home_assistant_status_topic() == "homeassistant/status");
}

TEST_CASE("home_assistant and metrics_listen: off by default, checked when set") {
    auto plain = parse_config("tills = 1-2\n");
    REQUIRE(plain);
    CHECK_FALSE(plain->home_assistant);
    CHECK(plain->metrics_listen.empty());
    auto on = parse_config("tills = 1-2\nhome_assistant = on\nmetrics_listen = 127.0.0.1:9464\n");
    REQUIRE(on);
    CHECK(on->home_assistant);
    CHECK(on->metrics_listen == "127.0.0.1:9464");
    CHECK(parse_config("tills = 1-2\nmetrics_listen = off\n")->metrics_listen.empty());
    CHECK(parse_config("tills = 1-2\nhome_assistant = yes\n").error().to_string() ==
          "home_assistant (line 2): must be on or off");
    for (const char* bad : {"9464", "localhost:9464", "127.0.0.1", "::1:9464", "[127.0.0.1]:9464"}) {
        INFO(bad);
        CHECK(parse_config("tills = 1-2\nmetrics_listen = " + std::string(bad) + "\n").error().what ==
              "must be off or an IP address and port like 127.0.0.1:9464 or [::1]:9464");
    }
    CHECK(parse_config("tills = 1-2\nmetrics_listen = [::1]:9464\n")->metrics_listen == "[::1]:9464");
    CHECK(parse_config("tills = 1-2\nmetrics_listen = 0.0.0.0:9464\n")->metrics_listen == "0.0.0.0:9464");
    CHECK(parse_config("tills = 1-2\nmetrics_listen = 127.0.0.1:70000\n").error().what ==
          "port out of range 1..65535");
}
