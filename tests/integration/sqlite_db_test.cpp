// storeq::Database against real files: what a controller or kiosk sees after restarts,
// failed writes and damaged disks.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "storeq/sqlite_db.hpp"
#include "temp_dir.hpp"

using storeq::Database;
using storeq::Transaction;
using storeq::test::TempDir;

namespace {

const std::vector<std::string> kMigrations = {
    "CREATE TABLE response (id TEXT PRIMARY KEY, score INTEGER NOT NULL);",
    "ALTER TABLE response ADD COLUMN reason TEXT;",
};

Database open_or_fail(const std::string& path) {
    auto db = Database::open(path);
    if (!db) FAIL("open " << path << ": " << db.error().to_string());
    return std::move(db).value();
}

std::int64_t count_rows(Database& db, const std::string& table) {
    auto statement = db.prepare("SELECT COUNT(*) FROM " + table);
    REQUIRE(statement);
    auto row = statement->step();
    REQUIRE(row);
    REQUIRE(*row);
    return statement->column_int64(0);
}

void insert_response(Database& db, const std::string& id, int score) {
    auto insert = db.prepare("INSERT INTO response (id, score) VALUES (?, ?)");
    REQUIRE(insert);
    insert->bind(1, id).bind(2, score);
    auto done = insert->run();
    INFO((done ? std::string() : done.error().to_string()));
    REQUIRE(done);
    CHECK(insert->changes() == 1);
}

}  // namespace

TEST_CASE("migrations apply once and advance user_version", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    CHECK(db.user_version() == 0);

    REQUIRE(db.migrate({kMigrations[0]}));
    CHECK(db.user_version() == 1);

    // Running the full list again applies only the new step; re-running the first
    // CREATE TABLE would fail.
    REQUIRE(db.migrate(kMigrations));
    CHECK(db.user_version() == 2);
    REQUIRE(db.migrate(kMigrations));
    CHECK(db.user_version() == 2);
    REQUIRE(db.exec("INSERT INTO response (id, score, reason) VALUES ('a', 3, 'fast')"));
}

TEST_CASE("a failing migration leaves the schema and version as they were", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    REQUIRE(db.migrate({kMigrations[0]}));

    auto failed = db.migrate({kMigrations[0], "CREATE TABLE broken (;"});
    REQUIRE_FALSE(failed);
    CHECK(failed.error().where == "sqlite");
    CHECK_THAT(failed.error().what, Catch::Contains("migrate to version 2"));
    CHECK(db.user_version() == 1);
}

TEST_CASE("a database newer than the program is refused", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    REQUIRE(db.migrate(kMigrations));
    CHECK_FALSE(db.migrate({kMigrations[0]}));
}

TEST_CASE("data survives closing and re-opening the file", "[sqlite]") {
    TempDir dir;
    const auto path = dir.file("store.db");
    {
        auto db = open_or_fail(path);
        REQUIRE(db.migrate(kMigrations));
        insert_response(db, "r1", 4);
        insert_response(db, "r2", 1);
    }
    auto db = open_or_fail(path);
    CHECK(db.user_version() == 2);
    REQUIRE(db.migrate(kMigrations));
    CHECK(count_rows(db, "response") == 2);

    auto select = db.prepare("SELECT id, score, reason FROM response ORDER BY id");
    REQUIRE(select);
    auto row = select->step();
    REQUIRE(row);
    REQUIRE(*row);
    CHECK(select->column_text(0) == "r1");
    CHECK(select->column_int64(1) == 4);
    CHECK(select->column_is_null(2));
}

TEST_CASE("a transaction that is not committed is rolled back", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    REQUIRE(db.migrate(kMigrations));
    {
        Transaction transaction(db);
        REQUIRE(transaction.begun());
        insert_response(db, "lost", 2);
        CHECK(count_rows(db, "response") == 1);
    }
    CHECK(count_rows(db, "response") == 0);

    {
        Transaction transaction(db);
        REQUIRE(transaction.begun());
        insert_response(db, "kept", 2);
        REQUIRE(transaction.commit());
        CHECK_FALSE(transaction.commit());
    }
    CHECK(count_rows(db, "response") == 1);
}

