#include "wal_checkpointer.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "storeq/log.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {
namespace {
constexpr auto kInterval = std::chrono::seconds(1);
}

WalCheckpointer::WalCheckpointer(std::string db_path)
    : db_path_(std::move(db_path)), thread_([this](std::stop_token stop) { run(stop); }) {}

WalCheckpointer::~WalCheckpointer() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
}

void WalCheckpointer::run(std::stop_token stop) {
    auto db = Database::open(db_path_);
    if (!db) {
        log_warn("controller", "WAL checkpoints: cannot open a second connection: " + db.error().to_string());
        return;
    }
    std::mutex mutex;
    std::condition_variable_any wake;
    bool warned = false;
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, kInterval, [] { return false; });
        }
        if (stop.stop_requested()) break;
        if (auto done = db->exec("PRAGMA wal_checkpoint(PASSIVE)"); !done && !warned) {
            // A full disk or a lock: the WAL grows until the next checkpoint gets through.
            log_warn("controller", "WAL checkpoint failed (retrying every second): " + done.error().to_string());
            warned = true;
        } else if (done) {
            warned = false;
        }
    }
}

}  // namespace storeq::controller
