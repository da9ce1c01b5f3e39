#include "storeq/controller/config.hpp"

#include "storeq/controller/time_zone.hpp"
#include "storeq/text_lines.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

namespace storeq::controller {
namespace {

constexpr long long kMaxDevicesPerKind = 99;


std::optional<long long> to_integer(std::string_view text) {
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

struct DurationKey {
    TimeMs Config::*field;
    TimeMs min;
    TimeMs max;
};

const std::map<std::string_view, DurationKey>& duration_keys() {
    static const std::map<std::string_view, DurationKey> keys{
        {"dwell", {&Config::dwell, 0, 600'000}},
        {"balance_grace", {&Config::balance_grace, 0, 3'600'000}},
        {"settle", {&Config::settle, 0, 3'600'000}},
        {"cooldown", {&Config::cooldown, 0, 24 * 3'600'000LL}},
        {"clear_dwell", {&Config::clear_dwell, 0, 3'600'000}},
        {"claim_timeout", {&Config::claim_timeout, 1'000, 3'600'000}},
        {"open_timeout", {&Config::open_timeout, 1'000, 3'600'000}},
        {"idle_close", {&Config::idle_close, 1'000, 24 * 3'600'000LL}},
        {"promise_target", {&Config::promise_target, 1'000, 3'600'000}},
        {"exit_lag", {&Config::exit_lag, 0, 3'600'000}},
        {"sensor_timeout", {&Config::sensor_timeout, 1'000, 3'600'000}},
        {"service_time", {&Config::service_time, 1'000, 3'600'000}},
        {"head_office_resend", {&Config::head_office_resend, 1'000, 3'600'000}},
        {"lead_time", {&Config::lead_time, 60'000, 1'800'000}},
        {"alert_settle", {&Config::alert_settle, 0, 4 * 3'600'000LL}},
    };
    return keys;
}

// "staff, speed, other" -> codes [a-z0-9_]{1,32}, none twice, at most kMaxReasonsPerSide.
Expected<std::vector<std::string>> parse_reason_list(std::string_view text) {
    std::vector<std::string> codes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const auto code = trim(text.substr(start, end - start));
        const bool valid = !code.empty() && code.size() <= 32 &&
                           std::all_of(code.begin(), code.end(), [](char ch) {
                               return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                           });
        if (!valid) return Error{"", "'" + std::string(code) + "' is not a reason code like queue (a-z, 0-9, _)"};
        if (std::find(codes.begin(), codes.end(), code) != codes.end())
            return Error{"", "'" + std::string(code) + "' is listed twice"};
        codes.emplace_back(code);
        start = end + 1;
    }
    if (codes.size() > kMaxReasonsPerSide) return Error{"", "more than " + std::to_string(kMaxReasonsPerSide) + " codes"};
    return codes;
}

}  // namespace

// "3s", "500ms", "10min", "1h" -> milliseconds. A bare number is rejected: say the unit.
Expected<TimeMs> parse_duration(std::string_view text) {
    const auto digits_end = text.find_first_not_of("0123456789");
    if (digits_end == 0 || digits_end == std::string_view::npos)
        return Error{"", "must be a duration with a unit, like 3s, 500ms or 10min"};
    const auto number = to_integer(text.substr(0, digits_end));
    const std::string_view unit = text.substr(digits_end);
    static const std::map<std::string_view, TimeMs> units{{"ms", 1}, {"s", 1000}, {"min", 60'000}, {"h", 3'600'000}};
    const auto it = units.find(unit);
    if (!number || it == units.end()) return Error{"", "unknown unit '" + std::string(unit) + "' (use ms, s, min or h)"};
    if (*number > 24LL * 3600 * 1000) return Error{"", "longer than a day"};
    return static_cast<TimeMs>(*number) * it->second;
}

Expected<std::vector<int>> parse_till_list(std::string_view text) {
    std::vector<int> tills;
    std::set<int> seen;
    auto add = [&](int till) -> Expected<void> {
        if (till < kMinLane || till > kMaxLane) return Error{"tills", "till " + std::to_string(till) + " is outside 1..999"};
        if (!seen.insert(till).second) return Error{"tills", "till " + std::to_string(till) + " is listed twice"};
        tills.push_back(till);
        return {};
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const auto item = trim(text.substr(start, end - start));
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            const auto till = to_integer(item);
            if (!till) return Error{"tills", "'" + std::string(item) + "' is not a till number"};
            if (auto ok = add(static_cast<int>(*till)); !ok) return ok.error();
        } else {
            const auto first = to_integer(trim(item.substr(0, dash)));
            const auto last = to_integer(trim(item.substr(dash + 1)));
            if (!first || !last || *first > *last || *last - *first > kMaxLane)
                return Error{"tills", "'" + std::string(item) + "' is not a range like 1-6"};
            for (long long t = *first; t <= *last; ++t)
                if (auto ok = add(static_cast<int>(t)); !ok) return ok.error();
        }
        start = end + 1;
    }
    if (tills.empty()) return Error{"tills", "no tills listed"};
    return tills;
}

Expected<Config> parse_config(std::string_view text, Config config) {
    std::set<std::string> seen;
    std::optional<std::vector<int>> opening_order;
    auto settings = parse_settings(text);
    if (!settings) return settings.error();
    for (const Setting& setting : *settings) {
        const std::string key(setting.key);
        const std::string_view value = setting.value;
        const std::string where = setting.where();
        const std::string at = key + " (" + where + ")";
        if (!seen.insert(key).second) return Error{at, "set twice"};
        if (value.empty()) return Error{at, "has no value"};

        if (auto d = duration_keys().find(key); d != duration_keys().end()) {
            auto ms = parse_duration(value);
            if (!ms) return Error{at, ms.error().what};
            if (*ms < d->second.min || *ms > d->second.max)
                return Error{at, "out of range " + std::to_string(d->second.min) + "ms.." +
                                     std::to_string(d->second.max) + "ms"};
            config.*(d->second.field) = *ms;
        } else if (key.rfind("alert.", 0) == 0) {
            const std::string name = key.substr(6);
            auto& rules = config.alerts;
            std::erase_if(rules, [&](const AlertRule& r) { return r.name == name; });
            if (value != "off") {
                auto rule = parse_alert_rule(name, value);
                if (!rule) return Error{at, rule.error().what};
                if (rules.size() >= kMaxAlertRules) return Error{at, "more than " + std::to_string(kMaxAlertRules) + " alert rules"};
                rules.push_back(*rule);
            }
        } else if (key == "tills") {
            auto tills = parse_till_list(value);
            if (!tills) return Error{at, tills.error().what};
            config.tills = *tills;
        } else if (key == "opening_order") {
            auto order = parse_till_list(value);
            if (!order) return Error{at, order.error().what};
            opening_order = *order;
        } else if (key == "waiting_threshold") {
            const auto n = to_integer(value);
            if (!n) return Error{at, "must be a whole number"};
            if (*n < 1 || *n > kMaxQueueCount) return Error{at, "out of range 1..99"};
            config.waiting_threshold = static_cast<int>(*n);
        } else if (key == "kiosks" || key == "handhelds" || key == "doors") {
            const auto n = to_integer(value);
            if (!n) return Error{at, "must be a whole number"};
            if (*n < 0 || *n > kMaxDevicesPerKind) return Error{at, "out of range 0..99"};
            (key == "kiosks" ? config.kiosks : key == "doors" ? config.doors : config.handhelds) = static_cast<int>(*n);
        } else if (key == "forecast") {
            if (value == "on") config.forecast = ForecastPrompts::on;
            else if (value == "off") config.forecast = ForecastPrompts::off;
            else if (value == "auto") config.forecast = ForecastPrompts::automatic;
            else return Error{at, "must be on, off or auto"};
        } else if (key == "forecast_target") {
            // "80%": the share of customers to be served within one service time.
            const auto n = value.size() > 1 && value.back() == '%' ? to_integer(value.substr(0, value.size() - 1))
                                                                    : std::nullopt;
            if (!n) return Error{at, "must be a percentage like 80%"};
            if (*n < 50 || *n > 99) return Error{at, "out of range 50%..99%"};
            config.forecast_target = static_cast<double>(*n) / 100.0;
        } else if (key == "managers") {
            const auto n = to_integer(value);
            if (!n) return Error{at, "must be a whole number"};
            if (*n < 1 || *n > kMaxDevicesPerKind) return Error{at, "out of range 1..99"};
            config.managers = static_cast<int>(*n);
        } else if (key == "retention") {
            // Days ("400d"), or "forever".
            if (value == "forever") {
                config.retention = 0;
            } else {
                const auto days = value.size() > 1 && value.back() == 'd' ? to_integer(value.substr(0, value.size() - 1))
                                                                           : std::nullopt;
                if (!days) return Error{at, "must be a number of days like 400d, or forever"};
                if (*days < 30 || *days > 36'500) return Error{at, "out of range 30d..36500d"};
                config.retention = static_cast<TimeMs>(*days) * 86'400'000;
            }
        } else if (key == "positive_reasons" || key == "negative_reasons") {
            auto codes = parse_reason_list(value);
            if (!codes) return Error{at, codes.error().what};
            (key == "positive_reasons" ? config.positive_reasons : config.negative_reasons) = *codes;
        } else if (key == "time_zone") {
            // Only the name's shape here (the core reads no file): the shell refuses a zone
            // its tz database does not have, at start.
            if (!is_zone_name(value)) return Error{at, "must be a time zone name like Europe/Amsterdam"};
            config.time_zone = std::string(value);
        } else if (key == "head_office") {
            if (value != "on" && value != "off") return Error{at, "must be on or off"};
            config.head_office = value == "on";
        } else if (key == "home_assistant") {
            if (value != "on" && value != "off") return Error{at, "must be on or off"};
            config.home_assistant = value == "on";
        } else if (key == "metrics_listen") {
            if (value == "off") {
                config.metrics_listen.clear();
            } else {
                // HOST:PORT, an IP address (no name lookup at start): 127.0.0.1:9464, [::1]:9464.
                const std::string shape = "must be off or an IP address and port like 127.0.0.1:9464 or [::1]:9464";
                const auto colon = value.rfind(':');
                if (colon == std::string_view::npos) return Error{at, shape};
                const std::string_view host = value.substr(0, colon);
                const long long port = to_integer(value.substr(colon + 1)).value_or(-1);
                // An IP address: the listener binds it at start, with no name to look up.
                // IPv6 in brackets ([::1]:9464), IPv4 without.
                const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
                const std::string ip(bracketed ? host.substr(1, host.size() - 2) : host);
                in6_addr parsed{};
                if (::inet_pton(bracketed ? AF_INET6 : AF_INET, ip.c_str(), &parsed) != 1 || port < 0)
                    return Error{at, shape};
                if (port < 1 || port > 65'535) return Error{at, "port out of range 1..65535"};
                config.metrics_listen = std::string(value);
            }
        } else if (key == "default_locale") {
            if (value.size() < 2 || value.size() > 8) return Error{at, "must be a language code like nl"};
            config.default_locale = std::string(value);
        } else {
            return Error{at, "unknown key"};
        }
    }
    // The opening order lists the same tills as `tills`, in the order to open them.
    if (opening_order) {
        auto sorted_order = *opening_order;
        auto sorted_tills = config.tills;
        std::sort(sorted_order.begin(), sorted_order.end());
        std::sort(sorted_tills.begin(), sorted_tills.end());
        if (!config.tills.empty() && sorted_order != sorted_tills)
            return Error{"opening_order", "must list exactly the tills of `tills`"};
        config.tills = *opening_order;
    }
    if (config.tills.empty()) return Error{"tills", "missing: list the store's tills, like tills = 1-6"};
    return config;
}

}  // namespace storeq::controller
