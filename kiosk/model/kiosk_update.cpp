#include "model/kiosk_update.hpp"

#include <algorithm>

#include "model/overloaded.hpp"
#include "model/update_parts.hpp"

namespace storeq::kiosk {
namespace {

using namespace detail;

auto find_prompt(std::vector<Prompt>& prompts, const std::string& id) {
    return std::find_if(prompts.begin(), prompts.end(), [&](const Prompt& p) { return p.id == id; });
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

// Who is told to stand down: a lane display for its own till, a handheld for any call to
// open a till, now or soon (its wearer may be on the way).
bool concerns_us(const Prompt& prompt, const KioskConfig& config) {
    if (prompt.action != PromptAction::open_till && prompt.action != PromptAction::prepare_till) return false;
    if (config.role == Role::lane) return prompt.till == config.till;
    return config.role == Role::staff;
}

void prompt_updated(UpdateResult& r, const Prompt& prompt, const KioskConfig& config, TimeMs now) {
    auto& s = r.state;
    auto it = find_prompt(s.prompts, prompt.id);
    if (prompt.claimed_by) s.claims_sent.erase(prompt.id);
    if (is_final(prompt.state)) {
        const bool was_live = it != s.prompts.end();
        if (was_live) s.prompts.erase(it);
        s.claims_sent.erase(prompt.id);
        const bool already_noticed = std::any_of(s.stand_downs.begin(), s.stand_downs.end(),
                                                 [&](const StandDownNotice& n) { return n.prompt_id == prompt.id; });
        if (prompt.state == PromptState::cancelled && concerns_us(prompt, config) && !already_noticed)
            s.stand_downs.push_back(
                StandDownNotice{prompt.id, prompt.till, prompt.claimed_by, now + config.stand_down_notice_ms,
                                prompt.action == PromptAction::prepare_till});
    } else if (it != s.prompts.end()) {
        *it = prompt;
    } else {
        s.prompts.push_back(prompt);
    }
}

// A retained document may arrive again after a reconnect: an older one never replaces a newer.
template <class Doc>
void keep_newer(std::optional<Doc>& slot, const Doc& doc) {
    if (slot && doc.ts < slot->ts) return;
    slot = doc;
}

void stats_received(KioskState& s, const StatsDocument& document) {
    std::visit(Overloaded{
                   [&](const StatsToday& d) { keep_newer(s.stats.today, d); },
                   [&](const StatsHourly& d) { keep_newer(s.stats.hourly, d); },
                   [&](const StatsDaily& d) { keep_newer(s.stats.daily, d); },
                   [&](const StatsLanes& d) { keep_newer(s.stats.lanes, d); },
               },
               document);
}

void expire_notices(KioskState& s, TimeMs now) {
    std::erase_if(s.stand_downs, [&](const StandDownNotice& n) { return now >= n.until; });
}

void record_error(KioskState& s, const ErrorReported& e) {
    s.recent_errors.push_back(RecentError{e.ts, e.text});
    if (s.recent_errors.size() > kMaxRecentErrors)
        s.recent_errors.erase(s.recent_errors.begin(),
                              s.recent_errors.end() - static_cast<std::ptrdiff_t>(kMaxRecentErrors));
}

}  // namespace

UpdateResult update(KioskState state, const Intent& intent, const KioskConfig& config, TimeMs now,
                    const std::string& new_event_id) {
    UpdateResult r{std::move(state), {}};
    // While the service screen or its PIN pad is up, only its own controls count.
    const bool service_up = r.state.service != ServicePhase::closed;
    std::visit(Overloaded{
                   [&](const TapFace& tap) { if (!service_up) tap_face(r, tap.score, config, now, new_event_id); },
                   [&](const ReasonPressed& p) { if (!service_up) pick_reason(r, p.code, config, now); },
                   [&](const SkipPressed&) { if (!service_up) skip_follow_up(r, config, now); },
                   [&](const LanguagePressed& p) { if (!service_up) choose_language(r, p.locale, config); },
                   [&](const LaneOpenPressed&) { if (!service_up) set_lane_open(r, true, config, now); },
                   [&](const LaneClosePressed&) { if (!service_up) set_lane_open(r, false, config, now); },
                   [&](const QueueIncrementPressed&) { if (!service_up) change_queue(r, +1, config, now); },
                   [&](const QueueDecrementPressed&) { if (!service_up) change_queue(r, -1, config, now); },
                   [&](const ClaimPressed& c) { if (!service_up) claim(r, c.prompt_id, config, now); },
                   [&](const ServiceCornerDown&) { corner_down(r, now); },
                   [&](const ServiceCornerUp&) { corner_up(r, config, now); },
                   [&](const PinDigitPressed& p) { pin_digit(r, p.digit, config, now); },
                   [&](const PinErasePressed&) { pin_erase(r, now, config); },
                   [&](const ServiceClosePressed&) { close_service(r); },
               },
               intent);
    return r;
}

UpdateResult update(KioskState state, const Event& event, const KioskConfig& config, TimeMs now) {
    UpdateResult r{std::move(state), {}};
    auto& s = r.state;
    std::visit(Overloaded{
                   [&](const Tick&) {
                       feedback_tick(r, config, now);
                       service_tick(r, config, now);
                       expire_notices(s, now);
                   },
                   [&](const PromptUpdated& e) { prompt_updated(r, e.prompt, config, now); },
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
                   [&](const WaitEstimateReceived& e) {
                       if (e.estimate.lane != config.till) return;
                       if (s.wait && e.estimate.ts < s.wait->ts) return;
                       s.wait = e.estimate;
                   },
                   [&](const BrokerConnectionChanged& e) { s.broker_connected = e.connected; },
                   [&](const OutboxBacklogChanged& e) { s.outbox_backlog = e.backlog; },
                   [&](const ErrorReported& e) { record_error(s, e); },
                   [&](const StatsReceived& e) {
                       if (config.role == Role::manager) stats_received(s, e.document);
                   },
                   // The last one received wins, without comparing times: the
                   // controller's offline last-will carries no time of its own.
                   [&](const ControllerStatusReceived& e) {
                       if (config.role == Role::manager) s.controller_status = e.status;
                   },
                   [&](const ForecastReceived& e) {
                       if (config.role != Role::manager) return;
                       if (s.stats.forecast && e.forecast.ts < s.stats.forecast->ts) return;
                       s.stats.forecast = e.forecast;
                   },
                   [&](const AlertReceived& e) {
                       if (config.role != Role::manager) return;
                       if (e.alert && e.alert->state != AlertState::closed) s.stats.alerts[e.alert_id] = *e.alert;
                       else s.stats.alerts.erase(e.alert_id);
                   },
               },
               event);
    return r;
}

std::optional<TimeMs> next_deadline(const KioskState& state, const KioskConfig& config) {
    std::optional<TimeMs> next = detail::feedback_deadline(state);
    auto consider = [&](std::optional<TimeMs> t) {
        if (t && (!next || *t < *next)) next = t;
    };
    consider(detail::service_deadline(state, config));
    for (const auto& notice : state.stand_downs) consider(notice.until);
    return next;
}

const Prompt* call_for_this_till(const KioskState& state, const KioskConfig& config) {
    if (config.role != Role::lane) return nullptr;
    for (const auto& prompt : state.prompts) {
        if (prompt.action == PromptAction::open_till && prompt.till == config.till && !is_final(prompt.state))
            return &prompt;
    }
    return nullptr;
}

}  // namespace storeq::kiosk
