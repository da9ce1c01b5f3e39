// storeq::MqttClient through a real mosquitto: delivery, broker restarts, offline
// publishing, last-will, and handlers that misbehave.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "storeq/mqtt_client.hpp"
#include "test_broker.hpp"

using storeq::MqttClient;
using storeq::MqttMessage;
using storeq::MqttOptions;
using storeq::test::MqttProbe;
using storeq::test::TestBroker;
using storeq::test::wait_until;

namespace {

// Safety nets for a loaded 2-core machine, not expectations of speed.
constexpr int kTimeoutMs = 10000;

MqttOptions client_options(const TestBroker& broker, const std::string& id) {
    MqttOptions options;
    options.host = broker.host();
    options.port = broker.port();
    options.client_id = id + "-" + std::to_string(::getpid());
    options.reconnect_min_s = 1;
    options.reconnect_max_s = 1;
    return options;
}

auto payload_is(const std::string& topic, const std::string& payload) {
    return [=](const MqttMessage& m) { return m.topic == topic && m.payload == payload; };
}

std::string describe(const std::vector<MqttMessage>& messages) {
    std::string text;
    for (const auto& m : messages) text += m.topic + " = " + m.payload + "\n";
    return text;
}

// A subscription is active once a message sent through it comes back.
void require_subscribed(MqttProbe& probe, const std::string& topic) {
    REQUIRE(probe.wait_connected(kTimeoutMs));
    const bool arrived = wait_until(
        [&] {
            probe.publish(topic, "ready", 1);
            return probe.wait_for(payload_is(topic, "ready"), 200).has_value();
        },
        kTimeoutMs);
    REQUIRE(arrived);
}

}  // namespace

TEST_CASE("parse_host_port accepts host:port and rejects the rest", "[mqtt]") {
    auto parsed = storeq::parse_host_port("127.0.0.1:1883");
    REQUIRE(parsed);
    CHECK(parsed->first == "127.0.0.1");
    CHECK(parsed->second == 1883);
    auto v6 = storeq::parse_host_port("[::1]:8883");
    REQUIRE(v6);
    CHECK(v6->first == "::1");
    for (const char* bad : {"", "localhost", ":1883", "host:", "host:0", "host:65536",
                            "host:12ab", "host:-1", "host: 1883"}) {
        INFO(bad);
        auto result = storeq::parse_host_port(bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().where == "broker");
    }
}

TEST_CASE("start() rejects bad options without touching the network", "[mqtt]") {
    MqttOptions options;
    options.client_id = "bad-port";
    options.port = 0;
    MqttClient client(options);
    CHECK_FALSE(client.start());
}

TEST_CASE("a published message reaches a subscriber through the broker", "[mqtt]") {
    TestBroker broker;
    MqttProbe probe(broker.host(), broker.port());
    probe.subscribe("storeq/test/#");
    require_subscribed(probe, "storeq/test/ready");

    MqttClient client(client_options(broker, "publisher"));
    std::mutex acked_mutex;
    std::set<int> acked;
    client.on_published([&](int mid) {
        std::lock_guard lock(acked_mutex);
        acked.insert(mid);
    });
    REQUIRE(client.start());
    REQUIRE(wait_until([&] { return client.connected(); }, kTimeoutMs));

    auto mid = client.publish("storeq/test/feedback", R"({"score":4})", 1);
    REQUIRE(mid);
    auto received = probe.wait_for_topic("storeq/test/feedback", kTimeoutMs);
    REQUIRE(received);
    CHECK(received->payload == R"({"score":4})");
    CHECK(received->qos == 1);
    CHECK_FALSE(received->retained);
    CHECK(wait_until(
        [&] {
            std::lock_guard lock(acked_mutex);
            return acked.count(*mid) == 1;
        },
        kTimeoutMs));

    // Binary payloads with NUL bytes come through unchanged.
    const std::string binary("a\0b\0c", 5);
    REQUIRE(client.publish("storeq/test/binary", binary, 0));
    auto binary_received = probe.wait_for_topic("storeq/test/binary", kTimeoutMs);
    REQUIRE(binary_received);
    CHECK(binary_received->payload == binary);

    client.stop();
    client.stop();  // idempotent
    CHECK_FALSE(client.connected());
}

