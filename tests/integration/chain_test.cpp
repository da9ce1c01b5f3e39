// A chain of three stores with everything real (docs/chain.md): each store's mosquitto
// bridged to a central mosquitto through a link the test can cut, the stores' real
// controllers and simulators, the real storeq-hq on a private PostgreSQL 15. One store's
// link is cut for 10 minutes of store time, storeq-hq is SIGKILLed twice and PostgreSQL is
// restarted once; then every feedback of every store is in PostgreSQL exactly once, every
// closed hour of every store's rollup is there, and head office's row for each store and
// the day equals the store's own report row. The accounts and the bridge come from
// `storeq-controller provision --hq`, and the central broker enforces their ACL.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "child_process.hpp"
#include "database_probe.hpp"
#include "mqtt_probe.hpp"
#include "postgres_fixture.hpp"
#include "skip_test.hpp"
#include "storeq/chain/outbound.hpp"
#include "storeq/codec.hpp"
#include "storeq/topics.hpp"
#include "tcp_relay.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";
const std::string kSim = STOREQ_BINARY_DIR "/bin/storeq-sim";
const std::string kHq = STOREQ_BINARY_DIR "/bin/storeq-hq";
constexpr const char* kZone = "Europe/Amsterdam";
constexpr TimeMs kHour = 3'600'000;

void write_file(const std::string& path, const std::string& text) {
    std::ofstream file(path);
    file << text;
    REQUIRE(file);
}

int run(const std::vector<std::string>& argv, const std::string& log) {
    ChildProcess p(argv, log);
    auto code = p.wait_exit(60'000);
    INFO(argv[0] << " log:\n" << p.log_text());
    REQUIRE(code);
    return *code;
}

std::vector<std::string> sqlite_column(const std::string& db_path, const std::string& sql) {
    std::vector<std::string> out;
    auto db = Database::open(db_path);
    REQUIRE(db);
    auto stmt = db->prepare(sql);
    REQUIRE(stmt);
    while (true) {
        auto row = stmt->step();
        REQUIRE(row);
        if (!*row) break;
        out.push_back(stmt->column_text(0));
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

std::vector<std::string> csv_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    return cells;
}

// A CSV report as rows of column -> cell.
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
    const auto lines = lines_of(text);
    REQUIRE_FALSE(lines.empty());
    const auto header = csv_cells(lines[0]);
    std::vector<std::map<std::string, std::string>> rows;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto cells = csv_cells(lines[i]);
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = c < cells.size() ? cells[c] : "";
        rows.push_back(row);
    }
    return rows;
}

struct Store {
    std::string id;
    TempDir dir{"storeq-chain-store"};
    std::string db() const { return dir.file("storeq.db"); }
    std::string conf() const { return dir.file("store.conf"); }
    std::unique_ptr<TcpRelay> link;  // the store's line to head office
    std::unique_ptr<TestBroker> broker;
    std::unique_ptr<ChildProcess> controller;
    std::unique_ptr<ChildProcess> sim;
};

}  // namespace

