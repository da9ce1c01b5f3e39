#include "storeq/topics.hpp"

#include <charconv>
#include <vector>

#include "storeq/ids.hpp"
#include "storeq/protocol.hpp"

namespace storeq {
namespace {
constexpr std::string_view kPrefix = "storeq/v1/";

std::string lane_text(int lane) { return std::to_string(lane); }

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

Expected<int> parse_lane(std::string_view text) {
    int lane = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), lane);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() || text[0] == '0' ||
        lane < kMinLane || lane > kMaxLane)
        return Error{"topic", "lane must be an integer 1..999, got '" + std::string(text) + "'"};
    return lane;
}

Error bad(std::string_view topic, std::string_view why) {
    return Error{"topic", std::string(why) + " in '" + std::string(topic.substr(0, 200)) + "'"};
}
}  // namespace

std::string store_root(std::string_view store) { return std::string(kPrefix) + std::string(store) + "/"; }
std::string store_wildcard(std::string_view store) { return store_root(store) + "#"; }
std::string feedback_topic(std::string_view store, std::string_view kiosk) {
    return store_root(store) + "kiosk/" + std::string(kiosk) + "/feedback";
}
std::string queue_topic(std::string_view store, int lane) { return store_root(store) + "lane/" + lane_text(lane) + "/queue"; }
std::string lane_state_topic(std::string_view store, int lane) { return store_root(store) + "lane/" + lane_text(lane) + "/state"; }
std::string prompt_topic(std::string_view store, std::string_view id) { return store_root(store) + "prompts/" + std::string(id); }
std::string claim_topic(std::string_view store, std::string_view id, std::string_view account) {
    return prompt_topic(store, id) + "/claim/" + std::string(account);
}
std::string status_topic(std::string_view store, std::string_view device) {
    return store_root(store) + "device/" + std::string(device) + "/status";
}
std::string wait_topic(std::string_view store, int lane) { return store_root(store) + "lane/" + lane_text(lane) + "/wait"; }
std::string stats_topic(std::string_view store, std::string_view view) { return store_root(store) + "stats/" + std::string(view); }
std::string clock_topic(std::string_view store) { return store_root(store) + "clock"; }
std::string receipt_topic(std::string_view store, std::string_view kiosk) {
    return store_root(store) + "kiosk/" + std::string(kiosk) + "/receipt";
}
std::string durable_topic(std::string_view store) { return store_root(store) + "durable"; }
std::string door_topic(std::string_view store, int door) { return store_root(store) + "door/" + lane_text(door) + "/count"; }
std::string served_topic(std::string_view store, int lane) { return store_root(store) + "lane/" + lane_text(lane) + "/served"; }
std::string forecast_topic(std::string_view store) { return store_root(store) + "forecast"; }
std::string alert_topic(std::string_view store, std::string_view alert_id) {
    return store_root(store) + "alerts/" + std::string(alert_id);
}
std::string alert_answer_topic(std::string_view store, std::string_view alert_id, std::string_view account) {
    return alert_topic(store, alert_id) + "/answer/" + std::string(account);
}

std::string topic_name(const Topic& t) {
    switch (t.kind) {
        case TopicKind::feedback: return feedback_topic(t.store, t.device);
        case TopicKind::queue: return queue_topic(t.store, t.lane);
        case TopicKind::lane_state: return lane_state_topic(t.store, t.lane);
        case TopicKind::prompt: return prompt_topic(t.store, t.prompt_id);
        case TopicKind::claim: return claim_topic(t.store, t.prompt_id, t.device);
        case TopicKind::status: return status_topic(t.store, t.device);
        case TopicKind::wait: return wait_topic(t.store, t.lane);
        case TopicKind::stats: return stats_topic(t.store, t.view);
        case TopicKind::clock: return clock_topic(t.store);
        case TopicKind::receipt: return receipt_topic(t.store, t.device);
        case TopicKind::durable: return durable_topic(t.store);
        case TopicKind::head_office: return store_root(t.store) + "hq/" + t.view;
        case TopicKind::door: return door_topic(t.store, t.lane);
        case TopicKind::served: return served_topic(t.store, t.lane);
        case TopicKind::forecast: return forecast_topic(t.store);
        case TopicKind::alert: return alert_topic(t.store, t.alert_id);
        case TopicKind::alert_answer: return alert_answer_topic(t.store, t.alert_id, t.device);
    }
    return {};
}

