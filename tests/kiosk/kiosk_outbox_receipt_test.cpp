// The outbox's receipts (docs/protocol.md "Receipt and Durable"): a response leaves the
// backlog only when the controller says the store's disk has it, is sent again when that
// takes too long or when the store's database lost it, and is kept as history for a while.
// Pure: a temp SQLite file, a fake Send and an injected clock.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "app/feedback_outbox.hpp"
#include "app/outbox.hpp"
#include "model/kiosk_config_file.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "temp_dir.hpp"

using namespace storeq;
using namespace storeq::kiosk;
using storeq::test::TempDir;

namespace {

constexpr TimeMs kStart = 1'763'806'530'000;  // some day in the store's life
constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kDay = 24 * 60 * kMinute;

Feedback make_feedback(std::mt19937_64& rng, TimeMs ts) {
    Feedback feedback;
    feedback.ts = ts;
    feedback.id = make_uuid_v7(ts, rng);
    feedback.score = 2;
    feedback.locale = "nl";
    return feedback;
}

Outbox open_outbox(const std::string& path) {
    auto outbox = Outbox::open(path);
    if (!outbox) FAIL(outbox.error().to_string());
    return std::move(outbox.value());
}

// A kiosk's outbox with a fake libmosquitto (ids 1, 2, 3...) and a clock the test moves.
struct Kiosk {
    TempDir dir{"storeq-kiosk-receipts"};
    std::string path = dir.file("outbox.db");
    TimeMs now = kStart;
    std::vector<std::string> sent;        // feedback ids, in the order handed to MQTT
    std::map<int, std::string> unacked;   // message id -> feedback id
    std::mt19937_64 rng{41};
    FeedbackOutbox outbox;

    explicit Kiosk(std::size_t window = FeedbackOutbox::kDefaultWindow, ReceiptTiming timing = {})
        : outbox(open_outbox(path),
                 [this](const std::string& payload) -> Expected<int> {
                     sent.push_back(decode_feedback(payload, now)->id);
                     const int id = static_cast<int>(sent.size());
                     unacked[id] = sent.back();
                     return id;
                 },
                 window, timing, [this] { return now; }) {}

    std::vector<std::string> give(int count) {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i) {
            const Feedback feedback = make_feedback(rng, now);
            ids.push_back(feedback.id);
            outbox.store_and_send(feedback);
        }
        return ids;
    }
    void acknowledge_all() {
        auto held = std::move(unacked);
        unacked.clear();
        for (const auto& [message_id, id] : held) outbox.acknowledged(message_id);
    }
    std::int64_t count(const std::string& sql) const {
        auto db = Database::open(path);
        if (!db) FAIL(db.error().to_string());
        auto statement = db->prepare(sql);
        if (!statement) FAIL(statement.error().to_string());
        auto row = statement->step();
        return row && *row ? statement->column_int64(0) : -1;
    }
};

Receipt receipt_for(std::vector<std::string> ids, std::int64_t commit = 1, std::string db = "db-1") {
    return Receipt{std::move(db), commit, std::move(ids)};
}

std::vector<std::string> slice(const std::vector<std::string>& ids, std::size_t from, std::size_t to) {
    return {ids.begin() + static_cast<std::ptrdiff_t>(from), ids.begin() + static_cast<std::ptrdiff_t>(to)};
}

}  // namespace

TEST_CASE("a receipt takes rows off the backlog, keeps them as history, and refills the window", "[kiosk-outbox]") {
    Kiosk kiosk(4);
    std::vector<std::int64_t> backlogs;
    kiosk.outbox.on_backlog_changed([&](std::int64_t backlog) { backlogs.push_back(backlog); });
    kiosk.outbox.link_up();
    const auto ids = kiosk.give(6);
    REQUIRE(kiosk.sent.size() == 4);
    kiosk.acknowledge_all();

    kiosk.outbox.receipt(receipt_for(slice(ids, 0, 3), 7));
    CHECK(kiosk.outbox.backlog() == 3);
    CHECK(backlogs.back() == 3);
    // Three slots freed; two rows were waiting.
    CHECK(kiosk.sent.size() == 6);
    const OutboxStats stats = kiosk.outbox.stats();
    CHECK(stats.in_flight == 3);
    CHECK(stats.history == 3);
    CHECK(stats.receipted == 3);
    CHECK(kiosk.count("SELECT COUNT(*) FROM outbox") == 6);
    CHECK(kiosk.count("SELECT COUNT(*) FROM outbox WHERE receipt_db = 'db-1' AND receipt_commit = 7 AND "
                      "receipted_at = " + std::to_string(kStart)) == 3);
    // Reopened, the file says the same.
    CHECK(open_outbox(kiosk.path).size() == 3);
    CHECK(open_outbox(kiosk.path).history() == 3);
}

