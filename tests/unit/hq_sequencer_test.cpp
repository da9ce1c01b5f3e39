// The per-store sequencer of storeq-hq (hq/core sequencer.hpp): exactly once, in order,
// whatever the bridge duplicates, drops or reorders.
#include <catch2/catch.hpp>

#include "storeq/hq/sequencer.hpp"

using namespace storeq;
using namespace storeq::hq;

namespace {

chain::Entry lane_entry(std::int64_t seq) { return chain::Entry{seq, chain::LaneEntry{1, true, seq * 1000}}; }

chain::Batch batch(const std::string& store, std::vector<std::int64_t> seqs) {
    chain::Batch b{store, "Europe/Amsterdam", {}};
    for (auto s : seqs) b.entries.push_back(lane_entry(s));
    return b;
}

std::vector<std::int64_t> ready_seqs(const Sequencer& s, const std::string& store) {
    std::vector<std::int64_t> out;
    auto ready = s.ready();
    if (auto it = ready.find(store); it != ready.end())
        for (const auto& e : it->second.entries) out.push_back(e.seq);
    return out;
}

}  // namespace

TEST_CASE("hq sequencer: entries at or below the committed cursor are duplicates and dropped") {
    Sequencer s;
    s.set_committed("s001", 5);
    const auto counts = s.offer(batch("s001", {4, 5, 6, 7}));
    CHECK(counts == OfferCounts{2, 2, 0});
    CHECK(ready_seqs(s, "s001") == std::vector<std::int64_t>{6, 7});
    CHECK(s.ready().at("s001").first_seq == 6);
    // The same batch again (the bridge duplicated it): nothing new.
    CHECK(s.offer(batch("s001", {6, 7})) == OfferCounts{0, 2, 0});
    CHECK(s.ready_count() == 2);
}

TEST_CASE("hq sequencer: entries beyond a gap are held until the gap is filled") {
    Sequencer s;
    s.offer(batch("s001", {1, 2}));
    s.offer(batch("s001", {5, 6}));
    CHECK(ready_seqs(s, "s001") == std::vector<std::int64_t>{1, 2});
    CHECK(s.held_count("s001") == 2);
    s.offer(batch("s001", {3, 4}));
    CHECK(ready_seqs(s, "s001") == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
    CHECK(s.held_count("s001") == 0);
}

TEST_CASE("hq sequencer: what is ready stays until committed, then the cursor moves") {
    Sequencer s;
    s.offer(batch("s001", {1, 2, 3}));
    s.offer(batch("s002", {1}));
    CHECK(s.ready().size() == 2);
    // A failed transaction: nothing is told, everything is still there.
    CHECK(s.ready_count() == 4);
    s.committed_up_to("s001", 3);
    CHECK(s.committed("s001") == 3);
    CHECK(s.committed("s002") == 0);
    CHECK(s.ready().count("s001") == 0);
    CHECK(s.offer(batch("s001", {2, 3, 4})) == OfferCounts{1, 2, 0});
    CHECK(ready_seqs(s, "s001") == std::vector<std::int64_t>{4});
}

TEST_CASE("hq sequencer: a store over its memory bound drops and counts, others are not affected") {
    Sequencer s(3);
    CHECK(s.offer(batch("s001", {10, 11, 12, 13, 14})) == OfferCounts{3, 0, 2});
    CHECK(s.held_count("s001") == 3);
    CHECK(s.offer(batch("s002", {1, 2, 3})) == OfferCounts{3, 0, 0});
    // The gap's own entries cannot come in while the bound is full: the store sends again
    // later, after the held ones were given up at a restart. The bound is what it says.
    CHECK(s.offer(batch("s001", {1})) == OfferCounts{0, 0, 1});
}

TEST_CASE("hq sequencer: held entries at or below a cursor moved by another way are dropped") {
    Sequencer s;
    s.offer(batch("s001", {4, 5}));
    CHECK(s.held_count("s001") == 2);
    s.committed_up_to("s001", 4);  // another instance committed up to 4 (cursor read back)
    CHECK(s.held_count("s001") == 1);
}

TEST_CASE("hq sequencer: a backlog is taken in bounded transactions, every store with entries in each, oldest first") {
    Sequencer s;
    std::vector<std::int64_t> seqs;
    for (std::int64_t i = 1; i <= 3'000; ++i) seqs.push_back(i);
    for (const char* store : {"s001", "s002", "s003"})
        for (std::size_t from = 0; from < seqs.size(); from += 200)
            s.offer(batch(store, std::vector<std::int64_t>(seqs.begin() + static_cast<std::ptrdiff_t>(from),
                                                           seqs.begin() + static_cast<std::ptrdiff_t>(from + 200))));
    REQUIRE(s.ready_count() == 9'000);
    std::size_t transactions = 0;
    while (s.ready_count() > 0) {
        const auto part = s.ready(1'200);
        std::size_t n = 0;
        for (const auto& [store, r] : part) {
            n += r.entries.size();
            CHECK(r.entries.front().seq == s.committed(store) + 1);
            s.committed_up_to(store, r.first_seq + static_cast<std::int64_t>(r.entries.size()) - 1);
        }
        CHECK(n <= 1'200);
        if (transactions == 0) CHECK(part.size() == 3);  // no store waits for another's backlog
        ++transactions;
    }
    CHECK(transactions == 8);  // 9,000 entries, 1,200 at a time
    for (const char* store : {"s001", "s002", "s003"}) CHECK(s.committed(store) == 3'000);
}

TEST_CASE("hq sequencer: with more stores than one transaction holds, each takes a batch's worth and the next transaction goes on with the others") {
    Sequencer s;
    std::vector<std::int64_t> seqs;
    for (std::int64_t i = 1; i <= 200; ++i) seqs.push_back(i);
    std::vector<std::string> stores;
    for (int i = 0; i < 10; ++i) stores.push_back("s0" + std::to_string(10 + i));
    for (const auto& store : stores) s.offer(batch(store, seqs));
    std::map<std::string, int> served;
    for (int t = 0; t < 5; ++t) {
        const auto part = s.ready(400);  // two stores' batches
        CHECK(part.size() == 2);
        for (const auto& [store, r] : part) {
            CHECK(r.entries.size() == 200);  // a whole batch each, not 40 entries each from all ten
            ++served[store];
            s.committed_up_to(store, 200);
        }
    }
    CHECK(served.size() == 10);  // every store in turn, none twice
    CHECK(s.ready_count() == 0);
}
