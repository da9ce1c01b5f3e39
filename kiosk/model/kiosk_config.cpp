#include "model/kiosk_config.hpp"

namespace storeq::kiosk {

std::optional<Role> parse_role(std::string_view text) {
    if (text == "feedback") return Role::feedback;
    if (text == "lane") return Role::lane;
    return std::nullopt;
}

std::string_view to_string(Role role) {
    switch (role) {
        case Role::feedback: return "feedback";
        case Role::lane: return "lane";
    }
    return "feedback";
}

}  // namespace storeq::kiosk
