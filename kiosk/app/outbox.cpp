#include "app/outbox.hpp"

#include "storeq/codec.hpp"

namespace storeq::kiosk {
namespace {

enum StatementIndex {
    kInsert, kFind, kList, kCount, kPage, kFindReceipt, kSetReceipt, kRepend, kReadMeta, kWriteMeta, kDeleteHistory
};

constexpr const char* kDurableStartKey = "durable_start";

const std::vector<std::string> kMigrations = {
    // AUTOINCREMENT: a row id is never reused, so ids keep the order feedback was given in.
    R"(CREATE TABLE outbox(
           row INTEGER PRIMARY KEY AUTOINCREMENT,
           feedback_id TEXT NOT NULL UNIQUE,
           created INTEGER NOT NULL,
           payload TEXT NOT NULL);)",
    // Receipts (docs/protocol.md "Receipt and Durable"): a row is pending while its receipt
    // columns are NULL, and history after. Rows of version 1 were never receipted: pending.
    // The partial indexes keep the sender's reads and the history clean-up off the other
    // kind of row, however long the history grows.
    R"(ALTER TABLE outbox ADD COLUMN receipt_db TEXT;
       ALTER TABLE outbox ADD COLUMN receipt_commit INTEGER;
       ALTER TABLE outbox ADD COLUMN receipted_at INTEGER;
       CREATE INDEX outbox_pending ON outbox(row) WHERE receipted_at IS NULL;
       CREATE INDEX outbox_history ON outbox(receipted_at) WHERE receipted_at IS NOT NULL;
       CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;)",
};

}  // namespace

Outbox::Outbox(Database db) : db_(std::move(db)) {}

Expected<Outbox> Outbox::open(const std::string& path) {
    auto db = Database::open(path);
    if (!db) return Error{"outbox " + path, db.error().to_string()};
    if (db->user_version() > static_cast<int>(kMigrations.size()))
        return Error{"outbox " + path, "written by a newer storeq-kiosk (schema " +
                                           std::to_string(db->user_version()) + ")"};
    if (auto migrated = db->migrate(kMigrations); !migrated)
        return Error{"outbox " + path, migrated.error().to_string()};
    // A response is on the kiosk's disk when add() returns: every commit is fsynced. With
    // NORMAL the WAL reached the disk only at checkpoints, and the simulated power cuts
    // (tests/integration/power_cut_test.cpp) lost 3 of 1,000 responses given just before
    // a cut. A tap comes every few seconds; an fsync costs ~0.4 ms.
    if (auto full = db->exec("PRAGMA synchronous=FULL"); !full)
        return Error{"outbox " + path, full.error().to_string()};
    Outbox outbox(std::move(db.value()));
    if (auto prepared = outbox.prepare(); !prepared) return Error{"outbox " + path, prepared.error().to_string()};
    return outbox;
}

