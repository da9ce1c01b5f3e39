#pragma once
// sd_notify(3) without libsystemd: one datagram per state change to $NOTIFY_SOCKET.
// Outside systemd (no NOTIFY_SOCKET) every call is a no-op, so the controller runs the
// same from a shell, a test or a unit.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "storeq/expected.hpp"

namespace storeq::controller {

class SystemdNotifier {
public:
    // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID once.
    static SystemdNotifier from_environment();

    bool enabled() const { return !socket_path_.empty(); }
    // "READY=1", "WATCHDOG=1", "STOPPING=1", "RELOADING=1", "STATUS=...".
    Expected<void> notify(std::string_view state) const;
    // How often to send WATCHDOG=1: half of WatchdogSec, as sd_watchdog_enabled(3)
    // advises. nullopt when systemd asked for no watchdog.
    std::optional<std::chrono::milliseconds> watchdog_interval() const { return watchdog_interval_; }

private:
    std::string socket_path_;  // '@' first: abstract namespace
    std::optional<std::chrono::milliseconds> watchdog_interval_;
};

}  // namespace storeq::controller