TEST_CASE("a constraint violation is an Error value and the statement stays usable", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    REQUIRE(db.migrate(kMigrations));
    insert_response(db, "dup", 1);

    auto insert = db.prepare("INSERT INTO response (id, score) VALUES (?, ?)");
    REQUIRE(insert);
    insert->bind(1, "dup").bind(2, 3);
    auto failed = insert->run();
    REQUIRE_FALSE(failed);
    CHECK(failed.error().where == "sqlite");
    CHECK_THAT(failed.error().what, Catch::Contains("UNIQUE"));
    CHECK_THAT(failed.error().what, Catch::Contains("(code "));

    insert->bind(1, "other");
    CHECK(insert->run());
    insert->reset();
    insert->bind(1, "null-score").bind(2, std::optional<int>{});
    CHECK_FALSE(insert->run());  // NOT NULL
    CHECK(count_rows(db, "response") == 2);
}

TEST_CASE("bad SQL and bad parameter indexes are Error values", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    auto bad_prepare = db.prepare("SELEC nonsense");
    REQUIRE_FALSE(bad_prepare);
    CHECK_THAT(bad_prepare.error().what, Catch::StartsWith("prepare: "));
    CHECK_FALSE(db.exec("DROP TABLE nowhere"));

    auto statement = db.prepare("SELECT ?");
    REQUIRE(statement);
    statement->bind(7, 1);
    CHECK_FALSE(statement->step());
}

TEST_CASE("statements move and outlive nothing they need", "[sqlite]") {
    TempDir dir;
    auto db = open_or_fail(dir.file("store.db"));
    auto prepared = db.prepare("SELECT 42, 'x', 1.5");
    REQUIRE(prepared);
    storeq::Statement statement = std::move(prepared).value();
    storeq::Statement moved = std::move(statement);
    auto row = moved.step();
    REQUIRE(row);
    REQUIRE(*row);
    CHECK(moved.column_int64(0) == 42);
    CHECK(moved.column_text(1) == "x");
    CHECK(moved.column_double(2) == 1.5);

    // Moving a Database keeps its statements valid.
    Database other = std::move(db);
    moved.reset();
    CHECK(moved.step());
}

TEST_CASE("opening a file in a missing directory is an Error", "[sqlite]") {
    TempDir dir;
    auto db = Database::open(dir.file("no/such/dir/store.db"));
    REQUIRE_FALSE(db);
    CHECK(db.error().where == "sqlite");
    CHECK_THAT(db.error().what, Catch::StartsWith("open "));
}

TEST_CASE("a corrupt database file is an Error, never a crash", "[sqlite]") {
    TempDir dir;
    const auto path = dir.file("corrupt.db");
    {
        std::ofstream garbage(path, std::ios::binary);
        for (int i = 0; i < 8192; ++i) garbage.put(static_cast<char>((i * 131 + 7) % 256));
    }
    auto db = Database::open(path);
    if (db) {
        // If open did not read enough to notice, the first real use must.
        CHECK_FALSE(db->migrate(kMigrations));
    } else {
        CHECK(db.error().where == "sqlite");
        CHECK_THAT(db.error().what, Catch::Contains("(code "));
    }
}

TEST_CASE("a database with a damaged page is an Error on query, never a crash", "[sqlite]") {
    TempDir dir;
    const auto path = dir.file("damaged.db");
    {
        auto db = open_or_fail(path);
        REQUIRE(db.migrate(kMigrations));
        Transaction transaction(db);
        for (int i = 0; i < 2000; ++i) insert_response(db, "id-" + std::to_string(i), i % 5);
        REQUIRE(transaction.commit());
        REQUIRE(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    {
        // Overwrite the pages after the header: the b-tree pages of the table and index.
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(4096);
        for (int i = 0; i < 4096 * 4; ++i) file.put(static_cast<char>(0xA5));
    }
    auto db = Database::open(path);
    if (!db) {
        SUCCEED("open reported: " << db.error().to_string());
        return;
    }
    auto statement = db->prepare("SELECT COUNT(*), SUM(score) FROM response");
    bool failed = !statement;
    if (statement) {
        auto row = statement->step();
        failed = !row;
        if (!row) CHECK_THAT(row.error().what, Catch::Contains("malformed"));
    }
    CHECK(failed);
}
