// `storeq-controller report` on a generated, deterministic database against golden files
// in tests/golden/. After a deliberate change: STOREQ_UPDATE_GOLDEN=1 rewrites them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
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
void create_schema(const std::string& db_path, TempDir& dir) {
    TestBroker broker;
    MqttProbe probe(broker.host(), broker.port(), "schema");
    probe.subscribe(status_topic("golden", "controller"));
    ChildProcess controller({kController, "--broker", broker.address(), "--store", "golden", "--db", db_path,
                             "--clock", "sim"},
                            dir.file("controller.log"), kUtc);
    REQUIRE(probe.wait_for_topic(status_topic("golden", "controller"), 10000));
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
        "INSERT INTO feedback(id, kiosk, ts, received, scale, score, reason, ui, locale, misuse) VALUES(?,?,?,?,?,?,?,'none','nl',?)");
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

std::string run_report(TempDir& dir, const std::vector<std::string>& args, const std::string& name, int expected_exit = 0) {
    std::vector<std::string> argv{kController, "report"};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess report(argv, dir.file(name), kUtc);
    const auto code = report.wait_exit(30000);
    INFO(report.log_text());
    REQUIRE(code == expected_exit);
    return report.log_text();
}

void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(STOREQ_SOURCE_DIR) + "/tests/golden/" + name;
    if (std::getenv("STOREQ_UPDATE_GOLDEN")) {
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