TEST_CASE("three stores bridged to head office: one cut off, storeq-hq killed twice, PostgreSQL restarted: every feedback once, every closed hour, the stores' own figures") {
    if (!PostgresFixture::available()) skip_test("PostgreSQL 15 is not installed (scripts/deps installs postgresql-15)");
    TempDir hq_dir{"storeq-chain-hq"};
    PostgresFixture pg;

    // --- accounts: each store's provisioned with its bridge, head office's own ----------
    std::vector<std::unique_ptr<Store>> stores;
    for (const char* id : {"s001", "s002", "s003"}) {
        auto s = std::make_unique<Store>();
        s->id = id;
        stores.push_back(std::move(s));
    }
    // The links are made first (provision writes their ports into the bridges, and the
    // central broker's ACL comes from provision); they learn the central port once it is up.
    std::string central_acl = "user hq\ntopic read " + std::string(chain::kOutboundFilter) +
                              "\ntopic write storeq/v1/+/hq/ack\ntopic write storeq/chain/v1/#\n";
    std::string central_passwords;
    write_file(hq_dir.file("hq.passwords"), "hq:hq-secret\n");
    REQUIRE(run({"mosquitto_passwd", "-U", hq_dir.file("hq.passwords")}, hq_dir.file("passwd.log")) == 0);
    central_passwords += read_text_file(hq_dir.file("hq.passwords"));
    for (auto& s : stores) {
        s->link = std::make_unique<TcpRelay>(0);
        write_file(s->conf(), "tills = 1-4\nhead_office = on\nhead_office_resend = 1s\ntime_zone = " + std::string(kZone) + "\n");
        REQUIRE(run({kController, "provision", "--config", s->conf(), "--store", s->id, "--out", s->dir.file("accounts"),
                     "--hq", "127.0.0.1:" + std::to_string(s->link->port())},
                    s->dir.file("provision.log")) == 0);
        central_acl += read_text_file(s->dir.file("accounts/hq/central-acl"));
        central_passwords += read_text_file(s->dir.file("accounts/hq/central-password"));
    }
    write_file(hq_dir.file("central.acl"), central_acl);
    write_file(hq_dir.file("central.passwords"), central_passwords);
    TestBrokerOptions central_options;
    central_options.persistence = true;
    central_options.config = [&](int port) {
        return "listener " + std::to_string(port) + " 127.0.0.1\nallow_anonymous false\npassword_file " +
               hq_dir.file("central.passwords") + "\nacl_file " + hq_dir.file("central.acl") +
               "\nmax_queued_messages 0\nmax_packet_size 262144\nlog_dest stderr\nlog_type error\nlog_type warning\n";
    };
    TestBroker central(central_options);
    for (auto& s : stores) s->link->set_upstream_port(central.port());

    // --- each store: its broker with the provisioned bridge, its controller -------------
    const std::string local = read_text_file(STOREQ_SOURCE_DIR "/assets/mosquitto/storeq-local.conf");
    for (auto& s : stores) {
        TestBrokerOptions o;
        o.persistence = true;
        const std::string bridge = read_text_file(s->dir.file("accounts/hq/bridge.conf"));
        o.config = [local, bridge](int port) {
            return local + "\nlistener " + std::to_string(port) + " 127.0.0.1\n" + bridge;
        };
        s->broker = std::make_unique<TestBroker>(o);
        s->controller = std::make_unique<ChildProcess>(
            std::vector<std::string>{kController, "--broker", s->broker->address(), "--store", s->id, "--db", s->db(),
                                     "--config", s->conf(), "--clock", "sim"},
            s->dir.file("controller.log"));
    }

    // --- head office ---------------------------------------------------------------------
    write_file(hq_dir.file("chain.tree"),
               "region north = s001, s002\nregion south = s003\nzone default = " + std::string(kZone) + "\n");
    write_file(hq_dir.file("hq.credentials"), "username = hq\npassword = hq-secret\n");
    const std::vector<std::string> hq_argv{kHq, "run", "--broker", central.address(), "--pg", pg.conninfo(), "--tree",
                                           hq_dir.file("chain.tree"), "--credentials", hq_dir.file("hq.credentials")};
    int hq_runs = 0;
    std::unique_ptr<ChildProcess> hq;
    auto start_hq = [&] {
        hq = std::make_unique<ChildProcess>(hq_argv, hq_dir.file("hq-" + std::to_string(++hq_runs) + ".log"));
        REQUIRE(wait_until([&] { return hq->log_text().find("storeq-hq: ready") != std::string::npos; }, 15'000));
    };
    start_hq();

    // --- the store day: 07:00-09:00 at 360x, 20 s -----------------------------------------
    MqttProbe s001_clock(stores[0]->broker->host(), stores[0]->broker->port(), "clock-watcher");
    s001_clock.subscribe(clock_topic("s001"));
    REQUIRE(s001_clock.wait_connected(5000));
    for (auto& s : stores)
        REQUIRE(wait_until([&] { return s->controller->log_text().find("connected to broker") != std::string::npos; }, 10'000));
    std::uint64_t seed = 21;
    for (auto& s : stores)
        s->sim = std::make_unique<ChildProcess>(
            std::vector<std::string>{kSim, "--broker", s->broker->address(), "--store", s->id, "--speed", "360",
                                     "--hours", "07:00-09:00", "--duration", "20", "--seed",
                                     std::to_string(seed++)},
            s->dir.file("sim.log"), std::map<std::string, std::string>{{"TZ", kZone}});

    auto sleep_s = [](double s) { std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000))); };
    // s002 cut off from head office for 10 minutes of store time (600 s / 360).
    sleep_s(3);
    Store& cut = *stores[1];
    cut.link->cut();
    sleep_s(600.0 / 360);
    const std::int64_t held_while_cut = query_number(cut.db(), "SELECT count(*) FROM outbound");
    cut.link->restore();
    // storeq-hq killed twice, as a power cut would, and started again.
    sleep_s(2);
    hq->kill(SIGKILL);
    (void)hq->wait_exit(5000);
    start_hq();
    sleep_s(3);
    hq->kill(SIGKILL);
    (void)hq->wait_exit(5000);
    start_hq();
    // PostgreSQL restarted under a running storeq-hq.
    sleep_s(3);
    pg.restart();
    for (auto& s : stores) {
        auto code = s->sim->wait_exit(60'000);
        INFO(s->id << " sim log:\n" << s->sim->log_text());
        REQUIRE(code == 0);
    }
    CHECK(held_while_cut > 0);  // the cut held entries back in the store

    // --- the day ends: each store's clock moves past midnight, so every hour closes -------
    auto first_tick = s001_clock.wait_for([](const MqttMessage& m) { return !m.payload.empty(); }, 1000);
    REQUIRE(first_tick);
    const TimeMs opened = nlohmann::json::parse(first_tick->payload).at("ts").get<TimeMs>();
    const TimeMs after_midnight = opened + 17 * kHour + 5 * 60'000;  // 07:00 + 17 h + 5 min: 00:05 the next day
    for (auto& s : stores) {
        MqttProbe tick(s->broker->host(), s->broker->port(), "day-end");
        REQUIRE(tick.wait_connected(5000));
        REQUIRE(tick.publish(clock_topic(s->id), encode(ClockTick{after_midnight}), 1, false));
    }
    // Everything acknowledged by head office: nothing left in any store's outbound log,
    // and the ack covers every entry the store wrote.
    for (auto& s : stores) {
        INFO(s->id << " controller log:\n" << read_text_file(s->dir.file("controller.log")).substr(0, 20'000));
        REQUIRE(wait_until(
            [&] {
                return query_number(s->db(), "SELECT count(*) FROM outbound") == 0 &&
                       query_number(s->db(), "SELECT seq FROM sqlite_sequence WHERE name = 'outbound'") ==
                           query_number(s->db(), "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'outbound_acked'") &&
                       query_number(s->db(), "SELECT swept_to FROM rollup_cursor") >= after_midnight - 60'000;
            },
            60'000));
    }
    // Stopped, so the comparison reads still files.
    hq->kill(SIGTERM);
    CHECK(hq->wait_exit(10'000) == 0);
    for (auto& s : stores) {
        s->controller->kill(SIGTERM);
        CHECK(s->controller->wait_exit(10'000) == 0);
    }

    // --- every feedback of every store exactly once ---------------------------------------
    for (auto& s : stores) {
        INFO("store " << s->id);
        const auto stored = sqlite_column(s->db(), "SELECT id FROM feedback ORDER BY id");
        CHECK(stored.size() > 100);
        const auto at_hq = lines_of(pg.psql("SELECT id FROM feedback WHERE store = '" + s->id + "' ORDER BY id"));
        CHECK(at_hq == stored);
        CHECK(pg.psql("SELECT count(*) - count(DISTINCT id) FROM feedback WHERE store = '" + s->id + "'") == "0");
    }
    // --- every closed hour of every store's rollup ----------------------------------------
    for (auto& s : stores) {
        INFO("store " << s->id);
        const auto closed = sqlite_column(
            s->db(),
            "SELECT hour FROM (SELECT hour FROM lane_hourly UNION SELECT hour FROM feedback_hourly) "
            "WHERE hour + 3600000 <= (SELECT swept_to FROM rollup_cursor) ORDER BY hour");
        CHECK(closed.size() >= 2);
        const auto at_hq = lines_of(pg.psql(
            "SELECT hour FROM (SELECT hour FROM lane_hourly WHERE store = '" + s->id +
            "' UNION SELECT hour FROM feedback_hourly WHERE store = '" + s->id + "') h ORDER BY hour"));
        CHECK(at_hq == closed);
    }
    // --- head office's row for each store and the day = the store's own report row --------
    std::string day;
    {
        // The day the simulators ran, in the stores' zone: the date of their first answer.
        const TimeMs first = query_number(stores[0]->db(), "SELECT min(ts) FROM feedback");
        REQUIRE(first > 0);
        ChildProcess date({"/bin/date", "-d", "@" + std::to_string(first / 1000), "+%F"}, hq_dir.file("date.log"),
                          {{"TZ", kZone}});
        REQUIRE(date.wait_exit(5000) == 0);
        day = lines_of(date.log_text()).at(0);
    }
    ChildProcess hq_report({kHq, "report", "--pg", pg.conninfo(), "--tree", hq_dir.file("chain.tree"), "--by", "store",
                            "--from", day, "--to", day, "--format", "csv"},
                           hq_dir.file("hq-report.csv"));
    REQUIRE(hq_report.wait_exit(30'000) == 0);
    const auto hq_rows = csv_rows(hq_report.log_text());
    INFO("head office's report:\n" << hq_report.log_text());
    REQUIRE(hq_rows.size() == 3);
    for (auto& s : stores) {
        ChildProcess store_report({kController, "report", "--db", s->db(), "--config", s->conf(), "--from", day, "--to",
                                   day, "--by", "day", "--format", "csv"},
                                  s->dir.file("report.csv"));
        REQUIRE(store_report.wait_exit(30'000) == 0);
        INFO("store " << s->id << "'s report:\n" << store_report.log_text());
        std::map<std::string, std::string> own;
        for (const auto& row : csv_rows(store_report.log_text()))
            if (row.at("lane") == "all") own = row;
        REQUIRE_FALSE(own.empty());
        const std::map<std::string, std::string>* theirs = nullptr;
        for (const auto& row : hq_rows)
            if (row.at("store") == s->id) theirs = &row;
        REQUIRE(theirs);
        for (const auto& [column, cell] : own) {
            if (column == "lane") continue;
            INFO("column " << column);
            REQUIRE(theirs->count(column) == 1);
            CHECK(theirs->at(column) == cell);
        }
        CHECK(std::stoll(own.at("responses")) > 100);
    }
}

TEST_CASE("at the central broker a store's bridge account may write only its own outbound topic and read only its own ack") {
    TempDir dir{"storeq-chain-acl"};
    for (const char* id : {"s001", "s002"}) {
        write_file(dir.file(std::string(id) + ".conf"), "tills = 1-2\nhead_office = on\n");
        REQUIRE(run({kController, "provision", "--config", dir.file(std::string(id) + ".conf"), "--store", id, "--out",
                     dir.file(id), "--hq", "127.0.0.1:8883"},
                    dir.file("provision.log")) == 0);
    }
    write_file(dir.file("hq.passwords"), "hq:hq-secret\n");
    REQUIRE(run({"mosquitto_passwd", "-U", dir.file("hq.passwords")}, dir.file("passwd.log")) == 0);
    write_file(dir.file("central.passwords"), read_text_file(dir.file("hq.passwords")) +
                                                  read_text_file(dir.file("s001/hq/central-password")) +
                                                  read_text_file(dir.file("s002/hq/central-password")));
    write_file(dir.file("central.acl"), "user hq\ntopic read storeq/v1/+/hq/outbound\ntopic write storeq/v1/+/hq/ack\n" +
                                            read_text_file(dir.file("s001/hq/central-acl")) +
                                            read_text_file(dir.file("s002/hq/central-acl")));
    TestBrokerOptions o;
    o.config = [&](int port) {
        return "listener " + std::to_string(port) + " 127.0.0.1\nallow_anonymous false\npassword_file " +
               dir.file("central.passwords") + "\nacl_file " + dir.file("central.acl") + "\n";
    };
    TestBroker central(o);
    auto password_of = [&](const std::string& id) {
        const std::string text = read_text_file(dir.file(id + "/hq/bridge.credentials"));
        const auto at = text.find("password = ");
        REQUIRE(at != std::string::npos);
        return text.substr(at + 11, text.find('\n', at) - at - 11);
    };
    MqttProbe head_office(central.host(), central.port(), "hq", "hq", "hq-secret");
    head_office.subscribe(std::string(chain::kOutboundFilter));
    REQUIRE(head_office.wait_connected(5000));
    MqttProbe s001(central.host(), central.port(), "s001", "s001", password_of("s001"));
    s001.subscribe(chain::ack_topic("s001"));
    s001.subscribe(chain::ack_topic("s002"));
    REQUIRE(s001.wait_connected(5000));
    REQUIRE(s001.publish(chain::outbound_topic("s002"), "forged", 1, false));
    REQUIRE(s001.publish(chain::outbound_topic("s001"), "own", 1, false));
    REQUIRE(head_office.wait_for_topic(chain::outbound_topic("s001"), 5000));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (const auto& m : head_office.messages()) CHECK(m.topic != chain::outbound_topic("s002"));
    // Acks: its own reaches it, another store's does not.
    REQUIRE(head_office.publish(chain::ack_topic("s002"), chain::encode(chain::Ack{7}), 1, true));
    REQUIRE(head_office.publish(chain::ack_topic("s001"), chain::encode(chain::Ack{9}), 1, true));
    REQUIRE(s001.wait_for_topic(chain::ack_topic("s001"), 5000));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (const auto& m : s001.messages()) CHECK(m.topic != chain::ack_topic("s002"));
}
