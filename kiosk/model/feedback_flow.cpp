// The exit kiosk's flow: a face, perhaps a follow-up reason, a thank-you, the question again.
#include <algorithm>

#include "model/update_parts.hpp"

namespace storeq::kiosk::detail {
namespace {

const std::vector<std::string>& reasons_for(const KioskConfig& config, Scale scale, int score) {
    return is_positive_answer(scale, score) ? config.positive_reasons : config.negative_reasons;
}

std::string current_locale(const KioskState& state, const KioskConfig& config) {
    return state.locale.empty() ? config.locale : state.locale;
}

// The one place a finished answer leaves the model.
void publish_pending(UpdateResult& r, FollowUp ui, std::optional<std::string> reason) {
    if (!r.state.pending) return;
    Feedback feedback = std::move(*r.state.pending);
    r.state.pending.reset();
    feedback.ui = ui;
    feedback.reason = std::move(reason);
    r.commands.push_back(PublishFeedback{std::move(feedback)});
}

void show_thank_you(UpdateResult& r, const KioskConfig& config, TimeMs now) {
    r.state.feedback_phase = FeedbackPhase::thank_you;
    r.state.thank_you_until = now + config.thank_you_ms;
}

// Back to the question, in the store's language: the next shopper may not read the last one's.
void back_to_question(KioskState& state) {
    state.feedback_phase = FeedbackPhase::question;
    state.last_score.reset();
    state.locale.clear();
}

}  // namespace

void tap_face(UpdateResult& r, int score, const KioskConfig& config, TimeMs now, const std::string& new_event_id) {
    if (config.role != Role::feedback || score < 0 || score > max_score(config.scale)) return;
    // Faces are only on the question screen; a stale tap from another phase starts nothing.
    if (r.state.feedback_phase != FeedbackPhase::question) return;
    // Measured from the previous press of any kind, so that a child hammering the faces
    // keeps being flagged rather than scoring every fourth second.
    const bool misuse = r.state.last_press && now - *r.state.last_press < config.response_interval_ms;
    r.state.last_press = now;

    Feedback feedback;
    feedback.id = new_event_id;
    feedback.ts = now;
    feedback.scale = config.scale;
    feedback.score = score;
    feedback.ui = FollowUp::none;
    feedback.locale = current_locale(r.state, config);
    feedback.misuse = misuse;

    // A flagged press is recorded but starts no new flow (docs/design.md §3).
    if (misuse) {
        r.commands.push_back(PublishFeedback{std::move(feedback)});
        return;
    }
    r.state.last_score = score;
    if (reasons_for(config, config.scale, score).empty()) {
        r.commands.push_back(PublishFeedback{std::move(feedback)});
        show_thank_you(r, config, now);
        return;
    }
    // The answer waits for its reason; it is published once, complete.
    r.state.pending = std::move(feedback);
    r.state.feedback_phase = FeedbackPhase::follow_up;
    r.state.follow_up_until = now + config.follow_up_timeout_ms;
}

void pick_reason(UpdateResult& r, const std::string& code, const KioskConfig& config, TimeMs now) {
    if (r.state.feedback_phase != FeedbackPhase::follow_up || !r.state.pending) return;
    const auto& offered = reasons_for(config, r.state.pending->scale, r.state.pending->score);
    if (std::find(offered.begin(), offered.end(), code) == offered.end()) return;
    publish_pending(r, FollowUp::complete, code);
    show_thank_you(r, config, now);
}

void skip_follow_up(UpdateResult& r, const KioskConfig& config, TimeMs now) {
    if (r.state.feedback_phase != FeedbackPhase::follow_up) return;
    publish_pending(r, FollowUp::skip, std::nullopt);
    show_thank_you(r, config, now);
}

void choose_language(UpdateResult& r, const std::string& locale, const KioskConfig& config) {
    if (std::find(config.languages.begin(), config.languages.end(), locale) == config.languages.end()) return;
    r.state.locale = locale == config.locale ? std::string() : locale;
    // The pending answer records the language the shopper ended in.
    if (r.state.pending) r.state.pending->locale = locale;
}

void feedback_tick(UpdateResult& r, const KioskConfig& /*config*/, TimeMs now) {
    auto& s = r.state;
    if (s.feedback_phase == FeedbackPhase::follow_up && now >= s.follow_up_until) {
        // The shopper walked away: keep the answer, say so, and greet the next one.
        publish_pending(r, FollowUp::timeout, std::nullopt);
        back_to_question(s);
    } else if (s.feedback_phase == FeedbackPhase::thank_you && now >= s.thank_you_until) {
        back_to_question(s);
    }
}

std::optional<TimeMs> feedback_deadline(const KioskState& state) {
    if (state.feedback_phase == FeedbackPhase::thank_you) return state.thank_you_until;
    if (state.feedback_phase == FeedbackPhase::follow_up) return state.follow_up_until;
    return std::nullopt;
}

}  // namespace storeq::kiosk::detail
