// Fault suite: feedback from several kiosks while the broker restarts and the controller
// is killed. The controller's database must end with exactly every response, once.
// scripts/test runs a bounded version; `scripts/test --long` (STOREQ_LONG=1) the full one:
// 10,000 feedbacks, 5 broker restarts, 3 controller SIGKILLs, one kiosk cut off for 60 s.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <random>
#include <thread>

#include "child_process.hpp"
#include "database_probe.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr const char* kStore = "faults";

TimeMs now_ms() { return wall_clock_ms(); }

// A kiosk reduced to its delivery path: QoS 1, a persistent session, and every
// unacknowledged message kept by libmosquitto and re-sent after a reconnect.
struct KioskPublisher {
    std::string id;
    std::unique_ptr<MqttClient> client;
    std::atomic<int> acked{0};
    int sent = 0;
    std::vector<std::string> ids;  // every feedback id given, for the census
    std::mt19937_64 rng;

    KioskPublisher(const TestBroker& broker, std::string kiosk_id, std::uint64_t seed) : id(std::move(kiosk_id)), rng(seed) {
        MqttOptions o;
        o.host = broker.host();
        o.port = broker.port();
        o.client_id = "faults-" + id;
        o.clean_session = false;
        o.reconnect_max_s = 1;
        client = std::make_unique<MqttClient>(o);
        client->on_published([this](int) { ++acked; });
        REQUIRE(client->start());
    }

    void give(int count) {
        for (int i = 0; i < count; ++i, ++sent) {
            Feedback f;
            f.id = make_uuid_v7(now_ms(), rng);
            f.ts = now_ms();
            f.scale = Scale::smiley4;
            f.score = sent % 4;
            f.locale = "nl";
            ids.push_back(f.id);
            REQUIRE(client->publish(feedback_topic(kStore, id), encode(f), 1, false));
        }
    }
};

}  // namespace

TEST_CASE("every feedback is stored exactly once through broker restarts and controller kills", "[faults]") {
    const bool long_run = std::getenv("STOREQ_LONG") != nullptr;
    const int total = long_run ? 10'000 : 3'000;
    const int broker_restarts = long_run ? 5 : 2;
    const int controller_kills = long_run ? 3 : 2;
    const int cut_off_ms = long_run ? 60'000 : 3'000;

    TestBroker broker(TestBrokerOptions{true});
    TempDir dir{"storeq-faults"};
    const std::string db_path = dir.file("storeq.db");
    const std::vector<std::string> controller_argv{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker",
                                                   broker.address(), "--store", kStore, "--db", db_path,
                                                   "--tills", "1-2"};
    MqttProbe probe(broker.host(), broker.port(), "faults-watcher");
    probe.subscribe(status_topic(kStore, "controller"));
    auto controller = std::make_unique<ChildProcess>(controller_argv, dir.file("controller.log"));
    // Online means subscribed: its session exists from now on, so the broker keeps every
    // feedback for it, whatever happens to the controller later.
    REQUIRE(probe.wait_for([](const MqttMessage& m) {
        auto status = decode_status(m.payload, now_ms());
        return status && status->online;
    }, 10'000));

    std::vector<std::unique_ptr<KioskPublisher>> kiosks;
    for (int k = 1; k <= 3; ++k)
        kiosks.push_back(std::make_unique<KioskPublisher>(broker, "exit-" + std::to_string(k), 1000 + k));
    REQUIRE(wait_until([&] { return kiosks[0]->client->connected() && kiosks[2]->client->connected(); }, 10'000));

    // The stream, in rounds; faults happen between rounds while messages are in flight.
    const int rounds = 12;
    const int per_round = total / rounds / 3;
    int kills = 0, restarts = 0;
    bool kiosk3_cut_off = false;
    auto cut_off_at = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round) {
        for (auto& kiosk : kiosks) {
            if (kiosk.get() == kiosks[2].get() && kiosk3_cut_off) continue;
            kiosk->give(per_round);
        }
        if (round % 3 == 1 && kills < controller_kills) {
            controller->kill(SIGKILL);
            controller->wait_exit(10'000);
            controller = std::make_unique<ChildProcess>(controller_argv, dir.file("controller.log"));
            ++kills;
        } else if (round % 3 == 2 && restarts < broker_restarts) {
            broker.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            broker.start();
            ++restarts;
        }
        if (round == 3) {  // kiosk 3 loses the network: it stops and reconnects later
            kiosks[2]->client->stop();
            kiosk3_cut_off = true;
            cut_off_at = std::chrono::steady_clock::now();
        }
    }
    while (restarts < broker_restarts || kills < controller_kills) {  // the long run has more faults than rounds
        if (kills < controller_kills) {
            controller->kill(SIGKILL);
            controller->wait_exit(10'000);
            controller = std::make_unique<ChildProcess>(controller_argv, dir.file("controller.log"));
            ++kills;
        }
        if (restarts < broker_restarts) {
            broker.stop();
            broker.start();
            ++restarts;
        }
    }
    // Kiosk 3 comes back after its time off and gives what it owed.
    std::this_thread::sleep_until(cut_off_at + std::chrono::milliseconds(cut_off_ms));
    REQUIRE(kiosks[2]->client->start());
    const int owed = total - kiosks[0]->sent - kiosks[1]->sent - kiosks[2]->sent;
    kiosks[2]->give(owed);
    REQUIRE(kiosks[0]->sent + kiosks[1]->sent + kiosks[2]->sent == total);

    INFO("controller log:\n" << controller->log_text().substr(0, 4000));
    const bool all_acked = wait_until([&] {
        for (auto& kiosk : kiosks)
            if (kiosk->acked.load() < kiosk->sent) return false;
        return true;
    }, 120'000);
    CHECK(all_acked);
    wait_until([&] { return stored_feedback(db_path) >= total; }, 120'000);
    // Exactly once, counted where a copy could be: rows by payload id over every table
    // that holds feedback, against the ids given, and the hourly rollup's counts.
    std::vector<std::string> given;
    for (auto& kiosk : kiosks) given.insert(given.end(), kiosk->ids.begin(), kiosk->ids.end());
    REQUIRE(given.size() == static_cast<std::size_t>(total));
    const FeedbackCensus census = feedback_census(db_path, given);
    CHECK(census.rows == total);
    CHECK(census.duplicated_ids == 0);
    CHECK(census.missing == 0);
    CHECK(census.unexpected == 0);
    CHECK(census.rollup_excess == 0);
    CHECK(kills == controller_kills);
    CHECK(restarts == broker_restarts);
}
