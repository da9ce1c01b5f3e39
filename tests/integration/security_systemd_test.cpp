// The controller as systemd runs it: sd_notify over a real NOTIFY_SOCKET datagram
// socket (READY=1 only once the broker is there, WATCHDOG=1 from the main loop,
// RELOADING/READY on SIGHUP, STOPPING=1 on SIGTERM), configuration reload, clean stop.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <random>

#include "child_process.hpp"
#include "notify_socket.hpp"
#include "database_probe.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr const char* kStore = "s5";

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream file(path);
    file << text;
    REQUIRE(file);
}

std::int64_t count_rows(const std::string& db_path, const std::string& sql) { return query_number(db_path, sql); }
}  // namespace

TEST_CASE("READY=1 comes only once the broker is up, and watchdog, reload and stop are told to systemd", "[systemd]") {
    TempDir dir{"storeq-systemd"};
    NotifySocket notify(dir.file("notify.sock"));
    const std::string config = dir.file("store.conf");
    write_text(config, "tills = 1-3\ndwell = 3s\n");
    TestBroker broker;
    broker.stop();  // the port stays ours; the controller starts with no broker there

    ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store", kStore,
                             "--db", dir.file("storeq.db"), "--config", config},
                            dir.file("controller.log"),
                            {{"NOTIFY_SOCKET", notify.path()}, {"WATCHDOG_USEC", "400000"}});
    // Database open, broker down: alive (watchdog pings), not ready.
    auto before = notify.receive(2500);
    CHECK(count_of(before, "READY=1") == 0);
    CHECK(count_of(before, "WATCHDOG=1") >= 3);  // every 200 ms: half of WATCHDOG_USEC

    broker.start();
    auto after = notify.receive(20'000, "READY=1");
    REQUIRE(count_of(after, "READY=1") == 1);
    CHECK_THAT(controller.log_text(), Catch::Contains("connected to broker"));

    {  // SIGHUP with a bad configuration keeps the old one and says why
        write_text(config, "tills = 1-3\ndwell = soon\n");
        controller.kill(SIGHUP);
        auto reload = notify.receive(5000, "READY=1");
        CHECK(count_of(reload, "RELOADING=1") == 1);
        CHECK(count_of(reload, "READY=1") == 1);
        CHECK_THAT(controller.log_text(),
                   Catch::Contains("reload: keeping the old configuration") && Catch::Contains("dwell (line 2)"));
        // A good one is taken.
        write_text(config, "tills = 3,2,1\ndwell = 5s\n");
        controller.kill(SIGHUP);
        REQUIRE(count_of(notify.receive(5000, "READY=1"), "READY=1") == 1);
        CHECK_THAT(controller.log_text(), Catch::Contains("reload: configuration re-read from " + config));
        // Changing the set of tills takes a restart.
        write_text(config, "tills = 1-4\n");
        controller.kill(SIGHUP);
        REQUIRE(count_of(notify.receive(5000, "READY=1"), "READY=1") == 1);
        CHECK_THAT(controller.log_text(), Catch::Contains("the tills changed (that takes a restart)"));
        CHECK(controller.running());
    }

    controller.kill(SIGTERM);
    auto stopping = notify.receive(10'000, "STOPPING=1");
    CHECK(count_of(stopping, "STOPPING=1") == 1);
    CHECK(controller.wait_exit(10'000) == 0);
}

TEST_CASE("SIGTERM in the middle of a burst loses nothing: what was not stored is still at the broker", "[systemd]") {
    TempDir dir{"storeq-sigterm"};
    const std::string db_path = dir.file("storeq.db");
    TestBroker broker;
    MqttProbe kiosk(broker.host(), broker.port(), "kiosk");
    REQUIRE(kiosk.wait_connected(5000));
    const std::vector<std::string> argv{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(),
                                        "--store", kStore, "--db", db_path, "--tills", "1-2"};
    auto controller = std::make_unique<ChildProcess>(argv, dir.file("controller.log"));
    MqttProbe watcher(broker.host(), broker.port(), "watcher");
    watcher.subscribe(status_topic(kStore, "controller"));
    REQUIRE(watcher.wait_for([](const MqttMessage& m) {
        auto status = decode_status(m.payload, now_ms());
        return status && status->online;
    }, 10'000));

    constexpr int kFeedbacks = 2000;
    std::mt19937_64 rng(31);
    std::vector<std::string> ids;
    for (int i = 0; i < kFeedbacks; ++i) {
        Feedback feedback;
        feedback.id = make_uuid_v7(now_ms(), rng);
        ids.push_back(feedback.id);
        feedback.ts = now_ms();
        feedback.score = i % 4;
        REQUIRE(kiosk.publish(feedback_topic(kStore, "exit-1"), encode(feedback)));
    }
    REQUIRE(wait_until([&] { return count_rows(db_path, "SELECT count(*) FROM feedback") > 0; }, 10'000));
    controller->kill(SIGTERM);
    REQUIRE(controller->wait_exit(10'000) == 0);
    const auto stored_at_stop = count_rows(db_path, "SELECT count(*) FROM feedback");
    CHECK_THAT(controller->log_text(), Catch::Contains("stopping") && Catch::Contains("summary: feedback="));
    // Its persistent session kept the rest at the broker: started again, it stores them all.
    controller = std::make_unique<ChildProcess>(argv, dir.file("controller.log"));
    CHECK(wait_until([&] { return count_rows(db_path, "SELECT count(*) FROM feedback") == kFeedbacks; }, 30'000));
    // Once each, counted where a copy could be (database_probe.hpp).
    const FeedbackCensus census = feedback_census(db_path, ids);
    CHECK(census.rows == kFeedbacks);
    CHECK(census.duplicated_ids == 0);
    CHECK(census.missing == 0);
    CHECK(census.unexpected == 0);
    CHECK(census.rollup_excess == 0);
    INFO("stored before SIGTERM: " << stored_at_stop);
}
