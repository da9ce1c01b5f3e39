#pragma once
// A TCP relay on a free loopback port to an upstream port: the network between a store
// and head office, which a test can cut (every connection closed, new ones refused at
// once) and restore. What a real link does when a cable is pulled or a VPN drops, without
// touching either broker.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace storeq::test {

class TcpRelay {
public:
    // upstream_port 0: set it before the first connection (set_upstream_port), when the
    // far end is made after the relay (its configuration names the relay's port).
    explicit TcpRelay(int upstream_port);
    ~TcpRelay();
    TcpRelay(const TcpRelay&) = delete;
    TcpRelay& operator=(const TcpRelay&) = delete;

    int port() const { return port_; }
    void set_upstream_port(int port) { upstream_port_ = port; }
    void cut();      // closes every relayed connection; refuses new ones while cut
    void restore();  // accepts and relays again
    bool is_cut() const { return cut_.load(); }

private:
    void run();

    std::atomic<int> upstream_port_{0};
    int port_ = 0;
    int listen_fd_ = -1;
    int wake_[2] = {-1, -1};  // a pipe: stop and cut wake the relay thread
    std::atomic<bool> stop_{false};
    std::atomic<bool> cut_{false};
    std::thread thread_;
};

}  // namespace storeq::test
