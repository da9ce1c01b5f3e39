// The feedback outbox: nothing a shopper answers is lost, whatever the broker does.
// The tests tagged [broker] run a real mosquitto and the real storeq-controller and count the
// rows it stored (docs/design.md §5: no mocked broker or database in integration tests).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <random>
#include <set>
#include <thread>

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

// What the controller sends once the ids are on its disk.
Receipt receipt_for(const std::vector<std::string>& ids, std::int64_t commit = 1, std::string db = "db-1") {
    return Receipt{std::move(db), commit, ids};
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
    // A receipt moves a row to the history; twice is no harm.
    auto receipted = reopened.mark_receipted(receipt_for({given.front().id}), now_ms());
    REQUIRE(receipted.has_value());
    CHECK(receipted->size() == 1);
    receipted = reopened.mark_receipted(receipt_for({given.front().id}, 2), now_ms());
    REQUIRE(receipted.has_value());
    CHECK(receipted->empty());
    CHECK(reopened.size() == 4);
    CHECK(reopened.history() == 1);
    CHECK(open_outbox(dir.file("outbox.db")).size() == 4);
}

TEST_CASE("the outbox sends while the link is up and drops a row from the backlog only on its receipt",
          "[kiosk-outbox]") {
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

    // Link up: both go, oldest first; nothing leaves the backlog before its receipt.
    outbox.link_up();
    REQUIRE(sent.size() == 2);
    CHECK(decode_feedback(sent[0], now_ms())->id == first.id);
    CHECK(decode_feedback(sent[1], now_ms())->id == second.id);
    CHECK(outbox.backlog() == 2);

    outbox.acknowledged(2);
    outbox.acknowledged(2);   // a repeated ack
    outbox.acknowledged(99);  // someone else's message (a Status)
    CHECK(outbox.backlog() == 2);
    CHECK(outbox.stats().unacknowledged == 1);
    outbox.receipt(receipt_for({second.id}));
    CHECK(outbox.backlog() == 1);

    // A reconnect sends nothing again: libmosquitto still holds the first message and
    // re-sends it itself; its receipt takes the row off the backlog.
    outbox.link_down();
    outbox.link_up();
    CHECK(sent.size() == 2);
    outbox.acknowledged(1);
    outbox.receipt(receipt_for({first.id}));
    CHECK(outbox.backlog() == 0);
    CHECK(outbox.stats().in_flight == 0);
    CHECK(outbox.stats().history == 2);

    // Link up: a new answer goes straight out.
    outbox.store_and_send(make_feedback(rng, 3));
    CHECK(sent.size() == 3);
    CHECK(backlogs.back() == 1);
}

TEST_CASE("a PUBACK alone leaves the backlog unchanged: the broker holding a response is not the store having it",
          "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-outbox");
    int next_id = 0;
    FeedbackOutbox outbox(open_outbox(dir.file("outbox.db")),
                          [&](const std::string&) -> Expected<int> { return ++next_id; });
    std::mt19937_64 rng(31);
    outbox.link_up();
    outbox.store_and_send(make_feedback(rng, 0));
    outbox.store_and_send(make_feedback(rng, 1));
    outbox.acknowledged(1);
    outbox.acknowledged(2);
    CHECK(outbox.backlog() == 2);
    CHECK(open_outbox(dir.file("outbox.db")).size() == 2);
}

TEST_CASE("with the window full of acknowledged but unreceipted rows nothing more is sent", "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-outbox");
    int publishes = 0;
    FeedbackOutbox outbox(open_outbox(dir.file("outbox.db")),
                          [&](const std::string&) -> Expected<int> { return ++publishes; }, 4);
    std::mt19937_64 rng(37);
    outbox.link_up();
    for (int i = 0; i < 10; ++i) outbox.store_and_send(make_feedback(rng, i));
    REQUIRE(publishes == 4);
    for (int id = 1; id <= 4; ++id) outbox.acknowledged(id);
    // The controller is down: the broker has four, the rest wait in SQLite only.
    CHECK(publishes == 4);
    CHECK(outbox.stats().in_flight == 4);
    CHECK(outbox.backlog() == 10);
}