Expected<Topic> parse_topic(std::string_view topic) {
    if (topic.substr(0, kPrefix.size()) != kPrefix) return bad(topic, "not a storeq/v1 topic");
    const auto parts = split(topic.substr(kPrefix.size()), '/');
    if (parts.size() < 2) return bad(topic, "too short");
    Topic t;
    t.store = std::string(parts[0]);
    if (!is_valid_id(t.store)) return bad(topic, "invalid store id");
    const auto n = parts.size();
    const std::string_view head = parts[1];

    if (head == "clock" && n == 2) {
        t.kind = TopicKind::clock;
        return t;
    }
    if (head == "durable" && n == 2) {
        t.kind = TopicKind::durable;
        return t;
    }
    if (head == "forecast" && n == 2) {
        t.kind = TopicKind::forecast;
        return t;
    }
    if (head == "door" && n == 4 && parts[3] == "count") {
        auto door = parse_lane(parts[2]);
        if (!door) return Error{"topic", "door must be an integer 1..999, got '" + std::string(parts[2].substr(0, 40)) + "'"};
        t.kind = TopicKind::door;
        t.lane = *door;
        return t;
    }
    if (head == "kiosk" && n == 4 && (parts[3] == "feedback" || parts[3] == "receipt")) {
        if (!is_valid_id(parts[2])) return bad(topic, "invalid kiosk id");
        t.kind = parts[3] == "feedback" ? TopicKind::feedback : TopicKind::receipt;
        t.device = std::string(parts[2]);
        return t;
    }
    if (head == "device" && n == 4 && parts[3] == "status") {
        if (!is_valid_id(parts[2])) return bad(topic, "invalid device id");
        t.kind = TopicKind::status;
        t.device = std::string(parts[2]);
        return t;
    }
    if (head == "lane" && n == 4) {
        auto lane = parse_lane(parts[2]);
        if (!lane) return lane.error();
        t.lane = *lane;
        if (parts[3] == "queue") t.kind = TopicKind::queue;
        else if (parts[3] == "state") t.kind = TopicKind::lane_state;
        else if (parts[3] == "wait") t.kind = TopicKind::wait;
        else if (parts[3] == "served") t.kind = TopicKind::served;
        else return bad(topic, "unknown lane topic");
        return t;
    }
    if (head == "prompts" && n == 4 && parts[3] == "claim")
        return bad(topic, "a claim topic ends in the claimer's account (prompts/{id}/claim/{account})");
    if (head == "prompts" && (n == 3 || (n == 5 && parts[3] == "claim"))) {
        if (!is_valid_uuid(parts[2])) return bad(topic, "prompt id is not a UUID");
        t.kind = n == 3 ? TopicKind::prompt : TopicKind::claim;
        t.prompt_id = std::string(parts[2]);
        if (n == 5) {
            if (!is_valid_id(parts[4])) return bad(topic, "invalid account in claim topic");
            t.device = std::string(parts[4]);
        }
        return t;
    }
    if (head == "alerts" && (n == 3 || (n == 5 && parts[3] == "answer"))) {
        if (!is_valid_uuid(parts[2])) return bad(topic, "alert id is not a UUID");
        t.kind = n == 3 ? TopicKind::alert : TopicKind::alert_answer;
        t.alert_id = std::string(parts[2]);
        if (n == 5) {
            if (!is_valid_id(parts[4])) return bad(topic, "invalid account in alert answer topic");
            t.device = std::string(parts[4]);
        }
        return t;
    }
    if (head == "hq" && n == 3 && (parts[2] == "outbound" || parts[2] == "ack")) {
        t.kind = TopicKind::head_office;
        t.view = std::string(parts[2]);
        return t;
    }
    if (head == "stats" && n == 3 && is_valid_id(parts[2])) {
        t.kind = TopicKind::stats;
        t.view = std::string(parts[2]);
        return t;
    }
    return bad(topic, "unknown topic");
}

}  // namespace storeq
