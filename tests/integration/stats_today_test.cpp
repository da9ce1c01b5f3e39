// A small known day through the real controller (simulated clock, real broker, real
// SQLite): the retained stats documents show what a manager would check, and
// `storeq-controller report` shows the same figures for that day.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "child_process.hpp"
#include "database_probe.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;
using nlohmann::json;

namespace {
constexpr const char* kStore = "stats-1";
constexpr TimeMs kT0 = 1'763'366'400'000;         // Monday 2025-11-17 08:00 UTC
constexpr TimeMs kWeekAgo = kT0 - 7 * 86'400'000;  // Monday 2025-11-10 08:00 UTC
constexpr TimeMs kS = 1000;
const std::map<std::string, std::string> kUtc{{"TZ", "UTC"}};

struct SimStore {
    TestBroker broker;
    TempDir dir{"storeq-stats-test"};
    std::string db_path = dir.file("storeq.db");
    std::unique_ptr<ChildProcess> controller;
    MqttProbe probe{broker.host(), broker.port(), "manager"};
    std::mt19937_64 rng{42};
    std::int64_t seq = 0;
    TimeMs now = 0;

    SimStore() {
        probe.subscribe(store_wildcard(kStore));
        REQUIRE(probe.wait_connected(5000));
        controller = std::make_unique<ChildProcess>(
            std::vector<std::string>{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store",
                                     kStore, "--db", db_path, "--tills", "1-4", "--clock", "sim"},
            dir.file("controller.log"), kUtc);
        REQUIRE(probe.wait_for([](const MqttMessage& m) { return m.topic == status_topic(kStore, "controller") && !m.payload.empty(); }, 10000));
    }
    void publish(const std::string& topic, const std::string& payload) { REQUIRE(probe.publish(topic, payload, 1, false)); }
    void tick(TimeMs t) {
        now = t;
        publish(clock_topic(kStore), encode(ClockTick{t}));
    }
    void lane(int number, bool open) {
        LaneState s;
        s.open = open;
        s.ts = now;
        publish(lane_state_topic(kStore, number), encode(s));
    }
    void count(int number, int n) {
        QueueCount q;
        q.count = n;
        q.ts = now;
        q.source = CountSource::manual;
        q.seq = ++seq;
        publish(queue_topic(kStore, number), encode(q));
    }
    void feedback(Scale scale, int score, std::optional<std::string> reason = std::nullopt, bool misuse = false) {
        Feedback f;
        f.id = make_uuid_v7(now, rng);
        f.ts = now;
        f.scale = scale;
        f.score = score;
        f.reason = std::move(reason);
        f.ui = f.reason ? FollowUp::complete : FollowUp::none;
        f.misuse = misuse;
        publish(feedback_topic(kStore, "exit-1"), encode(f));
    }
    std::optional<Prompt> wait_prompt(PromptState state) {
        auto m = probe.wait_for([&](const MqttMessage& msg) {
            auto t = parse_topic(msg.topic);
            if (!t || t->kind != TopicKind::prompt || msg.payload.empty()) return false;
            auto p = decode_prompt(msg.payload);
            return p && p->state == state;
        }, 10000);
        if (!m) return std::nullopt;
        return *decode_prompt(m->payload);
    }
    json wait_stats(const std::string& view, TimeMs ts) {
        auto m = probe.wait_for([&](const MqttMessage& msg) {
            if (msg.topic != stats_topic(kStore, view)) return false;
            auto j = json::parse(msg.payload, nullptr, false);
            return !j.is_discarded() && j.value("ts", TimeMs{0}) == ts;
        }, 15000);
        std::string seen;
        for (const auto& msg : probe.messages())
            if (msg.topic.find("/stats/") != std::string::npos) seen += msg.topic + " " + msg.payload.substr(0, 60) + "\n";
        INFO("waiting for stats/" << view << "; seen:\n" << seen << "controller log:\n" << controller->log_text());
        REQUIRE(m);
        return json::parse(m->payload);
    }
};
}  // namespace

