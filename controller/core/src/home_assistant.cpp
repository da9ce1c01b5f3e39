#include "storeq/controller/home_assistant.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storeq/stats_columns.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
using Json = nlohmann::ordered_json;

// An entity whose state is one field of a document storeq publishes. A figure that is null
// (nothing under it yet) renders as "None", which Home Assistant shows as unknown.
struct Entity {
    const char* component;  // sensor or binary_sensor
    std::string object_id;
    std::string name;
    std::string state_topic;
    std::string value_template;
    const char* unit = nullptr;          // sensors
    const char* device_class = nullptr;  // binary_sensor: opening
    const char* icon = nullptr;
};

Json device_of(std::string_view store, std::string_view version) {
    return Json{{"identifiers", Json::array({home_assistant_node_id(store)})},
                {"name", "storeq " + std::string(store)},
                {"manufacturer", "storeq"},
                {"model", "store controller"},
                {"sw_version", std::string(version)}};
}

DiscoveryMessage message_for(const Entity& e, std::string_view store, std::string_view version) {
    const std::string node = home_assistant_node_id(store);
    Json doc{{"name", e.name},
             {"unique_id", node + "_" + e.object_id},
             {"state_topic", e.state_topic},
             {"value_template", e.value_template}};
    if (std::string_view(e.component) == "sensor") doc["state_class"] = "measurement";
    if (e.unit) doc["unit_of_measurement"] = e.unit;
    if (e.device_class) doc["device_class"] = e.device_class;
    if (e.icon) doc["icon"] = e.icon;
    // The controller's retained status, with its last-will: every entity is unavailable
    // while the controller is away (the figures it last published are stale then).
    doc["availability_topic"] = status_topic(store, "controller");
    doc["availability_template"] = "{{ 'online' if value_json.online else 'offline' }}";
    doc["qos"] = 1;
    doc["device"] = device_of(store, version);
    return {std::string(kHomeAssistantPrefix) + "/" + e.component + "/" + node + "/" + e.object_id + "/config",
            doc.dump(), true};
}
}  // namespace

std::string home_assistant_status_topic() { return std::string(kHomeAssistantPrefix) + "/status"; }

std::string home_assistant_node_id(std::string_view store) { return "storeq_" + std::string(store); }

std::string home_assistant_config_pattern(std::string_view store) {
    return std::string(kHomeAssistantPrefix) + "/+/" + home_assistant_node_id(store) + "/+/config";
}

std::vector<DiscoveryMessage> home_assistant_discovery(const Config& config, std::string_view store,
                                                       std::string_view version) {
    std::vector<int> tills = config.tills;
    std::sort(tills.begin(), tills.end());
    std::vector<Entity> entities;
    for (int till : tills) {
        const std::string n = std::to_string(till);
        // lane/{n}/wait: the controller's count of people waiting (the one paying not
        // counted), published when it changes at an open lane with a count it trusts.
        entities.push_back({"sensor", "lane_" + n + "_waiting", "Till " + n + " waiting", wait_topic(store, till),
                            "{{ value_json.waiting }}", "customers", nullptr, "mdi:human-queue"});
        entities.push_back({"binary_sensor", "lane_" + n + "_open", "Till " + n + " open", lane_state_topic(store, till),
                            "{{ 'ON' if value_json.open else 'OFF' }}", nullptr, "opening", "mdi:cash-register"});
    }
    // stats/today's store row, by the column names its producer and readers share.
    auto today_figure = [](std::string_view column) { return "{{ value_json.totals." + std::string(column) + " }}"; };
    const std::string status = status_topic(store, "controller");
    const std::string today = stats_topic(store, "today");
    // The controller's last-will status carries no live_prompts: unknown, not an error.
    entities.push_back({"sensor", "live_prompts", "Live prompts", status,
                        "{{ value_json.live_prompts if value_json.live_prompts is defined else none }}", "prompts",
                        nullptr, "mdi:bell-ring"});
    entities.push_back({"sensor", "happy_index", "Happy Index today", today, today_figure(stats_column::happy_index),
                        "points", nullptr, "mdi:emoticon-happy-outline"});
    entities.push_back({"sensor", "nps", "NPS today", today, today_figure(stats_column::nps), "points", nullptr,
                        "mdi:account-heart-outline"});
    entities.push_back({"sensor", "one_in_front", "One-in-Front today", today, today_figure(stats_column::compliance_pct),
                        "%", nullptr, "mdi:account-check-outline"});
    std::vector<DiscoveryMessage> out;
    out.reserve(entities.size());
    for (const auto& e : entities) out.push_back(message_for(e, store, version));
    return out;
}

}  // namespace storeq::controller
