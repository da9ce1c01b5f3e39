// Storage faults against the real controller: a full disk must not lose a feedback the
// broker handed over. Needs root (it mounts a small tmpfs); where mounting is not allowed
// the test is reported as skipped (skip_test.hpp), never as passed.
#include <catch2/catch.hpp>

#include <sys/mount.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <random>

#include "child_process.hpp"
#include "database_probe.hpp"
#include "mqtt_probe.hpp"
#include "skip_test.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
TimeMs now_ms() { return wall_clock_ms(); }

// A tmpfs of a given size, unmounted when done.
struct SmallDisk {
    std::string path;
    bool mounted = false;
    explicit SmallDisk(const std::string& dir) : path(dir) {
        mounted = ::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=1m") == 0;
    }
    bool grow() { return ::mount("tmpfs", path.c_str(), "tmpfs", MS_REMOUNT, "size=64m") == 0; }
    ~SmallDisk() {
        if (mounted) ::umount2(path.c_str(), MNT_DETACH);
    }
};

bool can_mount_tmpfs() {
    TempDir dir{"storeq-diskfull-probe"};
    return SmallDisk(dir.path().string()).mounted;
}

}  // namespace

TEST_CASE("a full disk holds feedback back at the broker until it can be stored") {
    // Asked first, while nothing runs yet: skip_test ends the process.
    if (!can_mount_tmpfs()) skip_test("cannot mount a tmpfs here (needs root): the disk-full test did not run");
    TempDir dir{"storeq-diskfull"};
    SmallDisk disk(dir.path().string());
    REQUIRE(disk.mounted);
    TestBroker broker(TestBrokerOptions{true});
    const std::string db_path = disk.path + "/storeq.db";
    MqttProbe probe(broker.host(), broker.port(), "diskfull-watcher");
    probe.subscribe(status_topic("full", "controller"));
    ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store", "full",
                             "--db", db_path, "--tills", "1-2"},
                            dir.file("controller.log"));
    REQUIRE(probe.wait_for([](const MqttMessage& m) { return !m.payload.empty(); }, 10'000));

    // About 5,000 feedbacks do not fit in 1 MiB with their indexes.
    const int total = 5'000;
    MqttOptions o;
    o.host = broker.host();
    o.port = broker.port();
    o.client_id = "diskfull-kiosk";
    MqttClient kiosk(o);
    std::atomic<int> acked{0};
    kiosk.on_published([&](int) { ++acked; });
    REQUIRE(kiosk.start());
    std::mt19937_64 rng(11);
    std::vector<std::string> ids;
    for (int i = 0; i < total; ++i) {
        Feedback f;
        f.id = make_uuid_v7(now_ms(), rng);
        f.ts = now_ms();
        f.score = i % 4;
        f.reason = "waiting_time";
        f.ui = FollowUp::complete;
        ids.push_back(f.id);
        REQUIRE(kiosk.publish(feedback_topic("full", "exit-1"), encode(f), 1, false));
    }
    // The broker took them all; the controller could not store them all.
    REQUIRE(wait_until([&] { return acked.load() == total; }, 60'000));
    REQUIRE(wait_until([&] { return controller.log_text().find("disk is full") != std::string::npos; }, 30'000));
    CHECK(stored_feedback(db_path) < total);

    // Room again: every one arrives, once, with no restart.
    REQUIRE(disk.grow());
    CHECK(wait_until([&] { return stored_feedback(db_path) == total; }, 90'000));
    // Once: by payload id over every table that holds feedback, and in the rollup.
    const FeedbackCensus census = feedback_census(db_path, ids);
    CHECK(census.rows == total);
    CHECK(census.duplicated_ids == 0);
    CHECK(census.missing == 0);
    CHECK(census.unexpected == 0);
    CHECK(census.rollup_excess == 0);
    CHECK(controller.running());
    kiosk.stop();
    controller.kill(SIGTERM);
    controller.wait_exit(10'000);
}
