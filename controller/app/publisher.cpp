#include "publisher.hpp"

#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
constexpr const char* kLog = "controller";
constexpr TimeMs kStatusIntervalMs = 10'000;

std::string join(const std::vector<int>& numbers) {
    std::string text;
    for (int n : numbers) text += (text.empty() ? "" : ",") + std::to_string(n);
    return text;
}
}  // namespace

Publisher::Publisher(MqttClient& client, std::string store, std::string device)
    : client_(client), store_(std::move(store)), device_(std::move(device)) {}

bool Publisher::send(const std::string& topic, const std::string& payload, TimeMs now, bool retained) {
    auto sent = client_.publish(topic, payload, 1, retained);
    if (sent) {
        ++sent_;
        return true;
    }
    if (refused_.count("not published", now))
        log_error(kLog, sent.error().to_string() + " (" + std::to_string(refused_.total()) +
                            " messages not published so far; logged once a minute)");
    return false;
}

void Publisher::publish(const std::vector<OutgoingMessage>& messages, TimeMs now) {
    for (const auto& m : messages) send(m.topic, m.payload, now, m.retained);
}

void Publisher::publish_durable(const Durable& notice, TimeMs now) { send(durable_topic(store_), encode(notice), now); }

void Publisher::republish_live_prompts(const State& state, TimeMs now) {
    for (const auto& [id, live] : state.live) send(prompt_topic(store_, id), encode(live.prompt), now);
}

void Publisher::publish_status(const Status& status, TimeMs now, bool force) {
    Status without_time = status;
    without_time.ts = 0;
    if (!force && status.online && last_status_ && *last_status_ == without_time && now - last_status_at_ < kStatusIntervalMs)
        return;
    if (status.unknown_lanes != (last_status_ ? last_status_->unknown_lanes : std::nullopt) && status.unknown_lanes &&
        !status.unknown_lanes->empty())
        log_warn(kLog, "lanes with no count from their sensor: " + join(*status.unknown_lanes));
    if (last_status_ && status.storage != last_status_->storage && status.storage)
        log_warn(kLog, "storage: " + *status.storage);
    last_status_ = without_time;
    last_status_at_ = now;
    send(status_topic(store_, device_), encode(status), now);
}

void Publisher::publish_discovery(const std::vector<DiscoveryMessage>& documents, TimeMs now) {
    for (const auto& doc : documents) send(doc.topic, doc.payload, now, doc.retained);
}

int Publisher::publish_stats(const std::vector<StatsDocument>& documents, TimeMs now) {
    int published = 0;
    for (const auto& doc : documents)
        if (send(stats_topic(store_, doc.view), doc.payload, now)) ++published;
    return published;
}

}  // namespace storeq::controller
