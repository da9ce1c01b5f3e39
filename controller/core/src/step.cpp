#include "storeq/controller/step.hpp"

#include <algorithm>
#include <random>

#include "storeq/controller/forecast_rule.hpp"
#include "storeq/controller/lane_count.hpp"
#include "storeq/ids.hpp"

namespace storeq::controller {
namespace {

struct Context {
    State& s;
    const Config& c;
    TimeMs now;
    std::vector<Command>& out;
};

CountView view_of(const Lane& lane) {
    return CountView{lane.open, lane.has_sample, lane.count, is_automatic(lane.source), lane.last_sample_at};
}
bool is_fresh(const Lane& lane, const Config& c, TimeMs now) { return is_count_fresh(view_of(lane), c, now); }
// The condition a breach needs (before dwell): one definition, in lane_count.hpp.
bool is_over_threshold(const Lane& lane, const Config& c, TimeMs now) {
    return controller::is_over_threshold(view_of(lane), c, now);
}

// An open lane whose count we cannot trust is never assumed empty.
bool is_unknown(const Lane& lane, const Config& c, TimeMs now) { return lane.open && !is_fresh(lane, c, now); }

int waiting_of(const Lane& lane) { return std::max(0, lane.count - 1); }

std::string new_prompt_id(State& s, TimeMs now) { return next_uuid_v7(s.id_seed, now); }

// A forecast prompt's lead is in `minutes`.
std::map<std::string, std::string> describe(PromptAction action, int till, int lane, int waiting, int minutes = 0) {
    const auto t = std::to_string(till), l = std::to_string(lane), w = std::to_string(waiting);
    switch (action) {
        case PromptAction::open_till:
            return {{"en", "Open till " + t + ": " + w + " customers waiting at till " + l},
                    {"nl", "Open kassa " + t + ": " + w + " klanten wachten bij kassa " + l}};
        case PromptAction::balance:
            return {{"en", "Till " + t + " is free: send customers from till " + l},
                    {"nl", "Kassa " + t + " is vrij: stuur klanten van kassa " + l}};
        case PromptAction::all_tills_open:
            return {{"en", "All tills are open and " + w + " customers wait at till " + l},
                    {"nl", "Alle kassa's zijn open en " + w + " klanten wachten bij kassa " + l}};
        case PromptAction::close_till:
            return {{"en", "Till " + t + " can close: nobody is waiting"},
                    {"nl", "Kassa " + t + " kan sluiten: niemand wacht"}};
        case PromptAction::prepare_till: {
            const auto m = std::to_string(minutes);
            return {{"en", "Till " + t + " will be needed in about " + m + " minutes"},
                    {"nl", "Kassa " + t + " is over ongeveer " + m + " minuten nodig"}};
        }
    }
    return {};
}

void publish(Context& ctx, const LivePrompt& live, std::string transition) {
    ctx.out.push_back(PublishPrompt{live.prompt, std::move(transition)});
}

void raise(Context& ctx, PromptAction action, int till, int level, int demand_lane, int lead_minutes = 0) {
    LivePrompt live;
    Prompt& p = live.prompt;
    p.id = new_prompt_id(ctx.s, ctx.now);
    p.action = action;
    p.till = till;
    p.level = level;
    p.state = PromptState::open;
    p.raised = p.updated = ctx.now;
    if (demand_lane != 0) {
        const Lane& lane = ctx.s.lanes.at(demand_lane);
        p.reason = PromptReason{demand_lane, lane.count, waiting_of(lane)};
    }
    p.message = describe(action, till, demand_lane, p.reason ? p.reason->waiting : 0, lead_minutes);
    live.demand_lane = demand_lane;
    publish(ctx, live, "raised");
    ctx.s.live.emplace(p.id, std::move(live));
}

// Ends a live prompt: publishes its final state and forgets it.
void finish(Context& ctx, const std::string& id, PromptState final_state, std::string transition) {
    auto it = ctx.s.live.find(id);
    if (it == ctx.s.live.end()) return;
    LivePrompt live = std::move(it->second);
    ctx.s.live.erase(it);
    live.prompt.state = final_state;
    live.prompt.updated = ctx.now;
    if (final_state == PromptState::fulfilled && live.prompt.action == PromptAction::open_till &&
        live.demand_lane != 0)
        ctx.s.lanes[live.demand_lane].settle_until = ctx.now + ctx.c.settle;
    publish(ctx, live, std::move(transition));
}

const LivePrompt* live_for_demand(const State& s, int lane, PromptAction action) {
    for (const auto& [id, live] : s.live)
        if (live.demand_lane == lane && live.prompt.action == action) return &live;
    return nullptr;
}

bool is_targeted(const State& s, int till) {
    for (const auto& [id, live] : s.live)
        if (live.prompt.action == PromptAction::open_till && live.prompt.till == till) return true;
    return false;
}

// --- inputs -------------------------------------------------------------------------

// `served` customers took `per_customer` ms each: into the lane's moving average.
void fold_service_time(Lane& lane, double per_customer, int served) {
    constexpr double kWeight = 0.2;  // recent customers count most; one odd one does not swing it
    lane.service_ms = lane.services_seen == 0 ? per_customer : (1 - kWeight) * lane.service_ms + kWeight * per_customer;
    lane.services_seen += served;
}

// A count falling by k at a lane that stayed busy means k customers were served since
// the last one left: one service-time sample each. Idle time is never counted.
void learn_service_time(Lane& lane, int new_count, TimeMs now) {
    const int served = lane.has_sample ? lane.count - new_count : 0;
    if (lane.open && served > 0 && lane.serving_since)
        fold_service_time(lane, static_cast<double>(now - *lane.serving_since) / served, served);
    if (new_count == 0 || !lane.open) lane.serving_since.reset();
    else if (served > 0 || !lane.serving_since) lane.serving_since = now;
}

// The lane an input names, or a Note that it is not a till of this store ("queue count").
Lane* till_named(Context& ctx, int number, const std::string& what) {
    auto it = ctx.s.lanes.find(number);
    if (it != ctx.s.lanes.end()) return &it->second;
    ctx.out.push_back(Note{what + " for a lane that is not a till",
                           what + " for lane " + std::to_string(number) + ", which is not a till of this store"});
    return nullptr;
}

void on_queue_count(Context& ctx, const QueueCountReceived& e) {
    Lane* found = till_named(ctx, e.lane, "queue count");
    if (!found) return;
    Lane& lane = *found;
    if (lane.order.is_older(e.sample)) {
        ++ctx.s.stale_samples;
        return;
    }
    learn_service_time(lane, e.sample.count, ctx.now);
    // Customers joining a line: the till arrivals the forecast learns its lag from.
    if (lane.has_sample && lane.open && e.sample.count > lane.count)
        count_till_arrivals(ctx.s.forecast, e.sample.count - lane.count);
    lane.count = e.sample.count;
    lane.has_sample = true;
    lane.source = e.sample.source;
    lane.last_sample_at = ctx.now;
    lane.order.take(e.sample);
}

// The live prompt of `action` for this till, or else the oldest of that action.
const LivePrompt* prompt_for_opening(const State& s, PromptAction action, int till) {
    const LivePrompt* chosen = nullptr;
    for (const auto& [id, live] : s.live) {
        if (live.prompt.action != action) continue;
        if (live.prompt.till == till) return &live;
        if (!chosen || live.prompt.raised < chosen->prompt.raised) chosen = &live;
    }
    return chosen;
}

void on_till_opened(Context& ctx, int till) {
    // The prompted till opening fulfils its prompt; any other closed till opening fulfils
    // the oldest open_till prompt instead (the store did what was asked, with another till).
    // A prepare_till for this till is fulfilled as well; without an open_till to fulfil,
    // the opening fulfils the oldest prepare_till.
    const LivePrompt* chosen = prompt_for_opening(ctx.s, PromptAction::open_till, till);
    const bool repaired = chosen != nullptr;
    if (chosen) finish(ctx, chosen->prompt.id, PromptState::fulfilled, "fulfilled");
    const LivePrompt* prepared = prompt_for_opening(ctx.s, PromptAction::prepare_till, till);
    if (prepared && (!repaired || prepared->prompt.till == till))
        finish(ctx, prepared->prompt.id, PromptState::fulfilled, "fulfilled");
}

void on_door_count(Context& ctx, const DoorCountReceived& e) {
    count_door_entries(ctx.s.forecast, e.count.people, ctx.now);
}

// A POS count over an interval the lane was busy throughout is a service time: the
// interval over the customers served. Idle stretches would make it too long, so only
// wholly busy intervals teach it (docs/forecast.md).
void on_served(Context& ctx, const ServedReceived& e) {
    Lane* lane = till_named(ctx, e.lane, "served count");
    if (!lane) return;
    const bool busy_throughout = lane->open && lane->serving_since && *lane->serving_since <= ctx.now - e.served.interval;
    if (!busy_throughout || e.served.served <= 0) return;
    fold_service_time(*lane, static_cast<double>(e.served.interval) / e.served.served, e.served.served);
}

void on_till_closed(Context& ctx, int till) {
    for (const auto& [id, live] : ctx.s.live) {
        if (live.prompt.action == PromptAction::close_till && live.prompt.till == till) {
            finish(ctx, id, PromptState::fulfilled, "fulfilled");
            return;
        }
    }
}

void on_alert_answer(Context& ctx, const AlertAnswerReceived& e) {
    auto outcome = answer_alert(ctx.s.alerts, e.alert_id, e.account, e.answer, ctx.now);
    if (outcome.change) ctx.out.push_back(PublishAlert{std::move(outcome.change->alert), outcome.change->transition});
    else ctx.out.push_back(Note{"alert answer refused", outcome.refused});
}

void on_lane_state(Context& ctx, const LaneStateReceived& e) {
    Lane* found = till_named(ctx, e.lane, "lane state");
    if (!found) return;
    Lane& lane = *found;
    if (lane.open == e.lane_state.open) return;
    lane.open = e.lane_state.open;
    if (lane.open && lane.count > 0) lane.serving_since = ctx.now;
    else lane.serving_since.reset();
    if (lane.open) on_till_opened(ctx, e.lane);
    else on_till_closed(ctx, e.lane);
}

void on_claim(Context& ctx, const ClaimReceived& e) {
    auto it = ctx.s.live.find(e.prompt_id);
    if (it == ctx.s.live.end()) {
        ctx.out.push_back(Note{"claim for a prompt that is not live", "claim by " + e.claim.by + " for prompt " + e.prompt_id + ", which is not live"});
        return;
    }
    LivePrompt& live = it->second;
    if (live.prompt.state != PromptState::open) {
        ctx.out.push_back(Note{"claim for a prompt already claimed", "claim by " + e.claim.by + " for prompt " + e.prompt_id + ": already claimed by " +
                               live.prompt.claimed_by.value_or("?")});
        return;
    }
    live.prompt.state = PromptState::claimed;
    live.prompt.claimed_by = e.claim.by;
    live.prompt.updated = ctx.now;
    live.claimed_at = ctx.now;
    publish(ctx, live, "claimed");
}

// --- the rule, evaluated after every event --------------------------------------------

void track_breaches(Context& ctx) {
    if (!ctx.s.breaches.watched_from) ctx.s.breaches.watched_from = ctx.now;
    for (auto& [number, lane] : ctx.s.lanes) {
        if (!is_over_threshold(lane, ctx.c, ctx.now)) {
            // A run that lasted past dwell was a breach: remembered with its end.
            if (lane.over_since && ctx.now >= breach_start(*lane.over_since, ctx.c))
                remember_breach(ctx.s.breaches, {breach_start(*lane.over_since, ctx.c), ctx.now});
            lane.over_since.reset();
        } else if (!lane.over_since) {
            lane.over_since = ctx.now;
        }
    }
}

// A prompt's demand is gone when its lane is under the threshold (or closed). A lane we
// cannot see any more is not taken as cleared.
bool demand_present(const Context& ctx, const LivePrompt& live) {
    const Lane& lane = ctx.s.lanes.at(live.demand_lane);
    return is_over_threshold(lane, ctx.c, ctx.now) || is_unknown(lane, ctx.c, ctx.now);
}

bool anyone_waiting(const Context& ctx) {
    for (const auto& [number, lane] : ctx.s.lanes)
        if (lane.open && (is_unknown(lane, ctx.c, ctx.now) || waiting_of(lane) > 0)) return true;
    return false;
}

// --- the forecast (forecast_rule.hpp, docs/forecast.md) ----------------------------------

// A forecast this old is not acted on: the door counts stopped.
constexpr TimeMs kForecastFresh = 5 * 60'000;
// The forecast must say "short" this long before a prepare_till, and "enough" this long
// before one stands down: minute-by-minute noise neither raises nor drops a prompt.
constexpr TimeMs kPrepareDwell = 2 * 60'000;
constexpr TimeMs kPrepareStandDown = 3 * 60'000;

int open_till_count(const State& s) {
    int n = 0;
    for (const auto& [number, lane] : s.lanes) n += lane.open ? 1 : 0;
    return n;
}

bool forecast_usable(const Context& ctx) {
    const auto& f = ctx.s.forecast;
    return f.last && f.last->prompts && ctx.now - f.last->ts <= kForecastFresh;
}

// Tills the latest forecast needs at lead_time, at forecast_target plus `margin`.
int needed_soon(const Context& ctx, double margin = 0) {
    return needed_at_lead(*ctx.s.forecast.last, ctx.c, ctx.c.forecast_target + margin);
}

// Whether a live prompt asks for a till to be opened, now or soon.
bool asks_for_a_till(const LivePrompt& live) {
    return live.prompt.action == PromptAction::open_till || live.prompt.action == PromptAction::prepare_till;
}

void forecast_tills(Context& ctx) {
    auto& f = ctx.s.forecast;
    const auto finished = finish_minutes(f, ctx.c, ctx.now);
    if (finished.empty()) return;
    // The service time the rule uses, over the open tills (all tills when none is open).
    const int open_tills = open_till_count(ctx.s);
    double total_ms = 0;
    int counted = 0;
    for (const auto& [number, lane] : ctx.s.lanes) {
        if (!lane.open && open_tills > 0) continue;
        total_ms += static_cast<double>(service_time_of(lane, ctx.c));
        ++counted;
    }
    const double service_s = counted ? total_ms / counted / 1000.0 : static_cast<double>(ctx.c.service_time) / 1000.0;
    f.last = make_forecast(f, ForecastInputs{open_tills, service_s}, ctx.c, ctx.now);
    for (const auto& minute : finished) {
        const TimeMs hour_start = local_hour_start(ctx.c.zone, minute.minute_start);
        const int local_hour = local_time(ctx.c.zone, minute.minute_start).hour;
        tally_minute(f, hour_start, local_hour, f.last->open_tills, f.last->needed_now);
        ctx.out.push_back(RecordMinute{minute, hour_start, local_hour, f.last->open_tills, f.last->needed_now});
    }
    f.last->hours = hours_today(f, ctx.c, ctx.now);
    ctx.out.push_back(PublishForecast{*f.last});
}

bool is_prepared(const State& s, int till) {
    for (const auto& [id, live] : s.live)
        if (asks_for_a_till(live) && live.prompt.till == till) return true;
    return false;
}

// Raises a prepare_till when the forecast needs more tills at lead_time than are open or
// already asked for, and has said so for kPrepareDwell. One till at a time.
void prepare_tills(Context& ctx) {
    auto& f = ctx.s.forecast;
    int asked = 0;
    for (const auto& [id, live] : ctx.s.live) asked += asks_for_a_till(live) ? 1 : 0;
    const bool short_of_tills = forecast_usable(ctx) && needed_soon(ctx) > open_till_count(ctx.s) + asked;
    if (!short_of_tills) {
        f.short_since.reset();
        return;
    }
    if (!f.short_since) f.short_since = ctx.now;
    if (ctx.now - *f.short_since < kPrepareDwell) return;
    for (int till : ctx.c.tills) {
        if (ctx.s.lanes.at(till).open || is_prepared(ctx.s, till)) continue;
        raise(ctx, PromptAction::prepare_till, till, 1, 0, static_cast<int>((ctx.c.lead_time + 30'000) / 60'000));
        f.short_since = ctx.now;  // the next one needs the forecast to stay short again
        return;
    }
}

void advance_live_prompts(Context& ctx) {
    std::vector<std::string> ids;
    for (const auto& [id, live] : ctx.s.live) ids.push_back(id);
    for (const auto& id : ids) {
        LivePrompt& live = ctx.s.live.at(id);
        Prompt& p = live.prompt;
        if (p.action == PromptAction::close_till) {
            if (anyone_waiting(ctx)) finish(ctx, id, PromptState::cancelled, "cancelled");
            continue;
        }
        if (p.action == PromptAction::prepare_till) {
            // Stood down when the forecast clearly no longer needs the till (even at a
            // stricter target the open tills suffice), or stopped coming.
            const bool clearly_enough =
                !forecast_usable(ctx) || needed_soon(ctx, kStandDownMargin) <= open_till_count(ctx.s);
            if (clearly_enough) {
                if (!live.clear_since) live.clear_since = ctx.now;
                if (ctx.now - *live.clear_since >= kPrepareStandDown) finish(ctx, id, PromptState::cancelled, "cancelled");
            } else {
                live.clear_since.reset();
            }
            continue;
        }
        if (live.demand_lane != 0 && !demand_present(ctx, live)) {
            if (!live.clear_since) live.clear_since = ctx.now;
            if (ctx.now - *live.clear_since >= ctx.c.clear_dwell) {
                // A balance prompt that worked (customers moved) is fulfilled.
                const bool balanced = p.action == PromptAction::balance;
                finish(ctx, id, balanced ? PromptState::fulfilled : PromptState::cancelled,
                       balanced ? "fulfilled" : "cancelled");
                continue;
            }
        } else {
            live.clear_since.reset();
        }
        if (p.action == PromptAction::balance && ctx.now - p.raised >= ctx.c.balance_grace) {
            finish(ctx, id, PromptState::expired, "expired");
            continue;
        }
        if (p.action == PromptAction::open_till && p.level == 1) {
            const bool unclaimed_too_long = p.state == PromptState::open && ctx.now - p.raised >= ctx.c.claim_timeout;
            const bool unopened_too_long = p.state == PromptState::claimed && live.claimed_at &&
                                           ctx.now - *live.claimed_at >= ctx.c.open_timeout;
            if (unclaimed_too_long || unopened_too_long) {
                p.level = 2;
                p.updated = ctx.now;
                publish(ctx, live, "escalated");
            }
        }
    }
}

std::optional<int> next_closed_till(const Context& ctx) {
    for (int till : ctx.c.tills)
        if (!ctx.s.lanes.at(till).open && !is_targeted(ctx.s, till)) return till;
    return std::nullopt;
}

std::optional<int> free_open_lane(const Context& ctx, int except) {
    for (int till : ctx.c.tills) {
        const Lane& lane = ctx.s.lanes.at(till);
        if (till != except && lane.open && is_fresh(lane, ctx.c, ctx.now) && waiting_of(lane) == 0) return till;
    }
    return std::nullopt;
}

bool all_tills_open(const Context& ctx) {
    return std::all_of(ctx.s.lanes.begin(), ctx.s.lanes.end(), [](const auto& kv) { return kv.second.open; });
}

void raise_for_breaches(Context& ctx) {
    for (int number : ctx.c.tills) {
        Lane& lane = ctx.s.lanes.at(number);
        if (!is_breaching(lane, ctx.c, ctx.now)) continue;
        if (lane.settle_until && ctx.now < *lane.settle_until) continue;
        if (live_for_demand(ctx.s, number, PromptAction::open_till) ||
            live_for_demand(ctx.s, number, PromptAction::all_tills_open) ||
            live_for_demand(ctx.s, number, PromptAction::balance))
            continue;
        // Balance first: a free open till is quicker than opening a new one. Tried once
        // per breach; lane.balance_tried_at remembers it.
        if (!lane.balance_tried_at || *lane.balance_tried_at < *lane.over_since) {
            if (auto free_lane = free_open_lane(ctx, number)) {
                lane.balance_tried_at = ctx.now;
                raise(ctx, PromptAction::balance, *free_lane, 1, number);
                continue;
            }
        }
        if (auto till = next_closed_till(ctx)) {
            raise(ctx, PromptAction::open_till, *till, 1, number);
        } else if (all_tills_open(ctx) &&
                   (!ctx.s.last_all_tills_open || ctx.now - *ctx.s.last_all_tills_open >= ctx.c.cooldown)) {
            ctx.s.last_all_tills_open = ctx.now;
            raise(ctx, PromptAction::all_tills_open, 0, 2, number);
        }
    }
}

void suggest_closing(Context& ctx) {
    const int open_lanes = open_till_count(ctx.s);
    const bool idle = open_lanes >= 2 && !anyone_waiting(ctx);
    if (!idle) {
        ctx.s.idle_since.reset();
        return;
    }
    if (!ctx.s.idle_since) ctx.s.idle_since = ctx.now;
    if (ctx.now - *ctx.s.idle_since < ctx.c.idle_close) return;
    // Held back while the forecast says the tills open now may be needed soon (at the
    // stricter stand-down target: a prepared till is not closed on the next minute's dip).
    if (forecast_usable(ctx) && needed_soon(ctx, kStandDownMargin) >= open_lanes) return;
    for (const auto& [id, live] : ctx.s.live)
        if (live.prompt.action == PromptAction::close_till) return;
    // Close the till opened last in the store's order.
    for (auto it = ctx.c.tills.rbegin(); it != ctx.c.tills.rend(); ++it) {
        if (ctx.s.lanes.at(*it).open) {
            raise(ctx, PromptAction::close_till, *it, 1, 0);
            ctx.s.idle_since = ctx.now;  // the next suggestion needs another idle period
            return;
        }
    }
}

// Publishes a lane's estimate when what a shopper would read on the display changes.
void estimate_waits(Context& ctx) {
    for (auto& [number, lane] : ctx.s.lanes) {
        if (!lane.open || !is_fresh(lane, ctx.c, ctx.now)) continue;
        const int waiting = waiting_of(lane);
        const TimeMs wait_ms = waiting * service_time_of(lane, ctx.c);
        // Rounded up: the store promises a little less than it expects to deliver.
        const int minutes = static_cast<int>((wait_ms + 59'999) / 60'000);
        if (lane.published_wait && lane.published_wait->waiting == waiting && lane.published_wait->minutes == minutes)
            continue;
        lane.published_wait = WaitEstimate{number, waiting, minutes, ctx.now};
        ctx.out.push_back(PublishWait{*lane.published_wait});
    }
}

// The alert rules (alerts.hpp) after the rule: they read the lanes as it left them.
void watch_alerts(Context& ctx) {
    std::vector<LaneWatch> lanes;
    lanes.reserve(ctx.s.lanes.size());
    for (const auto& [number, lane] : ctx.s.lanes) {
        const bool breaching = is_breaching(lane, ctx.c, ctx.now);
        lanes.push_back(LaneWatch{number, lane.open, is_fresh(lane, ctx.c, ctx.now), breaching,
                                  breaching ? std::optional(breach_start(*lane.over_since, ctx.c)) : std::nullopt});
    }
    for (auto& change : evaluate_alerts(ctx.s.alerts, lanes, ctx.c, ctx.now, ctx.s.id_seed))
        ctx.out.push_back(PublishAlert{std::move(change.alert), std::move(change.transition)});
}

}  // namespace

bool is_count_known(const Lane& lane, const Config& config, TimeMs now) { return is_fresh(lane, config, now); }

TimeMs service_time_of(const Lane& lane, const Config& config) {
    return lane.services_seen >= kServicesBeforeLearned ? static_cast<TimeMs>(lane.service_ms) : config.service_time;
}

bool is_breaching(const Lane& lane, const Config& config, TimeMs now) {
    return is_breach(view_of(lane), lane.over_since, config, now);
}

std::optional<bool> queued_in_breach(const State& state, TimeMs at, TimeMs now, const Config& config) {
    const BreachMemory& m = state.breaches;
    if (!m.watched_from) return std::nullopt;
    at = std::min(at, now);
    if (at < std::max(*m.watched_from, m.forgotten_until) + config.exit_lag) return std::nullopt;
    for (const auto& [number, lane] : state.lanes)
        if (is_breaching(lane, config, now) && breach_start(*lane.over_since, config) <= at) return true;
    // By end, newest last: the first one ended before at - exit_lag closes the search.
    for (auto it = m.ended.rbegin(); it != m.ended.rend() && it->end >= at - config.exit_lag; ++it)
        if (it->start <= at) return true;
    return false;
}

State initial_state(const Config& config, std::uint64_t id_seed) {
    State s;
    for (int till : config.tills) s.lanes[till] = Lane{};
    s.id_seed = id_seed;
    return s;
}

StepResult step(State state, const Event& event, const Config& config, TimeMs now) {
    StepResult result;
    now = std::max(now, state.now);  // time never runs backwards inside the core
    state.now = now;
    Context ctx{state, config, now, result.commands};
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, QueueCountReceived>) on_queue_count(ctx, e);
            else if constexpr (std::is_same_v<E, LaneStateReceived>) on_lane_state(ctx, e);
            else if constexpr (std::is_same_v<E, ClaimReceived>) on_claim(ctx, e);
            else if constexpr (std::is_same_v<E, DoorCountReceived>) on_door_count(ctx, e);
            else if constexpr (std::is_same_v<E, ServedReceived>) on_served(ctx, e);
            else if constexpr (std::is_same_v<E, FeedbackTaken>) take_response(ctx.s.alerts, e.feedback, e.counted_at, ctx.now);
            else if constexpr (std::is_same_v<E, KioskStatusReceived>) take_kiosk_status(ctx.s.alerts, e.kiosk, e.status, ctx.now);
            else if constexpr (std::is_same_v<E, AlertAnswerReceived>) on_alert_answer(ctx, e);
            else if constexpr (std::is_same_v<E, HeadOfficeSeen>) take_head_office(ctx.s.alerts, e.waiting, e.ack_moved, ctx.now);
        },
        event);
    track_breaches(ctx);
    advance_live_prompts(ctx);
    raise_for_breaches(ctx);
    forecast_tills(ctx);
    prepare_tills(ctx);
    suggest_closing(ctx);
    estimate_waits(ctx);
    watch_alerts(ctx);
    result.state = std::move(state);
    return result;
}

}  // namespace storeq::controller