Expected<void> Outbox::prepare() {
    const char* sql[] = {
        "INSERT OR IGNORE INTO outbox(feedback_id, created, payload) VALUES(?1, ?2, ?3)",
        "SELECT row FROM outbox WHERE feedback_id = ?1",
        "SELECT row, payload FROM outbox WHERE receipted_at IS NULL ORDER BY row",
        "SELECT (SELECT COUNT(*) FROM outbox WHERE receipted_at IS NULL),"
        "       (SELECT COUNT(*) FROM outbox WHERE receipted_at IS NOT NULL)",
        "SELECT row, payload FROM outbox WHERE row > ?1 AND receipted_at IS NULL ORDER BY row LIMIT ?2",
        "SELECT row, receipted_at IS NULL FROM outbox WHERE feedback_id = ?1",
        "UPDATE outbox SET receipt_db = ?2, receipt_commit = ?3, receipted_at = ?4 WHERE row = ?1",
        "UPDATE outbox SET receipt_db = NULL, receipt_commit = NULL, receipted_at = NULL"
        " WHERE receipted_at IS NOT NULL AND (receipt_db <> ?1 OR receipt_commit > ?2)",
        "SELECT value FROM meta WHERE key = ?1",
        "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        "DELETE FROM outbox WHERE row IN (SELECT row FROM outbox"
        " WHERE receipted_at IS NOT NULL AND receipted_at < ?1 LIMIT ?2)",
    };
    for (const char* text : sql) {
        auto statement = db_.prepare(text);
        if (!statement) return statement.error();
        statements_.push_back(std::move(statement.value()));
    }
    auto& count = statements_[kCount];
    auto counted = count.step();
    if (!counted) return counted.error();
    size_ = *counted ? count.column_int64(0) : 0;
    history_ = *counted ? count.column_int64(1) : 0;
    count.reset();

    auto& meta = statements_[kReadMeta];
    meta.bind(1, kDurableStartKey);
    auto found = meta.step();
    if (found && *found) last_durable_start_ = meta.column_text(0);
    meta.reset();
    if (!found) return found.error();
    return {};
}

Expected<std::int64_t> Outbox::add(const Feedback& feedback) {
    auto& insert = statements_[kInsert];
    insert.bind(1, feedback.id).bind(2, feedback.ts).bind(3, encode(feedback));
    if (auto ran = insert.run(); !ran) return ran.error();
    if (insert.changes() == 1) {
        ++size_;
        return db_.last_insert_rowid();
    }
    auto& find = statements_[kFind];
    find.bind(1, feedback.id);
    auto found = find.step();
    const std::int64_t row = found && *found ? find.column_int64(0) : 0;
    find.reset();
    if (!found) return found.error();
    return row;
}

Expected<std::vector<std::int64_t>> Outbox::mark_receipted(const Receipt& receipt, TimeMs now) {
    // One transaction per receipt: a receipt is applied whole or not at all (then the rows
    // stay pending and are sent again, which the ids make harmless).
    Transaction transaction(db_);
    if (!transaction.begun()) return transaction.begun().error();
    std::vector<std::int64_t> newly;
    auto& find = statements_[kFindReceipt];
    auto& set = statements_[kSetReceipt];
    for (const std::string& id : receipt.ids) {
        find.bind(1, id);
        auto found = find.step();
        if (!found) {
            find.reset();
            return found.error();
        }
        if (!*found) {
            find.reset();
            continue;
        }
        const std::int64_t row = find.column_int64(0);
        const bool was_pending = find.column_int64(1) != 0;
        find.reset();
        set.bind(1, row).bind(2, receipt.db).bind(3, receipt.commit).bind(4, now);
        if (auto ran = set.run(); !ran) return ran.error();
        if (was_pending) newly.push_back(row);
    }
    if (auto committed = transaction.commit(); !committed) return committed.error();
    const auto count = static_cast<std::int64_t>(newly.size());
    size_ -= count;
    history_ += count;
    return newly;
}

Expected<DurableOutcome> Outbox::apply_durable(const Durable& durable) {
    if (last_durable_start_ == durable.start) return DurableOutcome{};
    // Re-pending and remembering the start move together: a crash between them would
    // otherwise skip the re-send for good, or do it twice (harmless, but not needed).
    Transaction transaction(db_);
    if (!transaction.begun()) return transaction.begun().error();
    auto& repend = statements_[kRepend];
    repend.bind(1, durable.db).bind(2, durable.commit);
    if (auto ran = repend.run(); !ran) return ran.error();
    const std::int64_t repended = repend.changes();
    auto& write = statements_[kWriteMeta];
    write.bind(1, kDurableStartKey).bind(2, durable.start);
    if (auto ran = write.run(); !ran) return ran.error();
    if (auto committed = transaction.commit(); !committed) return committed.error();
    last_durable_start_ = durable.start;
    size_ += repended;
    history_ -= repended;
    return DurableOutcome{true, repended};
}

Expected<std::int64_t> Outbox::delete_history(TimeMs before, std::size_t limit) {
    auto& remove = statements_[kDeleteHistory];
    remove.bind(1, before).bind(2, static_cast<std::int64_t>(limit));
    if (auto ran = remove.run(); !ran) return ran.error();
    const std::int64_t deleted = remove.changes();
    history_ -= deleted;
    return deleted;
}

Expected<std::vector<OutboxRow>> Outbox::pending() { return read_rows(statements_[kList]); }

Expected<std::vector<OutboxRow>> Outbox::pending_after(std::int64_t after_row, std::size_t limit) {
    auto& page = statements_[kPage];
    page.bind(1, after_row).bind(2, static_cast<std::int64_t>(limit));
    return read_rows(page);
}

Expected<std::vector<OutboxRow>> Outbox::read_rows(Statement& list) {
    std::vector<OutboxRow> rows;
    for (;;) {
        auto more = list.step();
        if (!more) {
            list.reset();
            return more.error();
        }
        if (!*more) break;
        rows.push_back(OutboxRow{list.column_int64(0), list.column_text(1)});
    }
    list.reset();
    return rows;
}

}  // namespace storeq::kiosk
