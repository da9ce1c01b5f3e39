#include "storeq/metrics/exposition.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace storeq::metrics {
namespace {

// HELP text escapes backslash and newline; label values also the double quote.
std::string escaped(std::string_view text, bool quote) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        if (ch == '\\') out += "\\\\";
        else if (ch == '\n') out += "\\n";
        else if (quote && ch == '"') out += "\\\"";
        else out += ch;
    }
    return out;
}

std::string label_text(const Labels& labels, const std::pair<std::string, std::string>* extra = nullptr) {
    if (labels.empty() && !extra) return "";
    std::string out = "{";
    bool first = true;
    auto add = [&](const std::pair<std::string, std::string>& label) {
        if (!first) out += ',';
        first = false;
        out += label.first + "=\"" + escaped(label.second, true) + "\"";
    };
    for (const auto& label : labels) add(label);
    if (extra) add(*extra);
    return out + "}";
}

const char* type_name(MetricType type) {
    switch (type) {
        case MetricType::counter: return "counter";
        case MetricType::gauge: return "gauge";
        case MetricType::histogram: return "histogram";
    }
    return "untyped";
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds(std::move(upper_bounds)), buckets(bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
    const auto at = std::lower_bound(bounds.begin(), bounds.end(), value);  // le: value <= bound
    ++buckets[static_cast<std::size_t>(at - bounds.begin())];
    sum += value;
}

std::uint64_t Histogram::count() const {
    std::uint64_t n = 0;
    for (auto b : buckets) n += b;
    return n;
}

std::string format_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // Plain decimals where they stay short (le="0.0001", as client libraries write them, so
    // a query naming a bucket finds it); exponents only for the very large or small.
    const double size = std::fabs(value);
    const auto format = size == 0 || (size >= 1e-9 && size < 1e15) ? std::chars_format::fixed : std::chars_format::general;
    char text[64];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value, format);
    return ec == std::errc() ? std::string(text, end) : "NaN";
}

std::string render_text(const std::vector<Family>& families) {
    std::string out;
    for (const auto& family : families) {
        if (family.samples.empty()) continue;
        out += "# HELP " + family.name + " " + escaped(family.help, false) + "\n";
        out += "# TYPE " + family.name + " " + type_name(family.type) + "\n";
        for (const auto& sample : family.samples) {
            if (family.type != MetricType::histogram) {
                out += family.name + label_text(sample.labels) + " " + format_value(sample.value) + "\n";
                continue;
            }
            const Histogram& h = sample.histogram;
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i <= h.bounds.size(); ++i) {
                cumulative += i < h.buckets.size() ? h.buckets[i] : 0;
                const std::pair<std::string, std::string> le{"le", i < h.bounds.size() ? format_value(h.bounds[i]) : "+Inf"};
                out += family.name + "_bucket" + label_text(sample.labels, &le) + " " + std::to_string(cumulative) + "\n";
            }
            out += family.name + "_sum" + label_text(sample.labels) + " " + format_value(h.sum) + "\n";
            out += family.name + "_count" + label_text(sample.labels) + " " + std::to_string(cumulative) + "\n";
        }
    }
    return out;
}

}  // namespace storeq::metrics