TEST_CASE("a receipt for another kiosk's ids or unknown ids changes nothing", "[kiosk-outbox]") {
    Kiosk kiosk(4);
    kiosk.outbox.link_up();
    kiosk.give(6);
    kiosk.acknowledge_all();
    std::mt19937_64 other(99);
    std::vector<std::string> theirs;
    for (int i = 0; i < 64; ++i) theirs.push_back(make_feedback(other, kStart).id);
    int notified = 0;
    kiosk.outbox.on_backlog_changed([&](std::int64_t) { ++notified; });

    kiosk.outbox.receipt(receipt_for(theirs));
    kiosk.outbox.receipt(receipt_for({"not-an-id"}));
    CHECK(kiosk.outbox.backlog() == 6);
    CHECK(kiosk.outbox.stats().in_flight == 4);
    CHECK(kiosk.outbox.stats().history == 0);
    CHECK(kiosk.sent.size() == 4);
    CHECK(notified == 0);
    CHECK(kiosk.count("SELECT COUNT(*) FROM outbox WHERE receipted_at IS NOT NULL") == 0);
}

TEST_CASE("a row acknowledged and not receipted is sent again after receipt_timeout, the wait doubling up to 15 min",
          "[kiosk-outbox]") {
    Kiosk kiosk(4, ReceiptTiming{.receipt_timeout_ms = kMinute});
    kiosk.outbox.link_up();
    const auto ids = kiosk.give(1);
    REQUIRE(kiosk.sent.size() == 1);

    // Not acknowledged: libmosquitto has it and sends it itself; no timeout runs.
    kiosk.now += 60 * kMinute;
    kiosk.outbox.tick();
    CHECK(kiosk.sent.size() == 1);

    // Acknowledged at each re-send; the waits until the next one: 1, 2, 4, 8, 15, 15 min.
    const std::vector<TimeMs> waits = {1, 2, 4, 8, 15, 15};
    for (std::size_t i = 0; i < waits.size(); ++i) {
        INFO("re-send " << i + 1);
        kiosk.acknowledge_all();
        kiosk.now += waits[i] * kMinute - 1;
        kiosk.outbox.tick();
        CHECK(kiosk.sent.size() == i + 1);
        kiosk.now += 1;
        kiosk.outbox.tick();
        REQUIRE(kiosk.sent.size() == i + 2);
        CHECK(kiosk.sent.back() == ids[0]);
    }
    CHECK(kiosk.outbox.stats().resent == static_cast<std::int64_t>(waits.size()));
    CHECK(kiosk.outbox.stats().in_flight == 1);  // the same row, one slot

    // Receipted: no more.
    kiosk.acknowledge_all();
    kiosk.outbox.receipt(receipt_for(ids));
    kiosk.now += kDay;
    kiosk.outbox.tick();
    CHECK(kiosk.sent.size() == waits.size() + 1);
    CHECK(kiosk.outbox.backlog() == 0);
}

