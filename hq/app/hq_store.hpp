#pragma once
// Head office's tables in PostgreSQL (docs/hq.md "Schema"): migrations, one transaction
// per flush of the sequencer (every row idempotent, store_cursor moved in the same
// transaction), and the hourly mirror read back as the store's StatsData.
#include <map>
#include <set>
#include <string>

#include "pg_db.hpp"
#include "storeq/controller/stats_period.hpp"
#include "storeq/hq/sequencer.hpp"

namespace storeq::hq {

struct StoredCursor {
    std::int64_t seq = 0;
    std::string zone;
};

class HqStore {
public:
    explicit HqStore(PgConnection& db) : db_(db) {}

    // Brings the schema to the newest version (several instances may start together:
    // the version table is locked while migrating). Returns the version.
    Expected<int> migrate();
    Expected<std::map<std::string, StoredCursor>> cursors();

    // Everything `ready` holds, in one transaction, and each store's cursor moved to the
    // last seq it holds. Nothing is half-done: on an Error the transaction rolled back.
    Expected<std::int64_t> commit(const std::map<std::string, StoreReady>& ready, TimeMs now);

    // The store's hourly buckets with hour start in [from, to) and the prompts raised in it.
    Expected<controller::StatsData> load_stats(const std::string& store, TimeMs from, TimeMs to);

private:
    Expected<void> ensure_partitions(const std::set<int>& months);

    PgConnection& db_;
    std::set<int> partitioned_months_;  // known to exist (committed)
};

}  // namespace storeq::hq
