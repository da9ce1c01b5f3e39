#pragma once
// One log line per event on stderr ("2026-11-24T12:00:00.123Z level component: text"),
// which journald keeps under systemd. Thread-safe.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace storeq {

enum class LogLevel { debug, info, warn, error };

void set_log_level(LogLevel level);
void log(LogLevel level, std::string_view component, std::string_view text);
inline void log_info(std::string_view c, std::string_view t) { log(LogLevel::info, c, t); }
inline void log_warn(std::string_view c, std::string_view t) { log(LogLevel::warn, c, t); }
inline void log_error(std::string_view c, std::string_view t) { log(LogLevel::error, c, t); }

// Counts rejected inputs by reason and says when a reason may be logged again: at most
// once per reason per minute, so a broken sensor cannot flood the log (docs/protocol.md).
// Time is passed in. Not thread-safe: owned by one thread.
class RejectCounter {
public:
    // Returns true when this rejection should be logged now.
    bool count(const std::string& reason, std::int64_t now_ms);
    std::int64_t total() const { return total_; }
    const std::map<std::string, std::int64_t>& by_reason() const { return counts_; }

private:
    std::map<std::string, std::int64_t> counts_;
    std::map<std::string, std::int64_t> last_logged_;
    std::int64_t total_ = 0;
};

}  // namespace storeq