TEST_CASE("a retained message reaches a subscriber that comes later", "[mqtt]") {
    TestBroker broker;
    MqttClient client(client_options(broker, "retainer"));
    std::atomic<bool> acked{false};
    client.on_published([&](int) { acked = true; });
    REQUIRE(client.start());
    REQUIRE(client.publish("storeq/test/status", "online", 1, true));
    REQUIRE(wait_until([&] { return acked.load(); }, kTimeoutMs));

    MqttProbe late(broker.host(), broker.port(), "late");
    late.subscribe("storeq/test/status");
    auto received = late.wait_for_topic("storeq/test/status", kTimeoutMs);
    REQUIRE(received);
    CHECK(received->payload == "online");
    CHECK(received->retained);
}

TEST_CASE("subscriptions come back after the broker restarts", "[mqtt]") {
    TestBroker broker;
    MqttClient subscriber(client_options(broker, "subscriber"));
    std::mutex mutex;
    std::vector<std::string> payloads;
    std::atomic<int> connects{0};
    subscriber.on_message([&](const MqttMessage& m) {
        std::lock_guard lock(mutex);
        payloads.push_back(m.payload);
    });
    subscriber.on_connection([&](bool up) {
        if (up) ++connects;
    });
    auto received = [&](const std::string& payload) {
        return wait_until(
            [&] {
                std::lock_guard lock(mutex);
                return std::find(payloads.begin(), payloads.end(), payload) != payloads.end();
            },
            kTimeoutMs);
    };
    subscriber.subscribe("storeq/test/restart");
    REQUIRE(subscriber.start());
    REQUIRE(wait_until([&] { return connects.load() == 1; }, kTimeoutMs));

    MqttProbe publisher(broker.host(), broker.port(), "publisher");
    REQUIRE(publisher.wait_connected(kTimeoutMs));
    REQUIRE(wait_until(
        [&] {
            publisher.publish("storeq/test/restart", "before", 1);
            std::lock_guard lock(mutex);
            return !payloads.empty();
        },
        kTimeoutMs));

    broker.stop();
    REQUIRE(wait_until([&] { return !subscriber.connected(); }, kTimeoutMs));
    broker.start();
    REQUIRE(wait_until([&] { return connects.load() == 2 && subscriber.connected(); }, kTimeoutMs));
    REQUIRE(publisher.wait_connected(kTimeoutMs));

    // The subscribe sent in on_connect may still be on its way: publish until it lands.
    REQUIRE(wait_until(
        [&] {
            publisher.publish("storeq/test/restart", "after", 1);
            std::lock_guard lock(mutex);
            return std::find(payloads.begin(), payloads.end(), "after") != payloads.end();
        },
        kTimeoutMs));
    CHECK(received("after"));

    // A subscription added while connected takes effect without a reconnect.
    subscriber.subscribe("storeq/test/late");
    REQUIRE(wait_until(
        [&] {
            publisher.publish("storeq/test/late", "late", 1);
            std::lock_guard lock(mutex);
            return std::find(payloads.begin(), payloads.end(), "late") != payloads.end();
        },
        kTimeoutMs));
}

