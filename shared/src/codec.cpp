#include "storeq/codec.hpp"

#include <array>
#include <limits>
#include <nlohmann/json.hpp>

#include "storeq/ids.hpp"

namespace storeq {
namespace {
using json = nlohmann::json;

std::string dump(const json& j) {
    // replace: a stray invalid byte can never make encoding throw.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <class E, std::size_t N>
Expected<E> enum_from(std::string_view field, const std::string& text, const std::array<E, N>& values) {
    for (E v : values)
        if (to_string(v) == text) return v;
    std::string allowed;
    for (E v : values) allowed += (allowed.empty() ? "" : ", ") + std::string(to_string(v));
    return Error{std::string(field), "must be one of " + allowed + ", got '" + text.substr(0, 40) + "'"};
}

// Reads fields of one JSON object; every accessor returns the field's value or an Error
// naming the field and the reason.
class Fields {
public:
    explicit Fields(const json& object) : object_(object) {}

    bool has(const char* name) const { return object_.contains(name) && !object_.at(name).is_null(); }

    Expected<std::int64_t> integer(const char* name, std::int64_t min, std::int64_t max) const {
        if (!has(name)) return missing(name);
        const json& v = object_.at(name);
        if (!v.is_number_integer()) return Error{name, "must be an integer"};
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
            return out_of_range(name, min, max);
        const auto value = v.get<std::int64_t>();
        if (value < min || value > max) return out_of_range(name, min, max);
        return value;
    }

    Expected<double> number(const char* name, double min, double max) const {
        if (!has(name)) return missing(name);
        const json& v = object_.at(name);
        if (!v.is_number()) return Error{name, "must be a number"};
        const auto value = v.get<double>();
        if (!(value >= min && value <= max)) return Error{name, "out of range"};
        return value;
    }

    Expected<bool> boolean(const char* name) const {
        if (!has(name)) return missing(name);
        const json& v = object_.at(name);
        if (!v.is_boolean()) return Error{name, "must be true or false"};
        return v.get<bool>();
    }

    Expected<std::string> text(const char* name, std::size_t max_length = 256) const {
        if (!has(name)) return missing(name);
        const json& v = object_.at(name);
        if (!v.is_string()) return Error{name, "must be a string"};
        auto value = v.get<std::string>();
        if (value.size() > max_length) return Error{name, "longer than " + std::to_string(max_length) + " bytes"};
        return value;
    }

    Expected<std::string> id(const char* name) const {
        auto value = text(name, 64);
        if (!value) return value;
        if (!is_valid_id(*value)) return Error{name, "must match [a-z0-9][a-z0-9-]{0,31}"};
        return value;
    }

    Expected<TimeMs> timestamp(const char* name, TimeMs now) const {
        auto value = integer(name, 0, std::numeric_limits<std::int64_t>::max());
        if (!value) return value;
        if (*value > now + kMaxFutureSkewMs) return Error{name, "more than 24 h in the future"};
        if (*value < now - kMaxPastSkewMs) return Error{name, "more than 30 days in the past"};
        return value;
    }

    Expected<TimeMs> unbounded_timestamp(const char* name) const {
        return integer(name, 0, std::numeric_limits<std::int64_t>::max());
    }

private:
    static Error missing(const char* name) { return Error{name, "missing"}; }
    static Error out_of_range(const char* name, std::int64_t min, std::int64_t max) {
        return Error{name, "out of range " + std::to_string(min) + ".." + std::to_string(max)};
    }
    const json& object_;
};

// Size limit, JSON syntax (including UTF-8 validity) and "is an object" in one place.
Expected<json> parse_object(std::string_view payload) {
    if (payload.size() > static_cast<std::size_t>(kMaxPayloadBytes))
        return Error{"payload", "larger than 4096 bytes"};
    if (payload.empty()) return Error{"payload", "empty"};
    json j = json::parse(payload.begin(), payload.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Error{"payload", "not valid UTF-8 JSON"};
    if (!j.is_object()) return Error{"payload", "not a JSON object"};
    return j;
}

#define STOREQ_TRY(var, expr)            \
    auto var##_result = (expr);          \
    if (!var##_result) return var##_result.error(); \
    auto var = std::move(*var##_result)

constexpr std::array kScales{Scale::smiley4, Scale::smiley5, Scale::nps};
constexpr std::array kFollowUps{FollowUp::complete, FollowUp::skip, FollowUp::timeout, FollowUp::none};
constexpr std::array kSources{CountSource::sensor, CountSource::manual, CountSource::pos, CountSource::sim};
constexpr const auto& kActions = kPromptActions;
constexpr std::array kPromptStates{PromptState::open, PromptState::claimed, PromptState::fulfilled,
                                   PromptState::cancelled, PromptState::expired};
constexpr const auto& kRuleKinds = kAlertRuleKinds;
constexpr std::array kTones{AlertTone::bad, AlertTone::good};
constexpr std::array kAlertActions{AlertAction::acknowledge, AlertAction::close};
constexpr std::array kKinds{DeviceKind::kiosk, DeviceKind::lane, DeviceKind::staff, DeviceKind::manager,
                            DeviceKind::sensor, DeviceKind::pos, DeviceKind::controller, DeviceKind::sim};
}  // namespace

std::string encode(const Feedback& m) {
    json j{{"id", m.id}, {"ts", m.ts}, {"scale", to_string(m.scale)}, {"score", m.score},
           {"ui", to_string(m.ui)}, {"locale", m.locale}, {"misuse", m.misuse}};
    if (m.reason) j["reason"] = *m.reason;
    return dump(j);
}

std::string encode(const QueueCount& m) {
    json j{{"count", m.count}, {"ts", m.ts}, {"source", to_string(m.source)}};
    if (m.seq) j["seq"] = *m.seq;
    return dump(j);
}

std::string encode(const LaneState& m) {
    json j{{"open", m.open}, {"ts", m.ts}};
    if (m.by) j["by"] = *m.by;
    return dump(j);
}

std::string encode(const Prompt& m) {
    json j{{"id", m.id}, {"action", to_string(m.action)}, {"till", m.till}, {"state", to_string(m.state)},
           {"level", m.level}, {"raised", m.raised}, {"updated", m.updated},
           {"claimed_by", m.claimed_by ? json(*m.claimed_by) : json(nullptr)}, {"message", json(m.message)}};
    j["reason"] = m.reason ? json{{"lane", m.reason->lane}, {"count", m.reason->count}, {"waiting", m.reason->waiting}}
                           : json(nullptr);
    return dump(j);
}

std::string encode(const Claim& m) {
    json j{{"by", m.by}, {"ts", m.ts}};
    if (m.device) j["device"] = *m.device;
    return dump(j);
}

std::string encode(const Status& m) {
    json j{{"online", m.online}, {"kind", to_string(m.kind)}, {"version", m.version}, {"ts", m.ts}};
    if (m.backlog) j["backlog"] = *m.backlog;
    if (m.unknown_lanes) j["unknown_lanes"] = *m.unknown_lanes;
    if (m.rejected) j["rejected"] = *m.rejected;
    if (m.live_prompts) j["live_prompts"] = *m.live_prompts;
    if (m.stale_samples) j["stale_samples"] = *m.stale_samples;
    if (m.storage) j["storage"] = *m.storage;
    return dump(j);
}

std::string encode(const WaitEstimate& m) {
    return dump(json{{"lane", m.lane}, {"waiting", m.waiting}, {"minutes", m.minutes}, {"ts", m.ts}});
}

std::string encode(const ClockTick& m) { return dump(json{{"ts", m.ts}}); }

std::string encode(const Receipt& m) { return dump(json{{"db", m.db}, {"commit", m.commit}, {"ids", m.ids}}); }

std::string encode(const Durable& m) {
    return dump(json{{"db", m.db}, {"start", m.start}, {"commit", m.commit}, {"ts", m.ts}});
}

std::string encode(const DoorCount& m) {
    json j{{"people", m.people}, {"interval", m.interval}, {"ts", m.ts}};
    if (m.seq) j["seq"] = *m.seq;
    return dump(j);
}

std::string encode(const LaneServed& m) {
    json j{{"served", m.served}, {"interval", m.interval}, {"ts", m.ts}};
    if (m.seq) j["seq"] = *m.seq;
    return dump(j);
}

std::string encode(const Forecast& m) {
    json hours = json::array();
    for (const auto& h : m.hours)
        hours.push_back({{"start", h.start}, {"hour", h.local_hour}, {"open", h.open}, {"needed", h.needed}});
    return dump(json{{"ts", m.ts}, {"open_tills", m.open_tills}, {"needed_now", m.needed_now},
                     {"needed_in15", m.needed_in15}, {"needed_in30", m.needed_in30},
                     {"inputs",
                      {{"arrivals_now", m.arrivals_now}, {"arrivals_in15", m.arrivals_in15},
                       {"arrivals_in30", m.arrivals_in30}, {"service_s", m.service_s},
                       {"door_per_min", m.door_per_min}, {"usual_door_per_min", m.usual_door_per_min},
                       {"level", m.level}, {"lag_min", m.lag_min}, {"buyer_share", m.buyer_share},
                       {"target_share", m.target_share}, {"history_days", m.history_days},
                       {"profile_learned", m.profile_learned}}},
                     {"prompts", m.prompts}, {"hours", hours}});
}

std::string encode(const Alert& m) {
    json reasons = json::array();
    for (const auto& r : m.reasons) reasons.push_back({{"code", r.code}, {"count", r.count}});
    json j{{"id", m.id}, {"rule", m.rule}, {"kind", to_string(m.kind)}, {"area", to_string(area_of(m.kind))},
           {"tone", to_string(m.tone)}, {"level", m.level}, {"state", to_string(m.state)}, {"subject", m.subject},
           {"figure", m.figure}, {"threshold", m.threshold}, {"n", m.n}, {"window", m.window},
           {"reasons", reasons}, {"opened", m.opened}, {"updated", m.updated}};
    auto optional = [&j](const char* name, const auto& value) { j[name] = value ? json(*value) : json(nullptr); };
    optional("acknowledged_by", m.acknowledged_by);
    optional("acknowledged_at", m.acknowledged_at);
    optional("closed_by", m.closed_by);
    optional("closed_at", m.closed_at);
    optional("comment", m.comment);
    return dump(j);
}

std::string encode(const AlertAnswer& m) {
    json j{{"action", to_string(m.action)}, {"by", m.by}, {"ts", m.ts}};
    if (m.comment) j["comment"] = *m.comment;
    return dump(j);
}

Expected<Feedback> decode_feedback(std::string_view payload, TimeMs now) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Feedback m;
    STOREQ_TRY(id, f.text("id", 36));
    if (!is_valid_uuid(id)) return Error{"id", "must be a canonical lowercase UUID"};
    m.id = id;
    // The kiosk's clock, right or not: a wrong one is flagged when stored (feedback_timing),
    // never refused after the broker acknowledged it.
    (void)now;
    STOREQ_TRY(ts, f.integer("ts", 0, std::numeric_limits<std::int64_t>::max()));
    if (ts < kEarliestFeedbackTs) return Error{"ts", "before 2000-01-01: the kiosk's clock was never set"};
    if (ts >= kLatestFeedbackTs) return Error{"ts", "after 2100-01-01: not a time"};
    m.ts = ts;
    STOREQ_TRY(scale_text, f.text("scale", 16));
    STOREQ_TRY(scale, enum_from("scale", scale_text, kScales));
    m.scale = scale;
    STOREQ_TRY(score, f.integer("score", 0, max_score(scale)));
    m.score = static_cast<int>(score);
    if (f.has("reason")) {
        STOREQ_TRY(reason, f.text("reason", 32));
        if (!is_valid_reason_code(reason)) return Error{"reason", "must match [a-z0-9_]{1,32}"};
        m.reason = reason;
    }
    if (f.has("ui")) {
        STOREQ_TRY(ui_text, f.text("ui", 16));
        STOREQ_TRY(ui, enum_from("ui", ui_text, kFollowUps));
        m.ui = ui;
    }
    if (f.has("locale")) {
        STOREQ_TRY(locale, f.text("locale", 16));
        if (locale.size() < 2) return Error{"locale", "must be a language code like 'nl'"};
        m.locale = locale;
    }
    if (f.has("misuse")) {
        STOREQ_TRY(misuse, f.boolean("misuse"));
        m.misuse = misuse;
    }
    return m;
}

Expected<QueueCount> decode_queue_count(std::string_view payload, TimeMs now) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    QueueCount m;
    STOREQ_TRY(count, f.integer("count", 0, kMaxQueueCount));
    m.count = static_cast<int>(count);
    STOREQ_TRY(ts, f.timestamp("ts", now));
    m.ts = ts;
    STOREQ_TRY(source_text, f.text("source", 16));
    STOREQ_TRY(source, enum_from("source", source_text, kSources));
    m.source = source;
    if (f.has("seq")) {
        STOREQ_TRY(seq, f.integer("seq", 0, std::numeric_limits<std::int64_t>::max()));
        m.seq = seq;
    }
    return m;
}

namespace {
// door/{door}/count and lane/{n}/served share a shape: a count over an interval.
struct IntervalCount {
    std::int64_t value = 0;
    TimeMs interval = 0;
    TimeMs ts = 0;
    std::optional<std::int64_t> seq;
};
Expected<IntervalCount> decode_interval_count(std::string_view payload, TimeMs now, const char* field, std::int64_t max) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    IntervalCount m;
    STOREQ_TRY(value, f.integer(field, 0, max));
    m.value = value;
    STOREQ_TRY(interval, f.integer("interval", 1'000, 3'600'000));
    m.interval = interval;
    STOREQ_TRY(ts, f.timestamp("ts", now));
    m.ts = ts;
    if (f.has("seq")) {
        STOREQ_TRY(seq, f.integer("seq", 0, std::numeric_limits<std::int64_t>::max()));
        m.seq = seq;
    }
    return m;
}
}  // namespace

Expected<DoorCount> decode_door_count(std::string_view payload, TimeMs now) {
    STOREQ_TRY(m, decode_interval_count(payload, now, "people", kMaxDoorCount));
    return DoorCount{static_cast<int>(m.value), m.interval, m.ts, m.seq};
}

Expected<LaneServed> decode_lane_served(std::string_view payload, TimeMs now) {
    STOREQ_TRY(m, decode_interval_count(payload, now, "served", kMaxQueueCount));
    return LaneServed{static_cast<int>(m.value), m.interval, m.ts, m.seq};
}

Expected<Forecast> decode_forecast(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Forecast m;
    STOREQ_TRY(ts, f.unbounded_timestamp("ts"));
    m.ts = ts;
    STOREQ_TRY(open_tills, f.integer("open_tills", 0, kMaxLane));
    STOREQ_TRY(now_needed, f.integer("needed_now", 0, kMaxLane));
    STOREQ_TRY(in15, f.integer("needed_in15", 0, kMaxLane));
    STOREQ_TRY(in30, f.integer("needed_in30", 0, kMaxLane));
    m.open_tills = static_cast<int>(open_tills);
    m.needed_now = static_cast<int>(now_needed);
    m.needed_in15 = static_cast<int>(in15);
    m.needed_in30 = static_cast<int>(in30);
    STOREQ_TRY(prompts, f.boolean("prompts"));
    m.prompts = prompts;
    if (!j.contains("inputs") || !j.at("inputs").is_object()) return Error{"inputs", "missing"};
    const Fields in(j.at("inputs"));
    constexpr double kBig = 1e9;
    STOREQ_TRY(a0, in.number("arrivals_now", 0, kBig));
    STOREQ_TRY(a15, in.number("arrivals_in15", 0, kBig));
    STOREQ_TRY(a30, in.number("arrivals_in30", 0, kBig));
    STOREQ_TRY(service, in.number("service_s", 0, kBig));
    STOREQ_TRY(door, in.number("door_per_min", 0, kBig));
    STOREQ_TRY(usual, in.number("usual_door_per_min", 0, kBig));
    STOREQ_TRY(level, in.number("level", 0, kBig));
    STOREQ_TRY(lag, in.number("lag_min", 0, kBig));
    STOREQ_TRY(buyers, in.number("buyer_share", 0, kBig));
    STOREQ_TRY(target, in.number("target_share", 0, 1));
    STOREQ_TRY(days, in.number("history_days", 0, kBig));
    STOREQ_TRY(learned, in.boolean("profile_learned"));
    m.arrivals_now = a0;
    m.arrivals_in15 = a15;
    m.arrivals_in30 = a30;
    m.service_s = service;
    m.door_per_min = door;
    m.usual_door_per_min = usual;
    m.level = level;
    m.lag_min = lag;
    m.buyer_share = buyers;
    m.target_share = target;
    m.history_days = days;
    m.profile_learned = learned;
    if (j.contains("hours")) {
        if (!j.at("hours").is_array() || j.at("hours").size() > 25) return Error{"hours", "must be a list of at most 25 hours"};
        for (const auto& item : j.at("hours")) {
            if (!item.is_object()) return Error{"hours", "must hold objects"};
            const Fields h(item);
            STOREQ_TRY(start, h.unbounded_timestamp("start"));
            STOREQ_TRY(hour, h.integer("hour", 0, 23));
            STOREQ_TRY(open, h.number("open", 0, kMaxLane));
            STOREQ_TRY(needed, h.number("needed", 0, kMaxLane));
            m.hours.push_back(ForecastHour{start, static_cast<int>(hour), open, needed});
        }
    }
    return m;
}

Expected<LaneState> decode_lane_state(std::string_view payload, TimeMs now) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    LaneState m;
    STOREQ_TRY(open, f.boolean("open"));
    m.open = open;
    STOREQ_TRY(ts, f.timestamp("ts", now));
    m.ts = ts;
    if (f.has("by")) {
        STOREQ_TRY(by, f.id("by"));
        m.by = by;
    }
    return m;
}

Expected<Prompt> decode_prompt(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Prompt m;
    STOREQ_TRY(id, f.text("id", 36));
    if (!is_valid_uuid(id)) return Error{"id", "must be a canonical lowercase UUID"};
    m.id = id;
    STOREQ_TRY(action_text, f.text("action", 32));
    STOREQ_TRY(action, enum_from("action", action_text, kActions));
    m.action = action;
    STOREQ_TRY(till, f.integer("till", 0, kMaxLane));
    m.till = static_cast<int>(till);
    STOREQ_TRY(state_text, f.text("state", 16));
    STOREQ_TRY(state, enum_from("state", state_text, kPromptStates));
    m.state = state;
    STOREQ_TRY(level, f.integer("level", 1, 2));
    m.level = static_cast<int>(level);
    STOREQ_TRY(raised, f.unbounded_timestamp("raised"));
    m.raised = raised;
    STOREQ_TRY(updated, f.unbounded_timestamp("updated"));
    m.updated = updated;
    if (f.has("claimed_by")) {
        STOREQ_TRY(by, f.id("claimed_by"));
        m.claimed_by = by;
    }
    if (f.has("reason")) {
        const json& r = j.at("reason");
        if (!r.is_object()) return Error{"reason", "must be an object"};
        const Fields rf(r);
        PromptReason reason;
        STOREQ_TRY(lane, rf.integer("lane", kMinLane, kMaxLane));
        STOREQ_TRY(count, rf.integer("count", 0, kMaxQueueCount));
        STOREQ_TRY(waiting, rf.integer("waiting", 0, kMaxQueueCount));
        reason.lane = static_cast<int>(lane);
        reason.count = static_cast<int>(count);
        reason.waiting = static_cast<int>(waiting);
        m.reason = reason;
    }
    if (f.has("message")) {
        const json& msg = j.at("message");
        if (!msg.is_object()) return Error{"message", "must be an object of locale -> text"};
        for (const auto& [locale, text] : msg.items()) {
            if (!text.is_string()) return Error{"message", "text for '" + locale + "' must be a string"};
            m.message[locale] = text.get<std::string>();
        }
    }
    return m;
}

Expected<Alert> decode_alert(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Alert m;
    STOREQ_TRY(id, f.text("id", 36));
    if (!is_valid_uuid(id)) return Error{"id", "must be a canonical lowercase UUID"};
    m.id = id;
    STOREQ_TRY(rule, f.text("rule", 64));
    m.rule = rule;
    STOREQ_TRY(kind_text, f.text("kind", 32));
    STOREQ_TRY(kind, enum_from("kind", kind_text, kRuleKinds));
    m.kind = kind;
    STOREQ_TRY(tone_text, f.text("tone", 8));
    STOREQ_TRY(tone, enum_from("tone", tone_text, kTones));
    m.tone = tone;
    STOREQ_TRY(level, f.integer("level", 1, 2));
    m.level = static_cast<int>(level);
    STOREQ_TRY(state_text, f.text("state", 16));
    STOREQ_TRY(state, enum_from("state", state_text, kAlertStates));
    m.state = state;
    STOREQ_TRY(subject, f.text("subject", 64));
    m.subject = subject;
    constexpr double kBig = 1e12;
    STOREQ_TRY(figure, f.number("figure", -kBig, kBig));
    STOREQ_TRY(threshold, f.number("threshold", -kBig, kBig));
    STOREQ_TRY(n, f.integer("n", 0, std::numeric_limits<std::int64_t>::max()));
    STOREQ_TRY(window, f.integer("window", 0, std::numeric_limits<std::int64_t>::max()));
    m.figure = figure;
    m.threshold = threshold;
    m.n = n;
    m.window = window;
    if (f.has("reasons")) {
        const json& list = j.at("reasons");
        if (!list.is_array() || list.size() > 3) return Error{"reasons", "must be a list of at most 3"};
        for (const auto& item : list) {
            if (!item.is_object()) return Error{"reasons", "must hold objects"};
            const Fields r(item);
            STOREQ_TRY(code, r.text("code", 32));
            STOREQ_TRY(count, r.integer("count", 0, std::numeric_limits<std::int64_t>::max()));
            m.reasons.push_back(AlertReason{code, count});
        }
    }
    STOREQ_TRY(opened, f.unbounded_timestamp("opened"));
    STOREQ_TRY(updated, f.unbounded_timestamp("updated"));
    m.opened = opened;
    m.updated = updated;
    // Who and when, each absent (or null) until its transition.
    auto optional_id = [&f](const char* name, std::optional<std::string>& out) -> Expected<void> {
        if (!f.has(name)) return {};
        auto value = f.id(name);
        if (!value) return value.error();
        out = *value;
        return {};
    };
    auto optional_time = [&f](const char* name, std::optional<TimeMs>& out) -> Expected<void> {
        if (!f.has(name)) return {};
        auto value = f.unbounded_timestamp(name);
        if (!value) return value.error();
        out = *value;
        return {};
    };
    if (auto ok = optional_id("acknowledged_by", m.acknowledged_by); !ok) return ok.error();
    if (auto ok = optional_time("acknowledged_at", m.acknowledged_at); !ok) return ok.error();
    if (auto ok = optional_id("closed_by", m.closed_by); !ok) return ok.error();
    if (auto ok = optional_time("closed_at", m.closed_at); !ok) return ok.error();
    if (f.has("comment")) {
        STOREQ_TRY(comment, f.text("comment", kMaxAlertComment));
        m.comment = comment;
    }
    return m;
}

Expected<AlertAnswer> decode_alert_answer(std::string_view payload, TimeMs now) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    AlertAnswer m;
    STOREQ_TRY(action_text, f.text("action", 16));
    STOREQ_TRY(action, enum_from("action", action_text, kAlertActions));
    m.action = action;
    STOREQ_TRY(by, f.id("by"));
    m.by = by;
    STOREQ_TRY(ts, f.timestamp("ts", now));
    m.ts = ts;
    if (f.has("comment")) {
        STOREQ_TRY(comment, f.text("comment", kMaxAlertComment));
        m.comment = comment;
    }
    if (m.action == AlertAction::close && (!m.comment || m.comment->empty()))
        return Error{"comment", "closing an alert by hand needs a comment (the root cause)"};
    return m;
}

Expected<Claim> decode_claim(std::string_view payload, TimeMs now) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Claim m;
    STOREQ_TRY(by, f.id("by"));
    m.by = by;
    STOREQ_TRY(ts, f.timestamp("ts", now));
    m.ts = ts;
    if (f.has("device")) {
        STOREQ_TRY(device, f.id("device"));
        m.device = device;
    }
    return m;
}

Expected<Status> decode_status(std::string_view payload, TimeMs now) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Status m;
    STOREQ_TRY(online, f.boolean("online"));
    m.online = online;
    STOREQ_TRY(kind_text, f.text("kind", 16));
    STOREQ_TRY(kind, enum_from("kind", kind_text, kKinds));
    m.kind = kind;
    STOREQ_TRY(version, f.text("version", 32));
    m.version = version;
    STOREQ_TRY(ts, f.timestamp("ts", now));
    m.ts = ts;
    if (f.has("backlog")) {
        STOREQ_TRY(backlog, f.integer("backlog", 0, std::numeric_limits<std::int64_t>::max()));
        m.backlog = backlog;
    }
    if (f.has("unknown_lanes")) {
        const json& lanes = j.at("unknown_lanes");
        if (!lanes.is_array() || lanes.size() > kMaxLane) return Error{"unknown_lanes", "must be a list of lanes"};
        std::vector<int> list;
        for (const json& lane : lanes) {
            if (!lane.is_number_integer() || lane.get<std::int64_t>() < kMinLane || lane.get<std::int64_t>() > kMaxLane)
                return Error{"unknown_lanes", "lanes must be integers 1..999"};
            list.push_back(lane.get<int>());
        }
        m.unknown_lanes = list;
    }
    if (f.has("rejected")) {
        STOREQ_TRY(rejected, f.integer("rejected", 0, std::numeric_limits<std::int64_t>::max()));
        m.rejected = rejected;
    }
    if (f.has("live_prompts")) {
        STOREQ_TRY(live_prompts, f.integer("live_prompts", 0, std::numeric_limits<std::int64_t>::max()));
        m.live_prompts = live_prompts;
    }
    if (f.has("stale_samples")) {
        STOREQ_TRY(stale, f.integer("stale_samples", 0, std::numeric_limits<std::int64_t>::max()));
        m.stale_samples = stale;
    }
    if (f.has("storage")) {
        STOREQ_TRY(storage, f.text("storage", 16));
        if (storage != "ok" && storage != "failing") return Error{"storage", "must be ok or failing"};
        m.storage = storage;
    }
    return m;
}

