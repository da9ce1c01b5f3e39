// Retention on a generated two-year database, through the real controller: raw queue
// samples and lane states older than `retention` (400 days) go once rolled up, the
// rollups stay, and the report of an old day gives the same figures as before.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr const char* kStore = "retention-1";
constexpr TimeMs kDayMs = 86'400'000;
constexpr TimeMs kNow = 1'763'366'400'000;         // 2025-11-17 08:00 UTC
constexpr TimeMs kFirst = kNow - 730 * kDayMs;      // two years of history
const std::map<std::string, std::string> kUtc{{"TZ", "UTC"}};
const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";

std::int64_t count_of(Database& db, const std::string& sql) {
    auto stmt = db.prepare(sql);
    REQUIRE(stmt);
    auto row = stmt->step();
    REQUIRE(row);
    return stmt->column_int64(0);
}

// Two tills open 08:00-20:00 every day, a sample every 10 minutes each.
void generate_two_years(const std::string& path) {
    auto db = Database::open(path);
    REQUIRE(db);
    REQUIRE(db->exec("BEGIN"));
    auto sample = db->prepare("INSERT INTO queue_samples(lane, count, ts, received, source, seq) VALUES(?,?,?,?,'manual',?)");
    auto state = db->prepare("INSERT INTO lane_states(lane, open, ts, received, by) VALUES(?,?,?,?,NULL)");
    REQUIRE(sample);
    REQUIRE(state);
    std::int64_t seq = 0;
    for (TimeMs day = kFirst; day < kNow; day += kDayMs) {
        for (int lane = 1; lane <= 2; ++lane) {
            state->bind(1, lane).bind(2, 1).bind(3, day).bind(4, day);
            REQUIRE(state->run());
        }
        for (TimeMs t = day; t < day + 12 * 3'600'000; t += 600'000) {
            for (int lane = 1; lane <= 2; ++lane) {
                sample->bind(1, lane).bind(2, static_cast<int>((t / 600'000 + lane) % 5)).bind(3, t).bind(4, t).bind(5, ++seq);
                REQUIRE(sample->run());
            }
        }
        for (int lane = 1; lane <= 2; ++lane) {
            state->bind(1, lane).bind(2, 0).bind(3, day + 12 * 3'600'000).bind(4, day + 12 * 3'600'000);
            REQUIRE(state->run());
        }
    }
    REQUIRE(db->exec("COMMIT"));
}

std::string report_of(TempDir& dir, const std::string& db, const std::string& date, const std::string& name) {
    ChildProcess report({kController, "report", "--db", db, "--from", date, "--to", date, "--by", "day", "--format", "csv"},
                        dir.file(name), kUtc);
    REQUIRE(report.wait_exit(60000) == 0);
    return report.log_text();
}
}  // namespace

TEST_CASE("retention deletes raw rows older than 400 days once rolled up, and rollups and old reports stay") {
    TestBroker broker;
    TempDir dir{"storeq-retention"};
    const std::string db_path = dir.file("storeq.db");
    MqttProbe probe(broker.host(), broker.port(), "manager");
    probe.subscribe(store_wildcard(kStore));
    REQUIRE(probe.wait_connected(5000));
    std::vector<std::string> argv{kController, "--broker", broker.address(), "--store", kStore, "--db", db_path,
                                  "--tills", "1-2", "--clock", "sim"};
    {  // the controller's own schema
        ChildProcess schema(argv, dir.file("schema.log"), kUtc);
        REQUIRE(probe.wait_for_topic(status_topic(kStore, "controller"), 10000));
        schema.kill(SIGTERM);
        REQUIRE(schema.wait_exit(10000) == 0);
    }
    generate_two_years(db_path);
    const std::string old_day = "2024-03-01";  // 626 days before kNow
    const std::string before = report_of(dir, db_path, old_day, "before.csv");
    REQUIRE(before.find("\n2024-03-01,all,1440.00") != std::string::npos);  // 2 tills x 12 h

    ChildProcess controller(argv, dir.file("controller.log"), kUtc);
    auto tick_and_wait = [&](TimeMs t) {
        REQUIRE(probe.publish(clock_topic(kStore), encode(ClockTick{t}), 1, false));
        auto m = probe.wait_for([&](const MqttMessage& msg) {
            if (msg.topic != stats_topic(kStore, "today")) return false;
            auto j = nlohmann::json::parse(msg.payload, nullptr, false);
            return !j.is_discarded() && j.value("ts", TimeMs{0}) == t;
        }, 60000);
        INFO(controller.log_text());
        REQUIRE(m);
    };
    // Each minute's pass deletes a few batches; a two-year backlog takes some minutes.
    for (int minute = 0; minute < 12; ++minute) tick_and_wait(kNow + minute * 60'000);
    controller.kill(SIGTERM);
    REQUIRE(controller.wait_exit(10000) == 0);

    auto db = Database::open(db_path);
    REQUIRE(db);
    const TimeMs cutoff = kNow + 11 * 60'000 - 400 * kDayMs;
    CHECK(count_of(*db, "SELECT count(*) FROM queue_samples WHERE received < " + std::to_string(cutoff)) == 0);
    // The last 399 days are all there.
    CHECK(count_of(*db, "SELECT count(*) FROM queue_samples WHERE received >= " + std::to_string(kNow - 399 * kDayMs)) ==
          399 * 2 * 72);
    CHECK(count_of(*db, "SELECT count(*) FROM lane_states WHERE received < " + std::to_string(cutoff)) == 0);
    // Rollups of every hour of the two years stay: 2 lanes x 12 open hours x 730 days
    // (an hour a lane closed in adds its own row).
    CHECK(count_of(*db, "SELECT count(DISTINCT hour) FROM lane_hourly WHERE hour < " + std::to_string(cutoff)) >= 330 * 12);
    CHECK(count_of(*db, "SELECT min(hour) FROM lane_hourly") == kFirst);
    // The old day reads the same from the rollups alone.
    CHECK(report_of(dir, db_path, old_day, "after.csv") == before);
}
