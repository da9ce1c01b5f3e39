#pragma once
// The test's own MQTT client: records every message on the patterns it subscribes to, so
// a test can wait for what a user would see on the broker.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storeq/mqtt_client.hpp"

namespace storeq::test {

class MqttProbe {
public:
    using Predicate = std::function<bool(const MqttMessage&)>;

    // Connects to host:port with a unique client id. clean_session false keeps the
    // subscriptions and queued QoS 1 messages on the broker while the probe is away.
    MqttProbe(const std::string& host, int port, const std::string& name = "probe",
              bool clean_session = true);
    // Logged in with a broker account (a broker with allow_anonymous false).
    MqttProbe(const std::string& host, int port, const std::string& name, const std::string& username,
              const std::string& password, bool clean_session = true);
    ~MqttProbe();
    MqttProbe(const MqttProbe&) = delete;
    MqttProbe& operator=(const MqttProbe&) = delete;

    void subscribe(const std::string& pattern, int qos = 1);
    bool wait_connected(int timeout_ms);
    // First recorded message (already received or arriving before the timeout) for which
    // pred holds.
    std::optional<MqttMessage> wait_for(const Predicate& pred, int timeout_ms);
    std::optional<MqttMessage> wait_for_topic(const std::string& topic, int timeout_ms);
    std::vector<MqttMessage> messages() const;
    void clear();
    Expected<int> publish(const std::string& topic, const std::string& payload, int qos = 1,
                          bool retain = false);
    MqttClient& client() { return client_; }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<MqttMessage> received_;
    MqttClient client_;
};

}  // namespace storeq::test