namespace {

// What libmosquitto does with the outbox's publishes: 16-bit message ids handed out in turn
// (1..65535, then 1 again), every QoS 1 message held until its PUBACK, and kept across
// reconnects (2.0.11). The broker acknowledges in the order it received.
struct FakeMosquitto {
    int last_id = 0;
    std::deque<std::pair<int, std::string>> held;  // message id, payload
    std::set<std::string> acknowledged_ids;        // feedback ids the broker has
    std::int64_t publishes = 0;

    Expected<int> publish(const std::string& payload) {
        last_id = last_id == 65535 ? 1 : last_id + 1;
        held.emplace_back(last_id, payload);
        ++publishes;
        return last_id;
    }
    std::vector<std::string> unreceipted;  // acknowledged, the controller's receipt still due
    void acknowledge_oldest(FeedbackOutbox& outbox, std::size_t count) {
        for (std::size_t i = 0; i < count && !held.empty(); ++i) {
            auto [id, payload] = held.front();
            held.pop_front();
            const std::string feedback_id = decode_feedback(payload, now_ms())->id;
            acknowledged_ids.insert(feedback_id);
            unreceipted.push_back(feedback_id);
            outbox.acknowledged(id);
        }
    }
    // The controller stores what the broker gave it and receipts it, 64 ids a receipt.
    std::set<std::string> receipted_ids;
    void receipt_all(FeedbackOutbox& outbox) {
        for (std::size_t i = 0; i < unreceipted.size(); i += kMaxReceiptIds) {
            const auto end = std::min(unreceipted.size(), i + kMaxReceiptIds);
            std::vector<std::string> ids(unreceipted.begin() + static_cast<std::ptrdiff_t>(i),
                                         unreceipted.begin() + static_cast<std::ptrdiff_t>(end));
            receipted_ids.insert(ids.begin(), ids.end());
            outbox.receipt(receipt_for(ids));
        }
        unreceipted.clear();
    }
};

std::set<std::string> ids_in_outbox(const std::string& path) {
    std::set<std::string> ids;
    auto db = Database::open(path);
    if (!db) FAIL(db.error().to_string());
    auto list = db->prepare("SELECT feedback_id FROM outbox WHERE receipted_at IS NULL");
    if (!list) FAIL(list.error().to_string());
    while (true) {
        auto more = list->step();
        if (!more || !*more) break;
        ids.insert(list->column_text(0));
    }
    return ids;
}

}  // namespace

TEST_CASE("past 65,535 message ids an acknowledgement frees only the row its message carried, and a reconnect "
          "re-sends nothing libmosquitto holds",
          "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-outbox");
    const std::string path = dir.file("outbox.db");
    FakeMosquitto mosquitto;
    FeedbackOutbox outbox(open_outbox(path), [&](const std::string& payload) { return mosquitto.publish(payload); });
    std::mt19937_64 rng(17);

    // A long outage: more answers wait than there are message ids.
    constexpr int kTotal = 70'000;
    std::set<std::string> given;
    for (int i = 0; i < kTotal; ++i) {
        const Feedback feedback = make_feedback(rng, i);
        given.insert(feedback.id);
        outbox.store_and_send(feedback);
    }
    REQUIRE(outbox.backlog() == kTotal);

    outbox.link_up();
    std::size_t most_in_flight = 0;
    int reconnects = 0;
    while (!mosquitto.held.empty()) {
        // A hundred at a time: each receipt frees as many slots, so the window stays full.
        mosquitto.acknowledge_oldest(outbox, 100);
        most_in_flight = std::max(most_in_flight, outbox.stats().in_flight);
        mosquitto.receipt_all(outbox);
        if (mosquitto.acknowledged_ids.size() % 7'000 == 0) {  // ten reconnects on the way
            outbox.link_down();
            outbox.link_up();
            ++reconnects;
        }
        if (mosquitto.acknowledged_ids.size() % 10'000 == 0) {
            // A kiosk that lost power now would still have pending every answer the store
            // has not receipted.
            std::set<std::string> left = ids_in_outbox(path);
            std::size_t lost = 0;
            for (const auto& id : given)
                if (!left.count(id) && !mosquitto.receipted_ids.count(id)) ++lost;
            INFO("after " << mosquitto.acknowledged_ids.size() << " acknowledgements");
            REQUIRE(lost == 0);
        }
    }
    CHECK(reconnects >= 9);
    CHECK(mosquitto.acknowledged_ids == given);
    CHECK(mosquitto.receipted_ids == given);
    CHECK(outbox.backlog() == 0);
    const OutboxStats stats = outbox.stats();
    CHECK(stats.in_flight == 0);
    CHECK(stats.in_flight_peak <= stats.window);
    CHECK(most_in_flight <= stats.window);
    // No amplification: each answer was handed to libmosquitto once.
    CHECK(mosquitto.publishes == kTotal);
    CHECK(stats.resent == 0);
}

