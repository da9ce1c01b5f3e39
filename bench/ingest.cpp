// Ingest: sustained Feedback at QoS 1 into the controller with every row committed, beside
// mosquitto_sub's delivery rate of the same stream in the same run. Target (issue 3): at
// least 0.9x, and no message lost. Run twice in the same process: the controller as
// deployed (a receipt only after an fsync of the WAL that holds its rows), and the same
// controller with --unsafe-receipts-without-fsync (what synchronous=NORMAL alone would
// give: receipts after the commit, no fsync), each beside its own mosquitto_sub, so the
// difference between the two rows is what the fsync costs.
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

struct Run {
    bool ok = false;
    double controller_rate = 0, sub_rate = 0, receipt_rate = 0;
    std::int64_t rows = 0;
    int acked = 0, receipted = 0;
};

Run run_once(int total, bool without_fsync) {
    Run run;
    test::TestBroker broker;
    test::TempDir dir{"storeq-bench-ingest"};
    const std::string db_path = dir.file("bench.db");
    std::vector<std::string> args{STOREQ_BINARY_DIR "/bin/storeq-controller", "--broker", broker.address(), "--store",
                                  kStore, "--db", db_path, "--tills", "1-2"};
    if (without_fsync) args.push_back("--unsafe-receipts-without-fsync");
    test::ChildProcess controller(args, dir.file("controller.log"));
    const std::string topic = feedback_topic(kStore, "exit-1");
    test::ChildProcess sub({"mosquitto_sub", "-h", broker.host(), "-p", std::to_string(broker.port()), "-t", topic,
                            "-q", "1", "-C", std::to_string(total)},
                           dir.file("sub.log"));
    // Both consumers must be subscribed before the stream starts.
    if (!test::wait_until([&] { return test::stored_feedback(db_path) == 0; }, 10000)) return run;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    MqttOptions o;
    o.host = broker.host();
    o.port = broker.port();
    o.client_id = "bench-kiosk";
    MqttClient kiosk(o);
    std::atomic<int> acked{0};
    std::atomic<int> receipted{0};
    kiosk.on_published([&](int) { ++acked; });
    // The kiosk's side of the guarantee: receipts for the stream, counted by id.
    kiosk.on_message([&](const MqttMessage& m) {
        if (auto receipt = decode_receipt(m.payload)) receipted += static_cast<int>(receipt->ids.size());
    });
    kiosk.subscribe(receipt_topic(kStore, "exit-1"), 1);
    (void)kiosk.start();
    if (!test::wait_until([&] { return kiosk.connected() && kiosk.subscribed(); }, 5000)) return run;

    std::mt19937_64 rng(1);
    std::vector<std::string> payloads;
    const TimeMs ts = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
    for (int i = 0; i < total; ++i)
        payloads.push_back(encode(Feedback{make_uuid_v7(ts + i, rng), ts, Scale::smiley4, i % 4, std::nullopt,
                                           FollowUp::none, "nl", false}));

    const double start = now_us();
    for (const auto& p : payloads) (void)kiosk.publish(topic, p, 1, false);
    double sub_done = 0, controller_done = 0, receipts_done = 0;
    test::wait_until([&] {
        const double t = now_us();
        if (!sub_done && !sub.running()) sub_done = t;
        if (!controller_done && test::stored_feedback(db_path) >= total) controller_done = t;
        if (!receipts_done && receipted.load() >= total) receipts_done = t;
        return sub_done && controller_done && receipts_done;
    }, 120000);
    kiosk.stop();
    run.rows = test::stored_feedback(db_path);
    run.acked = acked.load();
    run.receipted = receipted.load();
    run.sub_rate = sub_done ? total / ((sub_done - start) / 1e6) : 0;
    run.controller_rate = controller_done ? total / ((controller_done - start) / 1e6) : 0;
    run.receipt_rate = receipts_done ? total / ((receipts_done - start) / 1e6) : 0;
    run.ok = run.rows == total && run.receipted >= total;
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    const int total = argc > 1 ? std::atoi(argv[1]) : 30000;  // below mosquitto_pub's 65,535 limit too
    bool all = true;
    for (const bool without_fsync : {false, true}) {
        const Run r = run_once(total, without_fsync);
        const char* mode = without_fsync ? "synchronous=NORMAL, no fsync" : "fsync before receipts";
        std::printf("# ingest of %d QoS 1 feedbacks (%s): %lld rows stored, %d acked by the broker, %d receipted\n",
                    total, mode, static_cast<long long>(r.rows), r.acked, r.receipted);
        std::printf("# receipts for all of them at %.0f msg/s (%.2fx of mosquitto_sub)\n", r.receipt_rate,
                    r.sub_rate > 0 ? r.receipt_rate / r.sub_rate : 0.0);
        const std::string name = without_fsync ? "ingest, rows/s, no fsync (context)" : "ingest, rows committed/s";
        print_row(name, format("%.0f msg/s", r.controller_rate), format("mosquitto_sub %.0f msg/s", r.sub_rate),
                  r.sub_rate > 0 ? r.controller_rate / r.sub_rate : 0.0, ">= 0.9x, none lost",
                  r.ok && r.controller_rate >= 0.9 * r.sub_rate);
        all = all && r.ok;
    }
    return all ? 0 : 1;
}
