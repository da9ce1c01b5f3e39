#include "systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace storeq::controller {
namespace {

std::optional<long long> env_integer(const char* name) {
    const char* text = std::getenv(name);
    if (!text) return std::nullopt;
    long long value = 0;
    const auto end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

}  // namespace

SystemdNotifier SystemdNotifier::from_environment() {
    SystemdNotifier notifier;
    if (const char* path = std::getenv("NOTIFY_SOCKET"); path && (path[0] == '/' || path[0] == '@'))
        notifier.socket_path_ = path;
    // WATCHDOG_PID names the process the watchdog is for; a child that inherited the
    // environment must not ping on our behalf.
    const auto watchdog_pid = env_integer("WATCHDOG_PID");
    const auto watchdog_usec = env_integer("WATCHDOG_USEC");
    if (watchdog_usec && *watchdog_usec > 0 && (!watchdog_pid || *watchdog_pid == ::getpid()))
        notifier.watchdog_interval_ = std::chrono::milliseconds(std::max(1LL, *watchdog_usec / 2000));
    return notifier;
}

Expected<void> SystemdNotifier::notify(std::string_view state) const {
    if (!enabled()) return {};
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path_.size() >= sizeof address.sun_path) return Error{"NOTIFY_SOCKET", "path too long"};
    std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
    if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Error{"NOTIFY_SOCKET", std::strerror(errno)};
    const ssize_t sent =
        ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address), length);
    const int send_errno = errno;
    ::close(fd);
    if (sent < 0) return Error{"NOTIFY_SOCKET " + socket_path_, std::strerror(send_errno)};
    return {};
}

}  // namespace storeq::controller
