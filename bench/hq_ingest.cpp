// Head office ingest (issue 11, Scale): the real storeq-hq between a central mosquitto and
// a private PostgreSQL 15, fed by a load generator that publishes as N stores' outbound
// streams (chain::Batch on storeq/v1/{store}/hq/outbound, QoS 1, per-store seq from 1).
// Every phase has mosquitto_sub on the same stream in the same run as its baseline.
//   1. a busy hour of every store, compressed, at its (compressed) rate: none lost
//   2. a backlog (the next busy hour of every store) published as fast as possible:
//      entries/s committed by storeq-hq against mosquitto_sub's entries/s
//   3. catch-up: 300 stores back from a 2-hour outage, their 2 hours at once in
//      controller-sized batches: time until all committed and acked
//   4. PostgreSQL size per store-year, from pg_total_relation_size after the runs
// Timings are printed, never asserted. docs/benchmarks.md, "Head office ingest".
//
//   storeq-bench-hq_ingest [--stores N] [--busy-seconds S] [--outage-stores N] [--quick]
//                          [--pg-fsync-off]
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "bench_util.hpp"
#include "child_process.hpp"
#include "pg_db.hpp"
#include "postgres_fixture.hpp"
#include "storeq/chain/outbound.hpp"
#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::bench;

namespace {

// ---- The busy hour of one store (docs/benchmarks.md says why these numbers) ----
constexpr int kLanes = 20;             // tills, each with one rollup row per closed hour
constexpr int kFeedbackPerHour = 150;  // HappyOrNot-like: a busy supermarket hour
constexpr int kPromptsPerHour = 7;     // each open -> claimed -> fulfilled: 21 transitions
constexpr int kLaneEventsPerHour = 10;  // tills opened or closed
constexpr int kEntriesPerHour = kFeedbackPerHour + 3 * kPromptsPerHour + kLaneEventsPerHour + 1;  // + the hour
constexpr int kPublishers = 4;          // MQTT connections of the load generator (stores split by index)
// 2026-12-02T08:00:00Z, the first simulated hour; every hour of the run is in December.
constexpr TimeMs kT0 = 1'796'198'400'000;
constexpr TimeMs kHourMs = 3'600'000;
constexpr const char* kZone = "Europe/Amsterdam";

struct Options {
    int stores = 3000;
    double busy_seconds = 30;  // wall time for phase 1's hour
    int outage_stores = 300;
    int outage_hours = 2;
    bool pg_fsync = true;
};

void write_file(const std::string& path, const std::string& text) {
    std::ofstream file(path);
    file << text;
    if (!file) throw std::runtime_error("cannot write " + path);
}

std::string store_id(int i) {
    char text[16];
    std::snprintf(text, sizeof text, "s%04d", i + 1);
    return text;
}

// ---- A private PostgreSQL 15, fsync on (as deployed; PostgresFixture turns it off) ----
class PgServer {
public:
    explicit PgServer(bool fsync) {
        ::chmod(dir_.path().c_str(), 0755);
        data_ = dir_.file("data");
        log_ = dir_.file("postgres.log");
        std::filesystem::create_directory(data_);
        ::chmod(data_.c_str(), 0700);
        own(data_);
        { std::FILE* f = std::fopen(log_.c_str(), "a"); if (f) std::fclose(f); }
        own(log_);
        tool({bin("initdb"), "-D", data_, "-A", "trust", "-U", "storeq", "--no-sync", "-E", "UTF8"}, "initdb");
        port_ = test::find_free_port();
        tool({bin("pg_ctl"), "-D", data_, "-l", log_, "-w", "-t", "60", "-o",
              "-p " + std::to_string(port_) + " -k " + data_ + " -c listen_addresses=127.0.0.1 -c fsync=" +
                  (fsync ? "on" : "off"),
              "start"},
             "pg_ctl-start");
        running_ = true;
    }
    ~PgServer() {
        try {
            if (running_) tool({bin("pg_ctl"), "-D", data_, "-m", "fast", "-w", "-t", "60", "stop"}, "pg_ctl-stop");
        } catch (...) {
        }
    }
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;
    std::string conninfo() const {
        return "host=127.0.0.1 port=" + std::to_string(port_) + " user=storeq dbname=postgres connect_timeout=5";
    }

private:
    static std::string bin(const std::string& name) { return std::string(test::kPostgresBin) + "/" + name; }
    static void own(const std::string& path) {
        if (::geteuid() != 0) return;
        const passwd* user = ::getpwnam("postgres");
        if (!user || ::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
            throw std::runtime_error("cannot hand " + path + " to user postgres");
    }
    void tool(std::vector<std::string> argv, const std::string& what) const {
        if (::geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
        test::ChildProcess p(argv, dir_.file(what + ".log"));
        if (p.wait_exit(120'000) != 0)
            throw std::runtime_error(what + " failed: " + p.log_text() + test::read_text_file(log_));
    }
    test::TempDir dir_{"storeq-bench-pg"};
    std::string data_, log_;
    int port_ = 0;
    bool running_ = false;
};

// ---- The load: each store's entries, numbered as its controller would ----
struct Timed {
    TimeMs at;
    std::string json;  // chain::entry_json of the body
};

class StoreStream {
public:
    explicit StoreStream(int index) : id_(store_id(index)), rng_(static_cast<std::uint64_t>(index) * 7919 + 1) {}
    const std::string& id() const { return id_; }
    std::int64_t last_seq() const { return seq_; }

    // The entries of simulated hour `hour` (its start, UTC ms), in time order, seq
    // assigned: the hour's rollup is the last, written when the hour closes.
    std::vector<std::pair<std::int64_t, Timed>> hour(TimeMs hour) {
        std::vector<Timed> items;
        chain::HourEntry rollup;
        rollup.hour = hour;
        static const char* const kReasons[] = {"fast", "friendly", "queue", "staff", "other"};
        for (int i = 0; i < kFeedbackPerHour; ++i) {
            chain::FeedbackEntry f;
            f.ts = hour + (kHourMs * i) / kFeedbackPerHour + static_cast<TimeMs>(rng_() % 20'000);
            f.received = f.ts + 40;
            f.counted_at = f.ts;
            f.id = make_uuid_v7(f.ts, rng_);
            f.kiosk = "exit-" + std::to_string(1 + i % 2);
            f.score = static_cast<int>(rng_() % 4);
            if (rng_() % 2) f.reason = kReasons[rng_() % 5];
            f.misuse = rng_() % 50 == 0;
            rollup.feedback.add(f.scale, f.score, f.misuse, f.reason);
            items.push_back({f.ts, chain::entry_json(f)});
        }
        for (int i = 0; i < kPromptsPerHour; ++i) {
            chain::PromptEntry p;
            p.id = id_ + "-p" + std::to_string(++prompts_);
            p.till = 2 + i % (kLanes - 1);
            p.raised = p.updated = hour + (kHourMs * i) / kPromptsPerHour + 60'000;
            items.push_back({p.updated, chain::entry_json(p)});
            p.state = PromptState::claimed;
            p.claimed_by = "staff-" + std::to_string(1 + i % 5);
            p.claimed_at = p.updated = p.raised + 7'000;
            items.push_back({p.updated, chain::entry_json(p)});
            p.state = PromptState::fulfilled;
            p.updated = p.raised + 25'000;
            items.push_back({p.updated, chain::entry_json(p)});
        }
        for (int i = 0; i < kLaneEventsPerHour; ++i) {
            const TimeMs at = hour + (kHourMs * i) / kLaneEventsPerHour + 120'000;
            items.push_back({at, chain::entry_json(chain::LaneEntry{2 + i % (kLanes - 1), i % 2 == 0, at})});
        }
        for (int lane = 1; lane <= kLanes; ++lane) {
            controller::LaneTotals t;
            t.open_ms = lane <= 12 ? kHourMs : kHourMs / 2;
            t.counted_ms = t.open_ms - 5'000;
            t.unknown_ms = 5'000;
            t.breach_ms = static_cast<TimeMs>(rng_() % 300'000);
            t.queue_ms = t.counted_ms * static_cast<std::int64_t>(1 + rng_() % 3);
            t.max_queue = static_cast<int>(2 + rng_() % 5);
            t.samples = t.open_ms / 5'000;
            t.breaches = static_cast<std::int64_t>(rng_() % 6);
            t.kept = t.breaches * 4 / 5;
            t.broken = t.breaches - t.kept;
            rollup.lanes.push_back({lane, t});
        }
        std::stable_sort(items.begin(), items.end(), [](const Timed& a, const Timed& b) { return a.at < b.at; });
        items.push_back({hour + kHourMs, chain::entry_json(rollup)});
        std::vector<std::pair<std::int64_t, Timed>> out;
        for (auto& item : items) out.push_back({++seq_, std::move(item)});
        return out;
    }

private:
    std::string id_;
    std::mt19937_64 rng_;
    std::int64_t seq_ = 0;
    int prompts_ = 0;
};

// One message to publish: which store (for the connection), when (wall offset, us), the payload.
struct Message {
    int store = 0;
    double at_us = 0;
    std::string payload;
    int entries = 0;
};

// Consecutive entries cut as the controller cuts them: <= kMaxBatchEntries and ~kMaxBatchBytes.
void add_batches(std::vector<Message>& out, int store, const std::string& id, double at_us,
                 const std::vector<std::pair<std::int64_t, std::string>>& entries) {
    std::vector<std::pair<std::int64_t, std::string>> batch;
    std::size_t bytes = 0;
    auto cut = [&] {
        if (batch.empty()) return;
        out.push_back({store, at_us, chain::batch_json(id, kZone, batch), static_cast<int>(batch.size())});
        batch.clear();
        bytes = 0;
    };
    for (const auto& e : entries) {
        if (batch.size() >= chain::kMaxBatchEntries || (bytes + e.second.size() > chain::kMaxBatchBytes && !batch.empty()))
            cut();
        bytes += e.second.size() + 16;
        batch.push_back(e);
    }
    cut();
}

struct Phase {
    std::vector<Message> messages;
    std::map<int, std::int64_t> last_seq;  // store index -> seq of its last entry in the phase
    std::int64_t entries = 0, bytes = 0, json_bytes = 0;
};

// ---- The observers ----
class AckWatcher {
public:
    AckWatcher(const test::TestBroker& broker, int stores) : acks_(static_cast<std::size_t>(stores), 0) {
        MqttOptions o;
        o.host = broker.host();
        o.port = broker.port();
        o.client_id = "bench-ack-watcher";
        o.log_connection = false;
        client_ = std::make_unique<MqttClient>(o);
        client_->on_message([this](const MqttMessage& m) {
            // storeq/v1/sNNNN/hq/ack
            const auto a = m.topic.find("/s");
            const auto b = m.topic.find("/hq/ack");
            if (a == std::string::npos || b == std::string::npos) return;
            const int index = std::atoi(m.topic.substr(a + 2, b - a - 2).c_str()) - 1;
            auto ack = chain::decode_ack(m.payload);
            if (!ack || index < 0 || index >= static_cast<int>(acks_.size())) return;
            std::lock_guard lock(mutex_);
            acks_[static_cast<std::size_t>(index)] = std::max(acks_[static_cast<std::size_t>(index)], ack->seq);
            ++messages_;
        });
        client_->subscribe("storeq/v1/+/hq/ack", 1);
        (void)client_->start();
    }
    ~AckWatcher() { client_->stop(); }
    bool ready() const { return client_->subscribed(); }
    bool all_at(const std::map<int, std::int64_t>& last) {
        std::lock_guard lock(mutex_);
        for (const auto& [store, seq] : last)
            if (acks_[static_cast<std::size_t>(store)] < seq) return false;
        return true;
    }
    std::int64_t messages() {
        std::lock_guard lock(mutex_);
        return messages_;
    }

private:
    std::mutex mutex_;
    std::vector<std::int64_t> acks_;
    std::int64_t messages_ = 0;
    std::unique_ptr<MqttClient> client_;
};

// Retained acks as a fresh subscriber sees them after a run: store index -> seq.
std::map<int, std::int64_t> retained_acks(const test::TestBroker& broker, int stores) {
    std::mutex mutex;
    std::map<int, std::int64_t> seen;
    MqttOptions o;
    o.host = broker.host();
    o.port = broker.port();
    o.client_id = "bench-retained-acks";
    o.log_connection = false;
    MqttClient client(o);
    client.on_message([&](const MqttMessage& m) {
        if (!m.retained) return;
        const auto a = m.topic.find("/s");
        const auto b = m.topic.find("/hq/ack");
        auto ack = chain::decode_ack(m.payload);
        if (a == std::string::npos || b == std::string::npos || !ack) return;
        std::lock_guard lock(mutex);
        seen[std::atoi(m.topic.substr(a + 2, b - a - 2).c_str()) - 1] = ack->seq;
    });
    client.subscribe("storeq/v1/+/hq/ack", 1);
    (void)client.start();
    test::wait_until([&] {
        std::lock_guard lock(mutex);
        return static_cast<int>(seen.size()) >= stores;
    }, 20'000);
    client.stop();
    return seen;
}

std::int64_t scalar(hq::PgConnection& db, const std::string& sql) {
    auto r = db.query(sql);
    if (!r || r->rows() == 0) return -1;
    return r->int64(0, 0);
}

double load_average() {
    double load = 0;
    if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &load) != 1) load = 0;
        std::fclose(f);
    }
    return load;
}

// utime + stime of a process, seconds.
double cpu_seconds(pid_t pid) {
    std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (!f) return 0;
    char text[2048] = {};
    const std::size_t n = std::fread(text, 1, sizeof text - 1, f);
    std::fclose(f);
    text[n] = 0;
    const char* p = std::strrchr(text, ')');
    if (!p) return 0;
    unsigned long long utime = 0, stime = 0;
    // After ")": state, then fields 4..13, then utime (14) and stime (15).
    if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return 0;
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

void row(const std::string& name, const std::string& measured, const std::string& baseline, double ratio,
         const std::string& target, const char* met) {
    std::printf("| %-34s | %-22s | %-22s | %6.2fx | %-28s | %-4s |\n", name.c_str(), measured.c_str(), baseline.c_str(),
                ratio, target.c_str(), met);
    std::fflush(stdout);
}

struct Result {
    double sub_s = 0, hq_s = 0, acked_s = 0, last_publish_s = 0;
    bool sub_done = false, hq_done = false, acked = false;
    std::int64_t cursor_sum = 0, expected_sum = 0;
    double load = 0;
    double hq_cpu_s = 0;
    double longest_stall_s = 0;  // longest time the cursors did not move before all were in
    int stalls = 0;              // times they stood still for over 1 s
};

class Bench {
public:
    explicit Bench(Options o)
        : o_(o),
          broker_(test::TestBrokerOptions{false, [](int port) {
                                              return "listener " + std::to_string(port) +
                                                     " 127.0.0.1\n"
                                                     "allow_anonymous true\n"
                                                     "max_queued_messages 0\n"
                                                     "max_queued_bytes 0\n"
                                                     "max_inflight_messages 100\n"
                                                     "max_packet_size 262144\n"
                                                     "set_tcp_nodelay true\n"
                                                     "per_listener_settings false\n"
                                                     "log_dest stderr\nlog_type error\nlog_type warning\n"
                                                     "connection_messages false\n";
                                          }}),
          pg_(o.pg_fsync) {
        for (int i = 0; i < o_.stores; ++i) streams_.emplace_back(i);
        std::string tree = "# " + std::to_string(o_.stores) + " stores, 100 a region\nzone default = " + kZone + "\n";
        for (int r = 0; r * 100 < o_.stores; ++r) {
            char name[16];
            std::snprintf(name, sizeof name, "r%02d", r + 1);
            tree += std::string("region ") + name + " =";
            for (int i = r * 100; i < std::min(o_.stores, (r + 1) * 100); ++i)
                tree += std::string(i % 100 ? ", " : " ") + store_id(i);
            tree += "\n";
        }
        write_file(dir_.file("chain.tree"), tree);
        hq_ = std::make_unique<test::ChildProcess>(
            std::vector<std::string>{STOREQ_BINARY_DIR "/bin/storeq-hq", "run", "--broker", broker_.address(), "--pg",
                                     pg_.conninfo(), "--tree", dir_.file("chain.tree"), "--client-id", "hq-bench"},
            dir_.file("hq.log"));
        if (!test::wait_until([&] {
                return test::read_text_file(dir_.file("hq.log")).find("storeq-hq: ready") != std::string::npos ||
                       !hq_->running();
            }, 30'000) ||
            !hq_->running())
            throw std::runtime_error("storeq-hq did not start: " + hq_->log_text());
        auto db = hq::PgConnection::connect(pg_.conninfo());
        if (!db) throw std::runtime_error("PostgreSQL: " + db.error().to_string());
        db_ = std::make_unique<hq::PgConnection>(std::move(*db));
        acks_ = std::make_unique<AckWatcher>(broker_, o_.stores);
        for (int p = 0; p < kPublishers; ++p) {
            MqttOptions m;
            m.host = broker_.host();
            m.port = broker_.port();
            m.client_id = "bench-stores-" + std::to_string(p);
            m.log_connection = false;
            publishers_.push_back(std::make_unique<MqttClient>(m));
            publishers_.back()->on_published([this](int) { ++pubacks_; });
            (void)publishers_.back()->start();
        }
        if (!test::wait_until([&] {
                return acks_->ready() && std::all_of(publishers_.begin(), publishers_.end(),
                                                     [](const auto& c) { return c->connected(); });
            }, 10'000))
            throw std::runtime_error("MQTT clients did not connect");
    }
    ~Bench() {
        for (auto& p : publishers_) p->stop();
        if (hq_ && hq_->running()) {
            hq_->kill(SIGTERM);
            (void)hq_->wait_exit(10'000);
        }
    }
    Bench(const Bench&) = delete;
    Bench& operator=(const Bench&) = delete;

    std::string hq_log() const { return test::read_text_file(dir_.file("hq.log")); }
    bool hq_running() { return hq_->running(); }
    hq::PgConnection& db() { return *db_; }
    const test::TestBroker& broker() const { return broker_; }

    // Phase 1's messages: each store's new entries once per wall second (at 3600 /
    // busy_seconds compression a wall second is that many store-seconds: what a
    // controller's sender finds in its log at a tick), the stores spread over the second.
    Phase busy_hour(TimeMs hour) {
        Phase phase;
        const double tick_s = 1.0;
        const int ticks = std::max(1, static_cast<int>(o_.busy_seconds / tick_s + 0.5));
        const TimeMs store_per_tick = kHourMs / ticks;
        for (int s = 0; s < o_.stores; ++s) {
            auto entries = streams_[static_cast<std::size_t>(s)].hour(hour);
            std::size_t next = 0;
            for (int t = 0; t < ticks; ++t) {
                std::vector<std::pair<std::int64_t, std::string>> batch;
                const TimeMs until = t + 1 == ticks ? hour + kHourMs + 1 : hour + store_per_tick * (t + 1);
                while (next < entries.size() && entries[next].second.at < until) {
                    batch.push_back({entries[next].first, std::move(entries[next].second.json)});
                    ++next;
                }
                add_batches(phase.messages, s, streams_[static_cast<std::size_t>(s)].id(),
                            (t + static_cast<double>(s) / o_.stores) * tick_s * 1e6, batch);
            }
            phase.last_seq[s] = streams_[static_cast<std::size_t>(s)].last_seq();
        }
        finish(phase);
        return phase;
    }

    // A backlog: `hours` hours of each of the given stores, in controller-sized batches,
    // all due at once.
    Phase backlog(int stores, TimeMs first_hour, int hours) {
        Phase phase;
        for (int s = 0; s < stores; ++s) {
            std::vector<std::pair<std::int64_t, std::string>> all;
            for (int h = 0; h < hours; ++h)
                for (auto& [seq, item] : streams_[static_cast<std::size_t>(s)].hour(first_hour + h * kHourMs))
                    all.push_back({seq, std::move(item.json)});
            add_batches(phase.messages, s, streams_[static_cast<std::size_t>(s)].id(), 0, all);
            phase.last_seq[s] = streams_[static_cast<std::size_t>(s)].last_seq();
        }
        finish(phase);
        return phase;
    }

    Result run(Phase& phase, const std::string& name) {
        Result r;
        for (const auto& [s, seq] : phase.last_seq) expected_[s] = seq;
        for (const auto& [s, seq] : expected_) r.expected_sum += seq;
        test::ChildProcess sub({"mosquitto_sub", "-h", broker_.host(), "-p", std::to_string(broker_.port()), "-t",
                                std::string(chain::kOutboundFilter), "-q", "1", "-C",
                                std::to_string(phase.messages.size()), "-N", "-F", "%l"},
                               dir_.file("sub-" + name + ".log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(700));  // subscribed before the stream starts
        std::atomic<bool> published{false};
        const double cpu_before = cpu_seconds(hq_->pid());
        const double start = now_us();
        std::thread publisher([&] {
            for (const Message& m : phase.messages) {
                if (m.at_us > 0) {
                    const double wait = start + m.at_us - now_us();
                    if (wait > 0) std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long long>(wait)));
                }
                auto sent = publishers_[static_cast<std::size_t>(m.store % kPublishers)]->publish(
                    chain::outbound_topic(streams_[static_cast<std::size_t>(m.store)].id()), m.payload, 1, false);
                if (!sent) std::fprintf(stderr, "publish: %s\n", sent.error().to_string().c_str());
            }
            published = true;
        });
        double last_publish = 0;
        double last_move = start;
        std::int64_t last_sum = -1;
        test::wait_until([&] {
            const double t = now_us();
            if (!last_publish && published) last_publish = t;
            if (!r.sub_done && !sub.running()) {
                r.sub_done = true;
                r.sub_s = (t - start) / 1e6;
            }
            if (!r.hq_done) {
                r.cursor_sum = scalar(*db_, "SELECT coalesce(sum(seq), 0) FROM store_cursor");
                const double now = now_us();
                if (r.cursor_sum != last_sum) {
                    const double still = (now - last_move) / 1e6;
                    if (last_sum >= 0 && still > 1.0) ++r.stalls;
                    r.longest_stall_s = std::max(r.longest_stall_s, still);
                    last_sum = r.cursor_sum;
                    last_move = now;
                }
                if (r.cursor_sum >= r.expected_sum) {
                    r.hq_done = true;
                    r.hq_s = (now_us() - start) / 1e6;
                }
            }
            if (r.hq_done && !r.acked && acks_->all_at(phase.last_seq)) {
                r.acked = true;
                r.acked_s = (now_us() - start) / 1e6;
            }
            if (!hq_->running()) return true;
            return r.sub_done && r.hq_done && r.acked;
        }, 600'000);
        publisher.join();
        if (!last_publish) last_publish = now_us();
        r.last_publish_s = (last_publish - start) / 1e6;
        r.load = load_average();
        r.hq_cpu_s = cpu_seconds(hq_->pid()) - cpu_before;
        if (sub.running()) sub.kill(SIGTERM);
        return r;
    }

    // Every store's cursor in PostgreSQL equals the last seq it sent; rows equal what was sent.
    std::string check_lost(std::int64_t feedback_sent) {
        std::string problems;
        auto cursors = db_->query("SELECT store, seq FROM store_cursor");
        if (!cursors) return "store_cursor: " + cursors.error().to_string();
        std::map<std::string, std::int64_t> have;
        for (int i = 0; i < cursors->rows(); ++i) have[cursors->text(i, 0)] = cursors->int64(i, 1);
        int wrong = 0;
        for (const auto& [s, seq] : expected_)
            if (have[streams_[static_cast<std::size_t>(s)].id()] != seq) ++wrong;
        if (wrong) problems += std::to_string(wrong) + " stores' cursors below their last seq; ";
        const std::int64_t fb = scalar(*db_, "SELECT count(*) FROM feedback");
        if (fb != feedback_sent) problems += "feedback rows " + std::to_string(fb) + " of " + std::to_string(feedback_sent) + "; ";
        const std::int64_t hours = scalar(*db_, "SELECT count(*) FROM hour_seq");
        if (hours != store_hours_) problems += "hours " + std::to_string(hours) + " of " + std::to_string(store_hours_) + "; ";
        const std::int64_t lanes = scalar(*db_, "SELECT count(*) FROM lane_hourly");
        if (lanes != store_hours_ * kLanes)
            problems += "lane_hourly rows " + std::to_string(lanes) + " of " + std::to_string(store_hours_ * kLanes) + "; ";
        const std::int64_t events = scalar(*db_, "SELECT count(*) FROM lane_events");
        if (events != store_hours_ * kLaneEventsPerHour) problems += "lane_events " + std::to_string(events) + "; ";
        const std::int64_t prompts = scalar(*db_, "SELECT count(*) FROM prompts WHERE state = 'fulfilled'");
        if (prompts != store_hours_ * kPromptsPerHour) problems += "fulfilled prompts " + std::to_string(prompts) + "; ";
        return problems;
    }
    std::int64_t store_hours() const { return store_hours_; }
    // storeq-hq report over the run's day, as a child process: seconds, or -1.
    double report_seconds(const char* by) {
        const double start = now_us();
        test::ChildProcess report({STOREQ_BINARY_DIR "/bin/storeq-hq", "report", "--pg", pg_.conninfo(), "--tree",
                                   dir_.file("chain.tree"), "--by", by, "--from", "2026-12-02", "--to", "2026-12-02",
                                   "--format", "csv"},
                                  dir_.file(std::string("report-") + by + ".csv"));
        const auto code = report.wait_exit(120'000);
        return code == 0 ? (now_us() - start) / 1e6 : -1;
    }
    std::int64_t pubacks() const { return pubacks_.load(); }
    AckWatcher& acks() { return *acks_; }

private:
    void finish(Phase& phase) {
        for (const auto& m : phase.messages) {
            phase.entries += m.entries;
            phase.bytes += static_cast<std::int64_t>(m.payload.size());
        }
        store_hours_ += static_cast<std::int64_t>(phase.entries / kEntriesPerHour);
    }

    Options o_;
    test::TempDir dir_{"storeq-bench-hq"};
    test::TestBroker broker_;
    PgServer pg_;
    std::vector<StoreStream> streams_;
    std::unique_ptr<test::ChildProcess> hq_;
    std::unique_ptr<hq::PgConnection> db_;
    std::unique_ptr<AckWatcher> acks_;
    std::vector<std::unique_ptr<MqttClient>> publishers_;
    std::atomic<std::int64_t> pubacks_{0};
    std::map<int, std::int64_t> expected_;
    std::int64_t store_hours_ = 0;
};

double ratio_of(double a, double b) { return b > 0 ? a / b : 0.0; }

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> double {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return std::atof(argv[++i]);
        };
        if (a == "--stores") o.stores = static_cast<int>(value());
        else if (a == "--busy-seconds") o.busy_seconds = value();
        else if (a == "--outage-stores") o.outage_stores = static_cast<int>(value());
        else if (a == "--pg-fsync-off") o.pg_fsync = false;
        else if (a == "--quick") {
            o.stores = 300;
            o.busy_seconds = 10;
            o.outage_stores = 30;
        } else {
            std::fprintf(stderr,
                         "usage: storeq-bench-hq_ingest [--stores N] [--busy-seconds S] [--outage-stores N] [--quick] "
                         "[--pg-fsync-off]\n");
            return 2;
        }
    }
    o.stores = std::clamp(o.stores, 1, 9999);
    o.outage_stores = std::clamp(o.outage_stores, 1, o.stores);
    if (!test::PostgresFixture::available()) {
        std::fprintf(stderr, "PostgreSQL 15 is not installed (%s)\n", test::kPostgresBin);
        return 1;
    }
    const double compression = 3600.0 / o.busy_seconds;
    std::printf("# hq_ingest: %d stores, 100 a region; a busy store-hour = %d entries: %d feedback, %d prompt "
                "transitions (%d prompts open -> claimed -> fulfilled), %d lane events, 1 hour rollup of %d lanes\n",
                o.stores, kEntriesPerHour, kFeedbackPerHour, 3 * kPromptsPerHour, kPromptsPerHour, kLaneEventsPerHour,
                kLanes);
    std::printf("# PostgreSQL 15 with fsync=%s, storeq-hq as built, central mosquitto (max_queued_messages 0, "
                "max_inflight_messages 100), %d publisher connections for the stores; load average %.1f at start\n",
                o.pg_fsync ? "on" : "off", kPublishers, load_average());
    std::fflush(stdout);

    try {
        Bench bench(o);
        std::int64_t feedback_sent = 0;
        bool all_ok = true;
        std::int64_t json_bytes = 0;

        // 1. The busy hour at its rate.
        Phase p1 = bench.busy_hour(kT0);
        feedback_sent += static_cast<std::int64_t>(o.stores) * kFeedbackPerHour;
        json_bytes += p1.bytes;
        std::printf("# 1. busy hour at %.0fx (the hour in %.0f s): %lld entries in %zu messages (%.0f entries/s, %.0f "
                    "msg/s offered; %.0f entries/s for the real hour)\n",
                    compression, o.busy_seconds, static_cast<long long>(p1.entries), p1.messages.size(),
                    static_cast<double>(p1.entries) / o.busy_seconds,
                    static_cast<double>(p1.messages.size()) / o.busy_seconds,
                    static_cast<double>(p1.entries) / 3600.0);
        std::fflush(stdout);
        Result r1 = bench.run(p1, "busy");
        std::string lost1 = bench.check_lost(feedback_sent);
        std::printf("# 1. last publish at %.1f s; mosquitto_sub done at %.1f s; storeq-hq committed all at %.1f s, "
                    "acked all at %.1f s; storeq-hq used %.1f s of CPU; load %.1f; %s\n",
                    r1.last_publish_s, r1.sub_s, r1.hq_s, r1.acked_s, r1.hq_cpu_s, r1.load, lost1.empty() ? "none lost" : lost1.c_str());
        row(format("busy hour %.0fx, all committed", compression), format("%.1f s", r1.hq_s),
            format("mosquitto_sub %.1f s", r1.sub_s), ratio_of(r1.hq_s, r1.sub_s), "<= 1.1x, none lost",
            lost1.empty() && r1.hq_done && r1.hq_s <= 1.1 * r1.sub_s ? "met" : "MISS");
        std::printf("# 1. commits stood still for over 1 s %d times, longest %.1f s\n", r1.stalls, r1.longest_stall_s);
        all_ok = all_ok && lost1.empty() && r1.hq_done;
        p1 = Phase{};

        // 2. Throughput: the next busy hour of every store, as a backlog.
        Phase p2 = bench.backlog(o.stores, kT0 + kHourMs, 1);
        feedback_sent += static_cast<std::int64_t>(o.stores) * kFeedbackPerHour;
        json_bytes += p2.bytes;
        std::printf("# 2. backlog: %lld entries in %zu messages (%.1f MB), published as fast as the broker takes them\n",
                    static_cast<long long>(p2.entries), p2.messages.size(), static_cast<double>(p2.bytes) / 1e6);
        // The floor of any consumer of this format: decoding the same payloads, in this process.
        const double decode_start = now_us();
        std::int64_t decoded = 0;
        for (const auto& m : p2.messages)
            if (auto b = chain::decode_batch(m.payload)) decoded += static_cast<std::int64_t>(b->entries.size());
        const double decode_rate = static_cast<double>(decoded) / ((now_us() - decode_start) / 1e6);
        std::fflush(stdout);
        Result r2 = bench.run(p2, "backlog");
        std::string lost2 = bench.check_lost(feedback_sent);
        const double hq_rate = r2.hq_done ? static_cast<double>(p2.entries) / r2.hq_s : 0;
        const double sub_rate = r2.sub_done ? static_cast<double>(p2.entries) / r2.sub_s : 0;
        std::printf("# 2. last publish at %.1f s; mosquitto_sub done at %.1f s; committed at %.1f s, acked at %.1f s; "
                    "storeq-hq used %.1f s of CPU; load %.1f; %s\n",
                    r2.last_publish_s, r2.sub_s, r2.hq_s, r2.acked_s, r2.hq_cpu_s, r2.load, lost2.empty() ? "none lost" : lost2.c_str());
        row("hq ingest, entries committed/s", format("%.0f entries/s", hq_rate),
            format("mosquitto_sub %.0f/s", sub_rate), ratio_of(hq_rate, sub_rate), ">= 0.9x, none lost",
            lost2.empty() && r2.hq_done && hq_rate >= 0.9 * sub_rate ? "met" : "MISS");
        std::printf("# 2. commits stood still for over 1 s %d times, longest %.1f s\n", r2.stalls, r2.longest_stall_s);
        row("  context: chain::decode_batch alone", format("%.0f entries/s", decode_rate),
            format("mosquitto_sub %.0f/s", sub_rate), ratio_of(decode_rate, sub_rate), "context", "-");
        all_ok = all_ok && lost2.empty() && r2.hq_done;
        const std::int64_t p2_entries = p2.entries;
        p2 = Phase{};

        // 3. Catch-up after an outage.
        Phase p3 = bench.backlog(o.outage_stores, kT0 + 2 * kHourMs, o.outage_hours);
        feedback_sent += static_cast<std::int64_t>(o.outage_stores) * o.outage_hours * kFeedbackPerHour;
        json_bytes += p3.bytes;
        std::printf("# 3. catch-up: %d stores back from a %d-hour outage: %lld entries in %zu batches (<= %zu entries / "
                    "%zu KB), all at once\n",
                    o.outage_stores, o.outage_hours, static_cast<long long>(p3.entries), p3.messages.size(),
                    chain::kMaxBatchEntries, chain::kMaxBatchBytes / 1024);
        std::fflush(stdout);
        Result r3 = bench.run(p3, "catchup");
        std::string lost3 = bench.check_lost(feedback_sent);
        std::printf("# 3. mosquitto_sub done at %.2f s; committed at %.2f s, acked at %.2f s; storeq-hq used %.1f s of CPU; "
                    "load %.1f; %s\n", r3.sub_s, r3.hq_s, r3.acked_s, r3.hq_cpu_s, r3.load, lost3.empty() ? "none lost" : lost3.c_str());
        row("catch-up " + std::to_string(o.outage_stores) + " stores x " + std::to_string(o.outage_hours) + " h, acked",
            format("%.2f s", r3.acked_s), format("mosquitto_sub %.2f s", r3.sub_s), ratio_of(r3.acked_s, r3.sub_s),
            "report; none lost", lost3.empty() && r3.acked ? "met" : "MISS");
        std::printf("# 3. commits stood still for over 1 s %d times, longest %.1f s\n", r3.stalls, r3.longest_stall_s);
        all_ok = all_ok && lost3.empty() && r3.acked;

        // Retained acks, as a store reconnecting would see them.
        const auto retained = retained_acks(bench.broker(), o.stores);
        int wrong_acks = 0;
        for (int s = 0; s < o.stores; ++s) {
            const std::int64_t want = static_cast<std::int64_t>(2) * kEntriesPerHour +
                                      (s < o.outage_stores ? static_cast<std::int64_t>(o.outage_hours) * kEntriesPerHour : 0);
            auto it = retained.find(s);
            if (it == retained.end() || it->second != want) ++wrong_acks;
        }
        std::printf("# retained acks: %zu stores, %d not at their last seq; %lld ack messages seen live\n",
                    retained.size(), wrong_acks, static_cast<long long>(bench.acks().messages()));
        all_ok = all_ok && wrong_acks == 0;

        // 4. PostgreSQL size per store-year.
        (void)bench.db().exec("CHECKPOINT");
        auto sizes = bench.db().query(
            "SELECT coalesce(i.inhparent::regclass::text, c.relname) AS t, sum(pg_total_relation_size(c.oid)) FROM "
            "pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid WHERE c.relnamespace = 'public'::regnamespace "
            "AND c.relkind = 'r' GROUP BY 1 ORDER BY 2 DESC");
        std::int64_t total = 0;
        std::string by_table;
        if (sizes)
            for (int i = 0; i < sizes->rows(); ++i) {
                total += sizes->int64(i, 1);
                by_table += " " + sizes->text(i, 0) + " " + format("%.1f", static_cast<double>(sizes->int64(i, 1)) / 1e6) + " MB;";
            }
        const std::int64_t store_hours = bench.store_hours();
        constexpr double kHoursPerYear = 14.0 * 363.0;
        const double per_store_year = static_cast<double>(total) / static_cast<double>(store_hours) * kHoursPerYear;
        const double payload_year = static_cast<double>(json_bytes) / static_cast<double>(store_hours) * kHoursPerYear;
        std::printf("# 4. %lld store-hours ingested, PostgreSQL tables %.1f MB (indexes and TOAST in, WAL out):%s\n",
                    static_cast<long long>(store_hours), static_cast<double>(total) / 1e6, by_table.c_str());
        std::printf("#    per store-year: every one of 14 opening hours x 363 days as busy as this hour (an upper "
                    "bound): %.0f MB; the JSON payloads sent for it %.0f MB\n",
                    per_store_year / 1e6, payload_year / 1e6);
        row("PostgreSQL per store-year", format("%.0f MB", per_store_year / 1e6),
            format("payload %.0f MB", payload_year / 1e6), ratio_of(per_store_year, payload_year), "report only", "-");
        std::printf("# 3,000 stores x a year: %.2f TB (busy-hour volumes every hour; entries/store-hour %d; backlog "
                    "phase %lld entries)\n",
                    per_store_year * 3000 / 1e12, kEntriesPerHour, static_cast<long long>(p2_entries));
        // Context: what the chain documents storeq-hq publishes every 5 s read back (one
        // period and the one before, for every store), as `storeq-hq report` reads it.
        for (const char* by : {"store", "chain"}) {
            const double t = bench.report_seconds(by);
            std::printf("# storeq-hq report --by %s over the run's day, %d stores: %.2f s\n", by, o.stores, t);
        }
        if (!bench.hq_running()) {
            std::printf("# storeq-hq exited during the run; its log:\n%s\n", bench.hq_log().c_str());
            all_ok = false;
        }
        return all_ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hq_ingest: %s\n", e.what());
        return 1;
    }
}