TEST_CASE("stats documents of a known day, and the report of the same day") {
    SimStore store;
    // A week earlier: till 1 open for ten minutes, four answers.
    store.tick(kWeekAgo);
    store.lane(1, true);
    store.count(1, 1);
    store.tick(kWeekAgo + 60 * kS);
    for (int score : {3, 3, 0, 0}) store.feedback(Scale::smiley4, score);
    store.tick(kWeekAgo + 600 * kS);
    store.lane(1, false);

    // Today.
    store.tick(kT0);
    store.lane(1, true);
    store.count(1, 1);
    const std::vector<std::pair<int, std::optional<std::string>>> faces{
        {3, "staff"}, {3, "staff"}, {3, {}}, {3, {}}, {3, {}}, {2, {}}, {2, {}}, {1, {}}, {0, "queue"}, {0, "queue"}};
    for (const auto& [score, reason] : faces) store.feedback(Scale::smiley4, score, reason);
    store.feedback(Scale::smiley4, 3, std::nullopt, true);  // a second press inside the interval
    for (int score : {10, 9, 9, 8, 7, 6, 3}) store.feedback(Scale::nps, score);
    store.tick(kT0 + 100 * kS);
    store.count(1, 3);  // two waiting: over the threshold from 100 s
    store.tick(kT0 + 103 * kS);  // ... for the dwell: a breach, open_till for till 2
    auto raised = store.wait_prompt(PromptState::open);
    REQUIRE(raised);
    store.tick(kT0 + 120 * kS);
    store.publish(claim_topic(kStore, raised->id, "anna"), encode(Claim{"anna", kT0 + 120 * kS, std::string("handheld-1")}));
    REQUIRE(store.wait_prompt(PromptState::claimed));
    store.tick(kT0 + 150 * kS);
    store.lane(2, true);
    store.count(2, 0);
    REQUIRE(store.wait_prompt(PromptState::fulfilled));
    store.tick(kT0 + 160 * kS);
    store.count(1, 1);
    store.tick(kT0 + 3600 * kS);

    const json today = store.wait_stats("today", kT0 + 3600 * kS);
    INFO(today.dump(1));
    CHECK(today["date"] == "2025-11-17");
    const json& t = today["totals"];
    // Queues: till 1 open 3600 s, till 2 3450 s; one breach of 57 s (103..160 s), answered
    // by till 2 opening 47 s after it began: promise kept.
    CHECK(t["open_min"] == Approx(117.5));
    CHECK(t["breach_min"] == Approx(0.95));
    CHECK(t["compliance_pct"] == Approx(99.2));  // (7050 - 57) / 7050
    CHECK(t["avg_queue"] == Approx(0.53));       // (1x100 + 3x60 + 1x3440) / 7050
    CHECK(t["max_queue"] == 3);
    CHECK(t["breaches"] == 1);
    CHECK(t["promise_kept"] == 1);
    CHECK(t["promise_kept_pct"] == Approx(100.0));
    // Prompts: raised at 103 s, claimed at 120 s, till 2 open at 150 s.
    CHECK(t["prompts_raised"] == 2);  // and close_till at 09:00: two tills open, nobody waiting
    CHECK(t["prompts_fulfilled"] == 1);
    CHECK(t["time_to_claim_p50_s"] == Approx(17.0));
    CHECK(t["time_to_open_p50_s"] == Approx(47.0));
    // Feedback: 10 faces (5x best, 2, 1, 2x worst) -> (500 + 133.3 + 33.3) / 10 = 66.7;
    // NPS 3 promoters, 2 detractors of 7 -> 14.3, thin; the misuse press in no score.
    CHECK(t["responses"] == 17);
    CHECK(t["misuse"] == 1);
    CHECK(t["happy_index"] == Approx(66.7));
    CHECK(t["happy_n"] == 10);
    CHECK(t["nps"] == Approx(14.3));
    CHECK(t["nps_n"] == 7);
    CHECK(t["nps_thin"] == 1);
    // Adjusted Wald: n' = 10, p' = 3.75/10, d' = 2.75/10, centre 0.1;
    // var = (0.375 + 0.275 - 0.1^2) / 10 = 0.064; 1.96 * sqrt = 0.4958 -> 10 -/+ 49.6
    CHECK(t["nps_ci95_low"] == Approx(-39.6));
    CHECK(t["nps_ci95_high"] == Approx(59.6));
    CHECK(today["detail"]["by_scale"]["smiley4"] == json::array({2, 1, 2, 5}));
    CHECK(today["detail"]["reasons_negative"]["queue"] == 2);
    // The same weekday a week earlier, up to the same time of day.
    CHECK(today["week_ago"]["date"] == "2025-11-10");
    CHECK(today["week_ago"]["totals"]["happy_index"] == Approx(50.0));
    CHECK(today["week_ago"]["totals"]["open_min"] == Approx(10.0));

    const json hourly = store.wait_stats("hourly", kT0 + 3600 * kS);
    REQUIRE(hourly["hours"].size() == 10);  // 00:00 .. 09:00
    CHECK(hourly["hours"][8]["period"] == "2025-11-17T08:00:00+00:00");
    CHECK(hourly["hours"][8]["breach_min"] == Approx(0.95));
    CHECK(hourly["hours"][8]["responses"] == 17);
    const json daily = store.wait_stats("daily", kT0 + 3600 * kS);
    REQUIRE(daily["days"].size() == 28);
    CHECK(daily["days"][27] == t);
    CHECK(daily["days"][20]["happy_index"] == Approx(50.0));
    const json lanes = store.wait_stats("lanes", kT0 + 3600 * kS);
    REQUIRE(lanes["lanes"].size() == 4);
    CHECK(lanes["lanes"][0]["lane"] == 1);
    CHECK(lanes["lanes"][0]["breach_min"] == Approx(0.95));
    CHECK(lanes["lanes"][0]["open_now"] == true);
    CHECK(lanes["lanes"][0]["count_now"] == 1);
    for (const auto& view : {"today", "hourly", "daily", "lanes"})
        // Under the broker's 64 KiB max_packet_size with room: stats/daily is 31 rows of every
        // column (36 KB with the queue-cost columns, docs/protocol.md).
        CHECK(store.probe.wait_for_topic(stats_topic(kStore, view), 1000)->payload.size() < 48 * 1024);

    // The documents are retained: a dashboard that connects now gets them at once.
    MqttProbe late(store.broker.host(), store.broker.port(), "late-dashboard");
    late.subscribe(stats_topic(kStore, "today"));
    auto retained = late.wait_for_topic(stats_topic(kStore, "today"), 5000);
    REQUIRE(retained);
    CHECK(json::parse(retained->payload)["ts"] == kT0 + 3600 * kS);

    // The report of the same day shows the same figures.
    store.controller->kill(SIGTERM);
    REQUIRE(store.controller->wait_exit(10000) == 0);
    ChildProcess report({STOREQ_BINARY_DIR "/bin/storeq-controller", "report", "--db", store.db_path, "--from",
                         "2025-11-17", "--to", "2025-11-17", "--by", "day", "--format", "json"},
                        store.dir.file("report.json"), kUtc);
    REQUIRE(report.wait_exit(20000) == 0);
    const json exported = json::parse(report.log_text());
    REQUIRE(exported["rows"].size() == 3);  // the store, till 1, till 2
    CHECK(exported["rows"][0] == t);
    CHECK(exported["rows"][1]["lane"] == 1);
    CHECK(exported["rows"][1]["breach_min"] == Approx(0.95));
}

