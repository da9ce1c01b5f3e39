#pragma once
// What a kiosk is told at start-up: its role, where it stands and how long its screens last.
#include <optional>
#include <string>
#include <string_view>

#include "storeq/protocol.hpp"

namespace storeq::kiosk {

enum class Role { feedback, lane };

std::optional<Role> parse_role(std::string_view text);
std::string_view to_string(Role role);

struct KioskConfig {
    Role role = Role::feedback;
    std::string store;
    std::string device;  // this kiosk's id: the feedback topic's {kiosk}, claims' `by`/`device`
    int till = 0;        // lane role: the till this display stands at (1..999)
    Scale scale = Scale::smiley4;
    std::string locale = "en";
    TimeMs thank_you_ms = 3000;
    // A press this soon after the previous one is kept but flagged `misuse` (DESIGN.md 3).
    TimeMs response_interval_ms = 4000;
};

}  // namespace storeq::kiosk
