#pragma once
// Home Assistant MQTT discovery (home_assistant = on, docs/integrations.md): the retained
// config documents that make a store's lanes and figures appear in Home Assistant as one
// device. Every entity reads a topic storeq already publishes (lane/{n}/wait,
// lane/{n}/state, stats/today, the controller's status): no state topic of its own.
// Pure: configuration and store in, messages out; the shell publishes them at connect and
// whenever Home Assistant says it is online (its birth message on homeassistant/status).
#include <string>
#include <string_view>
#include <vector>

#include "storeq/controller/config.hpp"

namespace storeq::controller {

struct DiscoveryMessage {
    std::string topic;    // homeassistant/{component}/storeq_{store}/{object_id}/config
    std::string payload;  // the config document, JSON
    bool retained = true;
};

// Home Assistant's default discovery prefix, and where it announces itself ("online" once
// it has (re)started and subscribed: everything must be published again then).
inline constexpr std::string_view kHomeAssistantPrefix = "homeassistant";
std::string home_assistant_status_topic();  // homeassistant/status
inline constexpr std::string_view kHomeAssistantOnline = "online";

// The discovery node of a store: storeq_{store}. Its configs are the only topics under
// homeassistant/ the controller may write: the broker's ACL pattern below (device_accounts.cpp).
std::string home_assistant_node_id(std::string_view store);
std::string home_assistant_config_pattern(std::string_view store);  // homeassistant/+/storeq_{store}/+/config

// Per till (in till order): people waiting (sensor) and open/closed (binary_sensor). Per
// store: live prompts, today's Happy Index, NPS and One-in-Front compliance (sensors).
std::vector<DiscoveryMessage> home_assistant_discovery(const Config& config, std::string_view store,
                                                       std::string_view version);

}  // namespace storeq::controller
