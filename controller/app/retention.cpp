#include "retention.hpp"

#include <string>

namespace storeq::controller {
namespace {

Expected<std::int64_t> single_int(Database& db, const char* sql) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return *row && !stmt->column_is_null(0) ? stmt->column_int64(0) : 0;
}

// One batch: the oldest rows first (rowids follow receive order), each batch its own
// transaction. Returns the rows deleted.
Expected<std::int64_t> delete_batch(Database& db, const char* sql, TimeMs cutoff, std::int64_t up_to_rowid, int rows) {
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    stmt->bind(1, up_to_rowid).bind(2, cutoff).bind(3, static_cast<std::int64_t>(rows));
    if (auto ran = stmt->run(); !ran) return ran.error();
    const std::int64_t deleted = stmt->changes();
    if (auto committed = tx.commit(); !committed) return committed.error();
    return deleted;
}

}  // namespace

Expected<void> limit_journal_size(Database& db) {
    return db.exec("PRAGMA journal_size_limit=" + std::to_string(kJournalSizeLimitBytes));
}

Expected<RetentionPass> apply_retention(Database& db, TimeMs now, const Config& config, int batches, int batch_rows) {
    RetentionPass pass;
    if (config.retention <= 0) return pass;  // keep everything
    const TimeMs cutoff = now - config.retention;
    // Only rows the rollups already hold: the figures of an old day stay as they were.
    auto queue_rowid = single_int(db, "SELECT queue_rowid FROM rollup_cursor WHERE id = 1");
    if (!queue_rowid) return queue_rowid.error();
    auto state_rowid = single_int(db, "SELECT lane_state_rowid FROM rollup_cursor WHERE id = 1");
    if (!state_rowid) return state_rowid.error();
    for (int i = 0; i < batches; ++i) {
        auto deleted = delete_batch(db,
                                    "DELETE FROM queue_samples WHERE rowid IN (SELECT rowid FROM queue_samples "
                                    "WHERE rowid <= ?1 AND received < ?2 ORDER BY rowid LIMIT ?3)",
                                    cutoff, *queue_rowid, batch_rows);
        if (!deleted) return deleted.error();
        pass.queue_samples += *deleted;
        if (*deleted < batch_rows) break;
        if (i + 1 == batches) pass.done = false;
    }
    for (int i = 0; i < batches && pass.done; ++i) {
        auto deleted = delete_batch(db,
                                    "DELETE FROM lane_states WHERE rowid IN (SELECT rowid FROM lane_states l "
                                    "WHERE rowid <= ?1 AND received < ?2 AND rowid < (SELECT max(rowid) FROM "
                                    "lane_states WHERE lane = l.lane) ORDER BY rowid LIMIT ?3)",
                                    cutoff, *state_rowid, batch_rows);
        if (!deleted) return deleted.error();
        pass.lane_states += *deleted;
        if (*deleted < batch_rows) break;
        if (i + 1 == batches) pass.done = false;
    }
    return pass;
}

}  // namespace storeq::controller
