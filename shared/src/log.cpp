#include "storeq/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace storeq {
namespace {
std::mutex g_log_mutex;
LogLevel g_min_level = LogLevel::info;

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
    }
    return "?";
}

constexpr std::int64_t kRelogIntervalMs = 60'000;
}  // namespace

void set_log_level(LogLevel level) {
    std::lock_guard lock(g_log_mutex);
    g_min_level = level;
}

void log(LogLevel level, std::string_view component, std::string_view text) {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    std::lock_guard lock(g_log_mutex);
    if (level < g_min_level) return;
    std::fprintf(stderr, "%s.%03lldZ %-5s %.*s: %.*s\n", stamp, static_cast<long long>(ms % 1000),
                 level_name(level).data(), static_cast<int>(component.size()), component.data(),
                 static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
}

bool RejectCounter::count(const std::string& reason, std::int64_t now_ms) {
    ++total_;
    ++counts_[reason];
    auto [it, first_time] = last_logged_.try_emplace(reason, now_ms);
    if (first_time) return true;
    if (now_ms - it->second < kRelogIntervalMs) return false;
    it->second = now_ms;
    return true;
}

}  // namespace storeq
