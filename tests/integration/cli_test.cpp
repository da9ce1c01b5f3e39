// Command lines (issue 16): what a newcomer sees when they run storeq-controller, its
// subcommands and storeq-kiosk by hand: --help for each, a sentence and exit code 2 for a
// bad command line or a file that is not what it should be, no database file left behind
// by a typo, a broker that is not there yet (or whose name does not resolve yet) retried
// until it is, and a report that only reads, also as a manager's own (non-root) account.
// Exit codes: docs/commands.md.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "notify_socket.hpp"
#include "skip_test.hpp"
#include "storeq/codec.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";
const std::string kKiosk = STOREQ_BINARY_DIR "/bin/storeq-kiosk";
constexpr const char* kStore = "cli";

struct Run {
    int exit_code = -1;
    std::string output;  // stdout and stderr together, as a terminal shows them
};

// Runs a program to its end (a generous deadline, never a speed check).
Run run(const TempDir& dir, std::vector<std::string> argv, std::map<std::string, std::string> env = {}) {
    static int n = 0;
    const std::string log = dir.file("run-" + std::to_string(++n) + ".log");
    ChildProcess child(std::move(argv), log, std::move(env));
    const auto code = child.wait_exit(20'000);
    Run result;
    result.output = child.log_text();
    result.exit_code = code.value_or(-1);
    return result;
}

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

// Each option is described on a line of its own ("  --db ...", or second as in
// "  --store ID, --id DEVICE ..."), not only named in the usage synopsis.
void check_describes(const std::string& help, const std::vector<std::string>& options) {
    for (const auto& option : options) {
        INFO("option " << option);
        CHECK(std::regex_search(help, std::regex("\n  +([^ \n]+ [^ \n]+, )?" + option + "[ ,=]")));
    }
}

std::set<std::string> files_in(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
}

std::vector<std::string> as_nobody(std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
    return argv;
}

bool can_drop_privileges() { return ::geteuid() != 0 || ::access("/usr/bin/setpriv", X_OK) == 0; }

// A real controller database with a little data, made by the real controller.
void make_controller_database(const TestBroker& broker, const TempDir& dir, const std::string& db_path) {
    ChildProcess controller({kController, "--broker", broker.address(), "--store", kStore, "--db", db_path, "--tills",
                             "1-2"},
                            dir.file("maker.log"));
    MqttProbe probe(broker.host(), broker.port(), "cli-maker");
    probe.subscribe(status_topic(kStore, "controller"));
    REQUIRE(probe.wait_for([](const MqttMessage& m) { return m.payload.find("\"online\":true") != std::string::npos; },
                           15'000));
    controller.kill(SIGTERM);
    REQUIRE(controller.wait_exit(15'000) == 0);
}

}  // namespace

// ---- --help ---------------------------------------------------------------------------

TEST_CASE("storeq-controller --help names every subcommand and describes every option with its default", "[cli]") {
    TempDir dir("storeq-cli");
    const Run help = run(dir, {kController, "--help"});
    INFO(help.output);
    CHECK(help.exit_code == 0);
    for (const char* subcommand : {"report", "provision", "backup"}) {
        INFO("subcommand " << subcommand);
        CHECK(std::regex_search(help.output, std::regex(std::string("\n  +") + subcommand + " ")));
    }
    check_describes(help.output, {"--broker", "--store", "--db", "--tills", "--config", "--clock", "--credentials",
                                  "--storage-reserve", "--verbose", "--help"});
    CHECK_THAT(help.output, Catch::Contains("default 1-8"));
    CHECK_THAT(help.output, Catch::Contains("default wall"));
    CHECK_THAT(help.output, Catch::Contains("exit codes"));
}

TEST_CASE("each subcommand of storeq-controller and storeq-kiosk answers --help with its options, exit 0", "[cli]") {
    TempDir dir("storeq-cli");
    struct Case {
        std::vector<std::string> argv;
        std::vector<std::string> options;
    };
    const std::vector<Case> cases{
        {{kController, "report", "--help"}, {"--db", "--from", "--to", "--format", "--by", "--config", "--help"}},
        {{kController, "provision", "--help"}, {"--config", "--store", "--out", "--help"}},
        {{kController, "backup", "--help"}, {"--db", "--to", "--help"}},
        {{kKiosk, "--help"},
         {"--role", "--broker", "--store", "--id", "--till", "--config", "--outbox", "--credentials", "--input-script",
          "--assets", "--screenshot", "--width", "--height", "--fullscreen", "--software", "--sample-prompt",
          "--help"}},
    };
    for (const auto& c : cases) {
        const Run help = run(dir, c.argv, {{"SDL_VIDEODRIVER", "dummy"}});
        INFO(c.argv[0] << " " << c.argv[1] << ":\n" << help.output);
        CHECK(help.exit_code == 0);
        CHECK_THAT(help.output, Catch::StartsWith("usage: "));
        check_describes(help.output, c.options);
    }
}

// ---- unknown words ----------------------------------------------------------------------

TEST_CASE("an unknown option or command is named as unknown, with the usage line, exit 2", "[cli]") {
    TempDir dir("storeq-cli");
    struct Case {
        std::vector<std::string> argv;
        std::string sentence;
    };
    const std::vector<Case> cases{
        {{kController, "--foo"}, "storeq-controller: unknown option '--foo'"},
        {{kController, "--broker", "127.0.0.1:1883", "--foo"}, "storeq-controller: unknown option '--foo'"},
        {{kController, "bogus-subcommand"}, "storeq-controller: unknown command 'bogus-subcommand'"},
        {{kController, "report", "--foo"}, "storeq-controller report: unknown option '--foo'"},
        {{kController, "provision", "--foo"}, "storeq-controller provision: unknown option '--foo'"},
        {{kController, "backup", "--foo"}, "storeq-controller backup: unknown option '--foo'"},
        {{kController, "report", "--db"}, "storeq-controller report: --db needs a value"},
        {{kKiosk, "--foo"}, "storeq-kiosk: unknown option '--foo'"},
        {{kKiosk, "--role"}, "storeq-kiosk: --role needs a value"},
    };
    for (const auto& c : cases) {
        const Run refused = run(dir, c.argv, {{"SDL_VIDEODRIVER", "dummy"}});
        INFO(c.argv.back() << ":\n" << refused.output);
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.output, Catch::StartsWith(c.sentence + "\n"));
        CHECK_THAT(refused.output, Catch::Contains("usage: "));
    }
}

// ---- files --------------------------------------------------------------------------

TEST_CASE("a --db that cannot be a storeq database is refused with a sentence naming it, exit 2", "[cli]") {
    TempDir dir("storeq-cli");
    // A SQLite file of something else.
    const std::string other = dir.file("other.db");
    {
        auto db = Database::open(other);
        REQUIRE(db);
        REQUIRE(db->exec("CREATE TABLE songs(title TEXT)"));
    }
    const std::string passwd = dir.file("passwd");
    std::filesystem::copy_file("/etc/passwd", passwd);
    struct Case {
        std::vector<std::string> argv;
        std::string sentence;
    };
    const std::vector<Case> cases{
        {{kController, "--broker", "127.0.0.1:1883", "--store", kStore, "--db", "/nope/x.db"},
         "storeq-controller: --db /nope/x.db: the folder /nope does not exist"},
        // A copy: the controller must never touch the real one.
        {{kController, "--broker", "127.0.0.1:1883", "--store", kStore, "--db", passwd},
         "storeq-controller: " + passwd + " is not a storeq database"},
        {{kController, "report", "--db", "/etc/passwd", "--from", "2026-01-01", "--to", "2026-01-02"},
         "storeq-controller report: /etc/passwd is not a storeq database"},
        {{kController, "report", "--db", other, "--from", "2026-01-01", "--to", "2026-01-02"},
         "storeq-controller report: " + other + " is not a storeq database"},
        {{kController, "report", "--db", "/nope/x.db", "--from", "2026-01-01", "--to", "2026-01-02"},
         "storeq-controller report: --db /nope/x.db: no database file there"},
        {{kController, "backup", "--db", passwd, "--to", dir.file("copy.db")},
         "storeq-controller backup: " + passwd + " is not a storeq database"},
    };
    for (const auto& c : cases) {
        const Run refused = run(dir, c.argv);
        INFO(refused.output);
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.output, Catch::StartsWith(c.sentence));
        CHECK_THAT(refused.output, !Catch::Contains("(code "));
    }
    // Refused, not "moved aside as damaged" with a fresh database in its place.
    CHECK(read_text_file(passwd) == read_text_file("/etc/passwd"));
    CHECK_FALSE(std::filesystem::exists(dir.file("copy.db")));
    CHECK_FALSE(std::filesystem::exists(dir.file("copy.db.partial")));
}

TEST_CASE("a typo in any option leaves no database file behind", "[cli]") {
    TempDir dir("storeq-cli");
    const std::string db_path = dir.file("store.db");
    const std::vector<std::string> base{kController, "--store", kStore, "--db", db_path};
    struct Case {
        std::vector<std::string> extra;
        std::string sentence;
    };
    const std::vector<Case> cases{
        {{"--broker", "127.0.0.1:1883", "--clock", "walll"}, "storeq-controller: --clock: must be wall or sim"},
        {{"--broker", "127.0.0.1:1883", "--config", dir.file("missing.conf")}, "missing.conf"},
        {{"--broker", "127.0.0.1:1883", "--tills", "1-x"}, "--tills"},
        {{"--broker", "127.0.0.1:1883", "--credentials", dir.file("missing.credentials")}, "missing.credentials"},
        {{"--broker", "localhost"}, "storeq-controller: --broker: expected host:port, got 'localhost'"},
        {{"--broker", "localhost:mqtt"}, "storeq-controller: --broker: port must be 1..65535, got 'mqtt'"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv = base;
        argv.insert(argv.end(), c.extra.begin(), c.extra.end());
        const Run refused = run(dir, argv);
        INFO(c.extra.back() << ":\n" << refused.output);
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.output, Catch::Contains(c.sentence));
        CHECK(files_in(dir.path()).count("store.db") == 0);
        CHECK(files_in(dir.path()).count("store.db-intake") == 0);
    }
    const Run kiosk = run(dir, {kKiosk, "--role", "feedback", "--store", kStore, "--id", "exit-1", "--outbox",
                                dir.file("outbox.db"), "--broker", "localhost:x"},
                          {{"SDL_VIDEODRIVER", "dummy"}});
    INFO(kiosk.output);
    CHECK(kiosk.exit_code == 2);
    CHECK_THAT(kiosk.output, Catch::StartsWith("storeq-kiosk: --broker: port must be 1..65535, got 'x'"));
    CHECK_FALSE(std::filesystem::exists(dir.file("outbox.db")));
}

// ---- the broker -----------------------------------------------------------------------

TEST_CASE("a controller started before its broker says so once, connects when it comes, and only then is READY",
          "[cli]") {
    TempDir dir("storeq-cli");
    TestBroker broker;
    broker.stop();  // the port stays the broker's; nothing listens on it now
    NotifySocket notify(dir.file("notify.sock"));
    ChildProcess controller({kController, "--broker", broker.address(), "--store", kStore, "--db", dir.file("s.db")},
                            dir.file("controller.log"), {{"NOTIFY_SOCKET", notify.path()}});
    REQUIRE(wait_until([&] { return controller.log_text().find("retrying") != std::string::npos; }, 15'000));
    INFO(controller.log_text());
    CHECK_THAT(controller.log_text(), Catch::Contains(broker.address()));
    // Several attempts go by (1 s, then 2 s apart) with the broker still away: no READY.
    const auto before = notify.receive(3'000, "READY=1");
    CHECK(std::count(before.begin(), before.end(), "READY=1") == 0);
    CHECK(controller.running());
    broker.start();
    const auto after = notify.receive(20'000, "READY=1");
    CHECK(std::count(after.begin(), after.end(), "READY=1") == 1);
    REQUIRE(wait_until([&] { return controller.log_text().find("connected to broker") != std::string::npos; }, 10'000));
    const std::string log = controller.log_text();
    INFO(log);
    CHECK(count_of(log, "retrying") == 1);
    controller.kill(SIGTERM);
    CHECK(controller.wait_exit(15'000) == 0);
}

TEST_CASE("a broker name that does not resolve (yet) is retried, said once, naming the host", "[cli]") {
    TempDir dir("storeq-cli");
    // .invalid never resolves (RFC 2606): the store box booted before its DNS.
    const std::string host = "storeq-broker.invalid";
    ChildProcess controller({kController, "--broker", host + ":1883", "--store", kStore, "--db", dir.file("s.db")},
                            dir.file("controller.log"));
    ChildProcess kiosk({kKiosk, "--role", "staff", "--broker", host + ":1883", "--store", kStore, "--id", "anna",
                        "--software"},
                       dir.file("kiosk.log"), {{"SDL_VIDEODRIVER", "dummy"}});
    for (ChildProcess* child : {&controller, &kiosk}) {
        REQUIRE(wait_until([&] { return child->log_text().find("retrying") != std::string::npos; }, 15'000));
        // A few more attempts: still running, still said once.
        (void)wait_until([&] { return !child->running(); }, 3'000);
        const std::string log = child->log_text();
        INFO(log);
        CHECK(child->running());
        CHECK(count_of(log, "retrying") == 1);
        CHECK_THAT(log, Catch::Contains(host));
        CHECK_THAT(log, !Catch::Contains("MQTT not started"));
        CHECK_THAT(log, !Catch::Contains("Lookup error"));
    }
    controller.kill(SIGTERM);
    CHECK(controller.wait_exit(15'000) == 0);
}

TEST_CASE("a kiosk started before its broker connects when the broker comes", "[cli]") {
    TempDir dir("storeq-cli");
    TestBroker broker;
    broker.stop();
    ChildProcess kiosk({kKiosk, "--role", "staff", "--broker", broker.address(), "--store", kStore, "--id", "anna",
                        "--software"},
                       dir.file("kiosk.log"), {{"SDL_VIDEODRIVER", "dummy"}});
    REQUIRE(wait_until([&] { return kiosk.log_text().find("retrying") != std::string::npos; }, 15'000));
    CHECK_THAT(kiosk.log_text(), Catch::Contains(broker.address()));
    (void)wait_until([&] { return !kiosk.running(); }, 3'000);  // a few attempts in vain
    broker.start();
    MqttProbe probe(broker.host(), broker.port(), "cli-kiosk-watcher");
    probe.subscribe(status_topic(kStore, "anna"));
    CHECK(probe.wait_for([](const MqttMessage& m) { return m.payload.find("\"online\":true") != std::string::npos; },
                         20'000));
    REQUIRE(wait_until([&] { return kiosk.log_text().find("connected to broker") != std::string::npos; }, 10'000));
    INFO(kiosk.log_text());
    CHECK(count_of(kiosk.log_text(), "retrying") == 1);
}

TEST_CASE("a clean stop of the controller does not say it lost the broker", "[cli]") {
    TempDir dir("storeq-cli");
    TestBroker broker;
    ChildProcess controller({kController, "--broker", broker.address(), "--store", kStore, "--db", dir.file("s.db")},
                            dir.file("controller.log"));
    REQUIRE(wait_until([&] { return controller.log_text().find("receiving:") != std::string::npos; }, 15'000));
    controller.kill(SIGTERM);
    CHECK(controller.wait_exit(15'000) == 0);
    const std::string log = controller.log_text();
    INFO(log);
    REQUIRE(log.find("stopping") != std::string::npos);
    CHECK_THAT(log.substr(log.find("stopping")), !Catch::Contains("lost the broker"));
    CHECK_THAT(log.substr(log.find("stopping")), !Catch::Contains("reconnecting"));
}

TEST_CASE("a controller stopped while its broker goes down with it does not say it lost the broker", "[cli]") {
    TempDir dir("storeq-cli");
    const int port = find_free_port();
    ChildProcess broker({"mosquitto", "-p", std::to_string(port)}, dir.file("broker.log"));
    REQUIRE(wait_until([&] { return port_accepts_connections(port); }, 10'000));
    ChildProcess controller({kController, "--broker", "127.0.0.1:" + std::to_string(port), "--store", kStore, "--db",
                             dir.file("s.db")},
                            dir.file("controller.log"));
    REQUIRE(wait_until([&] { return controller.log_text().find("receiving:") != std::string::npos; }, 15'000));
    // Ctrl-C in a terminal reaches the broker too. Frozen, the broker acknowledges nothing,
    // so the controller is still waiting for its last words to be acknowledged when the
    // broker dies under it.
    broker.kill(SIGSTOP);
    controller.kill(SIGTERM);
    REQUIRE(wait_until([&] { return controller.log_text().find("stopping") != std::string::npos; }, 10'000));
    broker.kill(SIGKILL);
    CHECK(controller.wait_exit(15'000) == 0);
    const std::string log = controller.log_text();
    INFO(log);
    const std::string after = log.substr(log.find("stopping"));
    CHECK_THAT(after, !Catch::Contains("lost"));
    CHECK_THAT(after, !Catch::Contains("reconnecting"));
    CHECK_THAT(after, !Catch::Contains("retrying"));
}

// ---- report only reads ------------------------------------------------------------------

TEST_CASE("report reads a controller's database as a manager's account and writes nothing beside it", "[cli]") {
    if (!can_drop_privileges()) skip_test("running as root without setpriv(1): cannot run the report as nobody");
    TestBroker broker;
    TempDir dir("storeq-cli-report");
    const std::string db_path = dir.file("storeq.db");
    make_controller_database(broker, dir, db_path);
    // The controller's folder and files: the reader may look, not write.
    REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
    const std::vector<std::string> report{kController, "report", "--db", db_path, "--from", "2020-01-01", "--to",
                                          "2040-12-31", "--by", "day", "--format", "csv"};
    TempDir logs("storeq-cli-logs");

    SECTION("the controller stopped (no -wal, no -shm)") {
        const auto before = files_in(dir.path());
        const Run read = run(logs, as_nobody(report));
        INFO(read.output);
        CHECK(read.exit_code == 0);
        CHECK_THAT(read.output, Catch::StartsWith("period,lane,"));
        CHECK(files_in(dir.path()) == before);
    }
    SECTION("the controller running (its -wal and -shm are its own)") {
        ChildProcess controller({kController, "--broker", broker.address(), "--store", kStore, "--db", db_path},
                                dir.file("running.log"));
        REQUIRE(wait_until([&] { return controller.log_text().find("receiving:") != std::string::npos; }, 15'000));
        REQUIRE(std::filesystem::exists(db_path + "-wal"));
        REQUIRE(std::filesystem::exists(db_path + "-shm"));
        const auto before = files_in(dir.path());
        const Run read = run(logs, as_nobody(report));
        INFO(read.output);
        CHECK(read.exit_code == 0);
        CHECK_THAT(read.output, Catch::StartsWith("period,lane,"));
        CHECK(files_in(dir.path()) == before);
        controller.kill(SIGTERM);
        CHECK(controller.wait_exit(15'000) == 0);
    }
    SECTION("root's report on a stopped controller's database leaves no -wal or -shm of root's") {
        const auto before = files_in(dir.path());
        const Run read = run(logs, report);
        INFO(read.output);
        CHECK(read.exit_code == 0);
        CHECK(files_in(dir.path()) == before);
    }
}