TEST_CASE("a row libmosquitto lost is sent again after one unanswered connection, and its old id frees nothing",
          "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-outbox");
    FakeMosquitto mosquitto;
    bool refuse = false;
    FeedbackOutbox outbox(open_outbox(dir.file("outbox.db")), [&](const std::string& payload) -> Expected<int> {
        if (refuse) return Error{"broker", "refused"};
        return mosquitto.publish(payload);
    }, 4);
    std::mt19937_64 rng(19);

    outbox.link_up();
    for (int i = 0; i < 10; ++i) outbox.store_and_send(make_feedback(rng, i));
    CHECK(outbox.stats().in_flight == 4);  // the window; six wait in the outbox
    CHECK(mosquitto.publishes == 4);
    auto lost = mosquitto.held;
    mosquitto.held.clear();  // libmosquitto dropped them (it does not, in 2.0.11)

    outbox.link_down();
    outbox.link_up();  // first connection after: libmosquitto would re-send them itself
    CHECK(mosquitto.publishes == 4);
    outbox.link_down();
    outbox.link_up();  // a whole connection went by unanswered: taken back, sent anew
    CHECK(mosquitto.publishes == 8);
    CHECK(outbox.stats().resent == 4);
    CHECK(outbox.stats().in_flight == 4);

    // A late PUBACK for an old id frees nothing (the id no longer means that row).
    for (const auto& [id, payload] : lost) outbox.acknowledged(id);
    CHECK(outbox.stats().unacknowledged == 4);
    CHECK(outbox.backlog() == 10);

    // A refused publish keeps its row; it goes out after the next connect.
    refuse = true;
    mosquitto.acknowledge_oldest(outbox, 4);
    mosquitto.receipt_all(outbox);  // frees the window; the refill is refused
    CHECK(outbox.backlog() == 6);
    CHECK(outbox.stats().in_flight == 0);
    refuse = false;
    outbox.link_down();
    outbox.link_up();
    while (!mosquitto.held.empty()) {
        mosquitto.acknowledge_oldest(outbox, 1);
        mosquitto.receipt_all(outbox);
    }
    CHECK(outbox.backlog() == 0);
    CHECK(mosquitto.acknowledged_ids.size() == 10);
    CHECK(outbox.stats().in_flight_peak <= 4);
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

