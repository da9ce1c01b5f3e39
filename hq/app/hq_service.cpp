#include "hq_service.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "chain_documents.hpp"
#include "hq_options.hpp"
#include "hq_store.hpp"
#include "storeq/chain/outbound.hpp"
#include "storeq/hq/sequencer.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/mqtt_credentials.hpp"
#include "tree_file.hpp"

namespace storeq::hq {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kComponent = "hq";
// A transaction every ~100 ms, or sooner once this many entries are ready.
constexpr auto kFlushEvery = std::chrono::milliseconds(100);
constexpr std::size_t kFlushEntries = 5'000;
// Chain documents at most this often (they read every store's figures back).
constexpr auto kDocumentsEvery = std::chrono::seconds(5);
constexpr auto kRetryMin = std::chrono::milliseconds(200);
constexpr auto kRetryMax = std::chrono::seconds(5);

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// What the MQTT thread hands the worker: the message, nothing done to it yet.
class Inbox {
public:
    void push(MqttMessage m) {
        {
            std::lock_guard lock(mutex_);
            messages_.push_back(std::move(m));
        }
        changed_.notify_one();
    }
    std::deque<MqttMessage> take(std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, wait, [&] { return !messages_.empty(); });
        std::deque<MqttMessage> out;
        out.swap(messages_);
        return out;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<MqttMessage> messages_;
};

// The chain documents read every store's figures back (a few queries per store): seconds
// for 3,000 stores. They are built on a thread of their own, with a PostgreSQL connection
// of their own, so ingest never waits for them (bench/hq_ingest found them on the ingest
// thread). The ingest thread only says that something was committed.
class DocumentsWorker {
public:
    DocumentsWorker(const RunOptions& options, const LoadedTree& tree, MqttClient& client)
        : options_(options), tree_(tree), client_(client), thread_([this] { loop(); }) {}
    ~DocumentsWorker() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }
    void committed() {
        {
            std::lock_guard lock(mutex_);
            due_ = true;
        }
        changed_.notify_all();
    }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        while (!stop_) {
            changed_.wait(lock, [&] { return stop_ || due_; });
            if (stop_) break;
            due_ = false;
            lock.unlock();
            const auto began = Clock::now();
            const bool published = publish_once();
            const auto took = Clock::now() - began;
            lock.lock();
            if (!published) due_ = true;  // PostgreSQL away: try again after the pause
            // At most every kDocumentsEvery, however often commits come, and resting four
            // times as long as the last build took: a fifth of a core at most, whatever the
            // chain's size, is what the documents may take from ingest.
            const auto pause = std::max<Clock::duration>(kDocumentsEvery, 4 * took);
            changed_.wait_for(lock, pause, [&] { return stop_; });
        }
    }

    bool publish_once() {
        if (!db_ || !db_->usable()) {
            store_.reset();
            db_.reset();
            auto db = PgConnection::connect(options_.pg_conninfo);
            if (!db) return false;
            db_ = std::make_unique<PgConnection>(std::move(*db));
            store_ = std::make_unique<HqStore>(*db_);
        }
        auto documents = chain_documents(*store_, tree_, now_ms());
        if (!documents) {
            log_warn(kComponent, "chain documents: " + documents.error().to_string());
            return false;
        }
        for (const auto& [topic, payload] : *documents)
            if (auto sent = client_.publish(topic, payload, 1, true); !sent)
                log_warn(kComponent, topic + ": " + sent.error().to_string());
        return true;
    }

    const RunOptions& options_;
    const LoadedTree& tree_;
    MqttClient& client_;
    std::unique_ptr<PgConnection> db_;
    std::unique_ptr<HqStore> store_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool due_ = false, stop_ = false;
    std::thread thread_;  // last: starts once the rest is made
};

class Service {
public:
    Service(RunOptions options, LoadedTree tree) : options_(std::move(options)), tree_(std::move(tree)) {}

