#pragma once
// One store for an integration test: a real broker, the real storeq-controller binary on
// a real SQLite file, and a probe watching the store's topics. Header-only, for Catch2
// tests (include after <catch2/catch.hpp>).
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "database_probe.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

namespace storeq::test {

inline void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream file(path);
    file << text;
    REQUIRE(file);
}

struct StoreFixtureOptions {
    std::string store = "store-7";
    std::string tills = "1-4";
    std::string config_text;               // non-empty: written to store.conf and passed as --config
    std::vector<std::string> extra_args;   // more controller arguments
    std::map<std::string, std::string> env;
    std::string db_dir;                    // empty: the fixture's own directory
};

struct StoreFixture {
    StoreFixtureOptions options;
    TestBroker broker;
    TempDir dir{"storeq-store"};
    std::string db_path;
    std::unique_ptr<ChildProcess> controller;
    MqttProbe probe{broker.host(), broker.port(), "watcher"};

    explicit StoreFixture(StoreFixtureOptions o = {}, bool start = true) : options(std::move(o)) {
        db_path = (options.db_dir.empty() ? dir.path().string() : options.db_dir) + "/storeq.db";
        probe.subscribe(store_wildcard(options.store));
        REQUIRE(probe.wait_connected(5000));
        if (start) start_controller();
    }

    std::vector<std::string> controller_argv() {
        std::vector<std::string> argv{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(),
                                      "--store", options.store, "--db", db_path, "--tills", options.tills};
        if (!options.config_text.empty()) {
            write_text_file(dir.file("store.conf"), options.config_text);
            argv.insert(argv.end(), {"--config", dir.file("store.conf")});
        }
        argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
        return argv;
    }

    // Starts the controller and waits until its retained status says it is online.
    void start_controller() {
        controller = std::make_unique<ChildProcess>(controller_argv(), dir.file("controller.log"), options.env);
        REQUIRE(wait_online());
    }

    bool wait_online(int timeout_ms = 10'000) {
        const std::string topic = status_topic(options.store, "controller");
        return probe
            .wait_for(
                [&](const MqttMessage& m) {
                    auto status = decode_status(m.payload, wall_clock_ms());
                    return m.topic == topic && status && status->online;
                },
                timeout_ms)
            .has_value();
    }

    void publish(const std::string& topic, const std::string& payload, bool retain = false) {
        REQUIRE(probe.publish(topic, payload, 1, retain));
    }

    std::optional<Prompt> wait_prompt(const std::function<bool(const Prompt&)>& pred, int timeout_ms = 15'000) {
        auto message = probe.wait_for(
            [&](const MqttMessage& m) {
                auto topic = parse_topic(m.topic);
                if (!topic || topic->kind != TopicKind::prompt || m.payload.empty()) return false;
                auto prompt = decode_prompt(m.payload);
                return prompt && pred(*prompt);
            },
            timeout_ms);
        if (!message) return std::nullopt;
        return *decode_prompt(message->payload);
    }

    // The controller's latest status on the broker.
    std::optional<Status> last_status() {
        std::optional<Status> last;
        for (const auto& m : probe.messages())
            if (m.topic == status_topic(options.store, "controller"))
                if (auto s = decode_status(m.payload, wall_clock_ms())) last = *s;
        return last;
    }

    std::int64_t count_rows(const std::string& sql) { return query_number(db_path, sql); }
    std::string topic_root() const { return store_root(options.store); }

    // What a device that connects now is shown as retained on `pattern`. A retained
    // sentinel on a topic subscribed after it (subscriptions are made in pattern order,
    // and "zz/" sorts after "storeq/") arrives after every retained message of `pattern`.
    std::vector<MqttMessage> retained_now(const std::string& pattern) {
        publish("zz/sentinel", "end", true);
        MqttProbe late(broker.host(), broker.port(), "late-device");
        late.subscribe(pattern);
        late.subscribe("zz/sentinel");
        REQUIRE(late.wait_for_topic("zz/sentinel", 5000));
        std::vector<MqttMessage> shown;
        for (const auto& m : late.messages())
            if (m.topic != "zz/sentinel") shown.push_back(m);
        return shown;
    }
};

// The UTC date holding `t`, as the stats documents and report write it (TZ=UTC).
inline std::string utc_date(TimeMs t) {
    const std::time_t seconds = static_cast<std::time_t>(t / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

inline std::string lane_open_payload(bool open, const std::string& by = "anna") {
    return encode(LaneState{open, wall_clock_ms(), by});
}
inline std::string count_payload(int count, std::int64_t seq, CountSource source = CountSource::sensor) {
    return encode(QueueCount{count, wall_clock_ms(), source, seq});
}

}  // namespace storeq::test
