#include "tcp_relay.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <utility>

namespace storeq::test {
namespace {

int listen_on_free_port(int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("TcpRelay: socket");
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
        ::close(fd);
        throw std::runtime_error("TcpRelay: bind/listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    return fd;
}

int connect_upstream(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Copies what is readable on `from` to `to`; false when either side is done.
bool pump(int from, int to) {
    char buffer[16384];
    const ssize_t n = ::read(from, buffer, sizeof buffer);
    if (n <= 0) return false;
    ssize_t sent = 0;
    while (sent < n) {
        const ssize_t w = ::write(to, buffer + sent, static_cast<std::size_t>(n - sent));
        if (w <= 0) return false;
        sent += w;
    }
    return true;
}

}  // namespace

TcpRelay::TcpRelay(int upstream_port) : upstream_port_(upstream_port) {
    listen_fd_ = listen_on_free_port(port_);
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("TcpRelay: pipe");
    thread_ = std::thread([this] { run(); });
}

TcpRelay::~TcpRelay() {
    stop_ = true;
    (void)!::write(wake_[1], "x", 1);
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void TcpRelay::cut() {
    cut_ = true;
    (void)!::write(wake_[1], "x", 1);
}

void TcpRelay::restore() { cut_ = false; }

void TcpRelay::run() {
    std::vector<std::pair<int, int>> links;  // (client side, upstream side)
    auto close_all = [&] {
        for (auto [a, b] : links) {
            ::close(a);
            ::close(b);
        }
        links.clear();
    };
    while (!stop_) {
        std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
        for (auto [a, b] : links) {
            fds.push_back({a, POLLIN, 0});
            fds.push_back({b, POLLIN, 0});
        }
        if (::poll(fds.data(), fds.size(), 200) < 0) continue;
        if (fds[0].revents & POLLIN) {
            char drain[64];
            while (::read(wake_[0], drain, sizeof drain) > 0) {
            }
        }
        if (cut_) close_all();
        if (fds[1].revents & POLLIN) {
            const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client >= 0) {
                const int upstream = cut_ ? -1 : connect_upstream(upstream_port_);
                if (upstream < 0) ::close(client);
                else links.emplace_back(client, upstream);
            }
        }
        if (cut_) continue;
        std::vector<std::pair<int, int>> alive;
        for (std::size_t i = 0; i < links.size() && 2 + 2 * i + 1 < fds.size(); ++i) {
            const auto [a, b] = links[i];
            bool ok = true;
            if (fds[2 + 2 * i].revents & (POLLIN | POLLHUP | POLLERR)) ok = pump(a, b);
            if (ok && (fds[2 + 2 * i + 1].revents & (POLLIN | POLLHUP | POLLERR))) ok = pump(b, a);
            if (ok) {
                alive.emplace_back(a, b);
            } else {
                ::close(a);
                ::close(b);
            }
        }
        // Links accepted in this round were not polled yet: keep them.
        for (std::size_t i = (fds.size() - 2) / 2; i < links.size(); ++i) alive.push_back(links[i]);
        links = std::move(alive);
    }
    close_all();
}

}  // namespace storeq::test
