// storeq-hq against the real parts (docs/hq.md): a real mosquitto, a real PostgreSQL 15
// started by the test, the real storeq-hq binary. Batches are made by hand with the
// contract's codec (chain/), as a store would send them, with the faults a bridge makes:
// duplicates, gaps filled later, a payload that is no batch; storeq-hq SIGKILLed, and
// PostgreSQL restarted under it.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <random>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "postgres_fixture.hpp"
#include "skip_test.hpp"
#include "storeq/chain/outbound.hpp"
#include "store_fixture.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

constexpr const char* kTree =
    "region north = s001, s002\n"
    "region south = s003\n"
    "zone default = Europe/Amsterdam\n";

// 2026-12-02T10:00:00Z
constexpr TimeMs kT0 = 1'796'205'600'000;

chain::Entry feedback(std::int64_t seq, int score = 3) {
    chain::FeedbackEntry f;
    f.id = "fb-" + std::to_string(seq);
    f.kiosk = "exit-1";
    f.ts = f.received = f.counted_at = kT0 + seq * 1000;
    f.score = score;
    return chain::Entry{seq, f};
}

chain::Entry lane(std::int64_t seq, bool open) { return chain::Entry{seq, chain::LaneEntry{2, open, kT0 + seq * 1000}}; }

chain::Entry prompt(std::int64_t seq, PromptState state, TimeMs updated) {
    chain::PromptEntry p;
    p.id = "p-1";
    p.till = 2;
    p.state = state;
    p.raised = kT0;
    p.updated = updated;
    return chain::Entry{seq, p};
}

chain::Entry hour(std::int64_t seq, TimeMs open_ms) {
    chain::HourEntry h;
    h.hour = kT0;
    controller::LaneTotals t;
    t.open_ms = t.counted_ms = open_ms;
    h.lanes.push_back({1, t});
    h.feedback.add(Scale::smiley4, 3, false, std::string("fast"), 2);
    return chain::Entry{seq, h};
}

struct HqFixture {
    PostgresFixture pg;
    TestBroker broker{TestBrokerOptions{true}};
    TempDir dir{"storeq-hq"};
    std::unique_ptr<ChildProcess> hq;
    MqttProbe probe{broker.host(), broker.port(), "hq-watcher"};
    MqttProbe store{broker.host(), broker.port(), "hq-store"};

    HqFixture() {
        write_text_file(dir.file("chain.tree"), kTree);
        probe.subscribe("storeq/v1/+/hq/ack");
        probe.subscribe("storeq/chain/v1/#");
        REQUIRE(probe.wait_connected(5000));
        REQUIRE(store.wait_connected(5000));
        start_hq();
    }

