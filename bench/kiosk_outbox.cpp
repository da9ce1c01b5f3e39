// Kiosk outbox flush (issue 4, Performance): 5,000 responses given while the broker is down
// are stored in the kiosk's SQLite outbox (the kiosk's real MQTT side: MqttLink +
// FeedbackOutbox, as main() runs it, minus the screen); then the broker starts and the
// real storeq-controller's database is polled every 10 ms until it holds all of them, and
// the outbox until every one is receipted (the controller's receipt after its fsync: the
// kiosk's backlog counts rows without one, docs/protocol.md "Receipt and Durable").
// Baseline, same run, live broker: a plain MqttClient publishes 5,000 other Feedbacks at
// QoS 1 to the same controller; time from the first publish until they are all stored.
// Target: delivered and stored within 2 s of the broker coming back.
//   storeq-bench-kiosk_outbox [RESPONSES [OUTAGE_SECONDS]]
// OUTAGE_SECONDS (default 0: only as long as queueing takes) keeps the broker down longer,
// to show libmosquitto's reconnect backoff (1, 4, 9, 16, 25, then 30 s between attempts).
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <thread>

#include "app/mqtt_link.hpp"
#include "app/outbox.hpp"
#include "bench_util.hpp"
#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::bench;
using namespace storeq::kiosk;
using storeq::test::ChildProcess;
using storeq::test::TempDir;
using storeq::test::wait_until;

namespace {

constexpr const char* kStore = "bench";
constexpr const char* kKiosk = "exit-1";
constexpr double kTargetSeconds = 2.0;

TimeMs wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Feedback make_feedback(std::mt19937_64& rng, int i) {
    Feedback feedback;
    feedback.ts = wall_ms();
    feedback.id = make_uuid_v7(feedback.ts, rng);
    feedback.score = i % 4;
    feedback.locale = "nl";
    return feedback;
}

std::int64_t stored(const std::string& db_path) {
    auto db = Database::open(db_path);
    if (!db) return -1;
    auto statement = db->prepare("SELECT COUNT(*) FROM feedback");
    if (!statement) return -1;
    auto row = statement->step();
    return row && *row ? statement->column_int64(0) : -1;
}

}  // namespace

