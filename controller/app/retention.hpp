#pragma once
// Retention (docs/stats.md, "Retention"): raw queue samples and lane states older than
// `retention` are deleted once they are in the hourly rollups; the rollups, feedback,
// prompts and their transitions are kept for good. Deletes go in small batches, each its
// own short transaction, so the rule's commits never wait long for the write lock.
#include <cstdint>

#include "storeq/controller/config.hpp"
#include "storeq/expected.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

// The WAL is truncated to this size after a checkpoint lets it restart (it never
// shrinks otherwise): room for a busy minute's commits without regrowing the file.
inline constexpr std::int64_t kJournalSizeLimitBytes = 64LL * 1024 * 1024;
inline constexpr int kRetentionBatchRows = 2'000;
inline constexpr int kRetentionBatchesPerCall = 10;  // 20,000 rows a minute: a backlog clears, nothing stalls

struct RetentionPass {
    std::int64_t queue_samples = 0;  // rows deleted
    std::int64_t lane_states = 0;
    bool done = true;                // false: more old rows wait for the next call
};

// Sets journal_size_limit on this connection (the one that writes).
Expected<void> limit_journal_size(Database& db);

// Deletes at most batches x batch_rows raw rows received before now - config.retention
// that the rollup cursor has passed. The newest lane state of each lane is always kept
// (restart restores open lanes from it). The caller holds no transaction open.
Expected<RetentionPass> apply_retention(Database& db, TimeMs now, const Config& config,
                                        int batches = kRetentionBatchesPerCall, int batch_rows = kRetentionBatchRows);

}  // namespace storeq::controller
