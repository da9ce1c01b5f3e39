#pragma once
// Per-store ordering of what arrives from the stores (docs/hq.md "The sequencer"): each
// store numbers its outbound entries 1, 2, 3 ...; head office applies them in that order,
// exactly once, and acknowledges the highest contiguous seq it has committed. Pure: the
// shell feeds decoded batches in, takes what is ready to commit, and says what committed.
//
// Per store: `committed` (the cursor, from store_cursor at start), `ready` (contiguous
// from committed + 1, waiting for the next transaction) and `held` (beyond a gap, waiting
// for the entries in between). Whatever is in memory may be lost (a SIGKILL): the store
// sends again everything above the last ack, so nothing is acknowledged before commit.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "storeq/chain/outbound.hpp"

namespace storeq::hq {

struct OfferCounts {
    std::int64_t accepted = 0;    // into ready or held
    std::int64_t duplicates = 0;  // at or below what is committed or already in memory
    std::int64_t dropped = 0;     // over the per-store bound: the store sends them again
    bool operator==(const OfferCounts&) const = default;
};

// What one store has ready for the next transaction.
struct StoreReady {
    std::string zone;
    std::int64_t first_seq = 0;  // committed + 1
    std::vector<chain::Entry> entries;
};

class Sequencer {
public:
    // Entries kept in memory per store (ready + held). Above it new entries are dropped
    // and counted: the store keeps them in its outbound log and sends them again.
    explicit Sequencer(std::size_t max_in_memory_per_store = 20'000) : max_(max_in_memory_per_store) {}

    // The cursor committed before (store_cursor): entries up to it are duplicates.
    void set_committed(const std::string& store, std::int64_t seq);
    std::int64_t committed(const std::string& store) const;

    OfferCounts offer(const chain::Batch& batch);

    // A copy of every store's ready entries (stores with none left out). They stay until
    // committed() says they are in the database, so a failed transaction loses nothing.
    std::map<std::string, StoreReady> ready() const;
    // The same, at most `max_entries` in all: one transaction of bounded size, so a
    // catch-up of many stores is committed and acknowledged in steps instead of one
    // transaction at the end (which the stores, seeing no ack, would answer by sending
    // everything again). Each store taken gets an equal share, at least a batch's worth
    // (kMaxBatchEntries: fewer would make one ack per store per handful of entries), its
    // oldest entries first; the next call starts after the last store taken, so every
    // store is served in turn.
    std::map<std::string, StoreReady> ready(std::size_t max_entries);
    std::size_t ready_count() const;
    // The transaction holding the store's entries up to `seq` committed.
    void committed_up_to(const std::string& store, std::int64_t seq);

    std::size_t held_count(const std::string& store) const;

private:
    struct Stream {
        std::int64_t committed = 0;
        std::string zone;
        std::vector<chain::Entry> ready;               // seq committed+1, +2 ...
        std::map<std::int64_t, chain::Entry> held;     // beyond a gap
        std::int64_t next() const { return committed + static_cast<std::int64_t>(ready.size()) + 1; }
    };
    std::size_t max_;
    std::map<std::string, Stream> streams_;
    std::string last_taken_;  // ready(max): where the next call starts
};

}  // namespace storeq::hq
