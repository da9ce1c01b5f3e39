// Receipts (docs/protocol.md "Receipt and Durable"): the controller tells a kiosk which of
// its responses are on the store's disk, and says at every start which database it runs
// on and how many durable commits that holds, so kiosks can send again what a lost or
// restored database lacks. Real broker, real controller binary, real SQLite file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <random>

#include "storeq/ids.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

std::string feedback_payload(const std::string& id) {
    return encode(Feedback{id, wall_clock_ms(), Scale::smiley4, 3, std::nullopt, FollowUp::none, "en", false});
}

std::string new_id(std::mt19937_64& rng) { return make_uuid_v7(wall_clock_ms(), rng); }

// The newest durable notice on the broker (retained: a kiosk that connects sees it).
std::optional<Durable> durable_notice(StoreFixture& store, const std::function<bool(const Durable&)>& pred) {
    auto message = store.probe.wait_for(
        [&](const MqttMessage& m) {
            if (m.topic != durable_topic(store.options.store)) return false;
            auto notice = decode_durable(m.payload);
            return notice && pred(*notice);
        },
        10'000);
    if (!message) return std::nullopt;
    return *decode_durable(message->payload);
}

std::optional<Receipt> receipt_for(StoreFixture& store, const std::string& kiosk, const std::string& id) {
    auto message = store.probe.wait_for(
        [&](const MqttMessage& m) {
            if (m.topic != receipt_topic(store.options.store, kiosk)) return false;
            auto receipt = decode_receipt(m.payload);
            return receipt && std::count(receipt->ids.begin(), receipt->ids.end(), id) == 1;
        },
        10'000);
    if (!message) return std::nullopt;
    CHECK_FALSE(message->retained);
    return *decode_receipt(message->payload);
}

}  // namespace

TEST_CASE("a feedback is receipted to its own kiosk once it is stored, and again when it is sent again") {
    StoreFixture store;
    std::mt19937_64 rng(7);
    auto first_notice = durable_notice(store, [](const Durable&) { return true; });
    REQUIRE(first_notice);
    CHECK(first_notice->commit == 0);  // a fresh file

    const std::string id = new_id(rng);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(id));
    auto receipt = receipt_for(store, "exit-1", id);
    REQUIRE(receipt);
    // When the kiosk hears it, the row is in the file.
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE id = '" + id + "'") == 1);
    CHECK(receipt->db == first_notice->db);
    CHECK(receipt->commit >= 1);
    // Another kiosk hears nothing of it.
    CHECK_FALSE(store.probe.wait_for(
        [&](const MqttMessage& m) { return m.topic == receipt_topic(store.options.store, "exit-2"); }, 300));

    // Sent again (a kiosk that missed the receipt): stored once, receipted again.
    store.probe.clear();
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(id));
    auto again = receipt_for(store, "exit-1", id);
    REQUIRE(again);
    CHECK(again->commit > receipt->commit);
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE id = '" + id + "'") == 1);

    // Started again: the same database, a new start, holding every commit receipted.
    store.controller->kill(SIGTERM);
    REQUIRE(store.controller->wait_exit(10'000) == 0);
    store.probe.clear();
    store.start_controller();
    auto next_notice = durable_notice(store, [&](const Durable& d) { return d.start != first_notice->start; });
    REQUIRE(next_notice);
    CHECK(next_notice->db == first_notice->db);
    CHECK(next_notice->commit == again->commit);
}

TEST_CASE("a controller started on last night's backup says it holds fewer commits, and a fresh file is another database") {
    StoreFixture store;
    std::mt19937_64 rng(8);
    const std::string before = new_id(rng);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(before));
    auto at_backup = receipt_for(store, "exit-1", before);
    REQUIRE(at_backup);

    const std::string backup = store.dir.file("backup.db");
    ChildProcess copy({STOREQ_BINARY_DIR "/bin/storeq-controller", "backup", "--db", store.db_path, "--to", backup},
                      store.dir.file("backup.log"));
    REQUIRE(copy.wait_exit(10'000) == 0);

    const std::string after = new_id(rng);
    store.publish(feedback_topic(store.options.store, "exit-1"), feedback_payload(after));
    auto later = receipt_for(store, "exit-1", after);
    REQUIRE(later);
    REQUIRE(later->commit > at_backup->commit);

    // The disk is replaced; last night's backup is restored.
    store.controller->kill(SIGKILL);
    REQUIRE(store.controller->wait_exit(10'000) == 128 + SIGKILL);
    std::filesystem::remove(store.db_path + "-wal");
    std::filesystem::remove(store.db_path + "-shm");
    std::filesystem::copy_file(backup, store.db_path, std::filesystem::copy_options::overwrite_existing);
    store.probe.clear();
    store.start_controller();
    auto restored = durable_notice(store, [](const Durable&) { return true; });
    REQUIRE(restored);
    CHECK(restored->db == at_backup->db);
    // A kiosk re-sends what was receipted above this: `after`, not `before`.
    CHECK(restored->commit >= at_backup->commit);
    CHECK(restored->commit < later->commit);
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE id = '" + after + "'") == 0);

    // A new, empty file (the old one moved aside as damaged): another database.
    store.controller->kill(SIGTERM);
    REQUIRE(store.controller->wait_exit(10'000) == 0);
    std::filesystem::remove(store.db_path);
    std::filesystem::remove(store.db_path + "-wal");
    std::filesystem::remove(store.db_path + "-shm");
    store.probe.clear();
    store.start_controller();
    auto fresh = durable_notice(store, [](const Durable&) { return true; });
    REQUIRE(fresh);
    CHECK(fresh->db != at_backup->db);
    CHECK(fresh->commit == 0);
}

TEST_CASE("backup refuses what it cannot do, with a sentence and exit 2") {
    TempDir dir{"storeq-backup"};
    ChildProcess missing({STOREQ_BINARY_DIR "/bin/storeq-controller", "backup", "--db", dir.file("none.db"), "--to",
                          dir.file("copy.db")},
                         dir.file("missing.log"));
    CHECK(missing.wait_exit(10'000) == 2);
    CHECK_THAT(missing.log_text(), Catch::Contains("no database at"));
    ChildProcess bare({STOREQ_BINARY_DIR "/bin/storeq-controller", "backup", "--db"}, dir.file("bare.log"));
    CHECK(bare.wait_exit(10'000) == 2);
    CHECK_THAT(bare.log_text(), Catch::Contains("incomplete argument '--db'"));
}
