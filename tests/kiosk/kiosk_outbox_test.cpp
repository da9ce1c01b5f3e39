// The feedback outbox: nothing a shopper answers is lost, whatever the broker does.
// The last two tests run a real mosquitto and the real storeq-controller and count the
// rows it stored (DESIGN.md 5: no mocked broker or database in integration tests).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <random>

#include "app/feedback_outbox.hpp"
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

using namespace storeq;
using namespace storeq::kiosk;
using storeq::test::ChildProcess;
using storeq::test::MqttProbe;
using storeq::test::TempDir;
using storeq::test::TestBroker;
using storeq::test::wait_until;

namespace {

constexpr const char* kStore = "store-9";
constexpr const char* kKiosk = "exit-1";

TimeMs now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Feedback make_feedback(std::mt19937_64& rng, int score) {
    Feedback feedback;
    feedback.ts = now_ms();
    feedback.id = make_uuid_v7(feedback.ts, rng);
    feedback.score = score % 4;
    feedback.locale = "nl";
    return feedback;
}

Outbox open_outbox(const std::string& path) {
    auto outbox = Outbox::open(path);
    if (!outbox) FAIL(outbox.error().to_string());
    return std::move(outbox.value());
}

KioskConfig kiosk_config() {
    KioskConfig config;
    config.role = Role::feedback;
    config.store = kStore;
    config.device = kKiosk;
    return config;
}

// A kiosk's MQTT side with its outbox, minus the screen: what main() runs.
struct KioskLink {
    std::atomic<bool> connected{false};
    std::unique_ptr<MqttLink> link;

    KioskLink(const TestBroker& broker, const std::string& outbox_path) {
        link = std::make_unique<MqttLink>(kiosk_config(), broker.host(), broker.port(), open_outbox(outbox_path));
        auto started = link->start([this](Event event) {
            if (auto* c = std::get_if<BrokerConnectionChanged>(&event)) connected = c->connected;
        });
        REQUIRE(started.has_value());
    }
    void give(const Feedback& feedback) { link->publish(PublishFeedback{feedback}); }
};

// Broker with persistence (the controller's session and its queued messages survive a
// broker restart, as on a store box), the real controller, and its database.
struct StoreFixture {
    TestBroker broker{storeq::test::TestBrokerOptions{.persistence = true}};
    TempDir dir{"storeq-kiosk-outbox"};
    std::string db_path = dir.file("controller.db");
    std::unique_ptr<ChildProcess> controller;

    StoreFixture() {
        MqttProbe probe(broker.host(), broker.port(), "outbox-watcher");
        probe.subscribe(status_topic(kStore, "controller"));
        controller = std::make_unique<ChildProcess>(
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

    std::int64_t stored(const std::string& sql = "SELECT COUNT(*) FROM feedback") const {
        auto db = Database::open(db_path);
        if (!db) return -1;
        auto statement = db->prepare(sql);
        if (!statement) return -1;
        auto row = statement->step();
        return row && *row ? statement->column_int64(0) : -1;
    }
};

}  // namespace

TEST_CASE("the outbox keeps feedback across a reopen and lists it oldest first", "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-outbox");
    std::mt19937_64 rng(7);
    std::vector<Feedback> given;
    {
        Outbox outbox = open_outbox(dir.file("outbox.db"));
        for (int i = 0; i < 5; ++i) {
            given.push_back(make_feedback(rng, i));
            REQUIRE(outbox.add(given.back()).has_value());
        }
        // The same answer twice (a retried write) is kept once.
        REQUIRE(outbox.add(given.front()).has_value());
        CHECK(outbox.size() == 5);
    }
    Outbox reopened = open_outbox(dir.file("outbox.db"));
    CHECK(reopened.size() == 5);
    auto rows = reopened.pending();
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 5);
    for (std::size_t i = 0; i < rows->size(); ++i) {
        auto decoded = decode_feedback((*rows)[i].payload, now_ms());
        REQUIRE(decoded.has_value());
        CHECK(*decoded == given[i]);
        if (i > 0) CHECK((*rows)[i].row > (*rows)[i - 1].row);
    }
    REQUIRE(reopened.remove(rows->front().row).has_value());
    REQUIRE(reopened.remove(rows->front().row).has_value());  // twice: no harm
    CHECK(reopened.size() == 4);
}