TEST_CASE("after a reload (SIGHUP) the stats judge breaches by the new waiting_threshold, as the rule does") {
    TestBroker broker;
    TempDir dir{"storeq-stats-reload"};
    const std::string config_path = dir.file("store.conf");
    auto write_config = [&](int threshold) {
        std::ofstream(config_path) << "tills = 1-4\nwaiting_threshold = " << threshold << "\n";
    };
    write_config(2);
    MqttProbe probe{broker.host(), broker.port(), "manager"};
    probe.subscribe(store_wildcard(kStore));
    REQUIRE(probe.wait_connected(5000));
    ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store", kStore,
                             "--db", dir.file("storeq.db"), "--config", config_path, "--clock", "sim"},
                            dir.file("controller.log"), kUtc);
    REQUIRE(probe.wait_for([](const MqttMessage& m) { return m.topic == status_topic(kStore, "controller") && !m.payload.empty(); }, 10000));
    std::int64_t seq = 0;
    auto publish = [&](const std::string& topic, const std::string& payload) { REQUIRE(probe.publish(topic, payload, 1, false)); };
    auto tick = [&](TimeMs t) { publish(clock_topic(kStore), encode(ClockTick{t})); };
    auto count = [&](TimeMs t, int n) { publish(queue_topic(kStore, 1), encode(QueueCount{n, t, CountSource::sensor, ++seq})); };

    tick(kT0);
    publish(lane_state_topic(kStore, 1), encode(LaneState{true, kT0, std::nullopt}));
    count(kT0, 1);
    // The store raises its threshold to 4 waiting, and reloads.
    write_config(4);
    controller.kill(SIGHUP);
    REQUIRE(wait_until([&] { return controller.log_text().find("reload: configuration re-read") != std::string::npos; }, 10000));
    // Two waiting for 100 s: a breach under the old setting, none under the new one.
    tick(kT0 + 100 * kS);
    count(kT0 + 100 * kS, 3);
    for (TimeMs s = 110; s <= 200; s += 10) {
        tick(kT0 + s * kS);
        count(kT0 + s * kS, 3);
    }
    count(kT0 + 200 * kS, 1);
    // Five waiting for 100 s: a breach under both.
    tick(kT0 + 300 * kS);
    for (TimeMs s = 300; s <= 400; s += 10) {
        tick(kT0 + s * kS);
        count(kT0 + s * kS, 6);
    }
    count(kT0 + 400 * kS, 1);
    tick(kT0 + 3600 * kS);

    auto m = probe.wait_for([&](const MqttMessage& msg) {
        if (msg.topic != stats_topic(kStore, "today")) return false;
        auto j = json::parse(msg.payload, nullptr, false);
        return !j.is_discarded() && j.value("ts", TimeMs{0}) == kT0 + 3600 * kS;
    }, 15000);
    INFO("controller log:\n" << controller.log_text());
    REQUIRE(m);
    const json totals = json::parse(m->payload)["totals"];
    CHECK(totals["breaches"] == 1);
    CHECK(totals["breach_min"] == Approx(1.62));  // 303 .. 400 s
    // The rule judged the same: one prompt, for the second queue.
    CHECK(totals["prompts_raised"] == 1);
}