TEST_CASE("a durable notice with a lower commit re-pends exactly the rows receipted above it", "[kiosk-outbox]") {
    Kiosk kiosk(16);
    kiosk.outbox.link_up();
    const auto ids = kiosk.give(6);
    kiosk.acknowledge_all();
    kiosk.outbox.receipt(receipt_for(slice(ids, 0, 2), 5));
    kiosk.outbox.receipt(receipt_for(slice(ids, 2, 4), 8));
    kiosk.outbox.receipt(receipt_for(slice(ids, 4, 5), 10));
    // ids[5]: acknowledged, no receipt yet.
    REQUIRE(kiosk.outbox.backlog() == 1);
    kiosk.sent.clear();

    // The store's database was restored from a backup holding 8 commits.
    kiosk.outbox.durable(Durable{"db-1", "start-2", 8, kStart});
    CHECK(kiosk.outbox.backlog() == 2);
    CHECK(kiosk.outbox.stats().history == 4);
    CHECK(kiosk.count("SELECT COUNT(*) FROM outbox WHERE receipted_at IS NULL AND feedback_id = '" + ids[4] + "'") == 1);
    // Sent again at once: the re-pended row, and the one the old controller never receipted.
    CHECK(std::set<std::string>(kiosk.sent.begin(), kiosk.sent.end()) == std::set<std::string>{ids[4], ids[5]});
    CHECK(kiosk.sent.size() == 2);
}

TEST_CASE("a durable notice of another database re-pends the whole history", "[kiosk-outbox]") {
    Kiosk kiosk(16);
    kiosk.outbox.link_up();
    const auto ids = kiosk.give(5);
    kiosk.acknowledge_all();
    kiosk.outbox.receipt(receipt_for(ids, 3));
    REQUIRE(kiosk.outbox.backlog() == 0);
    kiosk.sent.clear();

    // A damaged file was moved aside: a fresh database, even one with a higher count.
    kiosk.outbox.durable(Durable{"db-2", "start-2", 900, kStart});
    CHECK(kiosk.outbox.backlog() == 5);
    CHECK(kiosk.outbox.stats().history == 0);
    CHECK(kiosk.sent == ids);  // oldest first, through the window
}

TEST_CASE("the same durable start twice acts once, also after the kiosk restarts", "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-receipts");
    std::string path;
    {
        Kiosk kiosk(16);
        kiosk.outbox.link_up();
        const auto ids = kiosk.give(3);
        kiosk.acknowledge_all();
        kiosk.outbox.receipt(receipt_for(ids, 3));
        kiosk.outbox.durable(Durable{"db-2", "start-2", 1, kStart});
        CHECK(kiosk.outbox.backlog() == 3);
        kiosk.acknowledge_all();
        kiosk.outbox.receipt(receipt_for(ids, 2, "db-2"));
        REQUIRE(kiosk.outbox.backlog() == 0);
        const auto sent = kiosk.sent.size();

        // Retained: it comes again at every reconnect.
        kiosk.outbox.durable(Durable{"db-2", "start-2", 1, kStart});
        CHECK(kiosk.outbox.backlog() == 0);
        CHECK(kiosk.sent.size() == sent);
        CHECK(open_outbox(kiosk.path).last_durable_start() == std::optional<std::string>("start-2"));

        // Even one that would re-pend everything: that start was handled.
        auto reopened = open_outbox(kiosk.path);
        auto outcome = reopened.apply_durable(Durable{"db-3", "start-2", 0, kStart});
        REQUIRE(outcome.has_value());
        CHECK_FALSE(outcome->new_start);
        CHECK(reopened.size() == 0);
    }
}

TEST_CASE("receipted rows older than the history are deleted, younger ones kept", "[kiosk-outbox]") {
    Kiosk kiosk(16);  // history 30 d by default
    kiosk.outbox.link_up();
    const auto old_ids = kiosk.give(3);
    kiosk.acknowledge_all();
    kiosk.outbox.receipt(receipt_for(old_ids));
    kiosk.now += 10 * kDay;
    const auto young_ids = kiosk.give(2);
    kiosk.acknowledge_all();
    kiosk.outbox.receipt(receipt_for(young_ids));
    const auto pending_ids = kiosk.give(1);  // never receipted: never deleted

    kiosk.now = kStart + 30 * kDay - 1;
    kiosk.outbox.tick();
    CHECK(kiosk.outbox.stats().history == 5);

    kiosk.now = kStart + 30 * kDay + kMinute;  // the next check, a minute later
    kiosk.outbox.tick();
    CHECK(kiosk.outbox.stats().history == 2);
    CHECK(kiosk.outbox.backlog() == 1);
    CHECK(kiosk.count("SELECT COUNT(*) FROM outbox") == 3);
    CHECK(kiosk.count("SELECT COUNT(*) FROM outbox WHERE feedback_id IN ('" + young_ids[0] + "','" + young_ids[1] +
                      "','" + pending_ids[0] + "')") == 3);
}

