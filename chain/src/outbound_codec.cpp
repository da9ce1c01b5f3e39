#include "storeq/chain/outbound.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "storeq/ids.hpp"
#include "storeq/topics.hpp"

namespace storeq::chain {
namespace {
using json = nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Decoding throws this inside the codec only; decode_* turn it into an Error value.
struct Bad {
    std::string where, what;
};

const json& field(const json& o, const char* name, const std::string& where) {
    if (!o.is_object()) throw Bad{where, "must be an object"};
    auto it = o.find(name);
    if (it == o.end() || it->is_null()) throw Bad{where + name, "is missing"};
    return *it;
}
std::int64_t integer(const json& o, const char* name, const std::string& where, std::int64_t min = 0) {
    const json& v = field(o, name, where);
    if (!v.is_number_integer()) throw Bad{where + name, "must be an integer"};
    const auto value = v.get<std::int64_t>();
    if (value < min) throw Bad{where + name, "must be at least " + std::to_string(min)};
    return value;
}
std::string text(const json& o, const char* name, const std::string& where, std::size_t max = 256) {
    const json& v = field(o, name, where);
    if (!v.is_string()) throw Bad{where + name, "must be a string"};
    auto s = v.get<std::string>();
    if (s.size() > max) throw Bad{where + name, "longer than " + std::to_string(max) + " bytes"};
    return s;
}
bool boolean(const json& o, const char* name, const std::string& where) {
    const json& v = field(o, name, where);
    if (!v.is_boolean()) throw Bad{where + name, "must be true or false"};
    return v.get<bool>();
}
std::optional<std::string> optional_text(const json& o, const char* name, const std::string& where) {
    if (!o.contains(name) || o.at(name).is_null()) return std::nullopt;
    return text(o, name, where);
}
template <class E, std::size_t N>
E enum_named(const std::string& value, const std::array<E, N>& values, const std::string& where) {
    for (E v : values)
        if (to_string(v) == value) return v;
    throw Bad{where, "unknown value '" + value.substr(0, 40) + "'"};
}
constexpr std::array kScales{Scale::smiley4, Scale::smiley5, Scale::nps};
constexpr const auto& kActions = kPromptActions;
constexpr std::array kStates{PromptState::open, PromptState::claimed, PromptState::fulfilled, PromptState::cancelled,
                             PromptState::expired};

template <std::size_t N>
json counts_json(const std::array<std::int64_t, N>& a) {
    return json(std::vector<std::int64_t>(a.begin(), a.end()));
}
template <std::size_t N>
void read_counts(const json& o, const char* name, const std::string& where, std::array<std::int64_t, N>& out) {
    const json& v = field(o, name, where);
    if (!v.is_array() || v.size() != N) throw Bad{where + name, "must be an array of " + std::to_string(N) + " counts"};
    for (std::size_t i = 0; i < N; ++i) {
        if (!v[i].is_number_integer() || v[i].get<std::int64_t>() < 0) throw Bad{where + name, "must hold counts >= 0"};
        out[i] = v[i].get<std::int64_t>();
    }
}
void read_reasons(const json& o, const char* name, const std::string& where, std::map<std::string, std::int64_t>& out) {
    const json& v = field(o, name, where);
    if (!v.is_object()) throw Bad{where + name, "must be an object of counts"};
    for (const auto& [code, n] : v.items()) {
        if (!n.is_number_integer() || n.get<std::int64_t>() < 0 || code.size() > 64)
            throw Bad{where + name, "must map reason codes to counts >= 0"};
        out[code] = n.get<std::int64_t>();
    }
}

json body_json(const FeedbackEntry& f) {
    return {{"kind", "feedback"}, {"id", f.id}, {"kiosk", f.kiosk}, {"ts", f.ts}, {"received", f.received},
            {"counted_at", f.counted_at}, {"scale", to_string(f.scale)}, {"score", f.score},
            {"reason", f.reason ? json(*f.reason) : json()}, {"misuse", f.misuse}, {"clock_suspect", f.clock_suspect},
            {"after_breach", f.after_breach ? json(*f.after_breach) : json()}};
}
json body_json(const PromptEntry& p) {
    return {{"kind", "prompt"}, {"id", p.id}, {"action", to_string(p.action)}, {"till", p.till},
            {"state", to_string(p.state)}, {"level", p.level}, {"raised", p.raised}, {"updated", p.updated},
            {"claimed_by", p.claimed_by ? json(*p.claimed_by) : json()},
            {"claimed_at", p.claimed_at ? json(*p.claimed_at) : json()}};
}
json body_json(const LaneEntry& l) { return {{"kind", "lane"}, {"lane", l.lane}, {"open", l.open}, {"at", l.at}}; }
json body_json(const HourEntry& h) {
    json lanes = json::array();
    for (const auto& [lane, t] : h.lanes)
        lanes.push_back({{"lane", lane}, {"open_ms", t.open_ms}, {"counted_ms", t.counted_ms},
                         {"unknown_ms", t.unknown_ms}, {"breach_ms", t.breach_ms}, {"queue_ms", t.queue_ms},
                         {"max_queue", t.max_queue}, {"samples", t.samples}, {"breaches", t.breaches},
                         {"kept", t.kept}, {"broken", t.broken}});
    const FeedbackTally& f = h.feedback;
    json feedback = {{"smiley4", counts_json(f.smiley4)}, {"smiley5", counts_json(f.smiley5)},
                     {"nps", counts_json(f.nps)}, {"misuse", f.misuse},
                     {"reasons_positive", f.reasons_positive}, {"reasons_negative", f.reasons_negative}};
    // The answers known to have come after a breach or with none (queue_cost.hpp).
    for (const auto& [name, c] : {std::pair{"no_breach", &f.by_breach[0]}, std::pair{"after_breach", &f.by_breach[1]}})
        feedback[name] = {{"smiley4", counts_json(c->smiley4)}, {"smiley5", counts_json(c->smiley5)},
                          {"nps", counts_json(c->nps)}};
    return {{"kind", "hour"}, {"hour", h.hour}, {"lanes", lanes}, {"feedback", feedback}};
}

EntryBody read_body(const json& e, const std::string& where) {
    const std::string kind = text(e, "kind", where, 16);
    if (kind == "feedback") {
        FeedbackEntry f;
        f.id = text(e, "id", where, 64);
        f.kiosk = text(e, "kiosk", where, 64);
        f.ts = integer(e, "ts", where);
        f.received = integer(e, "received", where);
        f.counted_at = integer(e, "counted_at", where);
        f.scale = enum_named(text(e, "scale", where, 16), kScales, where + "scale");
        f.score = static_cast<int>(integer(e, "score", where));
        if (f.score > max_score(f.scale)) throw Bad{where + "score", "is above its scale"};
        f.reason = optional_text(e, "reason", where);
        f.misuse = boolean(e, "misuse", where);
        f.clock_suspect = boolean(e, "clock_suspect", where);
        if (e.contains("after_breach") && !e.at("after_breach").is_null())
            f.after_breach = boolean(e, "after_breach", where);
        return f;
    }
    if (kind == "prompt") {
        PromptEntry p;
        p.id = text(e, "id", where, 64);
        p.action = enum_named(text(e, "action", where, 32), kActions, where + "action");
        p.till = static_cast<int>(integer(e, "till", where));
        p.state = enum_named(text(e, "state", where, 32), kStates, where + "state");
        p.level = static_cast<int>(integer(e, "level", where));
        p.raised = integer(e, "raised", where);
        p.updated = integer(e, "updated", where);
        p.claimed_by = optional_text(e, "claimed_by", where);
        if (e.contains("claimed_at") && !e.at("claimed_at").is_null()) p.claimed_at = integer(e, "claimed_at", where);
        return p;
    }
    if (kind == "lane") {
        LaneEntry l;
        l.lane = static_cast<int>(integer(e, "lane", where, kMinLane));
        if (l.lane > kMaxLane) throw Bad{where + "lane", "must be 1..999"};
        l.open = boolean(e, "open", where);
        l.at = integer(e, "at", where);
        return l;
    }
    if (kind == "hour") {
        HourEntry h;
        h.hour = integer(e, "hour", where);
        const json& lanes = field(e, "lanes", where);
        if (!lanes.is_array()) throw Bad{where + "lanes", "must be an array"};
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            const std::string at = where + "lanes[" + std::to_string(i) + "].";
            const json& l = lanes[i];
            LaneTotals t;
            const int lane = static_cast<int>(integer(l, "lane", at, kMinLane));
            t.open_ms = integer(l, "open_ms", at);
            t.counted_ms = integer(l, "counted_ms", at);
            t.unknown_ms = integer(l, "unknown_ms", at);
            t.breach_ms = integer(l, "breach_ms", at);
            t.queue_ms = integer(l, "queue_ms", at);
            t.max_queue = static_cast<int>(integer(l, "max_queue", at));
            t.samples = integer(l, "samples", at);
            t.breaches = integer(l, "breaches", at);
            t.kept = integer(l, "kept", at);
            t.broken = integer(l, "broken", at);
            h.lanes.emplace_back(lane, t);
        }
        const json& f = field(e, "feedback", where);
        const std::string at = where + "feedback.";
        read_counts(f, "smiley4", at, h.feedback.smiley4);
        read_counts(f, "smiley5", at, h.feedback.smiley5);
        read_counts(f, "nps", at, h.feedback.nps);
        h.feedback.misuse = integer(f, "misuse", at);
        read_reasons(f, "reasons_positive", at, h.feedback.reasons_positive);
        read_reasons(f, "reasons_negative", at, h.feedback.reasons_negative);
        // Absent from a store before the queue-cost figures: nothing known either way.
        for (const auto& [name, c] : {std::pair{"no_breach", &h.feedback.by_breach[0]},
                                      std::pair{"after_breach", &h.feedback.by_breach[1]}}) {
            if (!f.contains(name)) continue;
            const json& side = f.at(name);
            const std::string side_at = at + name + ".";
            if (!side.is_object()) throw Bad{side_at, "must be an object of counts"};
            read_counts(side, "smiley4", side_at, c->smiley4);
            read_counts(side, "smiley5", side_at, c->smiley5);
            read_counts(side, "nps", side_at, c->nps);
        }
        return h;
    }
    throw Bad{where + "kind", "must be feedback, prompt, lane or hour, got '" + kind.substr(0, 16) + "'"};
}

Expected<json> parse(std::string_view payload) {
    if (payload.size() > 4 * kMaxBatchBytes) return Error{"payload", "larger than " + std::to_string(4 * kMaxBatchBytes) + " bytes"};
    json j = json::parse(payload.begin(), payload.end(), nullptr, false);
    if (j.is_discarded()) return Error{"payload", "is not JSON"};
    if (!j.is_object()) return Error{"payload", "must be a JSON object"};
    return j;
}
}  // namespace

