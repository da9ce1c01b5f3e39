#pragma once
// A real mosquitto on a free loopback port, with the project's store-local settings
// (assets/mosquitto/storeq-local.conf). stop() and start() keep the port, so tests can
// restart the broker under connected clients.
#include <functional>
#include <memory>
#include <string>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace storeq::test {

struct TestBrokerOptions {
    // Keeps persistent sessions and their queued QoS 1 messages across stop()/start().
    bool persistence = false;
    // The whole configuration, listeners included, for the port the fixture picked (it
    // still adds `user root` and persistence). Empty: the project's loopback settings
    // (assets/mosquitto/storeq-local.conf, anonymous clients allowed) on that port.
    std::function<std::string(int port)> config = nullptr;
};

class TestBroker {
public:
    // Starts the broker; throws std::runtime_error (with the broker log) if it does not
    // accept connections within a few seconds.
    explicit TestBroker(TestBrokerOptions options = {});
    ~TestBroker();
    TestBroker(const TestBroker&) = delete;
    TestBroker& operator=(const TestBroker&) = delete;

    void start();  // again, on the same port; no-op while running
    void stop();   // SIGTERM and wait: persistence is written on a clean exit
    // SIGKILL, as a power cut: whatever came since the last autosave (with persistence,
    // every 30 min by default; without, everything) is gone.
    void crash();

    int port() const { return port_; }
    std::string host() const { return "127.0.0.1"; }
    std::string address() const { return host() + ":" + std::to_string(port_); }
    bool running() const { return process_ && process_->running(); }
    std::string log_text() const;
    const TempDir& dir() const { return dir_; }

private:
    void write_config() const;

    TestBrokerOptions options_;
    TempDir dir_{"storeq-broker"};
    int port_ = 0;
    std::string config_path_;
    std::unique_ptr<ChildProcess> process_;
};

// A loopback port that was free a moment ago (bind to port 0, read it, close).
int find_free_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts_connections(int port);

}  // namespace storeq::test
