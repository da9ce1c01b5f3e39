// The production broker settings (systemd/mosquitto-storeq.conf) with the accounts and ACL
// that `storeq-controller provision` makes, on a real mosquitto, against the real
// controller: who may publish what, and what happens to a publish the ACL refuses.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "database_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/mqtt_credentials.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
constexpr const char* kStore = "s1";
const std::string kController = STOREQ_BINARY_DIR "/bin/storeq-controller";

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Runs a program to its end; its exit code (128 + signal when killed).
int run_program(const std::vector<std::string>& argv, const std::string& log_path) {
    ChildProcess program(argv, log_path);
    auto code = program.wait_exit(60'000);
    if (!code) program.kill(SIGKILL);
    return code.value_or(-1);
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream file(path);
    file << text;
    REQUIRE(file);
}

std::string password_of(const std::string& credentials_path) {
    std::istringstream text(read_text_file(credentials_path));
    std::string line;
    while (std::getline(text, line))
        if (line.rfind("password = ", 0) == 0) return line.substr(11);
    return {};
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The shipped production settings, whole, with only what belongs to one machine changed:
// the ports (free loopback ones) and where /etc/mosquitto/storeq/ is.
std::string production_config(int port, int tls_port, const std::string& etc_storeq) {
    std::string text = read_text_file(STOREQ_SOURCE_DIR "/systemd/mosquitto-storeq.conf");
    REQUIRE_THAT(text, Catch::Contains("listener 1883 127.0.0.1\n") && Catch::Contains("listener 8883\n"));
    text = replace_all(text, "listener 1883 127.0.0.1\n", "listener " + std::to_string(port) + " 127.0.0.1\n");
    text = replace_all(text, "listener 8883\n", "listener " + std::to_string(tls_port) + " 127.0.0.1\n");
    return replace_all(text, "/etc/mosquitto/storeq/", etc_storeq + "/");
}

// An authenticated client that records what it receives.
class Device {
public:
    Device(int port, const std::string& username, const std::string& password, const std::string& subscription = "",
           const std::string& client_id = "")
        : client_(options(port, username, password, client_id.empty() ? username : client_id)) {
        client_.on_message([this](const MqttMessage& m) {
            std::lock_guard lock(mutex_);
            received_.push_back(m);
        });
        if (!subscription.empty()) client_.subscribe(subscription, 1);
        REQUIRE(client_.start());
    }

    bool wait_connected() { return wait_until([&] { return client_.connected(); }, 10'000); }
    void subscribe(const std::string& pattern) { client_.subscribe(pattern, 1); }
    void publish(const std::string& topic, const std::string& payload, bool retain = false) {
        REQUIRE(client_.publish(topic, payload, 1, retain));
    }
    bool received(const std::string& topic) {
        std::lock_guard lock(mutex_);
        for (const auto& m : received_)
            if (m.topic == topic) return true;
        return false;
    }
    std::vector<std::string> topics() {
        std::lock_guard lock(mutex_);
        std::vector<std::string> out;
        for (const auto& m : received_) out.push_back(m.topic);
        return out;
    }

private:
    static MqttOptions options(int port, const std::string& username, const std::string& password,
                               const std::string& client_id) {
        MqttOptions o;
        o.port = port;
        o.client_id = client_id;
        o.username = username;
        o.password = password;
        o.reconnect_min_s = 1;
        o.reconnect_max_s = 1;
        return o;
    }
    std::mutex mutex_;
    std::vector<MqttMessage> received_;
    MqttClient client_;
};

// A store provisioned from its configuration, its broker with the production settings,
// a TLS listener with a certificate from a fresh CA, and the controller logged in.
struct SecureStore {
    TempDir dir{"storeq-security"};
    std::string etc_storeq = dir.file("etc-storeq");  // as /etc/mosquitto/storeq/ in production
    std::string accounts = etc_storeq;
    std::string tls = etc_storeq + "/tls";
    int tls_port = find_free_port();
    std::unique_ptr<TestBroker> broker;
    std::string db_path = dir.file("storeq.db");
    std::unique_ptr<ChildProcess> controller;

    // `more_config`: further lines of the store's configuration, which the controller then
    // reads too (--config).
    explicit SecureStore(const std::string& more_config = "") {
        write_text(dir.file("store.conf"), "tills = 1-2\nkiosks = 2\nhandhelds = 1\n" + more_config);
        REQUIRE(run_program({kController, "provision", "--config", dir.file("store.conf"), "--store", kStore, "--out",
                             accounts},
                            dir.file("provision.log")) == 0);
        // The test's own all-seeing account, to show what reaches the broker's subscribers.
        REQUIRE(run_program({"mosquitto_passwd", "-b", accounts + "/passwords", "watcher", "watcher-secret"},
                            dir.file("passwd.log")) == 0);
        std::ofstream(accounts + "/acl", std::ios::app) << "\nuser watcher\ntopic read #\n";
        REQUIRE(run_program({STOREQ_SOURCE_DIR "/systemd/storeq-make-tls", tls, "127.0.0.1"}, dir.file("tls.log")) == 0);

        TestBrokerOptions options;
        options.config = [this](int port) { return production_config(port, tls_port, etc_storeq); };
        broker = std::make_unique<TestBroker>(options);
        controller = std::make_unique<ChildProcess>(
            more_config.empty()
                ? std::vector<std::string>{kController, "--broker", broker->address(), "--store", kStore, "--db",
                                           db_path, "--tills", "1-2", "--credentials", credentials("controller")}
                : std::vector<std::string>{kController, "--broker", broker->address(), "--store", kStore, "--db",
                                           db_path, "--tills", "1-2", "--credentials", credentials("controller"),
                                           "--config", dir.file("store.conf")},
            dir.file("controller.log"));
    }

    std::string credentials(const std::string& device) const { return accounts + "/devices/" + device + ".credentials"; }
    std::string password(const std::string& device) const { return password_of(credentials(device)); }

    std::int64_t count_rows(const std::string& sql) { return query_number(db_path, sql); }
};

std::string valid_feedback(std::mt19937_64& rng) {
    Feedback feedback;
    feedback.id = make_uuid_v7(now_ms(), rng);
    feedback.ts = now_ms();
    feedback.scale = Scale::smiley4;
    feedback.score = 2;
    return encode(feedback);
}
}  // namespace

TEST_CASE("provision makes one account per device, private credential files, hashed passwords and the ACL",
          "[security]") {
    TempDir dir{"storeq-provision"};
    write_text(dir.file("store.conf"), "tills = 1-3\nkiosks = 2\nhandhelds = 1\n");
    const std::string out = dir.file("accounts");
    REQUIRE(run_program({kController, "provision", "--config", dir.file("store.conf"), "--store", kStore, "--out", out},
                        dir.file("p1.log")) == 0);
    CHECK_THAT(read_text_file(dir.file("p1.log")), Catch::Contains("12 accounts for store s1") && Catch::Contains("12 new"));

    const std::string passwords = read_text_file(out + "/passwords");
    for (const char* device :
         {"controller", "manager", "exit-1", "exit-2", "lane-1", "lane-3", "sensor-2", "handheld-1", "door-1"}) {
        CHECK_THAT(passwords, Catch::Contains(std::string(device) + ":$7$"));  // PBKDF2-SHA512, never plain text
        const std::string file = out + "/devices/" + device + ".credentials";
        struct stat info {};
        REQUIRE(::stat(file.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0600);
        CHECK(password_of(file).size() == 24);
    }
    CHECK(password_of(out + "/devices/exit-1.credentials") != password_of(out + "/devices/exit-2.credentials"));

    const std::string acl = read_text_file(out + "/acl");
    CHECK_THAT(acl, Catch::Contains("user controller\ntopic readwrite storeq/v1/s1/#\n"));
    CHECK_THAT(acl, Catch::Contains("user exit-1\ntopic readwrite storeq/v1/s1/device/exit-1/status\n"
                                    "topic write storeq/v1/s1/kiosk/exit-1/feedback\n"));
    CHECK_THAT(acl, Catch::Contains("topic readwrite storeq/v1/s1/lane/3/state\n"));
    CHECK_THAT(acl, Catch::Contains("user handheld-1\n"));
    // The entrance sensor (doors = 1 by default) counts its own door and nothing else.
    CHECK_THAT(acl, Catch::Contains("user door-1\ntopic readwrite storeq/v1/s1/device/door-1/status\n"
                                    "topic write storeq/v1/s1/door/1/count\n"));
    CHECK_THAT(acl, !Catch::Contains("door/+") && !Catch::Contains("door/#"));
    CHECK_THAT(acl, !Catch::Contains("topic write storeq/v1/s1/prompts/+\n"));  // only the controller raises prompts
    // Alerts: managers and handhelds answer as themselves; no other device may.
    CHECK_THAT(acl, Catch::Contains("topic write storeq/v1/s1/alerts/+/answer/manager\n"));
    CHECK_THAT(acl, Catch::Contains("topic write storeq/v1/s1/alerts/+/answer/handheld-1\n"));
    CHECK_THAT(acl, !Catch::Contains("answer/exit-") && !Catch::Contains("answer/lane-") && !Catch::Contains("answer/+\n"));

    // Run again with one more kiosk: the devices already set up keep their passwords.
    const std::string before = password_of(out + "/devices/exit-1.credentials");
    write_text(dir.file("store.conf"), "tills = 1-3\nkiosks = 3\nhandhelds = 1\n");
    REQUIRE(run_program({kController, "provision", "--config", dir.file("store.conf"), "--store", kStore, "--out", out},
                        dir.file("p2.log")) == 0);
    CHECK_THAT(read_text_file(dir.file("p2.log")), Catch::Contains("1 new, 12 kept"));
    CHECK(password_of(out + "/devices/exit-1.credentials") == before);
    CHECK_THAT(read_text_file(out + "/passwords"), Catch::Contains("exit-3:$7$"));

    // A configuration the controller would refuse is refused here too.
    write_text(dir.file("bad.conf"), "tills = 1-3\nkiosks = many\n");
    CHECK(run_program({kController, "provision", "--config", dir.file("bad.conf"), "--store", kStore, "--out", out},
                      dir.file("p3.log")) == 2);
    CHECK_THAT(read_text_file(dir.file("p3.log")), Catch::Contains("kiosks (line 2): must be a whole number"));
}

TEST_CASE("provision makes a read-only dashboard account per manager screen (managers = N)", "[security]") {
    // One open session per account (use_username_as_clientid): a phone and a laptop
    // showing the dashboard at once need an account each.
    TempDir dir{"storeq-provision-managers"};
    write_text(dir.file("store.conf"), "tills = 1-2\nkiosks = 1\nhandhelds = 1\nmanagers = 3\n");
    const std::string out = dir.file("accounts");
    REQUIRE(run_program({kController, "provision", "--config", dir.file("store.conf"), "--store", kStore, "--out", out},
                        dir.file("p1.log")) == 0);
    const std::string passwords = read_text_file(out + "/passwords");
    const std::string acl = read_text_file(out + "/acl");
    for (const char* account : {"manager", "manager-2", "manager-3"}) {
        CHECK_THAT(passwords, Catch::Contains(std::string(account) + ":$7$"));
        CHECK(password_of(out + "/devices/" + account + ".credentials").size() == 24);
        CHECK_THAT(acl, Catch::Contains("user " + std::string(account) + "\ntopic readwrite storeq/v1/s1/device/" + account +
                                        "/status\ntopic read storeq/v1/s1/#\n"));
    }
    CHECK_THAT(passwords, !Catch::Contains("manager-4:"));
    CHECK(password_of(out + "/devices/manager-2.credentials") != password_of(out + "/devices/manager-3.credentials"));

    write_text(dir.file("bad.conf"), "tills = 1-2\nmanagers = 0\n");
    CHECK(run_program({kController, "provision", "--config", dir.file("bad.conf"), "--store", kStore, "--out", out},
                      dir.file("p2.log")) == 2);
    CHECK_THAT(read_text_file(dir.file("p2.log")), Catch::Contains("managers (line 2): out of range 1..99"));
}

TEST_CASE("the production broker refuses anonymous clients and wrong passwords, and serves TLS", "[security]") {
    SecureStore store;
    const std::string port = std::to_string(store.broker->port());
    const std::string tls_port = std::to_string(store.tls_port);
    const std::string feedback_topic_1 = feedback_topic(kStore, "exit-1");
    std::mt19937_64 rng(11);
    // mosquitto_pub exits non-zero when the broker refuses the connection.
    CHECK(run_program({"mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", feedback_topic_1, "-m",
                       valid_feedback(rng)},
                      store.dir.file("anon.log")) != 0);
    CHECK_THAT(read_text_file(store.dir.file("anon.log")), Catch::Contains("not authorised"));
    CHECK(run_program({"mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-u", "exit-1", "-P", "guess", "-t",
                       feedback_topic_1, "-m", valid_feedback(rng)},
                      store.dir.file("wrong.log")) != 0);
    // Plain MQTT to the TLS port is no MQTT at all.
    CHECK(run_program({"mosquitto_pub", "-h", "127.0.0.1", "-p", tls_port, "-q", "1", "-u", "exit-1", "-P",
                       store.password("exit-1"), "-t", feedback_topic_1, "-m", valid_feedback(rng)},
                      store.dir.file("plain-on-tls.log")) != 0);
    // Over TLS, trusting only the store's CA, the kiosk's feedback reaches the controller.
    CHECK(run_program({"mosquitto_pub", "-h", "127.0.0.1", "-p", tls_port, "--cafile", store.tls + "/ca.crt", "-q", "1",
                       "-u", "exit-1", "-P", store.password("exit-1"), "-t", feedback_topic_1, "-m", valid_feedback(rng)},
                      store.dir.file("tls.log")) == 0);
    CHECK(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback WHERE kiosk = 'exit-1'") == 1; },
                     15'000));
}

TEST_CASE("the ACL drops a kiosk's prompt, a device's publish into another store and impersonation", "[security]") {
    SecureStore store;
    Device watcher(store.broker->port(), "watcher", "watcher-secret", "#");
    REQUIRE(watcher.wait_connected());
    Device kiosk(store.broker->port(), "exit-1", store.password("exit-1"));
    REQUIRE(kiosk.wait_connected());
    Device lane(store.broker->port(), "lane-1", store.password("lane-1"));
    REQUIRE(lane.wait_connected());
    Device handheld(store.broker->port(), "handheld-1", store.password("handheld-1"));
    REQUIRE(handheld.wait_connected());
    // Online: the controller logged in with its credentials file and published its status.
    REQUIRE(wait_until([&] { return watcher.received(status_topic(kStore, "controller")); }, 15'000));

    std::mt19937_64 rng(12);
    Prompt fake;
    fake.id = make_uuid_v7(now_ms(), rng);
    fake.action = PromptAction::open_till;
    fake.till = 2;
    fake.raised = fake.updated = now_ms();
    fake.message["en"] = "Open till 2";
    const std::string fake_prompt = prompt_topic(kStore, fake.id);
    const std::string other_store = feedback_topic("s2", "exit-1");
    const std::string as_exit_2 = feedback_topic(kStore, "exit-2");
    // Unauthorised publishes: MQTT 3.1.1 has no way to say no, so the broker acknowledges
    // and drops them. What counts is that nobody ever receives them.
    kiosk.publish(fake_prompt, encode(fake), true);          // a kiosk raising a prompt
    kiosk.publish(other_store, valid_feedback(rng));         // a device writing into another store
    kiosk.publish(as_exit_2, valid_feedback(rng));           // a kiosk posing as another kiosk
    kiosk.publish(lane_state_topic(kStore, 1), encode(LaneState{true, now_ms(), std::nullopt}), true);
    lane.publish(lane_state_topic(kStore, 2), encode(LaneState{true, now_ms(), std::nullopt}), true);  // not its lane
    handheld.publish(queue_topic(kStore, 1), encode(QueueCount{5, now_ms(), CountSource::manual, std::nullopt}), true);
    // A handheld claiming in the name of another account (a manager's): its topic is the
    // other account's, which its ACL does not give it.
    const std::string claim_as_other = claim_topic(kStore, fake.id, "handheld-2");
    handheld.publish(claim_as_other, encode(Claim{"handheld-2", now_ms(), std::nullopt}), false);
    // Then what each may do, on the same connections: QoS 1 keeps the order, so once
    // these arrived the refused ones would have too.
    kiosk.publish(feedback_topic(kStore, "exit-1"), valid_feedback(rng));
    lane.publish(lane_state_topic(kStore, 1), encode(LaneState{false, now_ms(), std::nullopt}), true);
    handheld.publish(status_topic(kStore, "handheld-1"), "{}", false);

    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback") == 1; }, 15'000));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM lane_states") == 1; }, 15'000));
    REQUIRE(wait_until([&] { return watcher.received(status_topic(kStore, "handheld-1")); }, 15'000));
    for (const auto& refused :
         {fake_prompt, other_store, as_exit_2, lane_state_topic(kStore, 2), queue_topic(kStore, 1), claim_as_other}) {
        INFO(refused);
        CHECK_FALSE(watcher.received(refused));
    }
    // The controller stored only what was allowed: the kiosk's own feedback, lane 1 closed.
    CHECK(store.count_rows("SELECT count(*) FROM feedback WHERE kiosk = 'exit-1'") == 1);
    CHECK(store.count_rows("SELECT count(*) FROM lane_states WHERE lane = 1 AND open = 0") == 1);
    CHECK(store.count_rows("SELECT count(*) FROM queue_samples") == 0);
    CHECK(store.count_rows("SELECT count(*) FROM prompts") == 0);
    // And a lane display connecting now finds no retained prompt: the fake never landed.
    Device late(store.broker->port(), "lane-2", store.password("lane-2"), prompt_topic(kStore, "+"));
    REQUIRE(late.wait_connected());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(late.topics().empty());

    // A device choosing the controller's client id does not take over its session: the
    // broker names every client after its account (use_username_as_clientid).
    Device impostor(store.broker->port(), "exit-2", store.password("exit-2"), "", "controller");
    REQUIRE(impostor.wait_connected());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_THAT(store.broker->log_text(), Catch::Contains(" as controller (") && Catch::Contains(" as exit-2 ("));
    CHECK_THAT(store.broker->log_text(), !Catch::Contains("already connected"));
    CHECK(store.controller->running());
}

TEST_CASE("a device logs in over TLS with nothing but its provisioned credentials file", "[security]") {
    SecureStore store;
    // What an installer does for a device on the store network: add the CA to its file.
    const std::string file = store.dir.file("exit-2.credentials");
    write_text(file, read_text_file(store.credentials("exit-2")) + "ca_file = " + store.tls + "/ca.crt\n");
    auto credentials = load_credentials(file);
    REQUIRE(credentials);
    MqttOptions options;
    options.host = "127.0.0.1";
    options.port = store.tls_port;
    options.client_id = "exit-2";
    apply_credentials(options, *credentials);
    MqttClient kiosk(options);
    std::atomic<int> acked{0};
    kiosk.on_published([&](int) { ++acked; });
    REQUIRE(kiosk.start());
    REQUIRE(wait_until([&] { return kiosk.connected(); }, 10'000));
    // The controller's feedback session must exist before anything is sent to it.
    REQUIRE(wait_until([&] { return store.controller->log_text().find("receiving: both sessions subscribed") != std::string::npos; },
                       10'000));
    std::mt19937_64 rng(12);
    REQUIRE(kiosk.publish(feedback_topic(kStore, "exit-2"), valid_feedback(rng), 1, false));
    CHECK(wait_until([&] { return store.count_rows("SELECT count(*) FROM feedback WHERE kiosk = 'exit-2'") == 1; },
                     15'000));
    kiosk.stop();
}

TEST_CASE("a door sensor may count only its own door, a till's sensor only its till's served count", "[security][forecast]") {
    SecureStore store;  // doors defaults to 1: door-1 is provisioned
    Device watcher(store.broker->port(), "watcher", "watcher-secret", "#");
    REQUIRE(watcher.wait_connected());
    Device door(store.broker->port(), "door-1", store.password("door-1"));
    REQUIRE(door.wait_connected());
    Device sensor(store.broker->port(), "sensor-1", store.password("sensor-1"));
    REQUIRE(sensor.wait_connected());
    Device kiosk(store.broker->port(), "exit-1", store.password("exit-1"));
    REQUIRE(kiosk.wait_connected());
    REQUIRE(wait_until([&] { return watcher.received(status_topic(kStore, "controller")); }, 15'000));

    const std::string other_door = door_topic(kStore, 2);
    const std::string other_till = served_topic(kStore, 2);
    const std::string kiosk_door = door_topic(kStore, 1);
    door.publish(other_door, encode(DoorCount{50, 60'000, now_ms(), std::nullopt}));       // not its door
    door.publish(queue_topic(kStore, 1), encode(QueueCount{9, now_ms(), CountSource::sensor, std::nullopt}));
    sensor.publish(other_till, encode(LaneServed{5, 60'000, now_ms(), std::nullopt}));      // not its till
    kiosk.publish(kiosk_door, encode(DoorCount{99, 60'000, now_ms(), std::nullopt}));      // a kiosk counting people
    kiosk.publish(forecast_topic(kStore), "{}", true);                                      // a kiosk faking the forecast
    // What each may do, after the refused ones on the same connections (QoS 1 keeps order).
    door.publish(door_topic(kStore, 1), encode(DoorCount{7, 60'000, now_ms(), std::nullopt}));
    sensor.publish(served_topic(kStore, 1), encode(LaneServed{3, 60'000, now_ms(), std::nullopt}));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM door_counts") == 1; }, 15'000));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM served_counts") == 1; }, 15'000));
    CHECK(store.count_rows("SELECT people FROM door_counts") == 7);
    CHECK(store.count_rows("SELECT count(*) FROM served_counts WHERE lane = 1") == 1);
    CHECK(store.count_rows("SELECT count(*) FROM queue_samples") == 0);
    for (const auto& refused : {other_door, other_till, queue_topic(kStore, 1), forecast_topic(kStore)}) {
        INFO(refused);
        CHECK_FALSE(watcher.received(refused));
    }
}

TEST_CASE("an alert is acknowledged by a staff account and closed by a manager, and a kiosk's answer is refused",
          "[security][alerts]") {
    SecureStore store;
    Device watcher(store.broker->port(), "watcher", "watcher-secret", "#");
    REQUIRE(watcher.wait_connected());
    Device kiosk(store.broker->port(), "exit-1", store.password("exit-1"));
    REQUIRE(kiosk.wait_connected());
    Device handheld(store.broker->port(), "handheld-1", store.password("handheld-1"), alert_topic(kStore, "+"));
    REQUIRE(handheld.wait_connected());
    Device manager(store.broker->port(), "manager", store.password("manager"));
    REQUIRE(manager.wait_connected());
    REQUIRE(wait_until([&] { return store.controller->log_text().find("receiving: both sessions subscribed") != std::string::npos; },
                       15'000));

    // Four unhappy shoppers in a row: 100% negative with n 4 opens negative_share.
    std::mt19937_64 rng(31);
    for (int i = 0; i < 4; ++i) {
        Feedback f;
        f.id = make_uuid_v7(now_ms(), rng);
        f.ts = now_ms();
        f.scale = Scale::smiley4;
        f.score = 0;
        f.reason = "queue";
        kiosk.publish(feedback_topic(kStore, "exit-1"), encode(f));
    }
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE rule = 'negative_share'") == 1; },
                       15'000));
    const std::string id = query_text(store.db_path, "SELECT id FROM alerts WHERE rule = 'negative_share'");
    // The staff page sees it (the handheld's ACL lets it read alerts).
    REQUIRE(wait_until([&] { return handheld.received(alert_topic(kStore, id)); }, 15'000));

    // A kiosk may not acknowledge, neither as itself nor as a handheld: dropped by the broker.
    const std::string as_kiosk = alert_answer_topic(kStore, id, "exit-1");
    const std::string kiosk_as_staff = alert_answer_topic(kStore, id, "handheld-1");
    kiosk.publish(as_kiosk, encode(AlertAnswer{AlertAction::acknowledge, "exit-1", now_ms(), std::nullopt}));
    kiosk.publish(kiosk_as_staff, encode(AlertAnswer{AlertAction::acknowledge, "handheld-1", now_ms(), std::nullopt}));
    // The handheld acknowledges as itself.
    handheld.publish(alert_answer_topic(kStore, id, "handheld-1"),
                     encode(AlertAnswer{AlertAction::acknowledge, "handheld-1", now_ms(), std::string("on my way")}));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE state = 'acknowledged'") == 1; },
                       15'000));
    // The handheld's own answer is the one taken: the kiosk's went first on the same topic
    // and would have been acknowledged without the comment, had the broker let it through.
    CHECK(query_text(store.db_path, "SELECT acknowledged_by || ': ' || comment FROM alerts") == "handheld-1: on my way");
    CHECK_FALSE(watcher.received(as_kiosk));
    CHECK(store.count_rows("SELECT count(*) FROM alert_transitions WHERE transition = 'acknowledged'") == 1);

    // The manager closes it by hand with the root cause.
    manager.publish(alert_answer_topic(kStore, id, "manager"),
                    encode(AlertAnswer{AlertAction::close, "manager", now_ms(), std::string("two staff off sick")}));
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM alerts WHERE state = 'closed'") == 1; },
                       15'000));
    CHECK(query_text(store.db_path, "SELECT closed_by || ': ' || comment FROM alerts") == "manager: two staff off sick");
    manager.publish(status_topic(kStore, "manager"), "{}", false);
    REQUIRE(wait_until([&] { return watcher.received(status_topic(kStore, "manager")); }, 15'000));
    CHECK(store.count_rows("SELECT count(*) FROM alert_transitions") == 3);  // opened, acknowledged, closed
}

TEST_CASE("home_assistant = on: the controller writes only its own discovery documents, Home Assistant reads only what they name",
          "[security][home-assistant]") {
    SecureStore store("home_assistant = on\n");
    Device watcher(store.broker->port(), "watcher", "watcher-secret", "#");
    REQUIRE(watcher.wait_connected());
    // Home Assistant's own subscriptions: discovery, then each entity's state topic. It also
    // asks for a topic no entity names (durable, retained): the broker must not hand it that.
    const std::string waiting_config = "homeassistant/sensor/storeq_s1/lane_1_waiting/config";
    Device ha(store.broker->port(), "homeassistant", store.password("homeassistant"), "homeassistant/#");
    for (const auto& topic : {status_topic(kStore, "controller"), stats_topic(kStore, "today"), durable_topic(kStore)})
        ha.subscribe(topic);
    REQUIRE(ha.wait_connected());
    REQUIRE(wait_until([&] { return watcher.received(waiting_config) && watcher.received(durable_topic(kStore)); }, 15'000));
    REQUIRE(wait_until([&] { return ha.received(waiting_config) && ha.received(status_topic(kStore, "controller")); },
                       15'000));
    CHECK_FALSE(ha.received(durable_topic(kStore)));
    int configs = 0;
    for (const auto& topic : ha.topics())
        if (topic.rfind("homeassistant/", 0) == 0 && topic.size() > 7 && topic.substr(topic.size() - 7) == "/config") ++configs;
    CHECK(configs >= 2 * 2 + 4);

    Device kiosk(store.broker->port(), "exit-1", store.password("exit-1"));
    REQUIRE(kiosk.wait_connected());
    const std::string fake_config = "homeassistant/sensor/storeq_s1/fake/config";
    ha.publish(lane_state_topic(kStore, 1), encode(LaneState{true, now_ms(), "ha"}));  // HA may change nothing
    ha.publish(fake_config, "{}", true);                                               // nor invent entities
    kiosk.publish("homeassistant/sensor/storeq_s1/kiosk/config", "{}", true);           // a kiosk has no say there
    ha.publish(std::string("homeassistant/status"), "online");  // allowed: its birth message
    REQUIRE(wait_until([&] { return watcher.received(std::string("homeassistant/status")); }, 15'000));

    // The controller, stopped, and its account used by hand: it may write its own node's
    // documents, never another device's.
    store.controller->kill(SIGTERM);
    REQUIRE(store.controller->wait_exit(10'000) == 0);
    Device controller(store.broker->port(), "controller", store.password("controller"));
    REQUIRE(controller.wait_connected());
    const std::string other_node = "homeassistant/sensor/boiler/temperature/config";
    const std::string own_node = "homeassistant/sensor/storeq_s1/by_hand/config";
    controller.publish(other_node, "{}", true);
    controller.publish(own_node, "{}", true);
    REQUIRE(wait_until([&] { return watcher.received(own_node); }, 15'000));
    for (const auto& refused : {lane_state_topic(kStore, 1), fake_config,
                                std::string("homeassistant/sensor/storeq_s1/kiosk/config"), other_node}) {
        INFO(refused);
        CHECK_FALSE(watcher.received(refused));
    }
    CHECK(store.count_rows("SELECT count(*) FROM lane_states") == 0);
}
