#pragma once
// The controller's /metrics responder (metrics_listen, docs/integrations.md): one thread,
// one connection at a time, GET /metrics only. It never takes the controller's lock: it
// asks `body` for the text, which renders the latest snapshot (controller_metrics.hpp).
//
// Why not prometheus-cpp's pull side: it brings civetweb, a whole web server (file serving,
// CGI, websockets) into a process that otherwise listens on nothing, and one more shared
// library into every package; a scrape needs one request line and one answer.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "storeq/expected.hpp"

namespace storeq::controller {

class MetricsServer {
public:
    // Binds `listen` ("127.0.0.1:9464", "[::1]:9464": an IP address, no name lookup) now,
    // so that an address in use is a start-up error, then serves on its own thread.
    static Expected<std::unique_ptr<MetricsServer>> start(const std::string& listen, std::function<std::string()> body);
    ~MetricsServer();  // stops the thread (within ~200 ms) and closes the socket
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    std::int64_t scrapes() const { return scrapes_.load(); }

private:
    MetricsServer(int fd, std::function<std::string()> body);
    void serve();
    void answer(int client);

    int fd_ = -1;
    std::function<std::string()> body_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> scrapes_{0};
    std::thread thread_;
};

}  // namespace storeq::controller