    void start_hq() {
        hq = std::make_unique<ChildProcess>(
            std::vector<std::string>{STOREQ_BINARY_DIR "/bin/storeq-hq", "run", "--broker", broker.address(), "--pg",
                                     pg.conninfo(), "--tree", dir.file("chain.tree"), "--client-id", "hq-test"},
            dir.file("hq.log"));
        const auto before = count_ready();
        REQUIRE(wait_until([&] { return count_ready() > before || !hq->running(); }, 20'000));
        REQUIRE(hq->running());
    }
    std::size_t count_ready() const {
        const std::string log = read_text_file(dir.file("hq.log"));
        std::size_t n = 0;
        for (auto at = log.find("storeq-hq: ready"); at != std::string::npos; at = log.find("storeq-hq: ready", at + 1)) ++n;
        return n;
    }

    void send(const std::string& id, std::vector<chain::Entry> entries) {
        REQUIRE(store.publish(chain::outbound_topic(id), chain::encode(chain::Batch{id, "Europe/Amsterdam", std::move(entries)}), 1));
    }
    // Waits for an ack of the store at least `seq`; returns the newest ack seen.
    std::int64_t wait_ack(const std::string& id, std::int64_t seq, int timeout_ms = 20'000) {
        std::int64_t newest = -1;
        wait_until(
            [&] {
                for (const auto& m : probe.messages())
                    if (m.topic == chain::ack_topic(id))
                        if (auto ack = chain::decode_ack(m.payload)) newest = std::max(newest, ack->seq);
                return newest >= seq;
            },
            timeout_ms);
        return newest;
    }
    std::int64_t count(const std::string& sql) { return std::stoll(pg.psql(sql)); }
};

}  // namespace

TEST_CASE("storeq-hq lands batches exactly once, holds a gap until it is filled, and acks the highest contiguous seq") {
    if (!PostgresFixture::available()) skip_test("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)");
    HqFixture f;
    f.send("s001", {feedback(1), feedback(2), lane(3, true)});
    f.send("s001", {feedback(1), feedback(2), lane(3, true)});  // the bridge sent it twice
    f.send("s001", {prompt(6, PromptState::claimed, kT0 + 5000), hour(7, 60'000)});  // beyond a gap
    REQUIRE(f.store.publish(chain::outbound_topic("s001"), "{\"v\":1,\"store\":", 1));  // no batch
    f.send("s999", {feedback(1)});                                                 // not in the tree
    CHECK(f.wait_ack("s001", 3) == 3);
    CHECK(f.count("SELECT count(*) FROM feedback WHERE store = 's001'") == 2);
    CHECK(f.count("SELECT count(*) FROM lane_events WHERE store = 's001'") == 1);
    CHECK(f.count("SELECT count(*) FROM prompts") == 0);  // seq 6 is held
    // The ack does not pass the gap however long it waits.
    CHECK(f.wait_ack("s001", 4, 1000) == 3);

    f.send("s001", {prompt(4, PromptState::open, kT0), hour(5, 30'000)});
    CHECK(f.wait_ack("s001", 7) == 7);
    CHECK(f.count("SELECT seq FROM store_cursor WHERE store = 's001'") == 7);
    // The prompt's newest transition (seq 6, claimed) is what stays; the hour is seq 7's.
    CHECK(f.pg.psql("SELECT state FROM prompts WHERE store = 's001' AND id = 'p-1'") == "claimed");
    CHECK(f.count("SELECT open_ms FROM lane_hourly WHERE store = 's001' AND lane = 1") == 60'000);
    CHECK(f.count("SELECT count(*) FROM lane_hourly") == 1);
    CHECK(f.count("SELECT n FROM feedback_hourly WHERE store = 's001' AND scale = 'smiley4' AND score = 3") == 2);
    CHECK(f.count("SELECT n FROM reason_hourly WHERE store = 's001' AND reason = 'fast'") == 2);
    CHECK(f.count("SELECT count(*) FROM feedback WHERE store = 's999'") == 0);
    // An older hour sent again (a late re-send of seq 5) does not replace the newer one.
    f.send("s001", {hour(5, 30'000)});
    f.send("s001", {feedback(8)});
    CHECK(f.wait_ack("s001", 8) == 8);
    CHECK(f.count("SELECT open_ms FROM lane_hourly WHERE store = 's001' AND lane = 1") == 60'000);
    // Rows are filed in their month's partition.
    CHECK(f.count("SELECT count(*) FROM feedback_202612") == 3);
    CHECK(f.count("SELECT count(*) FROM feedback_default") == 0);
    // The bad payload and the unknown store were counted and logged, not fatal.
    CHECK(f.hq->running());
    const std::string log = f.hq->log_text();
    CHECK_THAT(log, Catch::Contains("rejected bad payload"));
    CHECK_THAT(log, Catch::Contains("rejected unknown store"));
    // A chain document came after the commits.
    CHECK(f.probe.wait_for_topic(chain::chain_document_topic("today"), 10'000));
}

TEST_CASE("storeq-hq SIGKILLed mid-stream and restarted has every entry exactly once") {
    if (!PostgresFixture::available()) skip_test("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)");
    HqFixture f;
    constexpr int kBatches = 200, kPerBatch = 10;
    auto send_from = [&](int first_batch) {
        for (int b = first_batch; b < kBatches; ++b) {
            std::vector<chain::Entry> entries;
            for (int i = 0; i < kPerBatch; ++i) entries.push_back(feedback(b * kPerBatch + i + 1));
            f.send("s002", std::move(entries));
        }
    };
    for (int b = 0; b < kBatches; ++b) {
        if (b == kBatches / 2) f.hq->kill(SIGKILL);  // mid-stream: the rest queue at the broker
        std::vector<chain::Entry> entries;
        for (int i = 0; i < kPerBatch; ++i) entries.push_back(feedback(b * kPerBatch + i + 1));
        f.send("s002", std::move(entries));
    }
    f.hq->wait_exit(5000);
    const std::int64_t acked_before = f.wait_ack("s002", 0, 1000);
    f.start_hq();
    // The store sends again everything above the last ack it heard.
    send_from(static_cast<int>(std::max<std::int64_t>(acked_before, 0) / kPerBatch));
    CHECK(f.wait_ack("s002", kBatches * kPerBatch, 30'000) == kBatches * kPerBatch);
    CHECK(f.count("SELECT count(*) FROM feedback WHERE store = 's002'") == kBatches * kPerBatch);
    CHECK(f.count("SELECT count(DISTINCT id) FROM feedback WHERE store = 's002'") == kBatches * kPerBatch);
    // Killed again right after a commit, and started: nothing is lost, nothing doubled.
    f.hq->kill(SIGKILL);
    f.hq->wait_exit(5000);
    f.start_hq();
    f.send("s002", {feedback(kBatches * kPerBatch), feedback(kBatches * kPerBatch + 1)});
    CHECK(f.wait_ack("s002", kBatches * kPerBatch + 1) == kBatches * kPerBatch + 1);
    CHECK(f.count("SELECT count(*) FROM feedback WHERE store = 's002'") == kBatches * kPerBatch + 1);
}

TEST_CASE("storeq-hq keeps what arrives while PostgreSQL is down, acks nothing, and catches up when it is back") {
    if (!PostgresFixture::available()) skip_test("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)");
    HqFixture f;
    std::vector<chain::Entry> first;
    for (int i = 1; i <= 100; ++i) first.push_back(feedback(i));
    f.send("s003", first);
    REQUIRE(f.wait_ack("s003", 100) == 100);
    f.pg.stop();
    std::vector<chain::Entry> second;
    for (int i = 101; i <= 200; ++i) second.push_back(feedback(i));
    f.send("s003", second);
    CHECK(f.wait_ack("s003", 101, 2000) == 100);  // nothing committed, nothing acked
    CHECK(f.hq->running());
    f.pg.start();
    CHECK(f.wait_ack("s003", 200, 30'000) == 200);
    CHECK(f.count("SELECT count(*) FROM feedback WHERE store = 's003'") == 200);
    CHECK_THAT(f.hq->log_text(), Catch::Contains("nothing acked"));
}

TEST_CASE("storeq-hq run and report refuse bad options and a bad tree with a sentence naming them") {
    TempDir dir{"storeq-hq-cli"};
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), STOREQ_BINARY_DIR "/bin/storeq-hq");
        ChildProcess p(args, dir.file("out.log"));
        const auto code = p.wait_exit(10'000);
        return std::pair{code.value_or(-1), p.log_text()};
    };
    write_text_file(dir.file("bad.tree"), "region north = s001\nzone s001 = Europe/Amsterdam\nshop s002\n");
    auto [code, text] = run({"run", "--broker", "127.0.0.1:1", "--pg", "host=127.0.0.1 port=1", "--tree", dir.file("bad.tree")});
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("line 3: expected"));
    std::tie(code, text) = run({"report", "--pg", "x", "--tree", dir.file("bad.tree"), "--by", "town", "--from",
                                "2026-12-01", "--to", "2026-12-01"});
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("--by: must be store, region or chain"));
    std::tie(code, text) = run({"run", "--broker", "127.0.0.1:1883", "--tree", "t"});
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("--pg: is required"));
}

TEST_CASE("storeq-hq commits a burst of 100,000 feedback entries from 20 stores once each (rate printed, not asserted)") {
    if (!PostgresFixture::available()) skip_test("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)");
    HqFixture f;
    std::string tree = "region all =";
    for (int s = 0; s < 20; ++s) tree += std::string(s ? "," : "") + " b" + std::to_string(s);
    write_text_file(f.dir.file("chain.tree"), tree + "\nzone default = UTC\n");
    f.hq->kill(SIGTERM);
    REQUIRE(f.hq->wait_exit(10'000) == 0);
    f.start_hq();
    constexpr int kStores = 20, kPerStore = 5'000, kPerBatch = 200;  // 200 entries: under the broker's 64 KB packet limit, as the store cuts them
    std::vector<std::pair<std::string, std::string>> messages;
    for (int b = 0; b < kPerStore / kPerBatch; ++b)
        for (int s = 0; s < kStores; ++s) {
            const std::string id = "b" + std::to_string(s);
            chain::Batch batch{id, "UTC", {}};
            for (int i = 0; i < kPerBatch; ++i) {
                auto e = feedback(b * kPerBatch + i + 1);
                std::get<chain::FeedbackEntry>(e.body).id = id + "-" + std::to_string(e.seq);
                batch.entries.push_back(e);
            }
            messages.emplace_back(chain::outbound_topic(id), chain::encode(batch));
        }
    const auto start = std::chrono::steady_clock::now();
    for (const auto& [topic, payload] : messages) REQUIRE(f.store.publish(topic, payload, 1));
    for (int s = 0; s < kStores; ++s) CHECK(f.wait_ack("b" + std::to_string(s), kPerStore, 60'000) == kPerStore);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(f.count("SELECT count(*) FROM feedback") == kStores * kPerStore);
    std::printf("storeq-hq: %d feedback entries committed and acked in %.2f s (%.0f entries/s)\n", kStores * kPerStore,
                seconds, kStores * kPerStore / seconds);
}
