// Ingest: sustained Feedback at QoS 1 into the controller with every row committed, beside
// mosquitto_sub's delivery rate of the same stream in the same run. Target (issue 3): at
// least 0.9x, and no message lost.
#include <atomic>
#include <random>
#include <thread>

#include "bench_util.hpp"
#include "child_process.hpp"
#include "database_probe.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/sqlite_db.hpp"
#include "storeq/topics.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::bench;

namespace {
constexpr const char* kStore = "bench";

}  // namespace

int main(int argc, char** argv) {
    const int total = argc > 1 ? std::atoi(argv[1]) : 30000;  // below mosquitto_pub's 65,535 limit too
    test::TestBroker broker;
    test::TempDir dir{"storeq-bench-ingest"};
    const std::string db_path = dir.file("bench.db");
    test::ChildProcess controller({STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store",
                                   kStore, "--db", db_path, "--tills", "1-2"},
                                  dir.file("controller.log"));
    const std::string topic = feedback_topic(kStore, "exit-1");
    test::ChildProcess sub({"mosquitto_sub", "-h", broker.host(), "-p", std::to_string(broker.port()), "-t", topic,
                            "-q", "1", "-C", std::to_string(total)},
                           dir.file("sub.log"));
    // Both consumers must be subscribed before the stream starts.
    if (!test::wait_until([&] { return test::stored_feedback(db_path) == 0; }, 10000)) return 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    MqttOptions o;
    o.host = broker.host();
    o.port = broker.port();
    o.client_id = "bench-kiosk";
    MqttClient kiosk(o);
    std::atomic<int> acked{0};
    kiosk.on_published([&](int) { ++acked; });
    (void)kiosk.start();
    if (!test::wait_until([&] { return kiosk.connected(); }, 5000)) return 1;

    std::mt19937_64 rng(1);
    std::vector<std::string> payloads;
    const TimeMs ts = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
    for (int i = 0; i < total; ++i)
        payloads.push_back(encode(Feedback{make_uuid_v7(ts + i, rng), ts, Scale::smiley4, i % 4, std::nullopt,
                                           FollowUp::none, "nl", false}));

    const double start = now_us();
    for (const auto& p : payloads) (void)kiosk.publish(topic, p, 1, false);
    double sub_done = 0, controller_done = 0;
    test::wait_until([&] {
        const double t = now_us();
        if (!sub_done && !sub.running()) sub_done = t;
        if (!controller_done && test::stored_feedback(db_path) >= total) controller_done = t;
        return sub_done && controller_done;
    }, 120000);
    kiosk.stop();
    const std::int64_t rows = test::stored_feedback(db_path);
    const double sub_rate = total / ((sub_done - start) / 1e6);
    const double controller_rate = total / ((controller_done - start) / 1e6);
    std::printf("# ingest of %d QoS 1 feedbacks: %lld rows stored, %d acked by the broker\n", total,
                static_cast<long long>(rows), acked.load());
    print_row("ingest, rows committed/s", format("%.0f msg/s", controller_rate), format("mosquitto_sub %.0f msg/s", sub_rate),
              controller_rate / sub_rate, ">= 0.9x, none lost", controller_rate >= 0.9 * sub_rate && rows == total);
    return rows == total ? 0 : 1;
}
