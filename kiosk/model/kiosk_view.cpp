#include "model/kiosk_view.hpp"

#include "model/kiosk_update.hpp"

namespace storeq::kiosk {
namespace {

std::string prompt_title(const Prompt& prompt) {
    const std::string till = std::to_string(prompt.till);
    switch (prompt.action) {
        case PromptAction::open_till: return "Please open till " + till;
        case PromptAction::balance: return "Till " + till + " is free";
        case PromptAction::close_till: return "Till " + till + " can close";
        case PromptAction::all_tills_open: return "All tills are open";
    }
    return "Prompt";
}

// Our locale, else English, else whatever the controller sent.
std::string prompt_message(const Prompt& prompt, const std::string& locale) {
    if (auto it = prompt.message.find(locale); it != prompt.message.end()) return it->second;
    if (auto it = prompt.message.find("en"); it != prompt.message.end()) return it->second;
    if (!prompt.message.empty()) return prompt.message.begin()->second;
    return {};
}

PromptView make_prompt_view(const Prompt& prompt, const KioskState& state, const KioskConfig& config) {
    PromptView view;
    view.id = prompt.id;
    view.title = prompt_title(prompt);
    view.message = prompt_message(prompt, config.locale);
    view.claimed_by = prompt.claimed_by;
    view.claim_sent = state.claims_sent.contains(prompt.id);
    // Only a call to open a till is somebody's job to take; the others inform.
    view.can_claim = prompt.action == PromptAction::open_till && !prompt.claimed_by && !view.claim_sent;
    view.level = prompt.level;
    return view;
}

}  // namespace

FeedbackView make_feedback_view(const KioskState& state, const KioskConfig& config) {
    FeedbackView view;
    view.question = "How was your visit today?";
    view.face_count = max_score(config.scale) + 1;
    view.thank_you = state.feedback_phase == FeedbackPhase::thank_you;
    view.thank_you_title = "Thank you!";
    view.thank_you_detail = state.last_score && *state.last_score * 2 < view.face_count
                                ? "We are sorry. We will do better."
                                : "Have a nice day.";
    return view;
}

LaneView make_lane_view(const KioskState& state, const KioskConfig& config) {
    LaneView view;
    view.till = config.till;
    view.open = state.lane_open;
    view.count = state.queue_count;
    view.waiting = state.queue_count > 0 ? state.queue_count - 1 : 0;
    view.broker_connected = state.broker_connected;
    const Prompt* call = call_for_this_till(state, config);
    for (const auto& prompt : state.prompts) {
        if (&prompt == call)
            view.call = make_prompt_view(prompt, state, config);
        else
            view.banners.push_back(make_prompt_view(prompt, state, config));
    }
    return view;
}

}  // namespace storeq::kiosk
