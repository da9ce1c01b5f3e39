// The hostile-input corpus (tests/hostile/cases.tsv) against the real controller on a
// real broker: every case is rejected, counted once under its reason and logged, and the
// controller keeps serving.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "child_process.hpp"
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
constexpr const char* kStore = "s9";
const std::string kCorpus = STOREQ_SOURCE_DIR "/tests/hostile/";

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct HostileCase {
    std::string file;
    std::string topic;    // under the store root
    std::string logged;   // what the controller's log line for its reason contains
    std::string decoder;  // what the decoder says; "-": the topic is what is wrong
};

std::vector<HostileCase> load_cases() {
    std::istringstream text(read_text_file(kCorpus + "cases.tsv"));
    std::vector<HostileCase> cases;
    std::string line;
    while (std::getline(text, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (auto tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
            fields.push_back(line.substr(start, tab - start));
            start = tab + 1;
        }
        fields.push_back(line.substr(start));
        REQUIRE(fields.size() == 4);
        cases.push_back({fields[0], fields[1], fields[2], fields[3]});
    }
    return cases;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The payload with its time placeholders filled in for `now`.
std::string payload_of(const HostileCase& c, TimeMs now) {
    std::ifstream file(kCorpus + c.file, std::ios::binary);
    REQUIRE(file);
    std::string payload((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    payload = replace_all(payload, "${NOW}", std::to_string(now));
    payload = replace_all(payload, "${FUTURE}", std::to_string(now + 25LL * 3600 * 1000));
    return replace_all(payload, "${PAST}", std::to_string(now - 31LL * 24 * 3600 * 1000));
}

// What the codec says about a payload on this topic (empty when it accepts it).
std::string decoder_error(const Topic& topic, const std::string& payload, TimeMs now) {
    auto text = [](const auto& decoded) { return decoded ? std::string() : decoded.error().to_string(); };
    switch (topic.kind) {
        case TopicKind::feedback: return text(decode_feedback(payload, now));
        case TopicKind::queue: return text(decode_queue_count(payload, now));
        case TopicKind::lane_state: return text(decode_lane_state(payload, now));
        case TopicKind::claim: return text(decode_claim(payload, now));
        default: return "not a topic the corpus uses";
    }
}

// A controller on `--clock sim` holds every message until its first tick, and a tick it
// was not yet subscribed for is lost (ticks are not retained). So the first tick is
// retained, with one retained message of a reason the corpus never uses (a prompt topic
// whose id is no UUID): once the status counts that one rejection, the controller
// is subscribed and its time runs. Its own "online" status can come before it has
// subscribed, so that alone proves nothing.
void start_sim_clock(MqttProbe& probe, TimeMs sim_now) {
    REQUIRE(probe.publish(clock_topic(kStore), encode(ClockTick{sim_now}), 1, true));
    REQUIRE(probe.publish(store_root(kStore) + "prompts/not-a-uuid", "{}", 1, true));
}

// The controller runs on the simulated clock (--clock sim) so the test decides when a
// minute has passed: each reason is logged at most once a minute with its count, and
// moving the clock on by a minute between cases gives every case a log line of its own.
struct HostileStore {
    TestBroker broker;
    TempDir dir{"storeq-hostile"};
    std::string db_path = dir.file("storeq.db");
    MqttProbe probe{broker.host(), broker.port(), "hostile"};
    std::unique_ptr<ChildProcess> controller;
    TimeMs sim_now = now_ms();

    HostileStore() {
        probe.subscribe(status_topic(kStore, "controller"));
        REQUIRE(probe.wait_connected(5000));
        controller = std::make_unique<ChildProcess>(
            std::vector<std::string>{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store",
                                     kStore, "--db", db_path, "--tills", "1-4", "--clock", "sim"},
            dir.file("controller.log"));
        start_sim_clock(probe, sim_now);
        REQUIRE(wait_for_rejected(kStartRejections));
    }
    static constexpr std::int64_t kStartRejections = 1;  // start_sim_clock's

    // Simulated time moves on by ms (QoS 1 from one client: before what is sent next).
    void tick(TimeMs ms) {
        sim_now += ms;
        REQUIRE(probe.publish(clock_topic(kStore), encode(ClockTick{sim_now})));
    }

    // The controller's retained status says it has rejected exactly n messages.
    bool wait_for_rejected(std::int64_t n, int timeout_ms = 10'000) {
        return probe
            .wait_for(
                [&](const MqttMessage& m) {
                    auto status = decode_status(m.payload, now_ms());
                    return status && status->online && status->rejected.value_or(0) == n;
                },
                timeout_ms)
            .has_value();
    }

    std::int64_t count_rows(const std::string& sql) { return query_number(db_path, sql); }
};

std::string valid_feedback(std::mt19937_64& rng) {
    Feedback feedback;
    feedback.id = make_uuid_v7(now_ms(), rng);
    feedback.ts = now_ms();
    feedback.scale = Scale::nps;
    feedback.score = 9;
    return encode(feedback);
}
}  // namespace

TEST_CASE("every payload of the hostile corpus is refused by the decoder for the reason it names", "[hostile]") {
    const auto cases = load_cases();
    REQUIRE(cases.size() >= 40);
    const TimeMs now = now_ms();
    for (const auto& c : cases) {
        INFO(c.file << " on " << c.topic);
        auto topic = parse_topic(store_root(kStore) + c.topic);
        if (c.decoder == "-") {
            CHECK_FALSE(topic);
            continue;
        }
        REQUIRE(topic);
        CHECK_THAT(decoder_error(*topic, payload_of(c, now), now), Catch::Contains(c.decoder));
    }
}

TEST_CASE("the controller rejects and counts every hostile case, then keeps serving", "[hostile]") {
    HostileStore store;
    const auto cases = load_cases();
    std::int64_t rejected = HostileStore::kStartRejections;
    std::map<std::string, int> seen;  // cases so far per logged reason
    for (const auto& c : cases) {
        INFO(c.file << " on " << c.topic);
        // A minute later: this case's reason may be logged again, with its count.
        store.tick(61'000);
        const std::size_t log_before = store.controller->log_text().size();
        REQUIRE(store.probe.publish(store_root(kStore) + c.topic, payload_of(c, store.sim_now), 1, false));
        // One at a time: this case, and only it, is counted.
        REQUIRE(store.wait_for_rejected(++rejected));
        // Its own log line: its topic, what the decoder said about this payload, and the
        // count of its reason so far (cases of one reason share the count, not the line).
        const std::string own_line = store.controller->log_text().substr(log_before);
        CHECK_THAT(own_line, Catch::Contains("rejected"));
        CHECK_THAT(own_line, Catch::Contains(c.logged));
        if (c.decoder != "-") CHECK_THAT(own_line, Catch::Contains(c.decoder));
        const int count = ++seen[c.logged];
        CHECK_THAT(own_line, Catch::Contains("(" + std::to_string(count) + " so far for this reason"));
    }
    {  // Within the same minute a reason is counted but not logged again: no log flood.
        const auto& c = cases.front();
        for (int i = 0; i < 2; ++i) {
            const std::size_t log_before = store.controller->log_text().size();
            REQUIRE(store.probe.publish(store_root(kStore) + c.topic, payload_of(c, store.sim_now), 1, false));
            REQUIRE(store.wait_for_rejected(++rejected));
            if (i == 1) CHECK_THAT(store.controller->log_text().substr(log_before), !Catch::Contains("rejected"));
        }
    }

    {  // payloads up to the broker's 64 KiB limit are counted too
        REQUIRE(store.probe.publish(feedback_topic(kStore, "exit-1"), std::string(65'000, 'x')));
        REQUIRE(store.wait_for_rejected(++rejected));
        REQUIRE(store.probe.publish(feedback_topic(kStore, "exit-1"), "{\"id\":\"" + std::string(64'000, 'a') + "\"}"));
        REQUIRE(store.wait_for_rejected(++rejected));
    }
    {  // a 1 MB payload never reaches the controller: the broker (max_packet_size) drops
       // the connection of the client that sent it
        MqttProbe big(store.broker.host(), store.broker.port(), "one-megabyte");
        REQUIRE(big.wait_connected(5000));
        (void)big.publish(feedback_topic(kStore, "exit-1"), std::string(1'000'000, '{'));
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    {  // a replayed feedback is stored once and is no rejection
        std::mt19937_64 rng(21);
        const std::string once = valid_feedback(rng);
        REQUIRE(store.probe.publish(feedback_topic(kStore, "exit-1"), once));
        REQUIRE(store.probe.publish(feedback_topic(kStore, "exit-1"), once));
        REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback") == 1; }, 10'000));
    }

    // Still serving: a good feedback after all that is stored, and nothing bad was.
    std::mt19937_64 rng(22);
    REQUIRE(store.probe.publish(feedback_topic(kStore, "exit-2"), valid_feedback(rng)));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback WHERE kiosk = 'exit-2'") == 1; },
                       10'000));
    CHECK(store.count_rows("SELECT count(*) FROM queue_samples") == 0);
    CHECK(store.count_rows("SELECT count(*) FROM lane_states") == 0);
    CHECK(store.wait_for_rejected(rejected, 2000));  // and nothing more was counted
    CHECK(store.controller->running());
}

// Defect 8: with `--clock sim` the clock topic sets the controller's time, and every
// device timestamp is bounded against it (now + 24 h): a tick of INT64_MAX made that sum
// overflow (undefined behaviour; in a plain build it wrapped and every feedback was
// refused for good, since simulated time never runs backwards).
TEST_CASE("a hostile clock tick is refused: simulated time and feedback go on", "[hostile][clock]") {
    TestBroker broker;
    TempDir dir{"storeq-hostile-clock"};
    const std::string db_path = dir.file("storeq.db");
    MqttProbe probe{broker.host(), broker.port(), "hostile-clock"};
    probe.subscribe(status_topic(kStore, "controller"));
    REQUIRE(probe.wait_connected(5000));
    ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store", kStore,
                             "--db", db_path, "--tills", "1-2", "--clock", "sim"},
                            dir.file("controller.log"));
    const std::string clock = clock_topic(kStore);
    std::mt19937_64 rng(23);
    TimeMs sim_now = now_ms();
    start_sim_clock(probe, sim_now);
    REQUIRE(probe.wait_for(
        [](const MqttMessage& m) {
            auto status = decode_status(m.payload, now_ms());
            return status && status->online && status->rejected.value_or(0) == 1;
        },
        10'000));
    // One good tick and one feedback stamped with it: stored, so the clock is running.
    auto feedback_at = [&](TimeMs ts) {
        Feedback feedback;
        feedback.id = make_uuid_v7(ts, rng);
        feedback.ts = ts;
        feedback.scale = Scale::smiley4;
        feedback.score = 2;
        return encode(feedback);
    };
    REQUIRE(probe.publish(feedback_topic(kStore, "exit-1"), feedback_at(sim_now)));
    REQUIRE(wait_until([&] { return stored_feedback(db_path) == 1; }, 10'000));

    const std::vector<std::string> hostile_ticks{
        R"({"ts":9223372036854775807})",             // INT64_MAX
        R"({"ts":9223372036854775000})",             // just below it
        R"({"ts":18446744073709551615})",            // UINT64_MAX
        R"({"ts":-1})",                              // before the epoch
        R"({"ts":-9223372036854775808})",            // INT64_MIN
        R"({"ts":253402300800000})",                 // year 10000
        R"({"ts":1e300})",                           // not an integer
    };
    std::int64_t stored = 1;
    for (const auto& tick : hostile_ticks) {
        INFO("tick " << tick);
        REQUIRE(probe.publish(clock, tick));
        // Time goes on from where it was: a feedback stamped a minute later is stored.
        sim_now += 60'000;
        REQUIRE(probe.publish(clock, encode(ClockTick{sim_now})));
        REQUIRE(probe.publish(feedback_topic(kStore, "exit-1"), feedback_at(sim_now)));
        ++stored;
        REQUIRE(wait_until([&] { return stored_feedback(db_path) == stored; }, 10'000));
        REQUIRE(controller.running());
    }
    INFO("controller log:\n" << controller.log_text().substr(0, 4000));
    CHECK(stored_feedback(db_path) == static_cast<std::int64_t>(hostile_ticks.size()) + 1);
    controller.kill(SIGTERM);
    CHECK(controller.wait_exit(10'000) == 0);
}
