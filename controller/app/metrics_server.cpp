#include "metrics_server.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storeq/log.hpp"
#include "storeq/metrics/exposition.hpp"

namespace storeq::controller {
namespace {
constexpr const char* kLog = "metrics";
constexpr std::size_t kMaxRequestBytes = 8192;  // a request line and a few headers
constexpr int kClientTimeoutS = 2;             // a client that says nothing cannot hold the responder

void send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the scraper went away: nothing to do
        sent += static_cast<std::size_t>(n);
    }
}

std::string response(const char* status, std::string_view content_type, const std::string& body) {
    return std::string("HTTP/1.1 ") + status + "\r\nContent-Type: " + std::string(content_type) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}
}  // namespace

Expected<std::unique_ptr<MetricsServer>> MetricsServer::start(const std::string& listen,
                                                              std::function<std::string()> body) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return Error{"metrics_listen", "'" + listen + "' is not HOST:PORT"};
    std::string host = listen.substr(0, colon);
    const std::string port = listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
        return Error{"metrics_listen " + listen, std::string("not an IP address and port: ") + ::gai_strerror(rc)};
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ::freeaddrinfo(found);
        return Error{"metrics_listen " + listen, std::string("socket: ") + std::strerror(errno)};
    }
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);  // a restart may rebind at once
    const bool bound = ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 8) == 0;
    const int err = errno;
    ::freeaddrinfo(found);
    if (!bound) {
        ::close(fd);
        return Error{"metrics_listen " + listen, std::string("cannot listen: ") + std::strerror(err)};
    }
    log_info(kLog, "serving Prometheus metrics on http://" + listen + "/metrics");
    return std::unique_ptr<MetricsServer>(new MetricsServer(fd, std::move(body)));
}

MetricsServer::MetricsServer(int fd, std::function<std::string()> body) : fd_(fd), body_(std::move(body)) {
    thread_ = std::thread([this] { serve(); });
}

MetricsServer::~MetricsServer() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
}

void MetricsServer::serve() {
    while (!stopping_.load()) {
        pollfd waiting{fd_, POLLIN, 0};
        if (::poll(&waiting, 1, 200) <= 0) continue;
        const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        answer(client);
        ::close(client);
    }
}

void MetricsServer::answer(int client) {
    timeval timeout{kClientTimeoutS, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    std::string request;
    char chunk[1024];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < kMaxRequestBytes) {
        const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        request.append(chunk, static_cast<std::size_t>(n));
    }
    const auto line_end = request.find("\r\n");
    const std::string line = request.substr(0, line_end == std::string::npos ? request.size() : line_end);
    const auto first_space = line.find(' ');
    const auto second_space = first_space == std::string::npos ? std::string::npos : line.find(' ', first_space + 1);
    if (line_end == std::string::npos || second_space == std::string::npos)
        return send_all(client, response("400 Bad Request", "text/plain", "a request line like GET /metrics HTTP/1.1\n"));
    const std::string method = line.substr(0, first_space);
    std::string path = line.substr(first_space + 1, second_space - first_space - 1);
    path = path.substr(0, path.find('?'));  // Prometheus may add parameters; none are read
    if (path != "/metrics") return send_all(client, response("404 Not Found", "text/plain", "only /metrics is here\n"));
    if (method != "GET" && method != "HEAD")
        return send_all(client, response("405 Method Not Allowed", "text/plain", "GET /metrics\n"));
    ++scrapes_;
    std::string text = response("200 OK", metrics::kContentType, body_());
    if (method == "HEAD") text = text.substr(0, text.find("\r\n\r\n") + 4);
    send_all(client, text);
}

}  // namespace storeq::controller
