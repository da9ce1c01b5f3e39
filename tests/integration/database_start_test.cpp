// What the controller does at start with a database it cannot trust (issue 9, defects 11
// and 14): a damaged file is found (PRAGMA quick_check), moved aside with its time in the
// name, and the controller serves on a fresh file; a file it could not write is refused
// at once (exit 2, naming the file) instead of starting and hanging at the first write.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
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
constexpr const char* kStore = "dbstart";
const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";

std::vector<std::string> controller_argv(const TestBroker& broker, const std::string& db_path) {
    return {kController, "--broker", broker.address(), "--store", kStore, "--db", db_path, "--tills", "1-2"};
}

std::string feedback_payload(std::mt19937_64& rng, int score) {
    Feedback feedback;
    feedback.id = make_uuid_v7(wall_clock_ms(), rng);
    feedback.ts = wall_clock_ms();
    feedback.scale = Scale::smiley4;
    feedback.score = score;
    return encode(feedback);
}

// Online and subscribed. Its "online" status alone can come before its subscription
// (feedback sent then would be lost), so a retained message it must reject (a prompt
// topic whose id is no UUID) waits at the broker: a controller that counts it in its
// status has subscribed. Every controller started later gets it again.
bool wait_serving(MqttProbe& probe, TimeMs after) {
    if (!probe.publish(store_root(kStore) + "prompts/not-a-uuid", "{}", 1, true)) return false;
    return probe
        .wait_for(
            [&](const MqttMessage& m) {
                auto status = decode_status(m.payload, wall_clock_ms());
                return status && status->online && status->ts >= after && status->rejected.value_or(0) >= 1;
            },
            10'000)
        .has_value();
}

// A database the real controller wrote: `feedbacks` rows, closed cleanly, WAL folded in.
void make_real_database(const TestBroker& broker, const std::string& db_path, const std::string& log_path,
                        int feedbacks) {
    MqttProbe probe(broker.host(), broker.port(), "dbstart-maker");
    probe.subscribe(status_topic(kStore, "controller"));
    ChildProcess controller(controller_argv(broker, db_path), log_path);
    REQUIRE(wait_serving(probe, 0));
    std::mt19937_64 rng(31);
    for (int i = 0; i < feedbacks; ++i)
        REQUIRE(probe.publish(feedback_topic(kStore, "exit-1"), feedback_payload(rng, i % 4)));
    const bool all_stored = wait_until([&] { return stored_feedback(db_path) == feedbacks; }, 30'000);
    INFO("stored " << stored_feedback(db_path) << " of " << feedbacks << "; controller log:\n"
                   << controller.log_text().substr(0, 4000));
    REQUIRE(all_stored);
    controller.kill(SIGTERM);
    REQUIRE(controller.wait_exit(10'000) == 0);
    auto db = Database::open(db_path);
    REQUIRE(db);
    REQUIRE(db->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
}

// Files in dir whose names start with prefix.
std::vector<std::string> files_starting(const std::filesystem::path& dir, const std::string& prefix) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().filename().string().rfind(prefix, 0) == 0) found.push_back(entry.path().string());
    std::sort(found.begin(), found.end());
    return found;
}
}  // namespace

TEST_CASE("a damaged database is moved aside at start and the controller serves on a fresh file", "[database]") {
    TestBroker broker;
    TempDir dir{"storeq-dbstart"};
    const std::string db_path = dir.file("storeq.db");
    make_real_database(broker, db_path, dir.file("first-run.log"), 300);

    // One page overwritten: page 2 is the root of the first table (feedback).
    const auto page_size = query_number(db_path, "PRAGMA page_size");
    REQUIRE(query_number(db_path, "PRAGMA page_count") > 4);
    {
        std::fstream file(db_path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(page_size);
        for (std::int64_t i = 0; i < page_size; ++i) file.put(static_cast<char>(0xA5));
    }
    const auto damaged_size = std::filesystem::file_size(db_path);

    MqttProbe probe(broker.host(), broker.port(), "dbstart-watcher");
    probe.subscribe(status_topic(kStore, "controller"));
    const TimeMs started = wall_clock_ms();
    ChildProcess controller(controller_argv(broker, db_path), dir.file("controller.log"));
    REQUIRE(wait_serving(probe, started));
    INFO("controller log (at start):\n" << controller.log_text().substr(0, 4000));

    // Moved aside, with its time in the name, and said so in the log.
    const auto aside = files_starting(dir.path(), "storeq.db.damaged-");
    REQUIRE(aside.size() == 1);
    CHECK(std::filesystem::file_size(aside[0]) == damaged_size);
    const std::string log = controller.log_text();
    CHECK_THAT(log, Catch::Contains("damaged"));
    CHECK_THAT(log, Catch::Contains(aside[0]));
    {
        auto db = Database::open(db_path);
        REQUIRE(db);
        auto check = db->prepare("PRAGMA quick_check");
        REQUIRE(check);
        auto row = check->step();
        REQUIRE(row);
        REQUIRE(*row);
        CHECK(check->column_text(0) == "ok");
    }

    // Serving on the fresh file: a feedback sent now is stored there.
    std::mt19937_64 rng(32);
    REQUIRE(probe.publish(feedback_topic(kStore, "exit-2"), feedback_payload(rng, 3)));
    const bool stored = wait_until([&] { return stored_feedback(db_path) == 1; }, 10'000);
    INFO("controller log:\n" << controller.log_text().substr(0, 4000));
    CHECK(stored);
    CHECK(query_number(db_path, "SELECT count(*) FROM feedback WHERE kiosk = 'exit-2'") == 1);
    CHECK(controller.running());
    controller.kill(SIGTERM);
    CHECK(controller.wait_exit(10'000) == 0);
}

TEST_CASE("a database file the controller cannot write is refused at start, naming the file", "[database]") {
    // The store's case: the file is root's (restored or created by hand as root) and the
    // controller runs as its own user. As root the test runs the controller as nobody;
    // otherwise a file without write permission stands in for it.
    const bool root = ::geteuid() == 0;
    if (root && ::access("/usr/bin/setpriv", X_OK) != 0) skip_test("running as root without setpriv(1)");
    TestBroker broker;
    TempDir dir{"storeq-dbstart-ro"};
    const std::string db_path = dir.file("storeq.db");
    make_real_database(broker, db_path, dir.file("first-run.log"), 10);
    // Everything writable for everyone, then one file taken away.
    std::ofstream(db_path + "-intake", std::ios::app).flush();
    REQUIRE(::chmod(dir.path().c_str(), 0777) == 0);
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        REQUIRE(::chmod(entry.path().c_str(), 0666) == 0);

    std::string refused;
    SECTION("the database") { refused = db_path; }
    SECTION("the intake journal beside it") { refused = db_path + "-intake"; }
    REQUIRE(::chmod(refused.c_str(), root ? 0644 : 0444) == 0);

    std::vector<std::string> argv = controller_argv(broker, db_path);
    if (root) argv.insert(argv.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    ChildProcess controller(argv, dir.file("controller.log"));
    const auto exit_code = controller.wait_exit(10'000);
    INFO("controller log:\n" << controller.log_text());
    REQUIRE(exit_code.has_value());
    CHECK(*exit_code == 2);
    CHECK_THAT(controller.log_text(), Catch::Contains(refused + ": "));
    CHECK_THAT(controller.log_text(), Catch::Contains("not writable"));
}
