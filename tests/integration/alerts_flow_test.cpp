// Alerts through the real controller, a real broker and a real SQLite file (issue 13): on
// the simulated clock an alert opens on unhappy answers, is acknowledged by a staff account,
// closes by itself once recovered, and `report --alerts` counts it; a restart neither
// forgets an open alert nor opens a second one.
#include <catch2/catch.hpp>

#include <csignal>
#include <ctime>
#include <random>
#include <thread>

#include "child_process.hpp"
#include "storeq/ids.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

constexpr TimeMs kMinute = 60'000;

std::string unhappy_feedback(std::mt19937_64& rng, TimeMs ts) {
    Feedback f;
    f.id = make_uuid_v7(ts, rng);
    f.ts = ts;
    f.scale = Scale::smiley4;
    f.score = 0;
    f.reason = "queue";
    return encode(f);
}

std::string run_report(StoreFixture& store, std::vector<std::string> args, const std::string& out) {
    std::vector<std::string> argv{STOREQ_BINARY_DIR "/bin/storeq-controller", "report", "--db", store.db_path};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess report(argv, store.dir.file(out), {{"TZ", "UTC"}});
    REQUIRE(report.wait_exit(30'000) == 0);
    return report.log_text();
}

}  // namespace

TEST_CASE("on the simulated clock an alert opens, is acknowledged by staff, closes by itself, and report counts it",
          "[alerts]") {
    StoreFixtureOptions o;
    o.tills = "1-2";
    o.config_text = "tills = 1-2\nalert_settle = 5min\ntime_zone = UTC\n";
    o.extra_args = {"--clock", "sim"};
    StoreFixture store(o, false);
    const std::string& id = store.options.store;
    TimeMs sim_now = wall_clock_ms();
    store.controller = std::make_unique<ChildProcess>(store.controller_argv(), store.dir.file("controller.log"),
                                                      store.options.env);
    store.publish(clock_topic(id), encode(ClockTick{sim_now}), true);
    REQUIRE(store.wait_online());

    std::mt19937_64 rng(5);
    for (int i = 0; i < 4; ++i) store.publish(feedback_topic(id, "exit-1"), unhappy_feedback(rng, sim_now));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE rule = 'negative_share'") == 1; },
                       15'000));
    const std::string alert_id = query_text(store.db_path, "SELECT id FROM alerts");
    auto shown = store.probe.wait_for_topic(alert_topic(id, alert_id), 10'000);
    REQUIRE(shown);
    auto alert = decode_alert(shown->payload);
    REQUIRE(alert);
    CHECK(alert->state == AlertState::open);
    CHECK(alert->subject.empty());
    CHECK(alert->n == 4);
    REQUIRE(alert->reasons.size() == 1);
    CHECK(alert->reasons[0].code == "queue");

    // Staff acknowledge it a minute and a half later (store time).
    sim_now += 90'000;
    store.publish(clock_topic(id), encode(ClockTick{sim_now}), true);
    store.publish(alert_answer_topic(id, alert_id, "handheld-1"),
                  encode(AlertAnswer{AlertAction::acknowledge, "handheld-1", wall_clock_ms(), std::nullopt}));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE state = 'acknowledged'") == 1; },
                       15'000));
    CHECK(query_text(store.db_path, "SELECT acknowledged_by FROM alerts") == "handheld-1");

    // The window (15 min) empties, the figure has recovered; 5 minutes later it closes.
    // Each tick waits until the controller has stepped to it (its status carries its time):
    // ticks sent at once would be one jump, and alert_settle counts from the first step
    // that sees the recovery.
    auto step_to = [&](TimeMs t) {
        sim_now = t;
        store.publish(clock_topic(id), encode(ClockTick{sim_now}), true);
        REQUIRE(wait_until([&] { auto st = store.last_status(); return st && st->ts >= sim_now; }, 15'000));
    };
    const TimeMs opened = sim_now - 90'000;
    step_to(opened + 15 * kMinute + 30'000);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(store.count_rows("SELECT count(*) FROM alerts WHERE state = 'closed'") == 0);
    step_to(opened + 21 * kMinute);
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE state = 'closed'") == 1; },
                       15'000));
    CHECK(query_text(store.db_path, "SELECT closed_by FROM alerts") == "auto");
    // Off the dashboards: a device connecting now is shown no alert.
    REQUIRE(wait_until([&] { return store.retained_now(alert_topic(id, "+")).empty(); }, 10'000));

    const std::string day = utc_date(sim_now);
    const std::string days = run_report(store, {"--from", day, "--to", day, "--alerts", "--format", "csv"}, "alerts.csv");
    CHECK_THAT(days, Catch::Contains("period,alerts,feedback,queue,device,good,acknowledged,time_to_ack_p50,"
                                     "time_to_ack_p90,closed_by_hand,auto_closed,still_open"));
    CHECK_THAT(days, Catch::Contains(day + ",1,1,0,0,0,1,9"));  // time to acknowledge: 90 s of store time
    CHECK_THAT(days, Catch::Contains(",0,1,0\n"));                // none by hand, one by itself, none open
    const std::string list =
        run_report(store, {"--from", day, "--to", day, "--alerts", "--list", "--format", "csv"}, "list.csv");
    CHECK_THAT(list, Catch::Contains(",negative_share,feedback,bad,1,,100.0,50.0,4,closed,handheld-1,9"));
    CHECK_THAT(list, Catch::Contains(",auto,"));
    CHECK_THAT(list, Catch::Contains("queue:4"));
}

TEST_CASE("an open alert survives a controller kill: not forgotten, and no second one", "[alerts]") {
    StoreFixture store;
    const std::string& id = store.options.store;
    std::mt19937_64 rng(9);
    for (int i = 0; i < 4; ++i) store.publish(feedback_topic(id, "exit-1"), unhappy_feedback(rng, wall_clock_ms()));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE state = 'open'") == 1; }, 15'000));

    store.controller->kill(SIGKILL);
    REQUIRE(store.controller->wait_exit(10'000) == 128 + SIGKILL);
    store.probe.clear();
    store.start_controller();
    // Still unhappy: four more, enough for an alert of their own. The one alert stays.
    for (int i = 0; i < 4; ++i) store.publish(feedback_topic(id, "exit-1"), unhappy_feedback(rng, wall_clock_ms()));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback") == 8; }, 15'000));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(store.count_rows("SELECT count(*) FROM alerts") == 1);
    const auto retained = store.retained_now(alert_topic(id, "+"));
    REQUIRE(retained.size() == 1);
    // And the restarted controller still knows it: staff can acknowledge it.
    const std::string alert_id = query_text(store.db_path, "SELECT id FROM alerts");
    store.publish(alert_answer_topic(id, alert_id, "handheld-1"),
                  encode(AlertAnswer{AlertAction::acknowledge, "handheld-1", wall_clock_ms(), std::nullopt}));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE state = 'acknowledged'") == 1; },
                       15'000));
}
