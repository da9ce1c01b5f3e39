#include "storeq/controller/alert_rules.hpp"

#include <charconv>
#include <optional>

#include "storeq/controller/config.hpp"
#include "storeq/text_lines.hpp"

namespace storeq::controller {
namespace {

// The shape of a kind's value (alert_rules.hpp).
enum class Shape { share_in_window, index_in_window, count, duration, breach, count_in_window };

Shape shape_of(AlertRuleKind kind) {
    switch (kind) {
        case AlertRuleKind::negative_share:
        case AlertRuleKind::compliance_below: return Shape::share_in_window;
        case AlertRuleKind::happy_index_below:
        case AlertRuleKind::great_hour: return Shape::index_in_window;
        case AlertRuleKind::detractors_in_row: return Shape::count;
        case AlertRuleKind::breach_unanswered: return Shape::breach;
        case AlertRuleKind::outbox_growing: return Shape::count_in_window;
        case AlertRuleKind::all_tills_open_long:
        case AlertRuleKind::sensor_silent:
        case AlertRuleKind::kiosk_offline:
        case AlertRuleKind::head_office_cut: return Shape::duration;
    }
    return Shape::duration;
}

const char* example_of(AlertRuleKind kind) {
    switch (shape_of(kind)) {
        case Shape::share_in_window: return "50% in 15min, n 4";
        case Shape::index_in_window: return "60 in 60min, n 10";
        case Shape::count: return "3";
        case Shape::duration: return "15min";
        case Shape::breach: return "on (past promise_target) or a duration like 2min";
        case Shape::count_in_window: return "20 in 10min";
    }
    return "";
}

std::optional<long long> whole_number(std::string_view text) {
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

std::vector<std::string_view> clauses_of(std::string_view value) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        const auto end = std::min(value.find(',', start), value.size());
        out.push_back(trim(value.substr(start, end - start)));
        start = end + 1;
    }
    return out;
}

// "<number>[%] in <duration>" -> number, window.
struct Measured {
    long long number = 0;
    bool percent = false;
    TimeMs window = 0;
};
std::optional<Measured> measured(std::string_view clause) {
    const auto in = clause.find(" in ");
    if (in == std::string_view::npos) return std::nullopt;
    std::string_view number = trim(clause.substr(0, in));
    Measured m;
    if (!number.empty() && number.back() == '%') {
        m.percent = true;
        number.remove_suffix(1);
    }
    const auto n = whole_number(number);
    auto window = parse_duration(trim(clause.substr(in + 4)));
    if (!n || !window) return std::nullopt;
    m.number = *n;
    m.window = *window;
    return m;
}

}  // namespace

std::vector<AlertRule> default_alert_rules() {
    constexpr TimeMs kMin = 60'000;
    return {
        {"negative_share", AlertRuleKind::negative_share, 50, 15 * kMin, 4, 1},
        {"happy_index_below", AlertRuleKind::happy_index_below, 60, 60 * kMin, 10, 1},
        {"detractors_in_row", AlertRuleKind::detractors_in_row, 3, 0, 3, 1},
        {"great_hour", AlertRuleKind::great_hour, 90, 60 * kMin, 20, 1},
        {"breach_unanswered", AlertRuleKind::breach_unanswered, 0, 0, 0, 2},
        {"all_tills_open_long", AlertRuleKind::all_tills_open_long, 15 * kMin, 0, 0, 2},
        {"sensor_silent", AlertRuleKind::sensor_silent, 5 * kMin, 0, 0, 1},
        {"compliance_below", AlertRuleKind::compliance_below, 80, 60 * kMin, 30, 1},
        {"kiosk_offline", AlertRuleKind::kiosk_offline, 5 * kMin, 0, 0, 1},
        {"outbox_growing", AlertRuleKind::outbox_growing, 20, 10 * kMin, 0, 1},
        {"head_office_cut", AlertRuleKind::head_office_cut, 60 * kMin, 0, 0, 1},
    };
}

