#pragma once
// A kiosk's MQTT side with its outbox (what main() runs, minus the screen) and a store to
// send to: a real mosquitto with persistence, the real storeq-controller and its database.
// Header-only, for Catch2 tests (include after <catch2/catch.hpp>).
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/mqtt_link.hpp"
#include "app/outbox.hpp"
#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

namespace storeq::kiosk::test {

inline constexpr const char* kStore = "store-9";
inline constexpr const char* kKiosk = "exit-1";

inline TimeMs now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline Feedback make_feedback(std::mt19937_64& rng, int score) {
    Feedback feedback;
    feedback.ts = now_ms();
    feedback.id = make_uuid_v7(feedback.ts, rng);
    feedback.score = score % 4;
    feedback.locale = "nl";
    return feedback;
}

inline Outbox open_outbox(const std::string& path) {
    auto outbox = Outbox::open(path);
    if (!outbox) FAIL(outbox.error().to_string());
    return std::move(outbox.value());
}

inline KioskConfig kiosk_config() {
    KioskConfig config;
    config.role = Role::feedback;
    config.store = kStore;
    config.device = kKiosk;
    return config;
}

struct KioskLink {
    std::atomic<bool> connected{false};
    std::unique_ptr<MqttLink> link;

    KioskLink(const storeq::test::TestBroker& broker, const std::string& outbox_path,
              const KioskConfig& config = kiosk_config()) {
        link = std::make_unique<MqttLink>(config, broker.host(), broker.port(), open_outbox(outbox_path));
        auto started = link->start([this](Event event) {
            if (auto* c = std::get_if<BrokerConnectionChanged>(&event)) connected = c->connected;
        });
        REQUIRE(started.has_value());
    }
    void give(const Feedback& feedback) { link->publish(PublishFeedback{feedback}); }
};

// Broker with persistence (the controller's session and its queued messages survive a
// clean broker restart, as on a store box), the real controller, and its database.
struct KioskStore {
    storeq::test::TestBroker broker{storeq::test::TestBrokerOptions{.persistence = true}};
    storeq::test::TempDir dir{"storeq-kiosk-store"};
    std::string db_path = dir.file("controller.db");
    std::unique_ptr<storeq::test::ChildProcess> controller;

    explicit KioskStore(bool start = true) {
        if (start) start_controller();
    }

    void start_controller() {
        storeq::test::MqttProbe probe(broker.host(), broker.port(), "store-watcher");
        probe.subscribe(status_topic(kStore, "controller"));
        controller = std::make_unique<storeq::test::ChildProcess>(
            std::vector<std::string>{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(),
                                     "--store", kStore, "--db", db_path, "--tills", "1-4"},
            dir.file("controller.log"));
        const bool online = probe
                                .wait_for([](const MqttMessage& m) {
                                    auto status = decode_status(m.payload, now_ms());
                                    return status && status->online;
                                }, 15000)
                                .has_value();
        if (!online) FAIL("controller did not come online:\n" << controller->log_text());
    }

    void stop_controller(int signal) {
        controller->kill(signal);
        REQUIRE(controller->wait_exit(10'000).has_value());
        controller.reset();
    }

    std::int64_t stored(const std::string& sql = "SELECT COUNT(*) FROM feedback") const {
        auto db = Database::open(db_path);
        if (!db) return -1;
        auto statement = db->prepare(sql);
        if (!statement) return -1;
        auto row = statement->step();
        return row && *row ? statement->column_int64(0) : -1;
    }
};

}  // namespace storeq::kiosk::test