    int run(const std::atomic<bool>& stop) {
        if (!connect_database(stop)) return stop ? 0 : 1;
        MqttOptions mqtt;
        mqtt.host = options_.broker_host;
        mqtt.port = options_.broker_port;
        mqtt.client_id = options_.client_id;
        // A persistent session: while storeq-hq is down the broker queues QoS 1 batches.
        mqtt.clean_session = false;
        if (!options_.credentials_path.empty()) {
            auto credentials = load_credentials(options_.credentials_path);
            if (!credentials) {
                std::fprintf(stderr, "storeq-hq: --credentials %s\n", credentials.error().to_string().c_str());
                return 2;
            }
            apply_credentials(mqtt, *credentials);
        }
        MqttClient client(mqtt);
        client.on_message([this](const MqttMessage& m) { inbox_.push(m); });
        const std::string filter = options_.share_group.empty()
                                       ? std::string(chain::kOutboundFilter)
                                       : "$share/" + options_.share_group + "/" + std::string(chain::kOutboundFilter);
        client.subscribe(filter, 1);
        if (auto started = client.start(); !started) {
            std::fprintf(stderr, "storeq-hq: %s\n", started.error().to_string().c_str());
            return 2;
        }
        std::optional<DocumentsWorker> documents;
        documents.emplace(options_, tree_, client);
        bool ready_said = false;
        auto last_flush = Clock::now();
        while (!stop) {
            for (MqttMessage& m : inbox_.take(std::chrono::milliseconds(20))) take(m);
            if (!ready_said && client.subscribed()) {
                std::printf("storeq-hq: ready\n");
                std::fflush(stdout);
                ready_said = true;
            }
            const auto now = Clock::now();
            const bool due = sequencer_.ready_count() >= kFlushEntries ||
                             ((sequencer_.ready_count() > 0 || !ack_due_.empty()) && now - last_flush >= kFlushEvery);
            if (due && now >= retry_at_) {
                last_flush = now;
                flush(client);
            }
            if (documents_due_) {
                documents->committed();
                documents_due_ = false;
            }
        }
        documents.reset();  // joined before the session it publishes on goes
        client.leaving();
        client.stop();
        log_info(kComponent, "stopped");
        return 0;
    }

private:
    bool connect_database(const std::atomic<bool>& stop) {
        auto wait = kRetryMin;
        bool said = false;
        while (!stop) {
            auto opened = open_database();
            if (opened) return true;
            if (!said) log_warn(kComponent, "PostgreSQL: " + opened.error().to_string() + " (retrying)");
            said = true;
            std::this_thread::sleep_for(wait);
            wait = std::min(wait * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kRetryMax));
        }
        return false;
    }

    // A new connection, the schema up to date, and the cursors read back (at start and
    // after PostgreSQL was lost: a commit whose answer was lost may have happened).
    // The store refers to the connection: both go together.
    void drop_database() {
        store_.reset();
        db_.reset();
    }

    Expected<void> open_database() {
        drop_database();
        auto db = PgConnection::connect(options_.pg_conninfo);
        if (!db) return db.error();
        db_ = std::make_unique<PgConnection>(std::move(*db));
        store_ = std::make_unique<HqStore>(*db_);
        auto version = store_->migrate();
        if (!version) return version.error();
        auto cursors = store_->cursors();
        if (!cursors) return cursors.error();
        for (const auto& [id, cursor] : *cursors) {
            sequencer_.set_committed(id, cursor.seq);
            check_zone(id, cursor.zone);
        }
        log_info(kComponent, "PostgreSQL ready (schema version " + std::to_string(*version) + ", " +
                                 std::to_string(cursors->size()) + " stores with a cursor)");
        return {};
    }

    void check_zone(const std::string& store, const std::string& zone) {
        const ChainStore* s = tree_.tree.find(store);
        if (!s || zone.empty() || zone == s->zone || zone_warned_.count(store)) return;
        zone_warned_.insert(store);
        log_warn(kComponent, "store " + store + " records its data in zone " + zone + ", the tree says " + s->zone +
                                 ": its report uses the tree's zone");
    }

    void reject(const std::string& reason, const std::string& detail) {
        if (rejects_.count(reason, now_ms()))
            log_warn(kComponent, "rejected " + reason + " (" + detail + "; " +
                                     std::to_string(rejects_.by_reason().at(reason)) + " so far)");
    }

    void take(const MqttMessage& m) {
        auto store = chain::store_of_outbound_topic(m.topic);
        if (!store) return reject("topic", m.topic + ": " + store.error().to_string());
        if (!tree_.tree.find(*store)) return reject("unknown store", *store + " is not in the tree");
        auto batch = chain::decode_batch(m.payload);
        if (!batch) return reject("bad payload", *store + ": " + batch.error().to_string());
        if (batch->store != *store)
            return reject("store mismatch", "batch of " + batch->store + " on the topic of " + *store);
        check_zone(*store, batch->zone);
        const OfferCounts counts = sequencer_.offer(*batch);
        duplicates_ += counts.duplicates;
        if (counts.dropped) reject("over the memory bound", *store + ": " + std::to_string(counts.dropped) + " entries");
        // Every store heard from is acked after the next flush, also when all it sent were
        // duplicates: it missed the ack and is sending again.
        ack_due_.insert(*store);
    }

    void flush(MqttClient& client) {
        if (!db_ || !db_->usable()) {
            if (auto opened = open_database(); !opened) return failed(opened.error());
        }
        const auto ready = sequencer_.ready(kFlushEntries);
        if (!ready.empty()) {
            auto committed = store_->commit(ready, now_ms());
            if (!committed) {
                if (!db_->usable()) drop_database();
                return failed(committed.error());
            }
            for (const auto& [id, r] : ready) {
                sequencer_.committed_up_to(id, r.first_seq + static_cast<std::int64_t>(r.entries.size()) - 1);
                ack_due_.insert(id);
            }
            committed_ += *committed;
            documents_due_ = true;
        }
        if (retry_wait_ > kRetryMin) log_info(kComponent, "PostgreSQL is back: committing again");
        retry_wait_ = kRetryMin;
        for (const auto& id : ack_due_) {
            auto sent = client.publish(chain::ack_topic(id), chain::encode(chain::Ack{sequencer_.committed(id)}), 1, true);
            if (!sent) log_warn(kComponent, "ack to " + id + ": " + sent.error().to_string());
        }
        ack_due_.clear();
        if (options_.verbose)
            log_info(kComponent, "committed " + std::to_string(committed_) + " entries, " + std::to_string(duplicates_) +
                                     " duplicates dropped");
    }

    void failed(const Error& error) {
        // Nothing is acked: the entries stay in memory (and at the store) and go in the
        // next transaction.
        if (retry_wait_ == kRetryMin) log_warn(kComponent, "PostgreSQL: " + error.to_string() + " (retrying, nothing acked)");
        retry_at_ = Clock::now() + retry_wait_;
        retry_wait_ = std::min(retry_wait_ * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kRetryMax));
    }

    RunOptions options_;
    LoadedTree tree_;
    Inbox inbox_;
    Sequencer sequencer_;
    std::unique_ptr<PgConnection> db_;
    std::unique_ptr<HqStore> store_;
    std::set<std::string> ack_due_;
    std::set<std::string> zone_warned_;
    RejectCounter rejects_;
    std::int64_t committed_ = 0, duplicates_ = 0;
    bool documents_due_ = false;
    Clock::time_point retry_at_{};
    std::chrono::milliseconds retry_wait_ = kRetryMin;
};

}  // namespace

int run_service(const std::vector<std::string>& args, const std::atomic<bool>& stop) {
    auto options = parse_run_options(args);
    if (!options) {
        std::fprintf(stderr, "storeq-hq run: %s\n%s", options.error().to_string().c_str(), kHqUsage);
        return 2;
    }
    if (options->help) {
        std::fputs(kHqUsage, stdout);
        return 0;
    }
    auto tree = load_tree_file(options->tree_path);
    if (!tree) {
        std::fprintf(stderr, "storeq-hq run: --tree %s\n", tree.error().to_string().c_str());
        return 2;
    }
    Service service(std::move(*options), std::move(*tree));
    return service.run(stop);
}

}  // namespace storeq::hq
