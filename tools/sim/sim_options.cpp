#include "sim_options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/protocol.hpp"

namespace storeq::sim {
namespace {

std::optional<long long> to_integer(std::string_view text) {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> to_number(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

}  // namespace

Expected<std::vector<int>> parse_till_list(const std::string& text) {
    std::vector<int> tills;
    std::set<int> seen;
    auto add = [&](long long till) -> Expected<void> {
        if (till < kMinLane || till > kMaxLane) return Error{"--tills", "till " + std::to_string(till) + " is outside 1..999"};
        if (!seen.insert(static_cast<int>(till)).second)
            return Error{"--tills", "till " + std::to_string(till) + " is listed twice"};
        tills.push_back(static_cast<int>(till));
        return {};
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const std::string_view item = std::string_view(text).substr(start, end - start);
        start = end + 1;
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            const auto till = to_integer(item);
            if (!till) return Error{"--tills", "'" + std::string(item) + "' is not a till number"};
            if (auto added = add(*till); !added) return added.error();
            continue;
        }
        const auto first = to_integer(item.substr(0, dash));
        const auto last = to_integer(item.substr(dash + 1));
        if (!first || !last || *first > *last || *last - *first > kMaxLane)
            return Error{"--tills", "'" + std::string(item) + "' is not a range like 1-4"};
        for (long long till = *first; till <= *last; ++till)
            if (auto added = add(till); !added) return added.error();
    }
    return tills;
}

Expected<SimOptions> parse_sim_options(const std::vector<std::string>& args) {
    SimOptions o;
    bool has_broker = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (i + 1 >= args.size()) return Error{flag, "needs a value"};
        const std::string& value = args[++i];
        auto number_in = [&](double min, double max) -> Expected<double> {
            const auto n = to_number(value);
            if (!n) return Error{flag, "'" + value + "' is not a number"};
            if (*n < min || *n > max)
                return Error{flag, "'" + value + "' is outside " + std::to_string(min) + ".." + std::to_string(max)};
            return *n;
        };
        auto whole_in = [&](long long min, long long max) -> Expected<long long> {
            const auto n = to_integer(value);
            if (!n) return Error{flag, "'" + value + "' is not a whole number"};
            if (*n < min || *n > max)
                return Error{flag, "'" + value + "' is outside " + std::to_string(min) + ".." + std::to_string(max)};
            return *n;
        };
        if (flag == "--broker") {
            auto host_port = parse_host_port(value);
            if (!host_port) return Error{flag, host_port.error().what};
            o.broker_host = host_port->first;
            o.broker_port = host_port->second;
            has_broker = true;
        } else if (flag == "--store") {
            if (!is_valid_id(value)) return Error{flag, "must match [a-z0-9][a-z0-9-]{0,31}"};
            o.store = value;
        } else if (flag == "--tills") {
            auto tills = parse_till_list(value);
            if (!tills) return tills.error();
            o.tills = *tills;
        } else if (flag == "--open") {
            auto n = whole_in(0, kMaxLane);
            if (!n) return n.error();
            o.open_at_start = static_cast<int>(*n);
        } else if (flag == "--initial-queue") {
            auto n = whole_in(0, kMaxQueueCount);
            if (!n) return n.error();
            o.initial_queue = static_cast<int>(*n);
        } else if (flag == "--duration") {
            auto n = number_in(0.1, 7 * 24 * 3600);
            if (!n) return n.error();
            o.duration_s = *n;
        } else if (flag == "--speed") {
            auto n = number_in(1, 10000);
            if (!n) return n.error();
            o.speed = *n;
        } else if (flag == "--arrivals") {
            auto n = number_in(0, 600);
            if (!n) return n.error();
            o.arrivals_per_minute = *n;
        } else if (flag == "--service") {
            auto n = number_in(0.5, 3600);
            if (!n) return n.error();
            o.mean_service_s = *n;
        } else if (flag == "--feedback-share") {
            auto n = number_in(0, 1);
            if (!n) return n.error();
            o.feedback_share = *n;
        } else if (flag == "--seed") {
            auto n = to_integer(value);
            if (!n || *n < 0) return Error{flag, "'" + value + "' is not a whole number >= 0"};
            o.seed = static_cast<std::uint64_t>(*n);
        } else {
            return Error{flag, "unknown option"};
        }
    }
    if (!has_broker) return Error{"--broker", "missing"};
    if (o.store.empty()) return Error{"--store", "missing"};
    if (o.open_at_start > static_cast<int>(o.tills.size()))
        return Error{"--open", std::to_string(o.open_at_start) + " tills open, but only " +
                                   std::to_string(o.tills.size()) + " tills listed"};
    return o;
}

}  // namespace storeq::sim
