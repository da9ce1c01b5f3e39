#include "model/kiosk_view.hpp"

#include <algorithm>
#include <cctype>

#include "model/kiosk_texts.hpp"
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
        case PromptAction::prepare_till: return "Get ready: till " + till + " soon";
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

StandDownView make_stand_down_view(const StandDownNotice& notice, const KioskConfig& config) {
    StandDownView view;
    view.prompt_id = notice.prompt_id;
    view.title = notice.claimed_by && *notice.claimed_by == config.device
                     ? "Stand down: you can go back"
                     : "Stand down: till " + std::to_string(notice.till) + " not needed";
    view.detail = notice.forecast ? "The forecast no longer needs this till. Back to other work."
                                  : "The queue cleared before the till opened. Back to other work.";
    view.was_mine = notice.claimed_by && *notice.claimed_by == config.device;
    return view;
}

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

PromptView make_prompt_view(const Prompt& prompt, const KioskState& state, const KioskConfig& config) {
    PromptView view;
    view.id = prompt.id;
    view.title = prompt_title(prompt);
    view.message = prompt_message(prompt, config.locale);
    view.claimed_by = prompt.claimed_by;
    view.claimed_by_me = prompt.claimed_by && *prompt.claimed_by == config.device;
    view.claim_sent = state.claims_sent.contains(prompt.id);
    // Only a call to open a till (now, or soon: the forecast's) is somebody's job to take;
    // the others inform.
    const bool opens_a_till = prompt.action == PromptAction::open_till || prompt.action == PromptAction::prepare_till;
    view.can_claim = opens_a_till && !prompt.claimed_by && !view.claim_sent;
    view.level = prompt.level;
    view.till = prompt.till;
    return view;
}

FeedbackView make_feedback_view(const KioskState& state, const KioskConfig& config) {
    FeedbackView view;
    const std::string locale = state.locale.empty() ? config.locale : state.locale;
    auto text = [&](std::string_view key) { return text_for(config, locale, key); };
    view.phase = state.feedback_phase;
    view.nps = config.scale == Scale::nps;
    view.face_count = max_score(config.scale) + 1;
    view.question = text(view.nps ? "question_nps" : "question");
    view.hint = text(view.nps ? "hint_numbers" : "hint_faces");
    view.low_label = text("nps_low");
    view.high_label = text("nps_high");
    for (const auto& code : config.languages)
        view.languages.push_back(LanguageButton{code, upper(code), code == locale});
    view.answered_score = state.last_score;
    view.low_reach = config.layout == LayoutKind::low_reach;
    const bool positive = state.last_score && is_positive_answer(config.scale, *state.last_score);
    if (state.feedback_phase == FeedbackPhase::follow_up) {
        view.follow_up_title = text(positive ? "follow_up_positive" : "follow_up_negative");
        const auto& codes = positive ? config.positive_reasons : config.negative_reasons;
        for (std::size_t i = 0; i < codes.size() && i < kMaxReasons; ++i)
            view.reasons.push_back(ReasonChip{codes[i], text("reason." + codes[i])});
        view.skip_label = text("skip");
    }
    view.thank_you = state.feedback_phase == FeedbackPhase::thank_you;
    view.thank_you_title = text("thank_you");
    view.thank_you_detail = text(state.last_score && !positive ? "thank_you_negative" : "thank_you_positive");
    return view;
}

LaneView make_lane_view(const KioskState& state, const KioskConfig& config) {
    LaneView view;
    view.till = config.till;
    view.open = state.lane_open;
    view.count = state.queue_count;
    view.waiting = state.queue_count > 0 ? state.queue_count - 1 : 0;
    if (state.wait) view.wait_minutes = state.wait->minutes;
    view.broker_connected = state.broker_connected;
    const Prompt* call = call_for_this_till(state, config);
    for (const auto& prompt : state.prompts) {
        if (&prompt == call)
            view.call = make_prompt_view(prompt, state, config);
        else
            view.banners.push_back(make_prompt_view(prompt, state, config));
    }
    if (!state.stand_downs.empty()) view.stand_down = make_stand_down_view(state.stand_downs.back(), config);
    return view;
}

StaffView make_staff_view(const KioskState& state, const KioskConfig& config) {
    StaffView view;
    view.device = config.device;
    view.broker_connected = state.broker_connected;
    for (const auto& prompt : state.prompts) view.prompts.push_back(make_prompt_view(prompt, state, config));
    // Jobs first (open a till), the highest level first among them; information after.
    std::stable_sort(view.prompts.begin(), view.prompts.end(), [](const PromptView& a, const PromptView& b) {
        const bool a_job = a.can_claim || a.claim_sent || a.claimed_by;
        const bool b_job = b.can_claim || b.claim_sent || b.claimed_by;
        if (a_job != b_job) return a_job;
        return a.level > b.level;
    });
    for (auto it = state.stand_downs.rbegin(); it != state.stand_downs.rend(); ++it)
        view.stand_downs.push_back(make_stand_down_view(*it, config));
    return view;
}

ServiceView make_service_view(const KioskState& state, const KioskConfig& config, const std::string& version,
                              const std::string& renderer) {
    ServiceView view;
    view.phase = state.service;
    view.pin_length = config.service_pin.size();
    view.pin_typed = state.pin_entry.size();
    view.pin_rejected = state.pin_rejected;
    view.facts = {
        {"Broker", state.broker_connected ? "connected" : "NOT connected (retrying)"},
        {"Outbox backlog", std::to_string(state.outbox_backlog) + " feedback(s) waiting"},
        {"Version", version},
        {"Device", config.device + " (" + std::string(to_string(config.role)) + ")"},
        {"Store", config.store},
        {"Renderer", renderer},
    };
    if (config.role == Role::lane) view.facts.emplace_back("Till", std::to_string(config.till));
    for (auto it = state.recent_errors.rbegin(); it != state.recent_errors.rend(); ++it) view.errors.push_back(it->text);
    return view;
}

}  // namespace storeq::kiosk
