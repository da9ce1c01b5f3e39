#include "store_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "day_shape.hpp"
#include "storeq/ids.hpp"

namespace storeq::sim {
namespace {

std::string staff_name(int staff) { return "staff-" + std::to_string(staff); }
std::string handheld_name(int staff) { return "sim-handheld-" + std::to_string(staff); }

}  // namespace

std::array<double, 4> face_chances(TimeMs over_one_in_front, double best_face_drop) {
    std::array<double, 4> chances = kBaseFaceChances;
    const double minutes = static_cast<double>(over_one_in_front) / 60'000.0;
    const double best = std::max(0.0, kBaseFaceChances[3] - best_face_drop * minutes);
    const double others = 1.0 - kBaseFaceChances[3];
    for (std::size_t i = 0; i < 3; ++i) chances[i] = kBaseFaceChances[i] * (1.0 - best) / others;
    chances[3] = best;
    return chances;
}

StoreModel::StoreModel(StoreSettings settings, TimeMs start, std::uint64_t seed)
    : settings_(std::move(settings)), rng_(seed), shopper_rng_(seed ^ 0x9e3779b97f4a7c15ULL), now_(start),
      accounted_to_(start),
      // Seeded from the start time (or the shell's wall clock), so a restarted simulator's
      // samples are never taken for older ones (the controller drops a seq at or below
      // the last it saw).
      next_seq_(settings_.first_seq ? settings_.first_seq : start) {
    for (std::size_t i = 0; i < settings_.tills.size(); ++i) {
        Lane lane;
        lane.number = settings_.tills[i];
        lane.open = static_cast<int>(i) < settings_.open_at_start;
        lanes_.push_back(lane);
    }
}

std::vector<StoreEvent> StoreModel::advance(TimeMs now) {
    now = std::max(now, now_);
    if (!started_) start(now);
    while (auto due = next_due()) {
        if (*due > now) break;
        account_until(*due);
        publish_door(*due);  // the door's intervals that ended before this happens
        run_next(*due);
    }
    account_until(now);
    now_ = now;
    publish_door(now);
    publish_counts(now);
    std::vector<StoreEvent> events;
    events.swap(out_);
    return events;
}

void StoreModel::start(TimeMs now) {
    started_ = true;
    now_ = now;
    // The run starts at a busy moment: shoppers already queue at the open tills.
    for (int i = 0; i < settings_.initial_queue; ++i) {
        stats_.arrived++;
        if (Lane* shortest = shortest_open_lane()) join(*shortest, Shopper{now, std::nullopt, std::nullopt, std::nullopt, std::nullopt}, now);
        else stats_.turned_away++;
    }
    // Counts before states: the controller then never sees an open lane without a count.
    publish_counts(now);
    for (const Lane& lane : lanes_) out_.push_back(LaneStatePublished{lane.number, LaneState{lane.open, now, "sim"}});
    if (settings_.doors) {
        interval_start_ = now - now % settings_.doors->count_interval;
        if (settings_.arrivals_per_minute > 0) next_entry_ = now + exponential_ms(1.0 / max_door_rate_per_ms());
    } else if (settings_.arrivals_per_minute > 0) {
        next_arrival_ = now + exponential_ms(60'000.0 / settings_.arrivals_per_minute);
    }
}

// A day's level varies a little (weather, paydays): log-normal, clamped so the thinning
// bound below holds.
constexpr double kMaxDayLevel = 1.5;
double StoreModel::max_door_rate_per_ms() const {
    return settings_.arrivals_per_minute / 60'000.0 * (settings_.doors->day_shape ? kMaxDayShape * kMaxDayLevel : 1.0);
}

double StoreModel::door_rate_per_ms(TimeMs at) {
    const DoorSettings& doors = *settings_.doors;
    const double base = settings_.arrivals_per_minute / 60'000.0;
    if (!doors.day_shape) return base;
    const TimeMs local = at + static_cast<TimeMs>(doors.utc_offset_s) * 1000;
    const TimeMs day = local / 86'400'000;
    auto level = day_level_.find(day);
    if (level == day_level_.end()) {
        const double drawn = std::exp(std::normal_distribution<double>(0, doors.day_noise)(shopper_rng_));
        level = day_level_.emplace(day, std::clamp(drawn, 1 / kMaxDayLevel, kMaxDayLevel)).first;
    }
    return base * day_shape(local) * level->second;
}

// A door entry candidate at `at` (a Poisson process at the highest rate, thinned to the
// day's rate): a shopper comes in, and most reach the tills a shopping trip later.
void StoreModel::enter(TimeMs at) {
    auto& rng = shopper_rng_;
    auto uniform = [&rng] { return std::uniform_real_distribution<double>(0, 1)(rng); };
    const double max_rate = max_door_rate_per_ms();
    next_entry_ = at + std::max<TimeMs>(1, static_cast<TimeMs>(std::exponential_distribution<double>(max_rate)(rng)));
    if (uniform() >= door_rate_per_ms(at) / max_rate) return;
    stats_.entered++;
    entered_in_interval_++;
    const DoorSettings& doors = *settings_.doors;
    if (uniform() >= doors.buyer_share) return;
    constexpr double kShape = 4;  // a gamma: most trips near the mean, a tail of long ones
    const double minutes = std::gamma_distribution<double>(kShape, doors.shopping_minutes / kShape)(rng);
    const double service = std::exponential_distribution<double>(1.0 / (settings_.mean_service_s * 1000.0))(rng);
    to_tills_.push_back(OnTheWay{at + std::max<TimeMs>(1, static_cast<TimeMs>(minutes * 60'000)),
                                 std::max<TimeMs>(1, static_cast<TimeMs>(service))});
    std::push_heap(to_tills_.begin(), to_tills_.end(), std::greater<>());
}

void StoreModel::publish_door(TimeMs now) {
    if (!settings_.doors || !started_) return;
    const DoorSettings& doors = *settings_.doors;
    while (now >= interval_start_ + doors.count_interval) {
        const TimeMs end = interval_start_ + doors.count_interval;
        out_.push_back(DoorCountPublished{1, DoorCount{entered_in_interval_, doors.count_interval, end, next_seq_++}});
        if (doors.pos)
            for (Lane& lane : lanes_) {
                if (lane.open || lane.served_in_interval > 0)
                    out_.push_back(ServedPublished{lane.number, LaneServed{lane.served_in_interval, doors.count_interval, end, next_seq_++}});
                lane.served_in_interval = 0;
            }
        entered_in_interval_ = 0;
        interval_start_ = end;
    }
}

void StoreModel::account_until(TimeMs at) {
    if (at <= accounted_to_) return;
    const double span = static_cast<double>(at - accounted_to_);
    for (const Lane& lane : lanes_) {
        if (!lane.open) continue;
        stats_.open_ms += span;
        stats_.queued_ms += span * static_cast<double>(lane.shoppers.size());
    }
    accounted_to_ = at;
}

std::optional<TimeMs> StoreModel::next_due() const {
    std::optional<TimeMs> due;
    auto consider = [&](TimeMs t) {
        if (!due || t < *due) due = t;
    };
    if (settings_.doors) {
        if (settings_.arrivals_per_minute > 0) consider(next_entry_);
        if (!to_tills_.empty()) consider(to_tills_.front().at);
    } else if (settings_.arrivals_per_minute > 0) {
        consider(next_arrival_);
    }
    for (const Lane& lane : lanes_)
        if (!lane.shoppers.empty() && lane.shoppers.front().service_ends) consider(*lane.shoppers.front().service_ends);
    for (const StaffTask& task : tasks_) consider(task.due);
    return due;
}

// Runs the one thing due at `at`: staff first, then tills, then the door.
void StoreModel::run_next(TimeMs at) {
    auto task = std::find_if(tasks_.begin(), tasks_.end(), [&](const StaffTask& t) { return t.due == at; });
    if (task != tasks_.end()) {
        const StaffTask todo = *task;
        tasks_.erase(task);
        return run_staff_task(todo, at);
    }
    for (Lane& lane : lanes_)
        if (!lane.shoppers.empty() && lane.shoppers.front().service_ends == at) return finish_service(lane, at);
    if (!settings_.doors) {
        arrive(at);
        next_arrival_ = at + exponential_ms(60'000.0 / settings_.arrivals_per_minute);
    } else if (!to_tills_.empty() && to_tills_.front().at == at) {
        std::pop_heap(to_tills_.begin(), to_tills_.end(), std::greater<>());
        const OnTheWay shopper = to_tills_.back();
        to_tills_.pop_back();
        arrive(at, shopper.service_ms);
    } else {
        enter(at);
    }
}

void StoreModel::arrive(TimeMs at, std::optional<TimeMs> service_ms) {
    stats_.arrived++;
    if (Lane* shortest = shortest_open_lane()) join(*shortest, Shopper{at, std::nullopt, std::nullopt, service_ms, std::nullopt}, at);
    else stats_.turned_away++;
}

void StoreModel::join(Lane& lane, Shopper shopper, TimeMs at) {
    if (lane.shoppers.size() <= 1 && !shopper.one_in_front_at) shopper.one_in_front_at = at;
    lane.shoppers.push_back(shopper);
    if (lane.shoppers.size() == 1) serve_head(lane, at);
}

void StoreModel::serve_head(Lane& lane, TimeMs at) {
    Shopper& head = lane.shoppers.front();
    if (head.service_started) return;
    head.service_started = at;
    head.service_ends = at + (head.service_ms ? *head.service_ms : exponential_ms(settings_.mean_service_s * 1000.0));
}

void StoreModel::finish_service(Lane& lane, TimeMs at) {
    const Shopper done = lane.shoppers.front();
    lane.shoppers.pop_front();
    const TimeMs waited = *done.service_started - done.joined;
    const TimeMs over_one_in_front = done.one_in_front_at.value_or(*done.service_started) - done.joined;
    // The next in line has one in front now (the one just starting to pay).
    if (lane.shoppers.size() >= 2 && !lane.shoppers[1].one_in_front_at) lane.shoppers[1].one_in_front_at = at;
    if (over_one_in_front > 0) {
        stats_.over_one_in_front++;
        stats_.total_over_one_in_front += over_one_in_front;
    }
    stats_.served++;
    lane.served_in_interval++;
    stats_.total_wait += waited;
    stats_.max_wait = std::max(stats_.max_wait, waited);
    if (chance(settings_.feedback_share)) give_feedback(lane, waited, over_one_in_front, at);
    if (!lane.shoppers.empty()) serve_head(lane, at);
    else if (lane.closing) set_open(lane, false, at, "sim");
}

void StoreModel::give_feedback(const Lane& lane, TimeMs waited, TimeMs over_one_in_front, TimeMs at) {
    const auto weights = face_chances(over_one_in_front, settings_.best_face_drop);
    std::discrete_distribution<int> pick_score(weights.begin(), weights.end());
    Feedback f;
    f.id = make_uuid_v7(at, rng_);
    f.ts = at;
    f.scale = Scale::smiley4;
    f.score = pick_score(rng_);
    // About half answer the follow-up, with the kiosk's default chips (what they liked
    // after a happy face, what went wrong after an unhappy one); unhappy shoppers who
    // waited long mostly blame the queue.
    const double follow_up = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (follow_up < 0.5) {
        f.ui = FollowUp::complete;
        const bool unhappy = f.score <= 1;
        const auto& reasons = unhappy ? kNegativeReasons : kPositiveReasons;
        if (unhappy && waited >= 30'000 && chance(0.6)) f.reason = "queue";
        else f.reason = reasons[std::uniform_int_distribution<std::size_t>(0, reasons.size() - 1)(rng_)].code;
    } else {
        f.ui = follow_up < 0.8 ? FollowUp::skip : FollowUp::none;
    }
    static const std::array<const char*, 4> locales{"nl", "en", "de", "fr"};
    std::discrete_distribution<std::size_t> pick_locale({50, 25, 15, 10});
    f.locale = locales[pick_locale(rng_)];
    stats_.feedback_by_score[f.score]++;
    out_.push_back(FeedbackPublished{chance(0.5) ? "exit-1" : "exit-2", f, lane.number, waited});
}

void StoreModel::set_open(Lane& lane, bool open, TimeMs at, const std::string& by) {
    lane.open = open;
    lane.closing = false;
    out_.push_back(LaneStatePublished{lane.number, LaneState{open, at, by}});
    if (open) move_to_new_till(lane, at);
}

// Shoppers at the back of long lanes walk over to a till that just opened.
void StoreModel::move_to_new_till(Lane& target, TimeMs at) {
    while (Lane* from = longest_lane_except(target.number)) {
        if (from->shoppers.size() < target.shoppers.size() + 2 || !move_one(*from, target, at)) break;
    }
}

bool StoreModel::move_one(Lane& from, Lane& to, TimeMs at) {
    if (from.shoppers.size() < 2) return false;  // the one at the till stays
    Shopper moving = from.shoppers.back();
    from.shoppers.pop_back();
    join(to, moving, at);
    return true;
}

PromptNews StoreModel::observe_prompt(const Prompt& prompt, TimeMs now) {
    PromptTally& tally = stats_.prompts[prompt.action];
    auto it = prompts_.find(prompt.id);
    if (it == prompts_.end()) {
        SeenPrompt& seen = prompts_[prompt.id];
        seen.last = prompt;
        tally.seen++;
        if (prompt.claimed_by) {
            seen.claimed_counted = true;
            tally.claimed++;
        }
        if (is_final(prompt.state)) tally.ended[prompt.state]++;
        if (prompt.state == PromptState::open) {
            const int staff = next_staff_++;
            switch (prompt.action) {
                // Someone looks at the handheld and taps "claim" a few seconds later.
                case PromptAction::open_till:
                case PromptAction::prepare_till:
                case PromptAction::close_till:
                    tasks_.push_back(StaffTask{now + uniform_ms(2'000, 8'000), TaskKind::claim, prompt.id, staff});
                    break;
                case PromptAction::balance:
                    tasks_.push_back(StaffTask{now + uniform_ms(2'000, 8'000), TaskKind::balance, prompt.id, staff});
                    break;
                case PromptAction::all_tills_open:  // for the manager: nothing the floor can do
                    break;
            }
        }
        return PromptNews::first_seen;
    }
    SeenPrompt& seen = it->second;
    // Retained prompts are published again after reconnects: only real changes are news.
    if (seen.last.state == prompt.state && seen.last.level == prompt.level && seen.last.claimed_by == prompt.claimed_by)
        return PromptNews::none;
    if (prompt.claimed_by && !seen.claimed_counted) {
        seen.claimed_counted = true;
        tally.claimed++;
    }
    if (is_final(prompt.state) && !is_final(seen.last.state)) tally.ended[prompt.state]++;
    seen.last = prompt;
    return PromptNews::changed;
}

bool StoreModel::prompt_still_wanted(const std::string& prompt_id) const {
    auto it = prompts_.find(prompt_id);
    return it != prompts_.end() && !is_final(it->second.last.state);
}

void StoreModel::run_staff_task(const StaffTask& task, TimeMs at) {
    if (!prompt_still_wanted(task.prompt_id)) return;  // stood down, or someone else did it
    const Prompt& prompt = prompts_.at(task.prompt_id).last;
    Lane* till = lane(prompt.till);
    switch (task.kind) {
        case TaskKind::claim:
            if (prompt.state != PromptState::open) return;  // another handheld was quicker
            out_.push_back(ClaimPublished{prompt.id, prompt.action, prompt.till,
                                          Claim{staff_name(task.staff), at, handheld_name(task.staff)}});
            // Walking to the till and logging in takes some tens of seconds more.
            if (prompt.action == PromptAction::open_till || prompt.action == PromptAction::prepare_till)
                tasks_.push_back(StaffTask{at + uniform_ms(settings_.open_walk_min, settings_.open_walk_max),
                                           TaskKind::open_till, prompt.id, task.staff});
            else
                tasks_.push_back(StaffTask{at + uniform_ms(1'000, 3'000), TaskKind::close_till, prompt.id, task.staff});
            return;
        case TaskKind::open_till:
            if (till && !till->open) set_open(*till, true, at, staff_name(task.staff));
            return;
        case TaskKind::close_till:
            if (!till || !till->open) return;
            if (till->shoppers.empty()) set_open(*till, false, at, staff_name(task.staff));
            else till->closing = true;  // no new shoppers; closes when the last one has paid
            return;
        case TaskKind::balance: {
            if (!till || !till->open) return;
            Lane* from = prompt.reason ? lane(prompt.reason->lane) : nullptr;
            if (!from || from->shoppers.size() < 2) from = longest_lane_except(till->number);
            if (from && move_one(*from, *till, at)) out_.push_back(ShopperMoved{from->number, till->number});
            return;
        }
    }
}

void StoreModel::publish_counts(TimeMs now) {
    for (Lane& lane : lanes_) {
        const int count = std::min(static_cast<int>(lane.shoppers.size()), kMaxQueueCount);
        const bool changed = !lane.published_count || *lane.published_count != count;
        if (!changed && now - lane.published_at < kHeartbeat) continue;
        out_.push_back(QueueCountPublished{lane.number, QueueCount{count, now, CountSource::sim, next_seq_++}});
        lane.published_count = count;
        lane.published_at = now;
    }
}

std::vector<LaneView> StoreModel::lanes() const {
    std::vector<LaneView> views;
    for (const Lane& lane : lanes_)
        views.push_back(LaneView{lane.number, lane.open, lane.closing, static_cast<int>(lane.shoppers.size())});
    return views;
}

StoreModel::Lane* StoreModel::lane(int number) {
    auto it = std::find_if(lanes_.begin(), lanes_.end(), [&](const Lane& l) { return l.number == number; });
    return it == lanes_.end() ? nullptr : &*it;
}

// Ties go to the till earliest in the opening order.
StoreModel::Lane* StoreModel::shortest_open_lane() {
    Lane* best = nullptr;
    for (Lane& candidate : lanes_)
        if (candidate.open && !candidate.closing && (!best || candidate.shoppers.size() < best->shoppers.size()))
            best = &candidate;
    return best;
}

StoreModel::Lane* StoreModel::longest_lane_except(int number) {
    Lane* best = nullptr;
    for (Lane& candidate : lanes_)
        if (candidate.number != number && candidate.open &&
            (!best || candidate.shoppers.size() > best->shoppers.size()))
            best = &candidate;
    return best;
}

TimeMs StoreModel::exponential_ms(double mean_ms) {
    const double sample = std::exponential_distribution<double>(1.0 / mean_ms)(rng_);
    return std::max<TimeMs>(1, static_cast<TimeMs>(sample));
}

TimeMs StoreModel::uniform_ms(TimeMs min, TimeMs max) {
    return std::uniform_int_distribution<TimeMs>(min, max)(rng_);
}

bool StoreModel::chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

}  // namespace storeq::sim
