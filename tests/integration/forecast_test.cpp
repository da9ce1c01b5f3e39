// The till forecast through the real controller (issue 14): door counts over a real broker,
// the controller on the simulated clock (--clock sim) so the test decides when a minute has
// passed, the retained forecast, a prepare_till before any lane breaches, and the arrival
// model carried over a restart by the stored minutes.
#include <catch2/catch.hpp>

#include <csignal>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/topics.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr const char* kStore = "store-7";
constexpr TimeMs kMinute = 60'000;

StoreFixtureOptions forecast_store() {
    StoreFixtureOptions o;
    o.tills = "1-6";
    // 20 s service and an 80% target: two tills carry 2 customers a minute, a rising door
    // needs a third (tests/unit/forecast_rule_test.cpp works the figures out).
    o.config_text = "tills = 1-6\nforecast = on\nforecast_target = 80%\nservice_time = 20s\ndoors = 1\n";
    o.extra_args = {"--clock", "sim"};
    return o;
}

// Drives one store minute by minute on the simulated clock.
struct ForecastRun {
    StoreFixture& store;
    TimeMs sim_now = wall_clock_ms();
    std::int64_t seq = 0;

    // The controller holds every input (and its online status) until its first tick: the
    // first tick is retained, so it comes whenever the controller subscribes.
    void start_controller() {
        store.controller = std::make_unique<ChildProcess>(store.controller_argv(), store.dir.file("controller.log"),
                                                          store.options.env);
        store.publish(clock_topic(kStore), encode(ClockTick{sim_now}), true);
        REQUIRE(store.wait_online());
    }
    void start() {
        start_controller();
        store.publish(lane_state_topic(kStore, 1), encode(LaneState{true, sim_now, std::string("anna")}), true);
        store.publish(lane_state_topic(kStore, 2), encode(LaneState{true, sim_now, std::string("ben")}), true);
        count(1, 1);
        count(2, 1);
    }
    void tick(TimeMs ms) {
        sim_now += ms;
        store.publish(clock_topic(kStore), encode(ClockTick{sim_now}));
    }
    void count(int lane, int n) {
        store.publish(queue_topic(kStore, lane), encode(QueueCount{n, sim_now, CountSource::sensor, ++seq}), true);
    }
    // `people` in at the door; as many join till 1's line and pay (1 -> 2 -> 1: never two
    // waiting); till 2 keeps one customer; then the minute ends.
    void minute(int people) {
        store.publish(door_topic(kStore, 1), encode(DoorCount{people, kMinute, sim_now, ++seq}));
        for (int i = 0; i < people; ++i) {
            count(1, 2);
            count(1, 1);
        }
        count(2, 1);
        tick(kMinute / 2);
        count(2, 1);
        tick(kMinute / 2);
    }
    // The forecast made at the end of the last minute has arrived.
    bool wait_fresh_forecast() {
        return store.probe
            .wait_for(
                [&](const MqttMessage& m) {
                    auto f = decode_forecast(m.payload);
                    return m.topic == forecast_topic(kStore) && f && f->ts >= sim_now - kMinute;
                },
                10'000)
            .has_value();
    }
    std::optional<Forecast> latest_forecast() {
        std::optional<Forecast> last;
        for (const auto& m : store.probe.messages())
            if (m.topic == forecast_topic(kStore))
                if (auto f = decode_forecast(m.payload)) last = *f;
        return last;
    }
};

}  // namespace

TEST_CASE("door counts give a retained forecast, a rising door raises prepare_till before any breach, and the model survives a restart",
          "[forecast]") {
    StoreFixture store(forecast_store(), false);
    ForecastRun run{store};
    run.start();
    for (int m = 0; m < 20; ++m) run.minute(2);

    auto first = store.probe.wait_for_topic(forecast_topic(kStore), 10'000);
    REQUIRE(first);
    REQUIRE(run.wait_fresh_forecast());
    auto steady = run.latest_forecast();
    REQUIRE(steady);
    CHECK(steady->open_tills == 2);
    CHECK(steady->door_per_min == Approx(2).margin(0.3));
    CHECK(steady->needed_now == 2);
    CHECK(steady->prompts);

    // The door gets busier every minute; nobody waits two deep at any till.
    std::optional<Prompt> prepared;
    for (int m = 0; m < 15 && !prepared; ++m) {
        run.minute(3 + m);
        prepared = store.wait_prompt([](const Prompt& p) { return p.action == PromptAction::prepare_till; }, 300);
    }
    REQUIRE(prepared);
    CHECK(prepared->till == 3);
    CHECK(prepared->message.at("en") == "Till 3 will be needed in about 10 minutes");
    CHECK_FALSE(store.wait_prompt([](const Prompt& p) { return p.action == PromptAction::open_till; }, 200));
    // What a device connecting now is shown: the forecast, retained.
    CHECK(store.retained_now(forecast_topic(kStore)).size() == 1);

    // Every finished minute is stored; a restarted controller learns them again.
    const auto minutes = store.count_rows("SELECT count(*) FROM forecast_minutes WHERE door_reported = 1");
    CHECK(minutes >= 30);
    CHECK(store.count_rows("SELECT count(*) FROM door_counts") >= 30);
    store.controller->kill(SIGTERM);
    REQUIRE(store.controller->wait_exit(10'000) == 0);
    store.probe.clear();
    run.start_controller();
    run.tick(1'000);
    for (int m = 0; m < 3; ++m) run.minute(4);
    REQUIRE(run.wait_fresh_forecast());
    auto after = run.latest_forecast();
    REQUIRE(after);
    // Door history since the first minute before the restart (~40 minutes), not since the
    // restart (3 minutes): the stored minutes were replayed into the model.
    CHECK(after->history_days * 1440 >= 30);
    // The prepare_till is still live after the restart (stored like every prompt; the
    // forecast may have asked for a fourth till meanwhile).
    CHECK(store.count_rows("SELECT count(*) FROM prompts WHERE id = '" + prepared->id + "' AND state = 'open'") == 1);
    // Today's hours for the timeline came back with the minutes.
    REQUIRE_FALSE(after->hours.empty());
    CHECK(after->hours.back().open == Approx(2).margin(0.01));
    CHECK(after->hours.back().needed >= 2);
}

TEST_CASE("a bad door count is refused with its reason and the controller goes on", "[forecast]") {
    StoreFixture store(forecast_store(), false);
    ForecastRun run{store};
    run.start();
    run.tick(1'000);
    store.publish(door_topic(kStore, 1), R"({"people": -3, "interval": 60000, "ts": 1})");
    store.publish(door_topic(kStore, 1), R"({"people": 3})");
    REQUIRE(store.probe.wait_for(
        [&](const MqttMessage& m) {
            auto s = decode_status(m.payload, run.sim_now);
            return m.topic == status_topic(kStore, "controller") && s && s->rejected && *s->rejected >= 2;
        },
        15'000));
    CHECK(store.count_rows("SELECT count(*) FROM door_counts") == 0);
    run.minute(2);
    CHECK(store.controller->running());
}
