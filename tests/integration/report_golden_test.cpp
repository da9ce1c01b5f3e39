// `storeq-controller report` on a generated, deterministic database against golden files
// in tests/golden/. After a deliberate change: STOREQ_UPDATE_GOLDEN=1 rewrites them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

#include "child_process.hpp"
#include "golden_update.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/protocol.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr TimeMs kDay = 1'741'564'800'000;  // 2025-03-10 00:00 UTC
constexpr TimeMs kS = 1000;
const std::map<std::string, std::string> kUtc{{"TZ", "UTC"}};
const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";

// The controller's own schema: it creates the file (simulated clock, never ticked, so it
// rolls nothing up) and stops.
// With `tick`, the clock is set once (before any generated row): the controller rolls up
// nothing and publishes its first documents, recording the store's zone with the data.
void create_schema(const std::string& db_path, TempDir& dir, const std::map<std::string, std::string>& env = kUtc,
                   const std::vector<std::string>& more_args = {}, std::optional<TimeMs> tick = std::nullopt) {
    TestBroker broker;
    MqttProbe probe(broker.host(), broker.port(), "schema");
    probe.subscribe(status_topic("golden", "controller"));
    probe.subscribe(stats_topic("golden", "today"));
    std::vector<std::string> argv{kController, "--broker", broker.address(), "--store", "golden", "--db", db_path,
                                  "--clock", "sim"};
    argv.insert(argv.end(), more_args.begin(), more_args.end());
    ChildProcess controller(argv, dir.file("controller.log"), env);
    REQUIRE(probe.wait_for_topic(status_topic("golden", "controller"), 10000));
    if (tick) {
        REQUIRE(probe.publish(clock_topic("golden"), encode(ClockTick{*tick}), 1, false));
        REQUIRE(probe.wait_for_topic(stats_topic("golden", "today"), 10000));
    }
    controller.kill(SIGTERM);
    REQUIRE(controller.wait_exit(10000) == 0);
}

// Four hours of a three-till store, from a fixed seed: tills open and close, a count
// every 20 s per open till (received 5 s after its ts), an answer every few minutes, a
// few prompts.
void generate_day(const std::string& db_path) {
    auto db = Database::open(db_path);
    REQUIRE(db);
    REQUIRE(db->exec("BEGIN"));
    std::mt19937 rng(2025);  // std::mt19937's sequence is fixed by the standard
    auto sample = db->prepare("INSERT INTO queue_samples(lane, count, ts, received, source, seq) VALUES(?,?,?,?,'sensor',?)");
    auto state = db->prepare("INSERT INTO lane_states(lane, open, ts, received, by) VALUES(?,?,?,?,NULL)");
    auto feedback = db->prepare(
        "INSERT INTO feedback(id, kiosk, ts, received, scale, score, reason, ui, locale, misuse, after_breach) "
        "VALUES(?,?,?,?,?,?,?,'none','nl',?,?)");
    REQUIRE(sample);
    REQUIRE(state);
    REQUIRE(feedback);
    const TimeMs start = kDay + 8 * 3600 * kS, end = kDay + 12 * 3600 * kS;
    bool open[4] = {false, false, false, false};
    int count[4] = {0, 0, 0, 0};
    std::int64_t seq = 0;
    int answers = 0;
    for (TimeMs t = start; t < end; t += 20 * kS) {
        for (int lane = 1; lane <= 3; ++lane) {
            const bool want_open = lane == 1 || (lane == 2 && t >= start + 3600 * kS) || (lane == 3 && t >= start + 7200 * kS && t < start + 9000 * kS);
            if (want_open != open[lane]) {
                open[lane] = want_open;
                state->bind(1, lane).bind(2, want_open ? 1 : 0).bind(3, t).bind(4, t);
                REQUIRE(state->run());
            }
            if (!open[lane]) continue;
            count[lane] = std::clamp(count[lane] + static_cast<int>(rng() % 3) - 1, 0, 5);
            sample->bind(1, lane).bind(2, count[lane]).bind(3, t).bind(4, t + 5 * kS).bind(5, ++seq);
            REQUIRE(sample->run());
        }
        if (rng() % 8 == 0) {
            const bool nps = rng() % 4 == 0;
            const int score = static_cast<int>(rng() % (nps ? 11 : 4));
            const char* reasons[] = {"staff", "queue", "price", "clean"};
            char id[40];
            std::snprintf(id, sizeof id, "00000000-0000-7000-8000-%012d", ++answers);
            feedback->bind(1, id).bind(2, "exit-1").bind(3, t).bind(4, t + 100).bind(5, nps ? "nps" : "smiley4").bind(6, score);
            if (rng() % 2) feedback->bind(7, reasons[rng() % 4]);
            else feedback->bind_null(7);
            feedback->bind(8, answers % 17 == 0 ? 1 : 0);
            // As the controller would judge it, roughly (a lane with two waiting now), no
            // draw from rng so the rest of the day stays as it was; every 11th not known.
            const bool long_line = std::any_of(std::begin(count), std::end(count), [](int c) { return c >= 3; });
            if (answers % 11 == 0) feedback->bind_null(9);
            else feedback->bind(9, long_line ? 1 : 0);
            REQUIRE(feedback->run());
        }
    }
    // Prompts: two fulfilled (one claimed), one cancelled.
    REQUIRE(db->exec(
        "INSERT INTO prompts(id, action, till, state, level, demand_lane, raised, updated, claimed_by, claimed_at, payload) VALUES"
        "('p1','open_till',2,'fulfilled',1,1,1741597200000,1741597260000,'anna',1741597215000,'{}'),"
        "('p2','open_till',3,'fulfilled',1,1,1741600800000,1741600890000,NULL,NULL,'{}'),"
        "('p3','open_till',3,'cancelled',1,2,1741604400000,1741604420000,NULL,NULL,'{}');"
        "INSERT INTO prompt_transitions(prompt_id, transition, state, level, at, by) VALUES"
        "('p2','claimed','claimed',1,1741600830000,'bob')"));
    REQUIRE(db->exec("COMMIT"));
}

