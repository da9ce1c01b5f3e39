#include "model/kiosk_config.hpp"

namespace storeq::kiosk {

std::optional<Role> parse_role(std::string_view text) {
    if (text == "feedback") return Role::feedback;
    if (text == "lane") return Role::lane;
    if (text == "staff") return Role::staff;
    if (text == "manager") return Role::manager;
    return std::nullopt;
}

std::string_view to_string(Role role) {
    switch (role) {
        case Role::feedback: return "feedback";
        case Role::lane: return "lane";
        case Role::staff: return "staff";
        case Role::manager: return "manager";
    }
    return "feedback";
}

bool is_positive_answer(Scale scale, int score) {
    // NPS: 0..6 are detractors; passives (7, 8) are asked what went well, like promoters.
    if (scale == Scale::nps) return score >= 7;
    // Smileys: the upper half; the middle face of five asks what to improve.
    return score * 2 > max_score(scale);
}

}  // namespace storeq::kiosk