TEST_CASE("responses given through broker restarts are each stored once, with a bounded number in flight",
          "[kiosk-outbox][broker]") {
    // scripts/test: 10,000 through 5 restarts; scripts/test --long (STOREQ_LONG=1): 100,000 through 20.
    const bool long_run = std::getenv("STOREQ_LONG") != nullptr;
    const int total = long_run ? 100'000 : 10'000;
    const int restarts = long_run ? 20 : 5;
    const int per_round = total / restarts;

    StoreFixture store;
    TempDir kiosk_dir("storeq-kiosk");
    KioskLink kiosk(store.broker, kiosk_dir.file("outbox.db"));
    REQUIRE(wait_until([&] { return kiosk.connected.load(); }, 10000));

    // Sampled while the answers flow: what the link holds in flight.
    std::atomic<bool> sampling{true};
    std::atomic<std::size_t> sampled_most{0};
    std::atomic<int> samples{0};
    std::thread sampler([&] {
        while (sampling) {
            const auto in_flight = kiosk.link->outbox_stats().in_flight;
            if (in_flight > sampled_most) sampled_most = in_flight;
            ++samples;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    // A failed REQUIRE leaves by an exception: a joinable thread destroyed then ends the
    // whole test runner (std::terminate), with the broker and controller left running.
    struct JoinOnExit {
        std::atomic<bool>& flag;
        std::thread& thread;
        ~JoinOnExit() {
            flag = false;
            if (thread.joinable()) thread.join();
        }
    } join_sampler{sampling, sampler};

    std::mt19937_64 rng(23);
    std::set<std::string> given;
    std::int64_t most_waiting = 0;
    for (int round = 0; round < restarts; ++round) {
        for (int i = 0; i < per_round; ++i) {
            const Feedback feedback = make_feedback(rng, i);
            given.insert(feedback.id);
            kiosk.give(feedback);
        }
        most_waiting = std::max(most_waiting, kiosk.link->backlog());
        // The broker goes while answers flow: half of this round through, the rest in
        // flight or waiting in the outbox.
        const bool flowing = wait_until([&] { return kiosk.link->backlog() <= per_round / 2; }, 60000);
        INFO("round " << round << ", backlog " << kiosk.link->backlog() << "\ncontroller log:\n"
                      << store.controller->log_text());
        REQUIRE(flowing);
        store.broker.stop();
        store.broker.start();
    }
    const bool all_stored = wait_until([&] { return store.stored() == total; }, 120000);
    const bool drained = wait_until([&] { return kiosk.link->backlog() == 0; }, 30000);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // late duplicates would land now
    sampling = false;
    if (sampler.joinable()) sampler.join();
    INFO("controller log:\n" << store.controller->log_text());
    REQUIRE(all_stored);
    CHECK(drained);

    // Exactly the answers given, each once, counted by feedback id.
    CHECK(store.stored("SELECT COUNT(*) FROM feedback") == total);
    CHECK(store.stored("SELECT COUNT(DISTINCT id) FROM feedback WHERE kiosk = 'exit-1'") == total);
    std::set<std::string> stored_ids;
    {
        auto db = Database::open(store.db_path);
        REQUIRE(db.has_value());
        auto list = db->prepare("SELECT id FROM feedback");
        REQUIRE(list.has_value());
        while (true) {
            auto more = list->step();
            if (!more) FAIL(more.error().to_string());
            if (!*more) break;
            stored_ids.insert(list->column_text(0));
        }
    }
    CHECK(stored_ids == given);

    // Outbox memory flat: never more in flight than the window, whatever the backlog.
    const OutboxStats stats = kiosk.link->outbox_stats();
    INFO("window " << stats.window << ", most in flight " << stats.in_flight_peak << " (sampled "
                   << sampled_most.load() << " in " << samples.load() << " samples), backlog up to "
                   << most_waiting << ", sent " << stats.sent << " (" << stats.resent << " again)");
    CHECK(most_waiting > static_cast<std::int64_t>(stats.window));  // the bound was tested
    CHECK(samples.load() > 100);
    CHECK(sampled_most.load() <= stats.window);
    CHECK(stats.in_flight_peak <= stats.window);
    CHECK(stats.in_flight == 0);
    // Re-sends are bounded by the window per reconnect, not by the backlog.
    CHECK(stats.sent <= total + static_cast<std::int64_t>(restarts * stats.window));
}
