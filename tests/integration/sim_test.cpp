// The real storeq-sim against the real storeq-controller, a real mosquitto and a real
// SQLite file: the demo's whole loop (queues -> prompt -> staff claim -> till opens ->
// fulfilled; shoppers -> feedback -> database), end to end.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>

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
constexpr const char* kStore = "sim-store";
const std::string kSim = STOREQ_BINARY_DIR "/bin/storeq-sim";
const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<Prompt> as_prompt(const MqttMessage& m) {
    auto topic = parse_topic(m.topic);
    if (!topic || topic->kind != TopicKind::prompt || m.payload.empty()) return std::nullopt;
    auto prompt = decode_prompt(m.payload);
    if (!prompt) return std::nullopt;
    return *prompt;
}

std::int64_t count_rows(const std::string& db_path, const std::string& sql) {
    auto db = Database::open(db_path);
    REQUIRE(db);
    auto stmt = db->prepare(sql);
    REQUIRE(stmt);
    auto row = stmt->step();
    REQUIRE(row);
    REQUIRE(*row);
    return stmt->column_int64(0);
}
}  // namespace

TEST_CASE("a simulated store gets an open_till prompt fulfilled and its feedback stored", "[sim]") {
    TestBroker broker;
    TempDir dir{"storeq-sim-test"};
    const std::string db_path = dir.file("storeq.db");
    MqttProbe probe{broker.host(), broker.port(), "sim-watcher"};
    probe.subscribe(prompt_topic(kStore, "+"));
    probe.subscribe(status_topic(kStore, "+"));
    REQUIRE(probe.wait_connected(5000));

    ChildProcess controller({kController, "--broker", broker.address(), "--store", kStore, "--db", db_path,
                             "--tills", "1-4"},
                            dir.file("controller.log"));
    // Feedback is not retained: the controller must be listening before the store opens.
    REQUIRE(probe.wait_for([](const MqttMessage& m) {
        auto status = decode_status(m.payload, now_ms());
        return m.topic == status_topic(kStore, "controller") && status && status->online;
    }, 10000));

    // Every served shopper answers, and service is quick enough that some are served in 20 s.
    ChildProcess sim({kSim, "--broker", broker.address(), "--store", kStore, "--tills", "1-4", "--duration", "20",
                      "--feedback-share", "1", "--service", "8", "--seed", "7"},
                     dir.file("sim.log"));
    const auto fulfilled = probe.wait_for([](const MqttMessage& m) {
        auto prompt = as_prompt(m);
        return prompt && prompt->action == PromptAction::open_till && prompt->state == PromptState::fulfilled;
    }, 25000);
    const auto sim_online = probe.wait_for([](const MqttMessage& m) {
        auto status = decode_status(m.payload, now_ms());
        return m.topic == status_topic(kStore, "sim") && status && status->online && status->kind == DeviceKind::sim;
    }, 1000);
    const auto sim_exit = sim.wait_exit(15000);
    const auto sim_offline = probe.wait_for([](const MqttMessage& m) {
        auto status = decode_status(m.payload, now_ms());
        return m.topic == status_topic(kStore, "sim") && status && !status->online;
    }, 2000);
    controller.kill(SIGTERM);
    const auto controller_exit = controller.wait_exit(10000);
    INFO("sim log:\n" << sim.log_text() << "\ncontroller log:\n" << controller.log_text());

    REQUIRE(fulfilled);
    // The till was opened by a simulated member of staff who claimed it first.
    CHECK(as_prompt(*fulfilled)->claimed_by.value_or("").rfind("staff-", 0) == 0);
    // The simulator said it was there, and said it was leaving.
    CHECK(sim_online);
    CHECK(sim_offline);
    REQUIRE(sim_exit == std::optional<int>(0));
    REQUIRE(controller_exit == std::optional<int>(0));

    const std::string sim_log = sim.log_text();
    CHECK(sim_log.find("storeq-sim summary") != std::string::npos);
    CHECK(sim_log.find("prompt fulfilled: open_till") != std::string::npos);
    CHECK(count_rows(db_path, "SELECT count(*) FROM feedback") > 0);
    CHECK(count_rows(db_path, "SELECT count(*) FROM prompts WHERE action = 'open_till' AND state = 'fulfilled'") > 0);
}

TEST_CASE("storeq-sim refuses bad arguments with exit code 2", "[sim]") {
    TempDir dir{"storeq-sim-args"};
    const std::vector<std::vector<std::string>> bad{
        {kSim},                                                          // no broker, no store
        {kSim, "--broker", "127.0.0.1:1883"},                            // no store
        {kSim, "--broker", "127.0.0.1:1883", "--store", "Bad Store"},     // invalid id
        {kSim, "--broker", "127.0.0.1:1883", "--store", "s", "--tills", "1-2", "--open", "3"},
        {kSim, "--broker", "127.0.0.1:1883", "--store", "s", "--feedback-share", "1.5"},
        {kSim, "--broker", "127.0.0.1:1883", "--store", "s", "--duration", "soon"},
        {kSim, "--broker", "127.0.0.1:1883", "--store", "s", "--frobnicate", "1"},
    };
    for (std::size_t i = 0; i < bad.size(); ++i) {
        ChildProcess sim(bad[i], dir.file("sim-" + std::to_string(i) + ".log"));
        INFO("case " << i << ": " << sim.log_text());
        CHECK(sim.wait_exit(5000) == std::optional<int>(2));
    }
}

TEST_CASE("with --clock sim the controller runs on the simulator's accelerated time") {
    storeq::test::TestBroker broker;
    storeq::test::TempDir dir{"storeq-simclock"};
    const std::string db = dir.file("storeq.db");
    storeq::test::ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(),
                                           "--store", "fast", "--db", db, "--tills", "1-4", "--clock", "sim"},
                                          dir.file("controller.log"));
    storeq::test::MqttProbe probe(broker.host(), broker.port(), "clock-watcher");
    probe.subscribe("storeq/v1/fast/device/controller/status");
    REQUIRE(probe.wait_connected(5000));
    const auto wall_start = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
    // Ten wall seconds at 60x: ten simulated minutes of a store.
    storeq::test::ChildProcess sim({STOREQ_BINARY_DIR "/bin/storeq-sim", "--broker", broker.address(), "--store", "fast",
                                    "--speed", "60", "--duration", "10", "--seed", "3"},
                                   dir.file("sim.log"));
    REQUIRE(sim.wait_exit(60000) == 0);
    // The controller's status carries its own time: far past the wall clock now.
    auto late_status = probe.wait_for([&](const storeq::MqttMessage& m) {
        auto status = storeq::decode_status(m.payload, wall_start + 3'600'000);
        return status && status->online && status->ts > wall_start + 5 * 60'000;
    }, 10000);
    CHECK(late_status);
    controller.kill(SIGTERM);
    REQUIRE(controller.wait_exit(10000) == 0);
    auto database = storeq::Database::open(db);
    REQUIRE(database);
    auto spread = database->prepare("SELECT max(updated) - min(raised) FROM prompts");
    REQUIRE(spread);
    REQUIRE(*spread->step());
    CHECK(spread->column_int64(0) > 60'000);  // prompts minutes apart in store time, raised within seconds of wall time
}
