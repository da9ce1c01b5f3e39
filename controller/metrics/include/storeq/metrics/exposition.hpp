#pragma once
// Prometheus's text exposition format 0.0.4: metric families as plain data in, the text
// a scrape returns out. Pure (no I/O, no clock, no lock): the controller's shell fills the
// families from a snapshot and its /metrics responder sends the text (docs/integrations.md).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace storeq::metrics {

inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { counter, gauge, histogram };

using Labels = std::vector<std::pair<std::string, std::string>>;

// Fixed buckets, counted per bucket (the text is cumulative): one increment and one add per
// observation, so the hot path that observes pays nothing more.
struct Histogram {
    std::vector<double> bounds;          // upper bounds, ascending; +Inf is implied
    std::vector<std::uint64_t> buckets;  // bounds.size() + 1 counts, the last for +Inf
    double sum = 0;

    Histogram(std::vector<double> upper_bounds = {});  // NOLINT: {} in a Sample is "no buckets"
    void observe(double value);
    std::uint64_t count() const;
};

struct Sample {
    Labels labels;
    double value = 0;     // counter, gauge
    Histogram histogram;  // histogram
};

struct Family {
    std::string name;  // [a-zA-Z_:][a-zA-Z0-9_:]*; counters end in _total
    std::string help;
    MetricType type = MetricType::gauge;
    std::vector<Sample> samples;
};

// # HELP and # TYPE lines, then one line per sample (a histogram: its cumulative _bucket
// lines with le, _sum and _count). A family with no sample is left out.
std::string render_text(const std::vector<Family>& families);

// A number as the format writes it: shortest round-trip text, NaN, +Inf, -Inf.
std::string format_value(double value);

}  // namespace storeq::metrics
