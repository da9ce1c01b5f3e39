#include "sim_options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
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

// "HH:MM" -> minutes after midnight.
std::optional<int> to_clock_minutes(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    const auto hours = to_integer(text.substr(0, 2));
    const auto minutes = to_integer(text.substr(3, 2));
    if (!hours || !minutes || *hours < 0 || *hours > 23 || *minutes < 0 || *minutes > 59) return std::nullopt;
    return static_cast<int>(*hours * 60 + *minutes);
}

bool takes_value(const std::string& flag) {
    static const std::set<std::string> flags{"--broker",   "--store",   "--tills",    "--open",
                                             "--initial-queue", "--duration", "--speed", "--hours",
                                             "--arrivals", "--service", "--feedback-share", "--best-face-drop", "--seed",
                                             "--doors", "--shopping", "--staff-walk"};
    return flags.count(flag) != 0;
}

}  // namespace

std::string plain_number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

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
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            return o;
        }
        if (!takes_value(flag)) return Error{"", "unknown option '" + flag + "' (storeq-sim --help lists them)"};
        if (i + 1 >= args.size()) return Error{"", flag + " needs a value"};
        const std::string& value = args[++i];
        // "--duration must be from 0.1 to 604800 seconds, got '-5'"
        auto out_of_range = [&](const std::string& min, const std::string& max, const char* unit) {
            return Error{"", flag + " must be from " + min + " to " + max + unit + ", got '" + value + "'"};
        };
        auto number_in = [&](double min, double max, const char* unit = "") -> Expected<double> {
            const auto n = to_number(value);
            if (!n) return Error{"", flag + " needs a number, got '" + value + "'"};
            if (*n < min || *n > max) return out_of_range(plain_number(min), plain_number(max), unit);
            return *n;
        };
        auto whole_in = [&](long long min, long long max) -> Expected<long long> {
            const auto n = to_integer(value);
            if (!n) return Error{"", flag + " needs a whole number, got '" + value + "'"};
            if (*n < min || *n > max) return out_of_range(std::to_string(min), std::to_string(max), "");
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
            auto n = number_in(0.1, 7 * 24 * 3600, " seconds");
            if (!n) return n.error();
            o.duration_s = *n;
        } else if (flag == "--speed") {
            auto n = number_in(1, 10000);
            if (!n) return n.error();
            o.speed = *n;
        } else if (flag == "--hours") {
            const auto dash = value.find('-');
            const auto opens = dash == std::string::npos ? std::nullopt : to_clock_minutes(std::string_view(value).substr(0, dash));
            const auto closes = dash == std::string::npos ? std::nullopt : to_clock_minutes(std::string_view(value).substr(dash + 1));
            if (!opens || !closes) return Error{"", "--hours needs opening and closing like 07:00-21:00, got '" + value + "'"};
            if (*closes <= *opens) return Error{"", "--hours: closing must come after opening on the same day, got '" + value + "'"};
            o.opens_min = *opens;
            o.closes_min = *closes;
            o.hours_given = true;
        } else if (flag == "--arrivals") {
            auto n = number_in(0, 600);
            if (!n) return n.error();
            o.arrivals_per_minute = *n;
        } else if (flag == "--service") {
            auto n = number_in(0.5, 3600, " seconds");
            if (!n) return n.error();
            o.mean_service_s = *n;
        } else if (flag == "--feedback-share") {
            auto n = number_in(0, 1);
            if (!n) return n.error();
            o.feedback_share = *n;
        } else if (flag == "--best-face-drop") {
            auto n = number_in(0, 1);
            if (!n) return n.error();
            o.best_face_drop = *n;
        } else if (flag == "--doors") {
            if (value != "on" && value != "off") return Error{"", "--doors must be on or off, got '" + value + "'"};
            o.doors = value == "on";
        } else if (flag == "--shopping") {
            auto n = number_in(1, 120, " minutes");
            if (!n) return n.error();
            o.shopping_minutes = *n;
        } else if (flag == "--staff-walk") {
            auto n = number_in(1, 1800, " seconds");
            if (!n) return n.error();
            o.staff_walk_s = *n;
        } else if (flag == "--seed") {
            auto n = to_integer(value);
            if (!n || *n < 0) return Error{"", "--seed needs a whole number from 0, got '" + value + "'"};
            o.seed = static_cast<std::uint64_t>(*n);
        }
    }
    if (!has_broker) return Error{"", "--broker HOST:PORT is required"};
    if (o.store.empty()) return Error{"", "--store ID is required"};
    if (o.hours_given && o.speed == 1)
        return Error{"", "--hours needs --speed above 1: at real time the store runs on the wall clock"};
    if (o.open_at_start > static_cast<int>(o.tills.size()))
        return Error{"--open", std::to_string(o.open_at_start) + " tills open, but only " +
                                   std::to_string(o.tills.size()) + " tills listed"};
    return o;
}

}  // namespace storeq::sim