double recovery_margin(AlertRuleKind kind) {
    switch (kind) {
        case AlertRuleKind::negative_share: return 10;     // percentage points
        case AlertRuleKind::compliance_below: return 5;    // percentage points
        case AlertRuleKind::happy_index_below:
        case AlertRuleKind::great_hour: return 5;          // index points
        default: return 0;  // the others recover when their condition ends (and stays ended: settle)
    }
}

Expected<AlertRule> parse_alert_rule(std::string_view name, std::string_view value) {
    const std::string_view kind_name = name.substr(0, name.find('.'));
    AlertRule rule;
    rule.name = std::string(name);
    bool known = false;
    for (AlertRuleKind kind : kAlertRuleKinds)
        if (to_string(kind) == kind_name) {
            rule.kind = kind;
            known = true;
        }
    if (!known) {
        std::string kinds;
        for (AlertRuleKind kind : kAlertRuleKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(to_string(kind));
        return Error{"", "'" + std::string(kind_name) + "' is not an alert rule; the rules are " + kinds};
    }
    if (name.size() > 48) return Error{"", "an alert's name is at most 48 characters"};
    rule.level = rule.kind == AlertRuleKind::breach_unanswered || rule.kind == AlertRuleKind::all_tills_open_long ? 2 : 1;
    const auto clauses = clauses_of(value);
    const std::string expected = std::string("must look like ") + example_of(rule.kind);
    const std::string_view main = clauses.front();
    switch (shape_of(rule.kind)) {
        case Shape::share_in_window:
        case Shape::index_in_window:
        case Shape::count_in_window: {
            const auto m = measured(main);
            const bool wants_percent = shape_of(rule.kind) == Shape::share_in_window;
            if (!m || m->percent != wants_percent) return Error{"", expected};
            const long long top = shape_of(rule.kind) == Shape::count_in_window ? 1'000'000 : 100;
            if (m->number < 0 || m->number > top) return Error{"", "threshold out of range 0.." + std::to_string(top)};
            if (m->window < 60'000 || m->window > 4 * 3'600'000) return Error{"", "window out of range 1min..4h"};
            rule.threshold = static_cast<double>(m->number);
            rule.window = m->window;
            break;
        }
        case Shape::count: {
            const auto n = whole_number(main);
            if (!n) return Error{"", expected};
            if (*n < 1 || *n > 100) return Error{"", "out of range 1..100"};
            rule.threshold = static_cast<double>(*n);
            rule.min_n = *n;
            break;
        }
        case Shape::breach:
            if (main == "on") {
                rule.threshold = 0;
                break;
            }
            [[fallthrough]];
        case Shape::duration: {
            auto ms = parse_duration(main);
            if (!ms) return Error{"", expected};
            if (*ms < 1'000) return Error{"", "at least 1s"};
            rule.threshold = static_cast<double>(*ms);
            break;
        }
    }
    for (std::size_t i = 1; i < clauses.size(); ++i) {
        const std::string_view clause = clauses[i];
        const auto space = clause.find(' ');
        const std::string_view word = clause.substr(0, space);
        // -1: no number (GCC 12 sees an optional's value as maybe uninitialised here).
        const long long number =
            space == std::string_view::npos ? -1 : whole_number(trim(clause.substr(space))).value_or(-1);
        if (word == "level" && (number == 1 || number == 2)) {
            rule.level = static_cast<int>(number);
        } else if (word == "n" && number >= 1 && number <= 10'000 &&
                   (shape_of(rule.kind) == Shape::share_in_window || shape_of(rule.kind) == Shape::index_in_window)) {
            rule.min_n = number;
        } else {
            return Error{"", "'" + std::string(clause) + "' is not understood; " + expected + " (and may end in , level 2)"};
        }
    }
    return rule;
}

}  // namespace storeq::controller
