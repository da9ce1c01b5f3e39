#include "outbound_log.hpp"

namespace storeq::controller::outbound_log {
namespace {
constexpr const char* kAckedKey = "outbound_acked";

Expected<std::int64_t> single_int(Database& db, const char* sql) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return *row && !stmt->column_is_null(0) ? stmt->column_int64(0) : 0;
}
}  // namespace

Expected<void> append(Database& db, const chain::EntryBody& body) {
    auto stmt = db.prepare(kAppendSql);
    if (!stmt) return stmt.error();
    stmt->bind(1, chain::entry_json(body));
    return stmt->run();
}

Expected<std::vector<std::pair<std::int64_t, std::string>>> read_after(Database& db, std::int64_t after,
                                                                       std::size_t max_entries, std::size_t max_bytes) {
    auto stmt = db.prepare("SELECT seq, body FROM outbound WHERE seq > ? ORDER BY seq LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, after).bind(2, static_cast<std::int64_t>(max_entries));
    std::vector<std::pair<std::int64_t, std::string>> out;
    std::size_t bytes = 0;
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        std::string body = stmt->column_text(1);
        // One entry always goes, however large: a batch never stalls on it.
        if (!out.empty() && bytes + body.size() > max_bytes) break;
        bytes += body.size();
        out.emplace_back(stmt->column_int64(0), std::move(body));
    }
    return out;
}

Expected<OutboundBacklog> backlog(Database& db) {
    OutboundBacklog b;
    auto acked = single_int(db, "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'outbound_acked'");
    if (!acked) return acked.error();
    auto written = single_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 'outbound'");
    if (!written) return written.error();
    b.acked = *acked;
    b.written = *written;
    return b;
}

Expected<void> record_ack(Database& db, std::int64_t seq) {
    auto before = backlog(db);
    if (!before) return before.error();
    if (seq <= before->acked) return {};
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (seq > before->written) {
        // Head office heard from a database with more entries than this one has ever
        // written: move what this one has not had acknowledged above the ack (negated
        // first, so no two rows share a seq on the way).
        auto lowest = single_int(db, "SELECT min(seq) FROM outbound");
        if (!lowest) return lowest.error();
        const std::int64_t shift = *lowest > 0 ? seq + 1 - *lowest : 0;
        auto renumber = db.prepare("UPDATE outbound SET seq = -seq - ?");
        if (!renumber) return renumber.error();
        renumber->bind(1, shift);
        if (auto ran = renumber->run(); !ran) return ran;
        if (auto ran = db.exec("UPDATE outbound SET seq = -seq"); !ran) return ran;
        // sqlite_sequence has no key: the old row goes, one new row takes its place.
        if (auto ran = db.exec("DELETE FROM sqlite_sequence WHERE name = 'outbound'"); !ran) return ran;
        auto top = db.prepare(
            "INSERT INTO sqlite_sequence(name, seq) VALUES('outbound', max(?, (SELECT coalesce(max(seq), 0) FROM outbound)))");
        if (!top) return top.error();
        top->bind(1, seq);
        if (auto ran = top->run(); !ran) return ran;
    } else {
        auto drop = db.prepare("DELETE FROM outbound WHERE seq <= ?");
        if (!drop) return drop.error();
        drop->bind(1, seq);
        if (auto ran = drop->run(); !ran) return ran;
    }
    auto mark = db.prepare("INSERT INTO store_meta(key, value) VALUES(?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!mark) return mark.error();
    mark->bind(1, std::string(kAckedKey)).bind(2, std::to_string(seq));
    if (auto ran = mark->run(); !ran) return ran;
    return tx.commit();
}

}  // namespace storeq::controller::outbound_log