Expected<WaitEstimate> decode_wait_estimate(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    WaitEstimate m;
    STOREQ_TRY(lane, f.integer("lane", kMinLane, kMaxLane));
    STOREQ_TRY(waiting, f.integer("waiting", 0, kMaxQueueCount));
    STOREQ_TRY(minutes, f.integer("minutes", 0, 24 * 60));
    STOREQ_TRY(ts, f.unbounded_timestamp("ts"));
    m.lane = static_cast<int>(lane);
    m.waiting = static_cast<int>(waiting);
    m.minutes = static_cast<int>(minutes);
    m.ts = ts;
    return m;
}

Expected<ClockTick> decode_clock_tick(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    STOREQ_TRY(ts, f.unbounded_timestamp("ts"));
    return ClockTick{ts};
}

Expected<Receipt> decode_receipt(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Receipt m;
    STOREQ_TRY(db, f.text("db", 36));
    if (!is_valid_uuid(db)) return Error{"db", "must be a canonical lowercase UUID"};
    m.db = db;
    STOREQ_TRY(commit, f.integer("commit", 0, std::numeric_limits<std::int64_t>::max()));
    m.commit = commit;
    if (!j.contains("ids") || !j.at("ids").is_array()) return Error{"ids", "must be an array"};
    const json& ids = j.at("ids");
    if (ids.empty() || ids.size() > kMaxReceiptIds)
        return Error{"ids", "must hold 1.." + std::to_string(kMaxReceiptIds) + " ids"};
    for (const json& id : ids) {
        if (!id.is_string() || !is_valid_uuid(id.get<std::string>()))
            return Error{"ids", "every id must be a canonical lowercase UUID"};
        m.ids.push_back(id.get<std::string>());
    }
    return m;
}

Expected<Durable> decode_durable(std::string_view payload) {
    STOREQ_TRY(j, parse_object(payload));
    const Fields f(j);
    Durable m;
    STOREQ_TRY(db, f.text("db", 36));
    if (!is_valid_uuid(db)) return Error{"db", "must be a canonical lowercase UUID"};
    m.db = db;
    STOREQ_TRY(start, f.text("start", 36));
    if (!is_valid_uuid(start)) return Error{"start", "must be a canonical lowercase UUID"};
    m.start = start;
    STOREQ_TRY(commit, f.integer("commit", 0, std::numeric_limits<std::int64_t>::max()));
    m.commit = commit;
    STOREQ_TRY(ts, f.unbounded_timestamp("ts"));
    m.ts = ts;
    return m;
}

}  // namespace storeq
