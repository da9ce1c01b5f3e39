#pragma once
// Which broker accounts a store needs, and the mosquitto ACL that confines each one to
// the topics of protocol v1 it has a reason to use. Pure: no I/O.
#include <string>
#include <string_view>
#include <vector>

#include "storeq/controller/config.hpp"

namespace storeq::controller {

enum class DeviceRole { controller, manager, kiosk, lane_display, queue_sensor, handheld, door_sensor, home_assistant };

struct DeviceAccount {
    std::string username;  // also the device id in its status topic
    DeviceRole role = DeviceRole::kiosk;
    int lane = 0;          // lane_display, queue_sensor: the till it belongs to; door_sensor: its door
};

// controller, manager, exit-1..exit-K, lane-N and sensor-N per till, handheld-1..handheld-H,
// door-1..door-D (entrance sensors); with home_assistant = on, homeassistant (the store's
// Home Assistant logs in with it: it reads the discovery documents and the state topics
// they name, and announces itself on homeassistant/status).
std::vector<DeviceAccount> device_accounts(const Config& config);

// The controller takes feedback on a second broker session (controller_service.cpp), so
// that it can hold feedback while storage fails and go on prompting. The broker names
// each session by its account (use_username_as_clientid), so that session has an account
// of its own: this name, the controller's password, and read access to feedback only.
std::string feedback_session_username(std::string_view controller_username);
// With head_office = on, a third session sends the outbound log (outbound_sender.hpp): its
// account writes the store's hq/outbound and reads its hq/ack, nothing else.
std::string head_office_session_username(std::string_view controller_username);

// A mosquitto acl_file: every account limited to its store's topics (a device can never
// publish into another store) and, within it, to what its role does.
// With home_assistant = on the controller may also write its own discovery documents
// (homeassistant/+/storeq_{store}/+/config) and read homeassistant/status.
std::string acl_file_text(std::string_view store, const std::vector<DeviceAccount>& accounts,
                          bool head_office = false, bool home_assistant = false);

}  // namespace storeq::controller
