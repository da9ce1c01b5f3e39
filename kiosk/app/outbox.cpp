#include "app/outbox.hpp"

#include "storeq/codec.hpp"

namespace storeq::kiosk {
namespace {

enum StatementIndex { kInsert, kFind, kRemove, kList, kCount, kPage };

const std::vector<std::string> kMigrations = {
    // AUTOINCREMENT: a row id is never reused, so ids keep the order feedback was given in.
    R"(CREATE TABLE outbox(
           row INTEGER PRIMARY KEY AUTOINCREMENT,
           feedback_id TEXT NOT NULL UNIQUE,
           created INTEGER NOT NULL,
           payload TEXT NOT NULL);)",
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
    Outbox outbox(std::move(db.value()));
    if (auto prepared = outbox.prepare(); !prepared) return Error{"outbox " + path, prepared.error().to_string()};
    return outbox;
}

Expected<void> Outbox::prepare() {
    const char* sql[] = {
        "INSERT OR IGNORE INTO outbox(feedback_id, created, payload) VALUES(?1, ?2, ?3)",
        "SELECT row FROM outbox WHERE feedback_id = ?1",
        "DELETE FROM outbox WHERE row = ?1",
        "SELECT row, payload FROM outbox ORDER BY row",
        "SELECT COUNT(*) FROM outbox",
        "SELECT row, payload FROM outbox WHERE row > ?1 ORDER BY row LIMIT ?2",
    };
    for (const char* text : sql) {
        auto statement = db_.prepare(text);
        if (!statement) return statement.error();
        statements_.push_back(std::move(statement.value()));
    }
    auto& count = statements_[kCount];
    auto row = count.step();
    if (!row) return row.error();
    size_ = *row ? count.column_int64(0) : 0;
    count.reset();
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

Expected<void> Outbox::remove(std::int64_t row) {
    auto& remove = statements_[kRemove];
    remove.bind(1, row);
    if (auto ran = remove.run(); !ran) return ran.error();
    if (remove.changes() == 1) --size_;
    return {};
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