TEST_CASE("the outbox sends while the link is up and drops a row only on its acknowledgement", "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-outbox");
    std::vector<std::string> sent;
    FeedbackOutbox outbox(open_outbox(dir.file("outbox.db")), [&](const std::string& payload) -> Expected<int> {
        sent.push_back(payload);
        return static_cast<int>(sent.size());  // message ids 1, 2, 3...
    });
    std::vector<std::int64_t> backlogs;
    outbox.on_backlog_changed([&](std::int64_t backlog) { backlogs.push_back(backlog); });
    std::mt19937_64 rng(9);

    // Link down: stored, not sent.
    const Feedback first = make_feedback(rng, 0), second = make_feedback(rng, 1);
    outbox.store_and_send(first);
    outbox.store_and_send(second);
    CHECK(sent.empty());
    CHECK(outbox.backlog() == 2);

    // Link up: both go, oldest first; nothing leaves the outbox before its PUBACK.
    outbox.link_up();
    REQUIRE(sent.size() == 2);
    CHECK(decode_feedback(sent[0], now_ms())->id == first.id);
    CHECK(decode_feedback(sent[1], now_ms())->id == second.id);
    CHECK(outbox.backlog() == 2);

    outbox.acknowledged(2);
    CHECK(outbox.backlog() == 1);
    outbox.acknowledged(2);   // a repeated ack
    outbox.acknowledged(99);  // someone else's message (a Status)
    CHECK(outbox.backlog() == 1);

    // A reconnect sends what is left again; the first copy's late ack still counts.
    outbox.link_down();
    outbox.link_up();
    REQUIRE(sent.size() == 3);
    CHECK(decode_feedback(sent[2], now_ms())->id == first.id);
    outbox.acknowledged(1);
    CHECK(outbox.backlog() == 0);
    outbox.acknowledged(3);
    CHECK(outbox.backlog() == 0);

    // Link up: a new answer goes straight out.
    outbox.store_and_send(make_feedback(rng, 3));
    CHECK(sent.size() == 4);
    CHECK(backlogs.back() == 1);
}

TEST_CASE("100 responses given while the broker is down are stored exactly once by the controller",
          "[kiosk-outbox][broker]") {
    StoreFixture store;
    TempDir kiosk_dir("storeq-kiosk");
    KioskLink kiosk(store.broker, kiosk_dir.file("outbox.db"));
    REQUIRE(wait_until([&] { return kiosk.connected.load(); }, 10000));

    // One answer while all is well.
    std::mt19937_64 rng(11);
    kiosk.give(make_feedback(rng, 3));
    REQUIRE(wait_until([&] { return store.stored() == 1; }, 10000));

    store.broker.stop();
    REQUIRE(wait_until([&] { return !kiosk.connected.load(); }, 10000));
    for (int i = 0; i < 100; ++i) kiosk.give(make_feedback(rng, i));
    CHECK(kiosk.link->backlog() == 100);

    store.broker.start();
    const bool all_stored = wait_until([&] { return store.stored() == 101; }, 60000);
    INFO("controller log:\n" << store.controller->log_text());
    REQUIRE(all_stored);
    REQUIRE(wait_until([&] { return kiosk.link->backlog() == 0; }, 10000));
    // Late duplicates, if any were in flight, would arrive now: still exactly once each.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(store.stored() == 101);
    CHECK(store.stored("SELECT COUNT(*) FROM feedback WHERE kiosk = 'exit-1'") == 101);

    // The kiosk's retained Status says the backlog drained.
    MqttProbe probe(store.broker.host(), store.broker.port(), "status-reader");
    probe.subscribe(status_topic(kStore, kKiosk));
    auto status = probe.wait_for([](const MqttMessage& m) { return !m.payload.empty(); }, 10000);
    REQUIRE(status);
    auto decoded = decode_status(status->payload, now_ms());
    REQUIRE(decoded.has_value());
    CHECK(decoded->online);
    CHECK(decoded->backlog == std::optional<std::int64_t>(0));
}

TEST_CASE("a kiosk restarted with a non-empty outbox sends its backlog", "[kiosk-outbox][broker]") {
    StoreFixture store;
    TempDir kiosk_dir("storeq-kiosk");
    const std::string outbox_file = kiosk_dir.file("outbox.db");
    std::mt19937_64 rng(13);

    store.broker.stop();
    {
        KioskLink offline(store.broker, outbox_file);
        for (int i = 0; i < 7; ++i) offline.give(make_feedback(rng, i));
        CHECK(offline.link->backlog() == 7);
    }  // the kiosk stops (power cut, update) with its backlog on disk
    CHECK(open_outbox(outbox_file).size() == 7);

    store.broker.start();
    KioskLink restarted(store.broker, outbox_file);
    CHECK(restarted.link->backlog() == 7);
    const bool all_stored = wait_until([&] { return store.stored() == 7; }, 60000);
    INFO("controller log:\n" << store.controller->log_text());
    REQUIRE(all_stored);
    REQUIRE(wait_until([&] { return restarted.link->backlog() == 0; }, 10000));
}
