#pragma once
// Moves SQLite's WAL checkpoints off the message path. By default the connection that
// commits also checkpoints every 1000 pages, fsync included, inside a COMMIT: measured as
// a 4 ms prompt-latency p99 (bench/prompt_latency). The controller's own connection turns
// that off and this thread checkpoints from a second connection once a second; PASSIVE
// never blocks the writer.
#include <stop_token>
#include <string>
#include <thread>

namespace storeq::controller {

class WalCheckpointer {
public:
    explicit WalCheckpointer(std::string db_path);
    ~WalCheckpointer();  // stops and joins the thread
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

private:
    void run(std::stop_token stop);
    std::string db_path_;
    std::jthread thread_;
};

}  // namespace storeq::controller
