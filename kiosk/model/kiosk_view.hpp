#pragma once
// What the screens show, worked out from the state without ImGui, so it can be tested.
#include <optional>
#include <string>
#include <vector>

#include "model/kiosk_config.hpp"
#include "model/kiosk_state.hpp"

namespace storeq::kiosk {

struct LanguageButton {
    std::string locale;
    std::string label;  // "NL"
    bool selected = false;
};

struct ReasonChip {
    std::string code;
    std::string label;
};

struct FeedbackView {
    FeedbackPhase phase = FeedbackPhase::question;
    bool nps = false;    // numbered buttons 0..10 instead of faces
    int face_count = 4;  // scores 0..face_count-1, 0 the most negative
    std::string question;
    std::string hint;
    std::string low_label, high_label;  // NPS end labels
    std::vector<LanguageButton> languages;
    // Follow-up.
    std::string follow_up_title;
    std::vector<ReasonChip> reasons;
    std::string skip_label;
    std::optional<int> answered_score;
    // Thank-you.
    bool thank_you = false;
    std::string thank_you_title;
    std::string thank_you_detail;
    bool low_reach = false;
};

struct PromptView {
    std::string id;
    std::string title;    // "Please open till 4"
    std::string message;  // the controller's text in our locale
    std::optional<std::string> claimed_by;
    bool claimed_by_me = false;
    bool claim_sent = false;  // we claimed; the controller has not confirmed yet
    bool can_claim = false;
    int level = 1;
    int till = 0;
};

struct StandDownView {
    std::string prompt_id;
    std::string title;   // "Stand down: till 4 is not needed"
    std::string detail;  // "The queue cleared. You can go back."
    bool was_mine = false;
};

struct LaneView {
    int till = 0;
    bool open = false;
    int count = 0;
    int waiting = 0;
    std::optional<int> wait_minutes;  // the controller's estimate, when it has one
    std::optional<PromptView> call;   // a prompt naming this till: shown full screen
    std::vector<PromptView> banners;  // every other live prompt
    std::optional<StandDownView> stand_down;
    bool broker_connected = false;
};

struct StaffView {
    std::string device;
    std::vector<PromptView> prompts;  // calls to open a till first, then the rest
    std::vector<StandDownView> stand_downs;
    bool broker_connected = false;
};

struct ServiceView {
    ServicePhase phase = ServicePhase::closed;
    std::size_t pin_length = 4;
    std::size_t pin_typed = 0;
    bool pin_rejected = false;
    std::vector<std::pair<std::string, std::string>> facts;  // label, value
    std::vector<std::string> errors;                          // newest first
};

FeedbackView make_feedback_view(const KioskState& state, const KioskConfig& config);
// One live prompt as the lane, staff and manager screens show it.
PromptView make_prompt_view(const Prompt& prompt, const KioskState& state, const KioskConfig& config);
LaneView make_lane_view(const KioskState& state, const KioskConfig& config);
StaffView make_staff_view(const KioskState& state, const KioskConfig& config);
// `version` and `renderer` come from the shell (the model knows neither).
ServiceView make_service_view(const KioskState& state, const KioskConfig& config, const std::string& version,
                              const std::string& renderer);

}  // namespace storeq::kiosk
