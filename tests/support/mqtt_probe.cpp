#include "mqtt_probe.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>

#include <unistd.h>

#include "child_process.hpp"

namespace storeq::test {

namespace {

MqttOptions probe_options(const std::string& host, int port, const std::string& name,
                          bool clean_session, const std::string& username = {}, const std::string& password = {}) {
    static std::atomic<int> counter{0};
    MqttOptions options;
    options.host = host;
    options.port = port;
    options.clean_session = clean_session;
    options.username = username;
    options.password = password;
    options.client_id = "test-" + name + "-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter++);
    // Tests restart brokers: come back quickly.
    options.reconnect_min_s = 1;
    options.reconnect_max_s = 1;
    return options;
}

}  // namespace

MqttProbe::MqttProbe(const std::string& host, int port, const std::string& name,
                     bool clean_session)
    : MqttProbe(host, port, name, std::string(), std::string(), clean_session) {}

MqttProbe::MqttProbe(const std::string& host, int port, const std::string& name, const std::string& username,
                     const std::string& password, bool clean_session)
    : client_(probe_options(host, port, name, clean_session, username, password)) {
    client_.on_message([this](const MqttMessage& message) {
        {
            std::lock_guard lock(mutex_);
            received_.push_back(message);
        }
        changed_.notify_all();
    });
    if (auto started = client_.start(); !started)
        throw std::runtime_error("MqttProbe: " + started.error().to_string());
}

MqttProbe::~MqttProbe() { client_.stop(); }

void MqttProbe::subscribe(const std::string& pattern, int qos) { client_.subscribe(pattern, qos); }

bool MqttProbe::wait_connected(int timeout_ms) {
    return wait_until([this] { return client_.connected(); }, timeout_ms);
}

std::optional<MqttMessage> MqttProbe::wait_for(const Predicate& pred, int timeout_ms) {
    std::optional<MqttMessage> found;
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
        for (const auto& message : received_) {
            if (pred(message)) {
                found = message;
                return true;
            }
        }
        return false;
    });
    return found;
}

std::optional<MqttMessage> MqttProbe::wait_for_topic(const std::string& topic, int timeout_ms) {
    return wait_for([&](const MqttMessage& m) { return m.topic == topic; }, timeout_ms);
}

std::vector<MqttMessage> MqttProbe::messages() const {
    std::lock_guard lock(mutex_);
    return received_;
}

void MqttProbe::clear() {
    std::lock_guard lock(mutex_);
    received_.clear();
}

Expected<int> MqttProbe::publish(const std::string& topic, const std::string& payload, int qos,
                                 bool retain) {
    return client_.publish(topic, payload, qos, retain);
}

}  // namespace storeq::test