std::string entry_json(const EntryBody& body) {
    return std::visit([](const auto& b) { return dump(body_json(b)); }, body);
}

std::string batch_json(std::string_view store, std::string_view zone,
                       const std::vector<std::pair<std::int64_t, std::string>>& entries) {
    // Stored bodies are spliced in as they are: `{"seq":N,` + the body without its `{`.
    std::string out = dump(json{{"v", 1}, {"store", store}, {"zone", zone}});
    out.pop_back();  // the closing brace
    out += ",\"entries\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& [seq, body] = entries[i];
        if (i) out += ',';
        out += "{\"seq\":" + std::to_string(seq) + "," + body.substr(1);
    }
    out += "]}";
    return out;
}

std::string encode(const Batch& batch) {
    std::vector<std::pair<std::int64_t, std::string>> bodies;
    bodies.reserve(batch.entries.size());
    for (const Entry& e : batch.entries) bodies.emplace_back(e.seq, entry_json(e.body));
    return batch_json(batch.store, batch.zone, bodies);
}

std::string encode(const Ack& ack) { return dump(json{{"v", 1}, {"seq", ack.seq}}); }

Expected<Batch> decode_batch(std::string_view payload) {
    auto j = parse(payload);
    if (!j) return j.error();
    try {
        if (integer(*j, "v", "") != 1) return Error{"v", "must be 1"};
        Batch b;
        b.store = text(*j, "store", "", 64);
        if (!is_valid_id(b.store)) return Error{"store", "must match [a-z0-9][a-z0-9-]{0,31}"};
        b.zone = text(*j, "zone", "", 64);
        const json& entries = field(*j, "entries", "");
        if (!entries.is_array()) return Error{"entries", "must be an array"};
        std::int64_t last = 0;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const std::string where = "entries[" + std::to_string(i) + "].";
            Entry e;
            e.seq = integer(entries[i], "seq", where, 1);
            if (e.seq <= last) return Error{where + "seq", "must be above the entry before it"};
            last = e.seq;
            e.body = read_body(entries[i], where);
            b.entries.push_back(std::move(e));
        }
        return b;
    } catch (const Bad& bad) {
        return Error{bad.where, bad.what};
    }
}

