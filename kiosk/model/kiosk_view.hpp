#pragma once
// What the screens show, worked out from the state without ImGui, so it can be tested.
#include <optional>
#include <string>
#include <vector>

#include "model/kiosk_config.hpp"
#include "model/kiosk_state.hpp"

namespace storeq::kiosk {

struct FeedbackView {
    std::string question;
    int face_count = 4;  // scores 0..face_count-1, 0 the most negative
    bool thank_you = false;
    std::string thank_you_title;
    std::string thank_you_detail;
};

struct PromptView {
    std::string id;
    std::string title;    // "Please open till 4"
    std::string message;  // the controller's text in our locale
    std::optional<std::string> claimed_by;
    bool claim_sent = false;  // we claimed; the controller has not confirmed yet
    bool can_claim = false;
    int level = 1;
};

struct LaneView {
    int till = 0;
    bool open = false;
    int count = 0;
    int waiting = 0;
    std::optional<PromptView> call;   // a prompt naming this till: shown full screen
    std::vector<PromptView> banners;  // every other live prompt
    bool broker_connected = false;
};

FeedbackView make_feedback_view(const KioskState& state, const KioskConfig& config);
LaneView make_lane_view(const KioskState& state, const KioskConfig& config);

}  // namespace storeq::kiosk