// Till 1 open through [from, to) with one waiting customer a minute (no breach), and an
// answer at 10 minutes past every UTC hour: what a store's local day looks like by hour.
void generate_open_day(const std::string& db_path, TimeMs from, TimeMs to) {
    auto db = Database::open(db_path);
    REQUIRE(db);
    REQUIRE(db->exec("BEGIN"));
    auto sample = db->prepare("INSERT INTO queue_samples(lane, count, ts, received, source, seq) VALUES(1,2,?,?,'sensor',?)");
    auto state = db->prepare("INSERT INTO lane_states(lane, open, ts, received, by) VALUES(1,?,?,?,NULL)");
    auto feedback = db->prepare(
        "INSERT INTO feedback(id, kiosk, ts, received, scale, score, reason, ui, locale, misuse) "
        "VALUES(?,'exit-1',?,?,'smiley4',3,NULL,'none','nl',0)");
    REQUIRE(sample);
    REQUIRE(state);
    REQUIRE(feedback);
    state->bind(1, 1).bind(2, from).bind(3, from);
    REQUIRE(state->run());
    std::int64_t seq = 0;
    for (TimeMs t = from; t < to; t += 60 * kS) {
        sample->bind(1, t).bind(2, t).bind(3, ++seq);
        REQUIRE(sample->run());
        if ((t / kS) % 3600 == 600) {
            char id[48];
            std::snprintf(id, sizeof id, "00000000-0000-7000-8000-%012lld", static_cast<long long>(t / kS % 1'000'000'000'000));
            feedback->bind(1, id).bind(2, t).bind(3, t + 100);
            REQUIRE(feedback->run());
        }
    }
    state->bind(1, 0).bind(2, to).bind(3, to);
    REQUIRE(state->run());
    REQUIRE(db->exec("COMMIT"));
}

// The store rows (lane `all`) of a CSV report: period -> the row's cells.
std::vector<std::vector<std::string>> store_rows(const std::string& csv) {
    std::vector<std::vector<std::string>> rows;
    std::size_t start = 0;
    while (start < csv.size()) {
        const auto end = std::min(csv.find('\n', start), csv.size());
        const std::string line = csv.substr(start, end - start);
        start = end + 1;
        std::vector<std::string> cells;
        std::size_t from = 0;
        while (from <= line.size()) {
            const auto comma = std::min(line.find(',', from), line.size());
            cells.push_back(line.substr(from, comma - from));
            from = comma + 1;
        }
        if (cells.size() > 2 && cells[1] == "all") rows.push_back(cells);
    }
    return rows;
}

std::string run_report(TempDir& dir, const std::vector<std::string>& args, const std::string& name, int expected_exit = 0,
                       const std::map<std::string, std::string>& env = kUtc) {
    std::vector<std::string> argv{kController, "report"};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess report(argv, dir.file(name), env);
    const auto code = report.wait_exit(30000);
    INFO(report.log_text());
    REQUIRE(code == expected_exit);
    return report.log_text();
}