int main(int argc, char** argv) {
    const int total = argc > 1 ? std::atoi(argv[1]) : 5000;
    const double outage_s = argc > 2 ? std::atof(argv[2]) : 0.0;
    // Persistence: the controller's session (and what is queued for it) survives the
    // broker restart, as the project's broker configuration requires (docs/kiosk.md).
    test::TestBrokerOptions broker_options;
    broker_options.persistence = true;
    test::TestBroker broker{broker_options};
    TempDir dir{"storeq-bench-kiosk-outbox"};
    const std::string db_path = dir.file("controller.db");
    std::unique_ptr<ChildProcess> controller;
    {
        test::MqttProbe probe(broker.host(), broker.port(), "bench-watcher");
        probe.subscribe(status_topic(kStore, "controller"));
        controller = std::make_unique<ChildProcess>(
            std::vector<std::string>{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store",
                                     kStore, "--db", db_path, "--tills", "1-4"},
            dir.file("controller.log"));
        const bool online = probe
                                .wait_for([](const MqttMessage& m) {
                                    auto status = decode_status(m.payload, wall_ms());
                                    return status && status->online;
                                }, 15000)
                                .has_value();
        if (!online) {
            std::fprintf(stderr, "controller did not come online:\n%s\n", controller->log_text().c_str());
            return 1;
        }
    }

    KioskConfig config;
    config.role = Role::feedback;
    config.store = kStore;
    config.device = kKiosk;
    auto outbox = Outbox::open(dir.file("outbox.db"));
    if (!outbox) return 1;
    MqttLink link(config, broker.host(), broker.port(), std::move(outbox.value()));
    std::atomic<bool> connected{false};
    std::atomic<double> reconnected_us{0};
    auto started = link.start([&](Event event) {
        if (auto* c = std::get_if<BrokerConnectionChanged>(&event)) {
            if (c->connected && !connected) reconnected_us = now_us();
            connected = c->connected;
        }
    });
    if (!started || !wait_until([&] { return connected.load(); }, 10000)) return 1;

    // The broker goes away; the shoppers keep answering.
    broker.stop();
    if (!wait_until([&] { return !connected.load(); }, 10000)) return 1;
    const double down_us = now_us();
    std::mt19937_64 rng(5);
    for (int i = 0; i < total; ++i) link.publish(PublishFeedback{make_feedback(rng, i)});
    const double queued_us = now_us();
    const std::int64_t backlog = link.backlog();
    std::this_thread::sleep_until(std::chrono::steady_clock::now() +
                                  std::chrono::duration<double, std::micro>(down_us + outage_s * 1e6 - now_us()));

    broker.start();  // returns once it accepts connections
    const double back_us = now_us();
    double stored_us = 0, drained_us = 0;
    wait_until([&] {
        const double t = now_us();
        if (!stored_us && stored(db_path) >= total) stored_us = t;
        if (!drained_us && link.backlog() == 0) drained_us = t;
        return stored_us && drained_us;
    }, 120000);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // late duplicates would land now
    const std::int64_t rows_after_flush = stored(db_path);

    // Baseline: the raw path, a plain client publishing to the same controller.
    MqttOptions o;
    o.host = broker.host();
    o.port = broker.port();
    o.client_id = "bench-raw";
    MqttClient raw(o);
    if (!raw.start() || !wait_until([&] { return raw.connected(); }, 5000)) return 1;
    std::vector<std::string> payloads;
    for (int i = 0; i < total; ++i) payloads.push_back(encode(make_feedback(rng, i)));
    const std::string raw_topic = feedback_topic(kStore, "exit-2");
    const double raw_start = now_us();
    for (const auto& payload : payloads) (void)raw.publish(raw_topic, payload, 1, false);
    double raw_done = 0;
    wait_until([&] {
        if (stored(db_path) >= rows_after_flush + total) raw_done = now_us();
        return raw_done != 0;
    }, 120000);
    raw.stop();
    link.stop();

    const OutboxStats outbox_stats = link.outbox_stats();
    const bool all = rows_after_flush == total && stored_us > 0 && drained_us > 0 && raw_done > 0;
    const double from_back_s = (stored_us - back_us) / 1e6;
    const double from_reconnect_s = (stored_us - reconnected_us) / 1e6;
    const double raw_s = (raw_done - raw_start) / 1e6;
    std::printf("# kiosk outbox: %d responses stored in the outbox in %.0f ms (backlog %lld) while the broker was down "
                "for %.2f s; kiosk reconnected %.2f s after the broker came back; every one receipted after %.2f s; "
                "controller holds %lld rows\n",
                total, (queued_us - down_us) / 1000.0, static_cast<long long>(backlog), (back_us - down_us) / 1e6,
                (reconnected_us - back_us) / 1e6, (drained_us - back_us) / 1e6, static_cast<long long>(rows_after_flush));
    std::printf("# kiosk outbox: at most %zu in flight (window %zu); %lld handed to libmosquitto, %lld of them again; "
                "%lld receipted, %lld kept as history\n",
                outbox_stats.in_flight_peak, outbox_stats.window, static_cast<long long>(outbox_stats.sent),
                static_cast<long long>(outbox_stats.resent), static_cast<long long>(outbox_stats.receipted),
                static_cast<long long>(outbox_stats.history));
    print_row(format("kiosk outbox %.0f, after reconnect", total), format("%.2f s", from_reconnect_s),
              format("raw publish %.2f s", raw_s), from_reconnect_s / raw_s, "< 2 s, none lost",
              all && from_reconnect_s < kTargetSeconds);
    print_row(format("kiosk outbox %.0f, after broker up", total), format("%.2f s", from_back_s),
              format("raw publish %.2f s", raw_s), from_back_s / raw_s, "< 2 s, none lost",
              all && from_back_s < kTargetSeconds);
    return all ? 0 : 1;
}
