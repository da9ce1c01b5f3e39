// The controller's flow (intake -> durable step -> publish) against the real binary, a
// real broker and a real SQLite file: restarts with work due, ghosts on the broker, floods
// of pointless input, and a database that takes no writes.
#include <catch2/catch.hpp>

#include <csignal>
#include <ctime>
#include <random>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "notify_socket.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
int count_lines_containing(const std::string& text, const std::string& needle) {
    std::istringstream lines(text);
    int n = 0;
    for (std::string line; std::getline(lines, line);)
        if (line.find(needle) != std::string::npos) ++n;
    return n;
}

std::string random_id(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    return make_uuid_v7(wall_clock_ms(), rng);
}
}  // namespace

TEST_CASE("a controller started again after claim_timeout escalates the restored prompt and keeps serving") {
    StoreFixtureOptions options;
    options.config_text = "tills = 1-4\nclaim_timeout = 2s\n";
    StoreFixture store(options);
    const std::string root = store.topic_root();
    store.publish(lane_state_topic(store.options.store, 1), lane_open_payload(true), true);
    store.publish(queue_topic(store.options.store, 1), count_payload(4, 1, CountSource::manual), true);
    auto raised = store.wait_prompt([](const Prompt& p) { return p.state == PromptState::open && p.level == 1; });
    REQUIRE(raised);

    store.controller->kill(SIGKILL);
    REQUIRE(store.controller->wait_exit(10'000) == 128 + SIGKILL);
    std::this_thread::sleep_for(std::chrono::seconds(4));  // claim_timeout passes while it is down
    store.probe.clear();
    store.start_controller();

    // The escalation that fell due while it was down reaches staff...
    auto escalated = store.wait_prompt([&](const Prompt& p) { return p.id == raised->id && p.level == 2; });
    REQUIRE(escalated);
    CHECK(escalated->state == PromptState::open);
    // ...is stored once, and the controller goes on serving.
    CHECK(store.count_rows("SELECT count(*) FROM prompt_transitions WHERE transition = 'escalated' AND prompt_id = '" +
                           raised->id + "'") == 1);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(store.controller->running());
    store.publish(lane_state_topic(store.options.store, 2), lane_open_payload(true), true);
    CHECK(store.wait_prompt([&](const Prompt& p) { return p.id == raised->id && p.state == PromptState::fulfilled; }));
}

TEST_CASE("prompts retained on the broker that are not live are cleared when the controller connects") {
    StoreFixture store;
    const std::string& id = store.options.store;
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    store.publish(queue_topic(id, 1), count_payload(4, 1, CountSource::manual), true);
    auto live = store.wait_prompt([](const Prompt& p) { return p.state == PromptState::open; });
    REQUIRE(live);

    // A broker that crashed before saving brings back a prompt that had ended: here one
    // put there while the controller is away.
    store.controller->kill(SIGTERM);
    REQUIRE(store.controller->wait_exit(10'000) == 0);
    Prompt ghost = *live;
    ghost.id = random_id(7);
    ghost.till = 3;
    store.publish(prompt_topic(id, ghost.id), encode(ghost), true);
    store.probe.clear();
    store.start_controller();

    // A handheld that connects afterwards sees the live prompt and no ghost.
    REQUIRE(wait_until(
        [&] {
            int ghosts = 0, lives = 0;
            for (const auto& m : store.retained_now(store.topic_root() + "prompts/+")) {
                if (m.topic == prompt_topic(id, ghost.id)) ++ghosts;
                if (m.topic == prompt_topic(id, live->id)) ++lives;
            }
            return ghosts == 0 && lives == 1;
        },
        10'000));
    CHECK(store.count_rows("SELECT count(*) FROM prompts") == 1);
}

TEST_CASE("floods of claims for no prompt and counts for lanes that are not tills write a few log lines") {
    StoreFixture store;
    const std::string& id = store.options.store;
    constexpr int kClaims = 5'000;
    for (int i = 0; i < kClaims; ++i)
        store.publish(claim_topic(id, random_id(1000 + i), "anna"), encode(Claim{"anna", wall_clock_ms(), std::nullopt}));
    for (int lane = 5; lane <= 999; ++lane) store.publish(queue_topic(id, lane), count_payload(3, 1));
    // It still keeps the promise on its own tills.
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    store.publish(queue_topic(id, 1), count_payload(4, 1, CountSource::manual), true);
    REQUIRE(store.wait_prompt([](const Prompt& p) { return p.state == PromptState::open; }, 30'000));
    const std::string log = store.controller->log_text();
    // Each kind at most once a minute, with its count.
    CHECK(count_lines_containing(log, "which is not live") <= 2);
    CHECK(count_lines_containing(log, "not a till") <= 2);
    CHECK(count_lines_containing(log, "\n") < 60);
}

TEST_CASE("a database that refuses every write stops the watchdog, and one that works again feeds it again") {
    TempDir notify_dir{"storeq-notify"};
    NotifySocket notify(notify_dir.file("notify.sock"));
    StoreFixtureOptions options;
    options.env = {{"NOTIFY_SOCKET", notify.path()}, {"WATCHDOG_USEC", "400000"}};
    StoreFixture store(options);
    REQUIRE(count_of(notify.receive(2000), "WATCHDOG=1") >= 3);

    {
        // Another process holds the write lock: every transaction of the controller fails.
        auto locker = Database::open(store.db_path);
        REQUIRE(locker);
        REQUIRE(locker->exec("BEGIN EXCLUSIVE"));
        REQUIRE(locker->exec("INSERT INTO lane_states(lane, open, ts, received) VALUES(9, 0, 0, 0)"));
        store.publish(lane_state_topic(store.options.store, 1), lane_open_payload(true), true);
        // Past the grace (10 s here, from the first failure, which comes after SQLite's
        // 5 s busy timeout), no WATCHDOG=1: systemd would restart it.
        (void)notify.receive(18'000);
        CHECK(count_of(notify.receive(6'000), "WATCHDOG=1") == 0);
        REQUIRE(locker->exec("ROLLBACK"));
    }
    // Writes work again: the held lane state is stored once and the watchdog is fed.
    CHECK(count_of(notify.receive(12'000), "WATCHDOG=1") >= 3);
    CHECK(wait_until([&] { return store.count_rows("SELECT count(*) FROM lane_states WHERE lane = 1") == 1; }, 10'000));
    CHECK(store.controller->running());
    // The failures were logged a few times, not once per try.
    CHECK(count_lines_containing(store.controller->log_text(), "failed") < 20);
}

TEST_CASE("a claim is recorded for the account that sent it, and one naming someone else is refused") {
    StoreFixture store;
    const std::string& id = store.options.store;
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    store.publish(queue_topic(id, 1), count_payload(4, 1, CountSource::manual), true);
    auto raised = store.wait_prompt([](const Prompt& p) { return p.state == PromptState::open; });
    REQUIRE(raised);

    // handheld-1's account claims in manager-bob's name: refused, counted, the prompt stays open.
    store.publish(claim_topic(id, raised->id, "handheld-1"), encode(Claim{"manager-bob", wall_clock_ms(), std::nullopt}));
    REQUIRE(wait_until([&] { auto s = store.last_status(); return s && s->rejected == 1; }, 10'000));
    CHECK_THAT(store.controller->log_text(), Catch::Contains("by 'manager-bob' is not the account 'handheld-1'"));
    CHECK(store.count_rows("SELECT count(*) FROM prompts WHERE state = 'claimed'") == 0);

    store.publish(claim_topic(id, raised->id, "handheld-1"), encode(Claim{"handheld-1", wall_clock_ms(), std::nullopt}));
    auto claimed = store.wait_prompt([&](const Prompt& p) { return p.id == raised->id && p.state == PromptState::claimed; });
    REQUIRE(claimed);
    CHECK(claimed->claimed_by == "handheld-1");
    CHECK(store.count_rows("SELECT count(*) FROM prompt_transitions WHERE transition = 'claimed' AND by = 'handheld-1'") == 1);
}

TEST_CASE("a sensor sample older than its last is counted in the status and not stored") {
    StoreFixture store;
    const std::string& id = store.options.store;
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    store.publish(queue_topic(id, 1), count_payload(2, 10));
    store.publish(queue_topic(id, 1), count_payload(5, 9));  // arrives late: the sensor already said 10
    store.publish(queue_topic(id, 1), count_payload(2, 11));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM queue_samples") >= 2; }, 10'000));
    REQUIRE(wait_until(
        [&] {
            auto status = store.last_status();
            return status && status->stale_samples && *status->stale_samples == 1;
        },
        10'000));
    // What the rule used, and no more: the stats read the same two samples.
    CHECK(store.count_rows("SELECT count(*) FROM queue_samples") == 2);
    CHECK(store.count_rows("SELECT count(*) FROM queue_samples WHERE count = 5") == 0);
}

TEST_CASE("a till opened with no count from its sensor is unknown at once, not after sensor_timeout") {
    StoreFixtureOptions options;
    options.config_text = "tills = 1-4\nsensor_timeout = 60s\n";
    StoreFixture store(options);
    const std::string& id = store.options.store;
    store.probe.clear();
    store.publish(lane_state_topic(id, 3), lane_open_payload(true), true);
    // Well inside the 60 s sensor_timeout, the status says lane 3 has no count.
    REQUIRE(wait_until(
        [&] {
            auto status = store.last_status();
            return status && status->unknown_lanes &&
                   std::find(status->unknown_lanes->begin(), status->unknown_lanes->end(), 3) !=
                       status->unknown_lanes->end();
        },
        10'000));
}

TEST_CASE("report --by hour of today lists the hours up to now, not the ones still to come") {
    StoreFixtureOptions options;
    options.config_text = "tills = 1-4\ntime_zone = UTC\n";
    StoreFixture store(options);
    store.publish(lane_state_topic(store.options.store, 1), lane_open_payload(true), true);
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM lane_states") == 1; }, 10'000));
    const std::time_t t = static_cast<std::time_t>(wall_clock_ms() / 1000);
    std::tm now{};
    gmtime_r(&t, &now);
    char today[16], this_hour[32];
    std::strftime(today, sizeof today, "%Y-%m-%d", &now);
    std::strftime(this_hour, sizeof this_hour, "%Y-%m-%dT%H:00:00+00:00", &now);
    ChildProcess report({STOREQ_BINARY_DIR "/bin/storeq-controller", "report", "--db", store.db_path, "--from", today,
                         "--to", today, "--format", "csv"},
                        store.dir.file("report.csv"), {{"TZ", "UTC"}});
    REQUIRE(report.wait_exit(30'000) == 0);
    const std::string csv = report.log_text();
    INFO(csv.substr(0, 2000));
    // The store's row for every hour from midnight to this one, and none after it.
    CHECK(count_lines_containing(csv, ",all,") == now.tm_hour + 1);
    CHECK(count_lines_containing(csv, std::string(this_hour) + ",all,") == 1);
}

TEST_CASE("a balance prompt that expired while the controller was down ends at restart and the rule goes on to open_till") {
    StoreFixtureOptions options;
    options.config_text = "tills = 1-4\nbalance_grace = 2s\n";
    StoreFixture store(options);
    const std::string& id = store.options.store;
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    store.publish(lane_state_topic(id, 2), lane_open_payload(true), true);
    store.publish(queue_topic(id, 2), count_payload(0, 1, CountSource::manual), true);
    store.publish(queue_topic(id, 1), count_payload(4, 1, CountSource::manual), true);
    auto balance = store.wait_prompt(
        [](const Prompt& p) { return p.action == PromptAction::balance && p.state == PromptState::open; });
    REQUIRE(balance);

    store.controller->kill(SIGKILL);
    REQUIRE(store.controller->wait_exit(10'000) == 128 + SIGKILL);
    std::this_thread::sleep_for(std::chrono::seconds(4));  // balance_grace passes while it is down
    store.probe.clear();
    store.start_controller();

    // The restored balance prompt ends as expired, and the queue at till 1 gets a till opened.
    CHECK(store.wait_prompt([&](const Prompt& p) { return p.id == balance->id && p.state == PromptState::expired; }));
    CHECK(store.wait_prompt(
        [](const Prompt& p) { return p.action == PromptAction::open_till && p.state == PromptState::open; }));
    CHECK(store.count_rows("SELECT count(*) FROM prompt_transitions WHERE transition = 'expired' AND prompt_id = '" +
                           balance->id + "'") == 1);
    CHECK(store.controller->running());
}

TEST_CASE("a close_till prompt restored after a restart is cancelled when customers wait again") {
    StoreFixtureOptions options;
    options.config_text = "tills = 1-4\nidle_close = 2s\n";
    StoreFixture store(options);
    const std::string& id = store.options.store;
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    store.publish(lane_state_topic(id, 2), lane_open_payload(true), true);
    store.publish(queue_topic(id, 1), count_payload(0, 1, CountSource::manual), true);
    store.publish(queue_topic(id, 2), count_payload(0, 1, CountSource::manual), true);
    auto close = store.wait_prompt(
        [](const Prompt& p) { return p.action == PromptAction::close_till && p.state == PromptState::open; });
    REQUIRE(close);

    store.controller->kill(SIGKILL);
    REQUIRE(store.controller->wait_exit(10'000) == 128 + SIGKILL);
    // While it is down, a queue builds at till 1 (the lane display's retained count).
    store.publish(queue_topic(id, 1), count_payload(3, 2, CountSource::manual), true);
    store.probe.clear();
    store.start_controller();

    CHECK(store.wait_prompt([&](const Prompt& p) { return p.id == close->id && p.state == PromptState::cancelled; }));
    CHECK(store.count_rows("SELECT count(*) FROM prompts WHERE id = '" + close->id + "' AND state = 'cancelled'") == 1);
    CHECK(store.controller->running());
}
