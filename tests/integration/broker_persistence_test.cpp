// The test broker's persistence really works (issue 16): the fault suite relies on it, and
// a broker that cannot write its persistence file ("Error: Permission denied." when
// mosquitto, started as root, drops to user "mosquitto" and cannot write the root-owned
// temporary directory) forgets every session on a restart without failing anything.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "storeq/mqtt_client.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr int kTimeoutMs = 10000;

// One fixed client id: the broker keeps a persistent session under it between runs.
MqttOptions session_options(const TestBroker& broker, const std::string& client_id) {
    MqttOptions options;
    options.host = broker.host();
    options.port = broker.port();
    options.client_id = client_id;
    options.clean_session = false;
    options.reconnect_min_s = 1;
    options.reconnect_max_s = 1;
    return options;
}

// A client that records the payloads it receives.
struct Recorder {
    explicit Recorder(const MqttOptions& options) : client(options) {
        client.on_message([this](const MqttMessage& m) {
            std::lock_guard lock(mutex);
            payloads.push_back(m.payload);
        });
    }
    bool got(const std::string& payload) {
        std::lock_guard lock(mutex);
        for (const auto& p : payloads)
            if (p == payload) return true;
        return false;
    }
    std::mutex mutex;
    std::vector<std::string> payloads;
    MqttClient client;
};
}  // namespace

TEST_CASE("a persistent broker writes its file and keeps a queued QoS 1 message across a restart", "[persist]") {
    TestBroker broker{TestBrokerOptions{.persistence = true}};
    const std::string topic = "storeq/v1/persist/kiosk/exit-1/feedback";
    const std::string file = broker.dir().file("mosquitto.db");

    // 1. A persistent session subscribes (QoS 1), proves the subscription is live, and leaves.
    {
        Recorder subscriber(session_options(broker, "persist-subscriber"));
        subscriber.client.subscribe(topic, 1);
        REQUIRE(subscriber.client.start());
        MqttClient publisher(session_options(broker, "persist-publisher-1"));
        REQUIRE(publisher.start());
        REQUIRE(wait_until([&] { return publisher.connected() && subscriber.client.connected(); }, kTimeoutMs));
        REQUIRE(wait_until([&] {
            (void)publisher.publish(topic, "ready", 1);
            return wait_until([&] { return subscriber.got("ready"); }, 200);
        }, kTimeoutMs));
        subscriber.client.stop();
        publisher.stop();
    }

    // 2. A message for the absent subscriber: the broker queues it in the session.
    {
        MqttClient publisher(session_options(broker, "persist-publisher-2"));
        std::atomic<int> acked{0};
        publisher.on_published([&](int) { acked.fetch_add(1); });
        REQUIRE(publisher.start());
        REQUIRE(wait_until([&] { return publisher.connected(); }, kTimeoutMs));
        REQUIRE(publisher.publish(topic, "queued-while-away", 1));
        REQUIRE(wait_until([&] { return acked.load() >= 1; }, kTimeoutMs));  // the broker has it
        publisher.stop();
    }

    // 3. A clean stop writes the persistence file; the log has no error.
    broker.stop();
    INFO("broker log:\n" << broker.log_text());
    CHECK(broker.log_text().find("Error") == std::string::npos);
    REQUIRE(std::filesystem::exists(file));
    CHECK(std::filesystem::file_size(file) > 0);

    // 4. The restarted broker still has the session and its queued message.
    broker.start();
    Recorder subscriber(session_options(broker, "persist-subscriber"));
    REQUIRE(subscriber.client.start());
    CHECK(wait_until([&] { return subscriber.got("queued-while-away"); }, kTimeoutMs));
    subscriber.client.stop();
}
