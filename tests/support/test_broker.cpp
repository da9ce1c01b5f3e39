#include "test_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace storeq::test {

namespace {

constexpr const char* kMosquitto = "/usr/sbin/mosquitto";
constexpr int kStartTimeoutMs = 5000;
constexpr int kStopTimeoutMs = 5000;

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

}  // namespace

int find_free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const int bind_errno = errno;
        ::close(fd);
        throw std::runtime_error(std::string("bind 127.0.0.1:0: ") + std::strerror(bind_errno));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool port_accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in address = loopback(port);
    const bool accepted =
        ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return accepted;
}

TestBroker::TestBroker(TestBrokerOptions options) : options_(std::move(options)) {
    port_ = find_free_port();
    config_path_ = dir_.file("mosquitto.conf");
    write_config();
    start();
}

TestBroker::~TestBroker() { stop(); }

void TestBroker::write_config() const {
    std::ofstream config(config_path_);
    if (options_.config) {
        config << options_.config(port_) << "\n";
    } else {
        const std::string base_path = std::string(STOREQ_SOURCE_DIR) + "/assets/mosquitto/storeq-local.conf";
        std::ifstream base(base_path);
        if (!base) throw std::runtime_error("TestBroker: cannot read " + base_path);
        config << base.rdbuf() << "\n";
        config << "listener " << port_ << " 127.0.0.1\n";
    }
    // Started as root, mosquitto switches to user "mosquitto", which cannot write the
    // persistence file into our root-owned temporary directory ("Permission denied" at
    // shutdown, and the restarted broker forgets every session).
    if (::geteuid() == 0) config << "user root\n";
    if (options_.persistence) {
        config << "persistence true\n";
        // mosquitto wants the trailing slash on a directory.
        config << "persistence_location " << dir_.path().string() << "/\n";
    }
    if (!config) throw std::runtime_error("TestBroker: cannot write " + config_path_);
}

void TestBroker::start() {
    if (running()) return;
    process_.reset();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kMosquitto, "-c", config_path_}, dir_.file("mosquitto.log"));
    // Our own probe connections are plain TCP opens and closes; the broker logs nothing
    // for them with connection_messages false.
    const bool ready = wait_until(
        [this] { return port_accepts_connections(port_) || !process_->running(); },
        kStartTimeoutMs);
    if (!ready || !process_->running()) {
        const std::string log = process_->log_text();
        process_.reset();
        throw std::runtime_error("TestBroker: mosquitto did not accept connections on " +
                                 address() + " (the port may have been taken meanwhile). Log:\n" +
                                 log);
    }
}

void TestBroker::stop() {
    if (!process_) return;
    process_->kill(SIGTERM);
    if (!process_->wait_exit(kStopTimeoutMs)) {
        process_->kill(SIGKILL);
        process_->wait_exit(kStopTimeoutMs);
    }
    // Keep the log of the last run readable; the process object itself is done.
    process_.reset();
}

void TestBroker::crash() {
    if (!process_) return;
    process_->kill(SIGKILL);
    process_->wait_exit(kStopTimeoutMs);
    process_.reset();
}

std::string TestBroker::log_text() const { return read_text_file(dir_.file("mosquitto.log")); }

}  // namespace storeq::test
