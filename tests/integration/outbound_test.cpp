// The store's outbound log for head office (docs/chain.md): with head_office = on, what
// head office needs leaves the store in one sequence and stays until head office
// acknowledges it. Real broker, real controller, real SQLite file; the test plays head
// office (the chain test, chain_test.cpp, runs the real storeq-hq and a real bridge).
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "storeq/chain/outbound.hpp"
#include "storeq/ids.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

constexpr const char* kHeadOfficeConfig = "tills = 1-4\nhead_office = on\nhead_office_resend = 2s\n";

std::string feedback_payload(const std::string& id, int score = 3) {
    return encode(Feedback{id, wall_clock_ms(), Scale::smiley4, score, std::nullopt, FollowUp::none, "en", false});
}

// Every entry the store has sent so far, by seq (a re-sent one once), and how many times
// entries were sent in all.
struct Seen {
    std::map<std::int64_t, chain::Entry> by_seq;
    std::size_t deliveries = 0;
};
Seen seen_entries(StoreFixture& store) {
    Seen seen;
    for (const auto& m : store.probe.messages()) {
        if (m.topic != chain::outbound_topic(store.options.store)) continue;
        auto batch = chain::decode_batch(m.payload);
        REQUIRE(batch);
        CHECK(batch->store == store.options.store);
        for (const auto& e : batch->entries) {
            ++seen.deliveries;
            seen.by_seq[e.seq] = e;
        }
    }
    return seen;
}

std::set<std::string> feedback_ids(const Seen& seen) {
    std::set<std::string> ids;
    for (const auto& [seq, e] : seen.by_seq)
        if (auto f = std::get_if<chain::FeedbackEntry>(&e.body)) ids.insert(f->id);
    return ids;
}

}  // namespace

TEST_CASE("with head_office on, each stored feedback and lane change leaves the store numbered 1, 2, 3 and waits for the ack") {
    StoreFixtureOptions o;
    o.config_text = kHeadOfficeConfig;
    StoreFixture store(o);
    std::mt19937_64 rng(11);
    std::vector<std::string> ids;
    for (int i = 0; i < 30; ++i) {
        ids.push_back(make_uuid_v7(wall_clock_ms(), rng));
        store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(ids.back(), i % 4));
    }
    store.publish(lane_state_topic(store.options.store, 2), lane_open_payload(true));
    REQUIRE(wait_until([&] { return feedback_ids(seen_entries(store)).size() == ids.size(); }, 10'000));
    Seen seen = seen_entries(store);
    CHECK(feedback_ids(seen) == std::set<std::string>(ids.begin(), ids.end()));
    // One sequence with no gaps, starting at 1.
    REQUIRE(wait_until([&] { return seen_entries(store).by_seq.size() >= 31; }, 5'000));
    seen = seen_entries(store);
    CHECK(seen.by_seq.begin()->first == 1);
    CHECK(seen.by_seq.rbegin()->first == static_cast<std::int64_t>(seen.by_seq.size()));
    bool lane_seen = false;
    for (const auto& [seq, e] : seen.by_seq)
        if (auto l = std::get_if<chain::LaneEntry>(&e.body)) lane_seen = l->lane == 2 && l->open;
    CHECK(lane_seen);
    const auto written = static_cast<std::int64_t>(seen.by_seq.size());
    CHECK(store.count_rows("SELECT count(*) FROM outbound") == written);

    SECTION("nothing acknowledged: everything is sent again once the ack stops moving") {
        const std::size_t before = seen.deliveries;
        REQUIRE(wait_until([&] { return seen_entries(store).deliveries >= before + static_cast<std::size_t>(written); },
                           8'000));
        CHECK(store.count_rows("SELECT count(*) FROM outbound") == written);
    }
    SECTION("an ack deletes what it covers, and only what is above it is sent again") {
        store.publish(chain::ack_topic(store.options.store), chain::encode(chain::Ack{20}), true);
        REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM outbound") == written - 20; }, 5'000));
        store.probe.clear();
        REQUIRE(wait_until([&] { return !seen_entries(store).by_seq.empty(); }, 8'000));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CHECK(seen_entries(store).by_seq.begin()->first == 21);
        store.publish(chain::ack_topic(store.options.store), chain::encode(chain::Ack{written}), true);
        REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM outbound") == 0; }, 5'000));
    }
}

TEST_CASE("an ack above anything this database wrote (a restored or new box) renumbers what it has not sent above the ack") {
    StoreFixtureOptions o;
    o.config_text = kHeadOfficeConfig;
    StoreFixture store(o);
    // Head office already has 5,000 entries from this store's earlier database.
    store.publish(chain::ack_topic(store.options.store), chain::encode(chain::Ack{5'000}), true);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    store.probe.clear();
    std::mt19937_64 rng(12);
    const std::string id = make_uuid_v7(wall_clock_ms(), rng);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(id));
    REQUIRE(wait_until([&] { return feedback_ids(seen_entries(store)).count(id) == 1; }, 10'000));
    const Seen seen = seen_entries(store);
    for (const auto& [seq, e] : seen.by_seq) CHECK(seq > 5'000);
}

TEST_CASE("without head_office the store keeps no outbound log and sends nothing") {
    StoreFixture store;
    std::mt19937_64 rng(13);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(make_uuid_v7(wall_clock_ms(), rng)));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback") == 1; }, 10'000));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(store.count_rows("SELECT count(*) FROM outbound") == 0);
    CHECK(seen_entries(store).deliveries == 0);
}
