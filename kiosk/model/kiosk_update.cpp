#include "model/kiosk_update.hpp"

#include <algorithm>

#include "model/overloaded.hpp"

namespace storeq::kiosk {
namespace {

auto find_prompt(std::vector<Prompt>& prompts, const std::string& id) {
    return std::find_if(prompts.begin(), prompts.end(),
                        [&](const Prompt& p) { return p.id == id; });
}

void tap_face(UpdateResult& r, int score, const KioskConfig& config, TimeMs now,
              const std::string& new_event_id) {
    if (config.role != Role::feedback || score < 0 || score > max_score(config.scale)) return;
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
    feedback.locale = config.locale;
    feedback.misuse = misuse;
    r.commands.push_back(PublishFeedback{std::move(feedback)});

    // A flagged press is recorded but starts no new flow (DESIGN.md 3).
    if (misuse) return;
    r.state.feedback_phase = FeedbackPhase::thank_you;
    r.state.thank_you_until = now + config.thank_you_ms;
    r.state.last_score = score;
}

void set_lane_open(UpdateResult& r, bool open, const KioskConfig& config, TimeMs now) {
    if (config.role != Role::lane) return;
    r.state.lane_open = open;
    r.state.lane_ts = now;
    r.commands.push_back(PublishLaneState{config.till, LaneState{open, now, config.device}});
}

void change_queue(UpdateResult& r, int delta, const KioskConfig& config, TimeMs now) {
    if (config.role != Role::lane) return;
    const int count = std::clamp(r.state.queue_count + delta, 0, kMaxQueueCount);
    if (count == r.state.queue_count) return;
    r.state.queue_count = count;
    r.state.queue_ts = now;
    // Starting from the clock keeps seq increasing across a restart of this display, so
    // the controller never drops our first counts as older than our last ones.
    r.state.queue_seq = std::max(r.state.queue_seq + 1, static_cast<std::int64_t>(now));
    r.commands.push_back(PublishQueueCount{
        config.till, QueueCount{count, now, CountSource::manual, r.state.queue_seq}});
}

void claim(UpdateResult& r, const std::string& prompt_id, const KioskConfig& config, TimeMs now) {
    auto it = find_prompt(r.state.prompts, prompt_id);
    if (it == r.state.prompts.end() || it->claimed_by) return;  // gone, or someone was first
    if (!r.state.claims_sent.insert(prompt_id).second) return;  // a second tap sends nothing
    r.commands.push_back(PublishClaim{prompt_id, Claim{config.device, now, config.device}});
}

}  // namespace

UpdateResult update(KioskState state, const Intent& intent, const KioskConfig& config, TimeMs now,
                    const std::string& new_event_id) {
    UpdateResult r{std::move(state), {}};
    std::visit(Overloaded{
                   [&](const TapFace& tap) { tap_face(r, tap.score, config, now, new_event_id); },
                   [&](const LaneOpenPressed&) { set_lane_open(r, true, config, now); },
                   [&](const LaneClosePressed&) { set_lane_open(r, false, config, now); },
                   [&](const QueueIncrementPressed&) { change_queue(r, +1, config, now); },
                   [&](const QueueDecrementPressed&) { change_queue(r, -1, config, now); },
                   [&](const ClaimPressed& c) { claim(r, c.prompt_id, config, now); },
               },
               intent);
    return r;
}

UpdateResult update(KioskState state, const Event& event, const KioskConfig& /*config*/, TimeMs now) {
    UpdateResult r{std::move(state), {}};
    auto& s = r.state;
    std::visit(Overloaded{
                   [&](const Tick&) {
                       if (s.feedback_phase == FeedbackPhase::thank_you && now >= s.thank_you_until) {
                           s.feedback_phase = FeedbackPhase::question;
                           s.last_score.reset();
                       }
                   },
                   [&](const PromptUpdated& e) {
                       auto it = find_prompt(s.prompts, e.prompt.id);
                       if (e.prompt.claimed_by) s.claims_sent.erase(e.prompt.id);
                       if (is_final(e.prompt.state)) {
                           if (it != s.prompts.end()) s.prompts.erase(it);
                           s.claims_sent.erase(e.prompt.id);
                       } else if (it != s.prompts.end()) {
                           *it = e.prompt;
                       } else {
                           s.prompts.push_back(e.prompt);
                       }
                   },
                   [&](const PromptCleared& e) {
                       auto it = find_prompt(s.prompts, e.prompt_id);
                       if (it != s.prompts.end()) s.prompts.erase(it);
                       s.claims_sent.erase(e.prompt_id);
                   },
                   // Only newer samples win: the broker echoes our own retained publishes
                   // back, possibly after a later press.
                   [&](const QueueCountReceived& e) {
                       if (e.count.ts <= s.queue_ts) return;
                       s.queue_count = std::clamp(e.count.count, 0, kMaxQueueCount);
                       s.queue_ts = e.count.ts;
                   },
                   [&](const LaneStateReceived& e) {
                       if (e.state.ts <= s.lane_ts) return;
                       s.lane_open = e.state.open;
                       s.lane_ts = e.state.ts;
                   },
                   [&](const BrokerConnectionChanged& e) { s.broker_connected = e.connected; },
               },
               event);
    return r;
}

std::optional<TimeMs> next_deadline(const KioskState& state) {
    if (state.feedback_phase == FeedbackPhase::thank_you) return state.thank_you_until;
    return std::nullopt;
}

const Prompt* call_for_this_till(const KioskState& state, const KioskConfig& config) {
    if (config.role != Role::lane) return nullptr;
    for (const auto& prompt : state.prompts) {
        if (prompt.action == PromptAction::open_till && prompt.till == config.till &&
            !is_final(prompt.state))
            return &prompt;
    }
    return nullptr;
}

}  // namespace storeq::kiosk