Expected<Ack> decode_ack(std::string_view payload) {
    auto j = parse(payload);
    if (!j) return j.error();
    try {
        if (integer(*j, "v", "") != 1) return Error{"v", "must be 1"};
        return Ack{integer(*j, "seq", "")};
    } catch (const Bad& bad) {
        return Error{bad.where, bad.what};
    }
}

std::string outbound_topic(std::string_view store) { return store_root(store) + "hq/outbound"; }
std::string ack_topic(std::string_view store) { return store_root(store) + "hq/ack"; }
std::string chain_document_topic(std::string_view view) { return "storeq/chain/v1/" + std::string(view); }

Expected<std::string> store_of_outbound_topic(std::string_view topic) {
    constexpr std::string_view prefix = "storeq/v1/", suffix = "/hq/outbound";
    if (topic.size() <= prefix.size() + suffix.size() || topic.substr(0, prefix.size()) != prefix ||
        topic.substr(topic.size() - suffix.size()) != suffix)
        return Error{"topic", "not storeq/v1/{store}/hq/outbound: '" + std::string(topic.substr(0, 200)) + "'"};
    std::string store(topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size()));
    if (!is_valid_id(store)) return Error{"topic", "store must match [a-z0-9][a-z0-9-]{0,31}, got '" + store.substr(0, 64) + "'"};
    return store;
}

}  // namespace storeq::chain