void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(STOREQ_SOURCE_DIR) + "/tests/golden/" + name;
    const auto mode = storeq::test::golden_mode();
    if (mode == storeq::test::GoldenMode::refused_in_ci) FAIL(storeq::test::kGoldenRefusedInCi);
    if (mode == storeq::test::GoldenMode::update) {
        std::ofstream(path) << actual;
        WARN("rewrote " << path);
    }
    const std::string expected = read_text_file(path);
    INFO("golden file " << path << " (STOREQ_UPDATE_GOLDEN=1 rewrites it)");
    CHECK(actual == expected);
}
}  // namespace

TEST_CASE("report of a generated day matches the golden files, by hour and by day, in every format") {
    TempDir dir{"storeq-report-test"};
    const std::string db_path = dir.file("golden.db");
    create_schema(db_path, dir);
    generate_day(db_path);
    const std::vector<std::string> day{"--db", db_path, "--from", "2025-03-10", "--to", "2025-03-10"};
    auto with = [&](std::vector<std::string> more) {
        auto args = day;
        args.insert(args.end(), more.begin(), more.end());
        return args;
    };
    check_golden("report_hour.csv", run_report(dir, with({"--format", "csv"}), "hour.csv"));
    check_golden("report_day.json", run_report(dir, with({"--format", "json", "--by", "day"}), "day.json"));
    check_golden("report_day.txt", run_report(dir, with({"--by", "day"}), "day.txt"));
    // The report only reads: run again, same answer.
    CHECK(run_report(dir, with({"--format", "csv"}), "hour-again.csv") == read_text_file(dir.file("hour.csv")));
    // --by range: one row for the range (a week, 28 days); over one day, the day's figures.
    const auto range_rows = store_rows(run_report(dir, with({"--format", "csv", "--by", "range"}), "range.csv"));
    const auto day_rows = store_rows(run_report(dir, with({"--format", "csv", "--by", "day"}), "day.csv"));
    REQUIRE(range_rows.size() == 1);
    REQUIRE(day_rows.size() == 1);
    CHECK(range_rows[0][0] == "2025-03-10/2025-03-10");
    CHECK(std::vector<std::string>(range_rows[0].begin() + 1, range_rows[0].end()) ==
          std::vector<std::string>(day_rows[0].begin() + 1, day_rows[0].end()));
}

TEST_CASE("report refuses bad arguments with a message and exit code 2") {
    TempDir dir{"storeq-report-args"};
    const std::string db_path = dir.file("none.db");
    CHECK_THAT(run_report(dir, {"--db", db_path, "--from", "2025-03-10", "--to", "2025-03-10"}, "1.log", 2),
               Catch::Contains("no database file"));
    std::ofstream(db_path) << "";
    CHECK_THAT(run_report(dir, {"--db", db_path, "--from", "2025-02-30", "--to", "2025-03-10"}, "2.log", 2),
               Catch::Contains("--from: '2025-02-30' is not a day of the calendar"));
    CHECK_THAT(run_report(dir, {"--db", db_path, "--from", "2025-03-10", "--to", "2025-03-01"}, "3.log", 2),
               Catch::Contains("--to: is before --from"));
    CHECK_THAT(run_report(dir, {"--db", db_path, "--from", "2025-03-10", "--to", "2025-03-10", "--format", "xls"}, "4.log", 2),
               Catch::Contains("--format: must be table, csv or json"));
    CHECK_THAT(run_report(dir, {"--db", db_path, "--from", "2025-03-10"}, "5.log", 2), Catch::Contains("--to: is required"));
}

// Europe/Amsterdam in 2026: summer time from 29 March 02:00 (a 23-hour day), back on
// 25 October 03:00 (a 25-hour day, 02:00-03:00 twice).
constexpr TimeMs kSpringDay = 1'774'738'800'000;    // 2026-03-29 00:00+01:00
constexpr TimeMs kSpringNext = 1'774'821'600'000;   // 2026-03-30 00:00+02:00
constexpr TimeMs kAutumnDay = 1'792'879'200'000;    // 2026-10-25 00:00+02:00
constexpr TimeMs kAutumnNext = 1'792'969'200'000;   // 2026-10-26 00:00+01:00