TEST_CASE("QoS 1 messages published while the broker is down are delivered after it returns",
          "[mqtt]") {
    TestBroker broker({.persistence = true});
    // A persistent session, so the broker queues for the subscriber even before the
    // subscriber itself has reconnected.
    MqttProbe subscriber(broker.host(), broker.port(), "offline-subscriber", false);
    subscriber.subscribe("storeq/test/offline/#");
    require_subscribed(subscriber, "storeq/test/offline/ready");

    SECTION("the publisher was connected before the broker went down") {
        MqttClient publisher(client_options(broker, "offline-publisher"));
        REQUIRE(publisher.start());
        REQUIRE(wait_until([&] { return publisher.connected(); }, kTimeoutMs));
        broker.stop();
        REQUIRE(wait_until([&] { return !publisher.connected(); }, kTimeoutMs));

        auto first = publisher.publish("storeq/test/offline/a", "queued-1", 1);
        auto second = publisher.publish("storeq/test/offline/a", "queued-2", 1);
        REQUIRE(first);
        REQUIRE(second);
        CHECK(*first != *second);

        broker.start();
        INFO("broker log:\n" << broker.log_text());
        CHECK(subscriber.wait_for(payload_is("storeq/test/offline/a", "queued-1"), kTimeoutMs));
        INFO("received:\n" << describe(subscriber.messages()));
        CHECK(subscriber.wait_for(payload_is("storeq/test/offline/a", "queued-2"), kTimeoutMs));
    }

    SECTION("the publisher never reached the broker before publishing") {
        broker.stop();
        MqttClient publisher(client_options(broker, "never-connected"));
        auto before_start = publisher.publish("storeq/test/offline/b", "before-start", 1);
        REQUIRE(before_start);
        REQUIRE(publisher.start());  // broker down: not an error, it keeps retrying
        auto while_down = publisher.publish("storeq/test/offline/b", "while-down", 1);
        REQUIRE(while_down);
        CHECK_FALSE(publisher.connected());

        broker.start();
        CHECK(subscriber.wait_for(payload_is("storeq/test/offline/b", "before-start"),
                                  kTimeoutMs));
        CHECK(subscriber.wait_for(payload_is("storeq/test/offline/b", "while-down"), kTimeoutMs));
    }
}

TEST_CASE("stop() returns promptly while the broker is down", "[mqtt]") {
    TestBroker broker;
    broker.stop();
    MqttOptions options = client_options(broker, "stop-while-down");
    options.reconnect_min_s = 30;  // the loop thread sleeps long between attempts
    options.reconnect_max_s = 30;
    MqttClient client(options);
    REQUIRE(client.start());
    client.stop();  // must not wait out the 30 s backoff; ctest's timeout would catch it
    CHECK_FALSE(client.connected());
}

TEST_CASE("a handler that throws does not take the process down", "[mqtt]") {
    TestBroker broker;
    MqttClient client(client_options(broker, "thrower"));
    std::atomic<int> calls{0};
    client.on_message([&](const MqttMessage& m) {
        ++calls;
        if (m.payload == "std") throw std::runtime_error("handler failed");
        throw 42;  // not even a std::exception
    });
    client.on_connection([](bool) { throw std::runtime_error("connection handler failed"); });
    client.on_published([](int) { throw std::logic_error("published handler failed"); });
    client.subscribe("storeq/test/throw");
    REQUIRE(client.start());
    REQUIRE(wait_until([&] { return client.connected(); }, kTimeoutMs));

    MqttProbe publisher(broker.host(), broker.port(), "throw-publisher");
    REQUIRE(publisher.wait_connected(kTimeoutMs));
    // Keep publishing until both kinds of throw have happened (the subscription may
    // still be in flight for the first few).
    REQUIRE(wait_until(
        [&] {
            publisher.publish("storeq/test/throw", "std", 1);
            publisher.publish("storeq/test/throw", "int", 1);
            return calls.load() >= 2;
        },
        kTimeoutMs));
    REQUIRE(client.publish("storeq/test/throw", "from-thrower", 1));
    CHECK(wait_until([&] { return calls.load() >= 3; }, kTimeoutMs));
    CHECK(client.connected());
}

