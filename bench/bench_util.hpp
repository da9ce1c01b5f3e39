#pragma once
// Small helpers for bench/ programs: a monotonic clock, percentiles, one result line.
// Benchmarks report figures beside a baseline measured in the same run; they never fail
// a build on timing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace storeq::bench {

inline double now_us() {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

// One row of the table scripts/bench prints: | benchmark | measured | baseline | ratio | target |
inline void print_row(const std::string& name, const std::string& measured, const std::string& baseline,
                      double ratio, const std::string& target, bool met) {
    std::printf("| %-34s | %-22s | %-22s | %6.2fx | %-28s | %-4s |\n", name.c_str(), measured.c_str(),
                baseline.c_str(), ratio, target.c_str(), met ? "met" : "MISS");
    std::fflush(stdout);
}

inline std::string format(const char* fmt, double value) {
    char text[64];
    std::snprintf(text, sizeof text, fmt, value);
    return text;
}

}  // namespace storeq::bench