TEST_CASE("a month of history is deleted in small batches", "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-receipts");
    auto outbox = open_outbox(dir.file("outbox.db"));
    std::mt19937_64 rng(43);
    std::vector<std::string> ids;
    for (int i = 0; i < 1200; ++i) {
        const Feedback feedback = make_feedback(rng, kStart);
        REQUIRE(outbox.add(feedback).has_value());
        ids.push_back(feedback.id);
    }
    for (std::size_t i = 0; i < ids.size(); i += kMaxReceiptIds)
        REQUIRE(outbox.mark_receipted(receipt_for(slice(ids, i, std::min(ids.size(), i + kMaxReceiptIds))), kStart));
    auto batch = outbox.delete_history(kStart + 1, 500);
    REQUIRE(batch.has_value());
    CHECK(*batch == 500);
    CHECK(outbox.history() == 700);
    FeedbackOutbox feedback_outbox(std::move(outbox), [](const std::string&) -> Expected<int> { return 1; }, 4,
                                   ReceiptTiming{}, [] { return kStart + 31 * kDay; });
    feedback_outbox.tick();
    CHECK(feedback_outbox.stats().history == 0);
}

TEST_CASE("an outbox file of schema version 1 opens and migrates with its rows pending", "[kiosk-outbox]") {
    TempDir dir("storeq-kiosk-receipts");
    const std::string path = dir.file("outbox.db");
    std::mt19937_64 rng(47);
    std::vector<Feedback> given;
    {
        auto db = Database::open(path);
        REQUIRE(db.has_value());
        // Version 1 as storeq-kiosk wrote it before receipts.
        REQUIRE(db->exec(R"(CREATE TABLE outbox(
                                row INTEGER PRIMARY KEY AUTOINCREMENT,
                                feedback_id TEXT NOT NULL UNIQUE,
                                created INTEGER NOT NULL,
                                payload TEXT NOT NULL);
                            PRAGMA user_version = 1;)"));
        auto insert = db->prepare("INSERT INTO outbox(feedback_id, created, payload) VALUES(?1, ?2, ?3)");
        REQUIRE(insert.has_value());
        for (int i = 0; i < 4; ++i) {
            given.push_back(make_feedback(rng, kStart + i));
            insert->bind(1, given.back().id).bind(2, given.back().ts).bind(3, encode(given.back()));
            REQUIRE(insert->run());
        }
    }
    Outbox outbox = open_outbox(path);
    CHECK(outbox.size() == 4);
    CHECK(outbox.history() == 0);
    CHECK_FALSE(outbox.last_durable_start().has_value());
    auto rows = outbox.pending();
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 4);
    for (std::size_t i = 0; i < rows->size(); ++i) CHECK(decode_feedback((*rows)[i].payload, kStart)->id == given[i].id);
    auto receipted = outbox.mark_receipted(receipt_for({given[0].id}), kStart);
    REQUIRE(receipted.has_value());
    CHECK(outbox.size() == 3);
    {
        auto db = Database::open(path);
        REQUIRE(db.has_value());
        CHECK(db->user_version() == 2);
    }
}

TEST_CASE("receipt_timeout and history are read from the kiosk configuration", "[kiosk-outbox]") {
    KioskConfig config;
    CHECK(config.receipt_timeout_ms == 60'000);
    CHECK(config.history_ms == 30 * kDay);
    REQUIRE(apply_kiosk_config_text("receipt_timeout = 90s\nhistory = 45d\n", config));
    CHECK(config.receipt_timeout_ms == 90'000);
    CHECK(config.history_ms == 45 * kDay);
    REQUIRE(apply_kiosk_config_text("history = 48h\n", config));
    CHECK(config.history_ms == 2 * kDay);
    CHECK_FALSE(apply_kiosk_config_text("receipt_timeout = 1s\n", config));
    CHECK_FALSE(apply_kiosk_config_text("receipt_timeout = 1h\n", config));
    CHECK_FALSE(apply_kiosk_config_text("history = 2h\n", config));
    CHECK_FALSE(apply_kiosk_config_text("history = 30\n", config));
}
