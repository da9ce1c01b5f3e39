#include "storeq/controller/alerts.hpp"

#include <algorithm>

#include "storeq/controller/config.hpp"
#include "storeq/controller/feedback_stats.hpp"
#include "storeq/ids.hpp"

namespace storeq::controller {
namespace {

constexpr TimeMs kMinute = 60'000;
// Time between two evaluations counted into the compliance minutes at most: a gap (the
// controller was down) is not counted as open time with or without a breach.
constexpr TimeMs kMaxCountedGap = 60'000;
// Feedback rules without a window of their own (detractors_in_row) name the top reasons
// of the last hour.
constexpr TimeMs kReasonsWindow = 60 * kMinute;

// What a rule reads for one subject now.
struct Reading {
    bool firing = false;     // opens an alert (if none is open and the rule is armed)
    bool recovered = false;  // counts toward closing the open one (for alert_settle)
    double figure = 0;
    std::int64_t n = 0;
};

bool is_negative(const RecentResponse& r) { return !is_positive_answer(r.scale, r.score); }

// Scores only: the rules' figures need no reasons (counting thousands of distinct codes
// on every event made a burst of answers quadratic; top_reasons counts them once).
FeedbackTally tally_since(const AlertsState& s, TimeMs from, TimeMs now) {
    FeedbackTally tally;
    for (const auto& r : s.responses)
        if (r.at > from && r.at <= now) tally.add(r.scale, r.score, false, std::nullopt);
    return tally;
}

std::vector<AlertReason> top_reasons(const AlertsState& s, TimeMs window, const Config& c, TimeMs now) {
    FeedbackTally tally;
    for (const auto& r : s.responses)
        if (r.at > now - window && r.at <= now && r.reason && is_negative(r)) tally.add_reason(false, *r.reason, 1);
    fold_reasons(tally, c.positive_reasons, c.negative_reasons);
    std::vector<AlertReason> reasons;
    for (const auto& [code, count] : tally.reasons_negative) reasons.push_back({code, count});
    std::sort(reasons.begin(), reasons.end(), [](const AlertReason& a, const AlertReason& b) {
        return a.count != b.count ? a.count > b.count : a.code < b.code;
    });
    if (reasons.size() > 3) reasons.resize(3);
    return reasons;
}

// A duration rule: the condition has held for the threshold. Recovered when it ends.
Reading held_for(RuleTrack& track, bool condition, double threshold_ms, TimeMs now) {
    if (!condition) track.condition_since.reset();
    else if (!track.condition_since) track.condition_since = now;
    Reading r;
    const TimeMs held = condition ? now - *track.condition_since : 0;
    r.figure = static_cast<double>(held) / kMinute;  // minutes, as a manager reads it
    r.firing = condition && static_cast<double>(held) >= threshold_ms;
    r.recovered = !condition;
    return r;
}

Reading read_feedback(const AlertsState& s, const AlertRule& rule, TimeMs now) {
    Reading r;
    const double t = rule.threshold, margin = recovery_margin(rule.kind);
    if (rule.kind == AlertRuleKind::detractors_in_row) {
        r.n = r.figure = s.detractor_streak;
        r.firing = s.detractor_streak >= t;
        r.recovered = !r.firing;
        return r;
    }
    const FeedbackTally tally = tally_since(s, now - rule.window, now);
    if (rule.kind == AlertRuleKind::negative_share) {
        r.n = tally.scored();
        std::int64_t negative = 0;
        for (const auto& x : s.responses)
            if (x.at > now - rule.window && x.at <= now && is_negative(x)) ++negative;
        r.figure = r.n ? 100.0 * static_cast<double>(negative) / static_cast<double>(r.n) : 0;
        const bool enough = r.n >= rule.min_n;
        r.firing = enough && r.figure >= t;
        r.recovered = !enough || r.figure < t - margin;
        return r;
    }
    const HappyIndex index = happy_index(tally);  // happy_index_below, great_hour
    r.n = index.n;
    r.figure = index.value.value_or(0);
    const bool enough = index.value && index.n >= rule.min_n;
    if (rule.kind == AlertRuleKind::great_hour) {
        r.firing = enough && r.figure >= t;
        r.recovered = !enough || r.figure < t - margin;
    } else {
        r.firing = enough && r.figure < t;
        r.recovered = !enough || r.figure >= t + margin;
    }
    return r;
}

Reading read_compliance(const AlertsState& s, const AlertRule& rule, TimeMs now) {
    TimeMs open_ms = 0, breach_ms = 0;
    for (const auto& m : s.minutes)
        if (m.start >= now - rule.window) {
            open_ms += m.open_ms;
            breach_ms += m.breach_ms;
        }
    Reading r;
    r.n = open_ms / kMinute;  // open-lane minutes
    r.figure = open_ms ? 100.0 * (1.0 - static_cast<double>(breach_ms) / static_cast<double>(open_ms)) : 100;
    const bool enough = r.n >= rule.min_n;
    r.firing = enough && r.figure < rule.threshold;
    r.recovered = !enough || r.figure >= rule.threshold + recovery_margin(rule.kind);
    return r;
}

// The outbox's backlog is at least the threshold and larger than it was a window ago.
Reading read_backlog(const KioskSeen& k, const AlertRule& rule, TimeMs now) {
    Reading r;
    if (k.backlog.empty()) {
        r.recovered = true;
        return r;
    }
    const std::int64_t latest = k.backlog.back().second;
    std::optional<std::int64_t> before;  // the last report at least a window old
    for (const auto& [at, backlog] : k.backlog)
        if (at <= now - rule.window) before = backlog;
    r.figure = static_cast<double>(latest);
    r.n = static_cast<std::int64_t>(k.backlog.size());
    r.firing = latest >= rule.threshold && before && latest > *before;
    r.recovered = latest < rule.threshold;
    return r;
}

void count_compliance(AlertsState& s, const std::vector<LaneWatch>& lanes, TimeMs now) {
    const TimeMs dt = std::min(now - s.evaluated_at, kMaxCountedGap);
    if (s.evaluated_at == 0 || dt <= 0) return;
    const TimeMs minute = now - now % kMinute;
    if (s.minutes.empty() || s.minutes.back().start != minute) s.minutes.push_back({minute, 0, 0});
    for (const auto& lane : lanes) {
        if (!lane.open || !lane.count_known) continue;
        s.minutes.back().open_ms += dt;
        if (lane.breaching) s.minutes.back().breach_ms += dt;
    }
    while (!s.minutes.empty() && s.minutes.front().start < now - kMaxAlertWindow) s.minutes.pop_front();
}

void see_tills_opening(AlertsState& s, const std::vector<LaneWatch>& lanes, TimeMs now) {
    for (const auto& lane : lanes) {
        auto [it, fresh] = s.lane_open.try_emplace(lane.lane, lane.open);
        if (!fresh && lane.open && !it->second) s.lane_opened_at[lane.lane] = now;
        it->second = lane.open;
    }
}

bool any_till_opened_since(const AlertsState& s, TimeMs since) {
    return std::any_of(s.lane_opened_at.begin(), s.lane_opened_at.end(),
                       [&](const auto& kv) { return kv.second >= since; });
}

Alert new_alert(const AlertRule& rule, const std::string& subject, const Reading& r, const Config& c, TimeMs now,
                std::uint64_t& id_seed, const AlertsState& s) {
    Alert a;
    a.id = next_uuid_v7(id_seed, now);
    a.rule = rule.name;
    a.kind = rule.kind;
    a.tone = rule.kind == AlertRuleKind::great_hour ? AlertTone::good : AlertTone::bad;
    a.level = rule.level;
    a.state = AlertState::open;
    a.subject = subject;
    a.figure = r.figure;
    a.threshold = threshold_of(rule, c);
    a.n = r.n;
    a.window = rule.window;
    if (area_of(rule.kind) == AlertArea::feedback && a.tone == AlertTone::bad)
        a.reasons = top_reasons(s, rule.window ? rule.window : kReasonsWindow, c, now);
    a.opened = a.updated = now;
    return a;
}

void advance(AlertsState& s, const AlertRule& rule, const std::string& subject, const Reading& r, const Config& c,
             TimeMs now, std::uint64_t& id_seed, std::vector<AlertChange>& out) {
    RuleTrack& track = s.tracks[rule.name + "|" + subject];
    if (track.alert_id) {
        // Its figure and n stay those it opened with: what the report and the list show.
        Alert& alert = s.open.at(*track.alert_id);
        if (!r.recovered) {
            track.recovered_since.reset();
            return;
        }
        if (!track.recovered_since) track.recovered_since = now;
        if (now - *track.recovered_since < c.alert_settle) return;
        alert.state = AlertState::closed;
        alert.closed_by = "auto";
        alert.closed_at = alert.updated = now;
        out.push_back({alert, "closed"});
        s.open.erase(*track.alert_id);
        track.alert_id.reset();
        track.recovered_since.reset();
        return;
    }
    if (track.disarmed) {
        if (r.recovered) track.disarmed = false;
        return;
    }
    if (!r.firing) return;
    Alert alert = new_alert(rule, subject, r, c, now, id_seed, s);
    track.alert_id = alert.id;
    track.recovered_since.reset();
    out.push_back({alert, "opened"});
    s.open.emplace(alert.id, std::move(alert));
}

}  // namespace

double threshold_of(const AlertRule& rule, const Config& config) {
    if (rule.kind == AlertRuleKind::breach_unanswered && rule.threshold == 0)
        return static_cast<double>(config.promise_target);
    return rule.threshold;
}

void take_response(AlertsState& s, const Feedback& feedback, TimeMs counted_at, TimeMs now) {
    if (feedback.misuse || counted_at <= now - kMaxAlertWindow) return;
    RecentResponse r{counted_at, feedback.scale, feedback.score, feedback.reason};
    // Answers mostly come in order; one from a kiosk's outbox goes where its time is.
    auto at = std::upper_bound(s.responses.begin(), s.responses.end(), counted_at,
                               [](TimeMs t, const RecentResponse& x) { return t < x.at; });
    s.responses.insert(at, std::move(r));
    while (!s.responses.empty() && s.responses.front().at <= now - kMaxAlertWindow) s.responses.pop_front();
    if (feedback.scale == Scale::nps) s.detractor_streak = feedback.score <= 6 ? s.detractor_streak + 1 : 0;
}

void take_kiosk_status(AlertsState& s, const std::string& kiosk, const Status& status, TimeMs now) {
    auto [it, fresh] = s.kiosks.try_emplace(kiosk);
    KioskSeen& k = it->second;
    if (fresh || k.online != status.online) {
        k.online = status.online;
        k.since = now;
    }
    if (status.online && status.backlog) {
        k.backlog.emplace_back(now, *status.backlog);
        while (k.backlog.front().first < now - kMaxAlertWindow) k.backlog.pop_front();
    }
    if (!status.online) k.backlog.clear();  // an offline kiosk reports nothing: kiosk_offline says it
}

void take_head_office(AlertsState& s, bool waiting, bool ack_moved, TimeMs now) {
    // Quiet: entries wait and head office has acknowledged none of them since.
    if (!waiting || ack_moved) s.head_office_quiet_since.reset();
    else if (!s.head_office_quiet_since) s.head_office_quiet_since = now;
}

std::vector<AlertChange> evaluate_alerts(AlertsState& s, const std::vector<LaneWatch>& lanes, const Config& c,
                                         TimeMs now, std::uint64_t& id_seed) {
    std::vector<AlertChange> out;
    count_compliance(s, lanes, now);
    see_tills_opening(s, lanes, now);
    s.evaluated_at = now;
    const bool all_open = !lanes.empty() && std::all_of(lanes.begin(), lanes.end(), [](const LaneWatch& l) { return l.open; });
    const bool any_breach = std::any_of(lanes.begin(), lanes.end(), [](const LaneWatch& l) { return l.breaching; });
    for (const AlertRule& rule : c.alerts) {
        const double threshold = threshold_of(rule, c);
        switch (rule.kind) {
            case AlertRuleKind::negative_share:
            case AlertRuleKind::happy_index_below:
            case AlertRuleKind::detractors_in_row:
            case AlertRuleKind::great_hour:
                advance(s, rule, "", read_feedback(s, rule, now), c, now, id_seed, out);
                break;
            case AlertRuleKind::compliance_below:
                advance(s, rule, "", read_compliance(s, rule, now), c, now, id_seed, out);
                break;
            case AlertRuleKind::all_tills_open_long: {
                RuleTrack& track = s.tracks[rule.name + "|"];
                advance(s, rule, "", held_for(track, all_open && any_breach, threshold, now), c, now, id_seed, out);
                break;
            }
            case AlertRuleKind::breach_unanswered:
            case AlertRuleKind::sensor_silent:
                for (const auto& lane : lanes) {
                    const std::string subject = std::to_string(lane.lane);
                    RuleTrack& track = s.tracks[rule.name + "|" + subject];
                    Reading r;
                    if (rule.kind == AlertRuleKind::sensor_silent) {
                        r = held_for(track, lane.open && !lane.count_known, threshold, now);
                    } else {
                        // Breaching past the target, and no till opened since it began.
                        const bool unanswered = lane.breaching && lane.breach_started &&
                                                !any_till_opened_since(s, *lane.breach_started);
                        r.figure = lane.breaching && lane.breach_started
                                       ? static_cast<double>(now - *lane.breach_started) / 1000.0
                                       : 0;  // seconds
                        r.firing = unanswered && r.figure * 1000.0 >= threshold;
                        r.recovered = !lane.breaching;
                    }
                    advance(s, rule, subject, r, c, now, id_seed, out);
                }
                break;
            case AlertRuleKind::kiosk_offline:
            case AlertRuleKind::outbox_growing:
                for (const auto& [kiosk, seen] : s.kiosks) {
                    Reading r;
                    if (rule.kind == AlertRuleKind::kiosk_offline) {
                        const TimeMs off = seen.online ? 0 : now - seen.since;
                        r.figure = static_cast<double>(off) / kMinute;
                        r.firing = !seen.online && static_cast<double>(off) >= threshold;
                        r.recovered = seen.online;
                    } else {
                        r = read_backlog(seen, rule, now);
                    }
                    advance(s, rule, kiosk, r, c, now, id_seed, out);
                }
                break;
            case AlertRuleKind::head_office_cut: {
                if (!c.head_office) break;
                Reading r;
                const TimeMs quiet = s.head_office_quiet_since ? now - *s.head_office_quiet_since : 0;
                r.figure = static_cast<double>(quiet) / kMinute;
                r.firing = static_cast<double>(quiet) >= threshold;
                r.recovered = quiet < kMinute;  // acks move again (a busy link always has some in flight)
                advance(s, rule, "", r, c, now, id_seed, out);
                break;
            }
        }
    }
    return out;
}

AnswerOutcome answer_alert(AlertsState& s, const std::string& alert_id, const std::string& account,
                           const AlertAnswer& answer, TimeMs now) {
    auto it = s.open.find(alert_id);
    if (it == s.open.end()) return {std::nullopt, "alert " + alert_id + " answered by " + account + " is not open"};
    Alert& alert = it->second;
    if (answer.comment) alert.comment = answer.comment;
    alert.updated = now;
    if (answer.action == AlertAction::acknowledge) {
        if (alert.state == AlertState::acknowledged)
            return {std::nullopt, "alert " + alert_id + " acknowledged by " + account + ": already acknowledged by " +
                                      alert.acknowledged_by.value_or("?")};
        alert.state = AlertState::acknowledged;
        alert.acknowledged_by = account;
        alert.acknowledged_at = now;
        return {AlertChange{alert, "acknowledged"}, ""};
    }
    alert.state = AlertState::closed;
    alert.closed_by = account;
    alert.closed_at = now;
    AlertChange change{alert, "closed"};
    for (auto& [key, track] : s.tracks)
        if (track.alert_id == alert_id) {
            track.alert_id.reset();
            track.recovered_since.reset();
            track.disarmed = true;  // still firing: wait for a recovery before a new one
        }
    s.open.erase(it);
    return {change, ""};
}

}  // namespace storeq::controller