TEST_CASE("stats documents stay bounded: 2,500 reason codes, 200 tills, counts for lanes 1..999") {
    TestBroker broker;
    TempDir dir{"storeq-stats-bounds"};
    MqttProbe probe{broker.host(), broker.port(), "manager"};
    probe.subscribe(store_wildcard(kStore));
    REQUIRE(probe.wait_connected(5000));
    ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store", kStore,
                             "--db", dir.file("storeq.db"), "--tills", "1-200", "--clock", "sim"},
                            dir.file("controller.log"), kUtc);
    REQUIRE(probe.wait_for([](const MqttMessage& m) { return m.topic == status_topic(kStore, "controller") && !m.payload.empty(); }, 10000));
    auto publish = [&](const std::string& topic, const std::string& payload) { REQUIRE(probe.publish(topic, payload, 1, false)); };
    publish(clock_topic(kStore), encode(ClockTick{kT0}));
    std::mt19937_64 rng{7};
    for (int i = 0; i < 2500; ++i) {
        Feedback f;
        f.id = make_uuid_v7(kT0 + i, rng);
        f.ts = kT0 + i;
        f.scale = Scale::smiley4;
        f.score = i % 2 ? 0 : 3;
        f.reason = "code_" + std::to_string(i);
        f.ui = FollowUp::complete;
        publish(feedback_topic(kStore, "exit-1"), encode(f));
    }
    for (const std::string code : {"queue", "staff"}) {
        Feedback f;
        f.id = make_uuid_v7(kT0, rng);
        f.ts = kT0;
        f.scale = Scale::smiley4;
        f.score = code == "queue" ? 0 : 3;
        f.reason = code;
        f.ui = FollowUp::complete;
        publish(feedback_topic(kStore, "exit-1"), encode(f));
    }
    for (int lane = 1; lane <= 999; ++lane) {
        publish(lane_state_topic(kStore, lane), encode(LaneState{true, kT0, std::nullopt}));
        publish(queue_topic(kStore, lane), encode(QueueCount{4, kT0, CountSource::manual, 1}));  // holds until changed
    }
    // Every answer stored before the clock moves on: the two sessions are not ordered with
    // each other, and a stats/today made at `until` before the feedback session is done
    // counts fewer answers (seen under load in CI: "other" 968 of 1,250). What this test
    // checks is the documents' bounds, not that race.
    REQUIRE(wait_until([&] { return stored_feedback(dir.file("storeq.db")) == 2502; }, 60'000));
    const TimeMs until = kT0 + 600 * kS;
    publish(clock_topic(kStore), encode(ClockTick{until}));

    auto wait_doc = [&](const std::string& view) {
        auto m = probe.wait_for([&](const MqttMessage& msg) {
            if (msg.topic != stats_topic(kStore, view)) return false;
            auto j = json::parse(msg.payload, nullptr, false);
            return !j.is_discarded() && j.value("ts", TimeMs{0}) == until;
        }, 30000);
        INFO("controller log:\n" << controller.log_text());
        REQUIRE(m);
        return *m;
    };
    const MqttMessage today = wait_doc("today");
    const json detail = json::parse(today.payload)["detail"];
    CHECK(detail["reasons_negative"] == json({{"other", 1250}, {"queue", 1}}));
    CHECK(detail["reasons_positive"] == json({{"other", 1250}, {"staff", 1}}));
    const MqttMessage lanes = wait_doc("lanes");
    const json listed = json::parse(lanes.payload)["lanes"];
    REQUIRE(listed.size() == 200);
    CHECK(listed.front()["lane"] == 1);
    CHECK(listed.back()["lane"] == 200);
    CHECK(listed[0]["breaching_now"] == true);
    std::size_t largest = 0;
    for (const auto& view : {"today", "hourly", "daily", "lanes"}) {
        const std::size_t size = wait_doc(view).payload.size();
        WARN("stats/" << view << ": " << size << " bytes");
        largest = std::max(largest, size);
    }
    CHECK(largest < 60 * 1024);  // the broker refuses packets over 64 KiB
    CHECK(controller.running());

    // And it still keeps the promise: till 200 closes while lane 1 has 4 waiting, so the
    // next till to open is 200, and staff are told.
    publish(lane_state_topic(kStore, 200), encode(LaneState{false, until, std::nullopt}));
    publish(clock_topic(kStore), encode(ClockTick{until + 60 * kS}));
    const auto prompt = probe.wait_for([](const MqttMessage& m) {
        if (m.topic.find("/prompts/") == std::string::npos || m.payload.empty()) return false;
        auto decoded = decode_prompt(m.payload);
        return decoded && decoded->action == PromptAction::open_till && decoded->till == 200;
    }, 20000);
    INFO("controller log:\n" << controller.log_text());
    CHECK(prompt.has_value());
}

TEST_CASE("the stats follow what was stored within seconds, not at the next minute") {
    SimStore store;
    store.tick(kT0);
    (void)store.wait_stats("today", kT0);
    store.lane(1, true);
    store.count(1, 1);
    for (int score : {3, 2, 0}) store.feedback(Scale::smiley4, score);
    // A second later (rows are swept up to the controller's now, exclusive), and no more:
    // the minute's refresh is 59 s away. The manager sees the three answers and the open
    // till all the same.
    store.tick(kT0 + kS);
    auto m = store.probe.wait_for(
        [&](const MqttMessage& msg) {
            if (msg.topic != stats_topic(kStore, "today")) return false;
            auto j = json::parse(msg.payload, nullptr, false);
            return !j.is_discarded() && j["totals"].value("responses", 0) == 3;
        },
        20'000);
    INFO(store.controller->log_text());
    REQUIRE(m);
    auto lanes = store.probe.wait_for(
        [&](const MqttMessage& msg) {
            if (msg.topic != stats_topic(kStore, "lanes")) return false;
            auto j = json::parse(msg.payload, nullptr, false);
            if (j.is_discarded()) return false;
            for (const auto& lane : j["lanes"])
                if (lane.value("lane", 0) == 1 && lane.value("open_now", false)) return true;
            return false;
        },
        20'000);
    CHECK(lanes);
}
