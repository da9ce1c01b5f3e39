#include "device_accounts.hpp"

#include "storeq/chain/outbound.hpp"
#include "storeq/controller/home_assistant.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {

struct Rule {
    const char* access;  // read, write or readwrite
    std::string topic;
};

std::vector<Rule> rules_for(std::string_view store, const DeviceAccount& account) {
    const std::string root = store_root(store);
    const std::string own_status = status_topic(store, account.username);
    const std::string controller_status = status_topic(store, "controller");
    // Every device keeps its own retained status (and last-will) and reads it back after
    // a restart; most want to know whether the controller is there.
    std::vector<Rule> rules{{"readwrite", own_status}};
    switch (account.role) {
        case DeviceRole::controller:
            return {{"readwrite", root + "#"}};
        case DeviceRole::manager:  // dashboards read everything; they change only alerts
            rules.push_back({"read", root + "#"});
            // Acknowledge or close an alert, as itself (docs/alerts.md).
            rules.push_back({"write", alert_answer_topic(store, "+", account.username)});
            return rules;
        case DeviceRole::kiosk:
            rules.push_back({"write", feedback_topic(store, account.username)});
            // Its own receipts only (another kiosk's would let it drop rows it still needs),
            // and the controller's durable notice.
            rules.push_back({"read", receipt_topic(store, account.username)});
            rules.push_back({"read", durable_topic(store)});
            rules.push_back({"read", controller_status});
            return rules;
        case DeviceRole::lane_display:
            // Retained count and state are read back: a restarted display carries on.
            rules.push_back({"readwrite", queue_topic(store, account.lane)});
            rules.push_back({"readwrite", lane_state_topic(store, account.lane)});
            rules.push_back({"read", wait_topic(store, account.lane)});
            rules.push_back({"read", prompt_topic(store, "+")});
            // Claims only as itself: the account is the claim topic's last level.
            rules.push_back({"write", claim_topic(store, "+", account.username)});
            rules.push_back({"read", controller_status});
            return rules;
        case DeviceRole::queue_sensor:
            rules.push_back({"readwrite", queue_topic(store, account.lane)});
            // The till's POS feed, where it has one: customers served (docs/forecast.md).
            rules.push_back({"write", served_topic(store, account.lane)});
            return rules;
        case DeviceRole::door_sensor:
            rules.push_back({"write", door_topic(store, account.lane)});
            return rules;
        case DeviceRole::home_assistant:
            // Its discovery subscription (homeassistant/#) and its birth and last-will
            // messages; then the state topics the discovery documents name, nothing more.
            rules.push_back({"read", std::string(kHomeAssistantPrefix) + "/#"});
            rules.push_back({"write", home_assistant_status_topic()});
            rules.push_back({"read", root + "lane/+/wait"});
            rules.push_back({"read", root + "lane/+/state"});
            rules.push_back({"read", stats_topic(store, "today")});
            rules.push_back({"read", controller_status});
            return rules;
        case DeviceRole::handheld:
            rules.push_back({"read", prompt_topic(store, "+")});
            rules.push_back({"write", claim_topic(store, "+", account.username)});
            rules.push_back({"read", root + "lane/+/wait"});
            rules.push_back({"read", controller_status});
            // Level 2 alerts reach the staff page; staff acknowledge them as themselves.
            rules.push_back({"read", alert_topic(store, "+")});
            rules.push_back({"write", alert_answer_topic(store, "+", account.username)});
            return rules;
    }
    return rules;
}

}  // namespace

std::string feedback_session_username(std::string_view controller_username) {
    return std::string(controller_username) + "-feedback";
}

std::string head_office_session_username(std::string_view controller_username) {
    return std::string(controller_username) + "-hq";
}

std::vector<DeviceAccount> device_accounts(const Config& config) {
    std::vector<DeviceAccount> accounts{{"controller", DeviceRole::controller, 0}, {"manager", DeviceRole::manager, 0}};
    for (int m = 2; m <= config.managers; ++m) accounts.push_back({"manager-" + std::to_string(m), DeviceRole::manager, 0});
    for (int k = 1; k <= config.kiosks; ++k) accounts.push_back({"exit-" + std::to_string(k), DeviceRole::kiosk, 0});
    for (int till : config.tills) {
        accounts.push_back({"lane-" + std::to_string(till), DeviceRole::lane_display, till});
        accounts.push_back({"sensor-" + std::to_string(till), DeviceRole::queue_sensor, till});
    }
    for (int h = 1; h <= config.handhelds; ++h)
        accounts.push_back({"handheld-" + std::to_string(h), DeviceRole::handheld, 0});
    for (int d = 1; d <= config.doors; ++d) accounts.push_back({"door-" + std::to_string(d), DeviceRole::door_sensor, d});
    if (config.home_assistant) accounts.push_back({"homeassistant", DeviceRole::home_assistant, 0});
    return accounts;
}

std::string acl_file_text(std::string_view store, const std::vector<DeviceAccount>& accounts, bool head_office,
                          bool home_assistant) {
    std::string text =
        "# mosquitto acl_file for store " + std::string(store) +
        ", made by storeq-controller provision.\n"
        "# Anything not granted here is refused. Unauthorised publishes from MQTT 3.1.1 clients\n"
        "# are dropped silently by the broker (the client still gets its PUBACK).\n";
    for (const auto& account : accounts) {
        text += "\nuser " + account.username + "\n";
        for (const auto& rule : rules_for(store, account)) text += "topic " + std::string(rule.access) + " " + rule.topic + "\n";
        if (account.role == DeviceRole::controller && home_assistant) {
            // Its own discovery documents only (never another device's), and Home
            // Assistant's announcement that it is online (they are published again then).
            text += "topic write " + home_assistant_config_pattern(store) + "\n";
            text += "topic read " + home_assistant_status_topic() + "\n";
        }
        if (account.role == DeviceRole::controller) {
            text += "\nuser " + feedback_session_username(account.username) + "\n";
            text += "topic read " + feedback_topic(store, "+") + "\n";
            text += "topic read " + clock_topic(store) + "\n";
            if (head_office) {
                text += "\nuser " + head_office_session_username(account.username) + "\n";
                text += "topic write " + chain::outbound_topic(store) + "\n";
                text += "topic read " + chain::ack_topic(store) + "\n";
            }
        }
    }
    return text;
}

}  // namespace storeq::controller