TEST_CASE("report of the clock-change days gives the store's local hours whatever TZ its reader has") {
    TempDir dir{"storeq-report-zone"};
    const std::string db_path = dir.file("amsterdam.db");
    // The box the controller runs on says Europe/Amsterdam: the store's zone, recorded
    // with its data.
    create_schema(db_path, dir, {{"TZ", "Europe/Amsterdam"}}, {}, kSpringDay - 86'400'000);
    generate_open_day(db_path, kSpringDay, kSpringNext);
    generate_open_day(db_path, kAutumnDay, kAutumnNext);
    for (const auto& [date, hours] : {std::pair{std::string("2026-03-29"), 23}, std::pair{std::string("2026-10-25"), 25}}) {
        INFO("day " << date);
        const std::vector<std::string> args{"--db", db_path, "--from", date, "--to", date, "--format", "csv"};
        const std::string utc = run_report(dir, args, date + "-utc.csv", 0, {{"TZ", "UTC"}});
        const std::string tokyo = run_report(dir, args, date + "-tokyo.csv", 0, {{"TZ", "Asia/Tokyo"}});
        CHECK(utc == tokyo);
        const auto rows = store_rows(utc);
        CHECK(rows.size() == static_cast<std::size_t>(hours));
        std::set<std::string> periods;
        double open_min = 0;
        for (const auto& row : rows) {
            periods.insert(row[0]);
            open_min += std::stod(row[2]);
            CHECK(row[0].substr(0, 10) == date);  // every hour is of the store's day
        }
        CHECK(periods.size() == rows.size());  // no hour shown twice under one name
        CHECK(open_min == Approx(hours * 60.0));
        if (hours == 25) {
            CHECK(periods.count("2026-10-25T02:00:00+02:00") == 1);
            CHECK(periods.count("2026-10-25T02:00:00+01:00") == 1);
        } else {
            CHECK(periods.count("2026-03-29T01:00:00+01:00") == 1);
            CHECK(periods.count("2026-03-29T03:00:00+02:00") == 1);
            CHECK(periods.count("2026-03-29T02:00:00+01:00") == 0);
        }
        const std::string by_day = run_report(dir, {"--db", db_path, "--from", date, "--to", date, "--format", "csv", "--by", "day"},
                                              date + "-day.csv", 0, {{"TZ", "Asia/Tokyo"}});
        const auto day_rows = store_rows(by_day);
        REQUIRE(day_rows.size() == 1);
        CHECK(std::stod(day_rows[0][2]) == Approx(hours * 60.0));
        CHECK(std::stoi(day_rows[0][14]) == hours);  // one answer an hour, all of them in the day
    }
}

TEST_CASE("time_zone in the configuration sets the store's hours: half-hour zones, read from the tz database") {
    struct Case {
        const char* zone;
        const char* date;
        TimeMs from, to;  // the local day in UTC
        std::size_t hours;
        const char* an_hour;
    };
    for (const Case& c : {Case{"Asia/Kolkata", "2026-03-29", 1'774'722'600'000, 1'774'809'000'000, 24, "2026-03-29T09:00:00+05:30"},
                          Case{"Australia/Adelaide", "2026-04-05", 1'775'309'400'000, 1'775'399'400'000, 25, "2026-04-05T02:00:00+09:30"}}) {
        INFO(c.zone);
        TempDir dir{"storeq-report-config-zone"};
        const std::string db_path = dir.file("store.db");
        const std::string config = dir.file("store.conf");
        std::ofstream(config) << "tills = 1-3\ntime_zone = " << c.zone << "\n";
        // The box says UTC; the store's configuration says otherwise, and wins.
        create_schema(db_path, dir, kUtc, {"--config", config}, c.from - 86'400'000);
        generate_open_day(db_path, c.from, c.to);
        const std::vector<std::string> args{"--db", db_path, "--from", c.date, "--to", c.date, "--format", "csv"};
        const std::string csv = run_report(dir, args, "report.csv", 0, {{"TZ", "Europe/Amsterdam"}});
        const auto rows = store_rows(csv);
        CHECK(rows.size() == c.hours);
        std::set<std::string> periods;
        for (const auto& row : rows) periods.insert(row[0]);
        CHECK(periods.size() == rows.size());
        CHECK(periods.count(c.an_hour) == 1);
        CHECK(rows.front()[0] == std::string(c.date) + "T00:00:00" + rows.front()[0].substr(19));
    }
}

TEST_CASE("a time_zone the tz database does not have is refused by report, naming the zone") {
    TempDir dir{"storeq-report-bad-zone"};
    const std::string db_path = dir.file("store.db");
    create_schema(db_path, dir);
    // The file records no zone yet (no clock tick): the report's configuration is asked.
    const std::string config = dir.file("store.conf");
    std::ofstream(config) << "tills = 1-3\ntime_zone = Europe/Atlantis\n";
    CHECK_THAT(run_report(dir, {"--db", db_path, "--from", "2026-03-29", "--to", "2026-03-29", "--config", config}, "bad.log", 2),
               Catch::Contains("Europe/Atlantis"));
}