TEST_CASE("the last-will is published, retained, when a client dies", "[mqtt]") {
    TestBroker broker;
    const std::string will_topic = "storeq/test/device/kiosk-1/status";
    MqttProbe watcher(broker.host(), broker.port(), "will-watcher");
    watcher.subscribe(will_topic);
    require_subscribed(watcher, will_topic);
    watcher.clear();

    // The client must die without a clean DISCONNECT: run it in a forked child and
    // SIGKILL it. Fork happens before the child creates any thread.
    std::cout.flush();
    std::fflush(nullptr);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        MqttOptions options = client_options(broker, "will-child");
        options.will = storeq::MqttWill{will_topic, R"({"online":false})", 1, true};
        MqttClient client(options);
        std::atomic<bool> acked{false};
        client.on_published([&](int) { acked = true; });
        if (!client.start()) ::_exit(2);
        if (!wait_until([&] { return client.connected(); }, kTimeoutMs)) ::_exit(3);
        if (!client.publish(will_topic, R"({"online":true})", 1, true)) ::_exit(4);
        if (!wait_until([&] { return acked.load(); }, kTimeoutMs)) ::_exit(5);
        ::kill(::getpid(), SIGKILL);
        ::_exit(6);
    }
    REQUIRE(watcher.wait_for(payload_is(will_topic, R"({"online":true})"), kTimeoutMs));
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("child exit status " << status);
    REQUIRE(WIFSIGNALED(status));

    CHECK(watcher.wait_for(payload_is(will_topic, R"({"online":false})"), kTimeoutMs));
    MqttProbe late(broker.host(), broker.port(), "will-late");
    late.subscribe(will_topic);
    auto retained = late.wait_for_topic(will_topic, kTimeoutMs);
    REQUIRE(retained);
    CHECK(retained->payload == R"({"online":false})");
    CHECK(retained->retained);
}

TEST_CASE("a clean stop() does not publish the last-will", "[mqtt]") {
    TestBroker broker;
    const std::string will_topic = "storeq/test/device/kiosk-2/status";
    MqttOptions options = client_options(broker, "clean-stop");
    options.will = storeq::MqttWill{will_topic, "offline", 1, true};
    MqttClient client(options);
    std::atomic<bool> acked{false};
    client.on_published([&](int) { acked = true; });
    REQUIRE(client.start());
    REQUIRE(client.publish(will_topic, "online", 1, true));
    REQUIRE(wait_until([&] { return acked.load(); }, kTimeoutMs));
    client.stop();

    MqttProbe late(broker.host(), broker.port(), "clean-late");
    late.subscribe(will_topic);
    auto retained = late.wait_for_topic(will_topic, kTimeoutMs);
    REQUIRE(retained);
    CHECK(retained->payload == "online");
}

TEST_CASE("a message larger than the broker's max_packet_size is refused before it is sent, and the connection stays",
          "[mqtt]") {
    TestBroker broker;  // the project's store-local settings: max_packet_size 65536
    MqttProbe probe(broker.host(), broker.port());
    probe.subscribe("storeq/test/#");
    require_subscribed(probe, "storeq/test/ready");

    MqttClient client(client_options(broker, "big-publisher"));
    std::atomic<int> disconnects{0};
    client.on_connection([&](bool connected) {
        if (!connected) ++disconnects;
    });
    REQUIRE(client.start());
    REQUIRE(wait_until([&] { return client.connected(); }, kTimeoutMs));

    auto refused = client.publish("storeq/test/big", std::string(70'000, 'x'), 1, true);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().to_string(), Catch::Contains("max_packet_size"));
    // Just under the bound goes through.
    REQUIRE(client.publish("storeq/test/fits", std::string(65'000, 'y'), 1, false));
    REQUIRE(client.publish("storeq/test/after", "small", 1, false));
    REQUIRE(probe.wait_for_topic("storeq/test/after", kTimeoutMs));
    CHECK(probe.wait_for_topic("storeq/test/fits", kTimeoutMs));
    CHECK_FALSE(probe.wait_for_topic("storeq/test/big", 500));
    CHECK(disconnects.load() == 0);
    CHECK(client.connected());
    client.stop();
}
