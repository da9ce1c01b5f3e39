#include "model/queue_cost_view.hpp"

#include <cmath>
#include <string_view>

#include "storeq/stats_columns.hpp"

namespace storeq::kiosk {
namespace {

namespace col = stats_column;

// Whole points, half away from zero (llround), "-" for nothing; `sign`: "+3" for a gain.
std::string points(std::optional<double> value, bool sign = false) {
    if (!value) return "-";
    const long long rounded = std::llround(*value);
    std::string text = std::to_string(rounded);
    if (sign && rounded > 0) text.insert(0, 1, '+');
    return text;
}

std::string side(const StatsRow& row, std::string_view value, std::string_view n) {
    return points(row.get(value)) + " (n " + grouped_count(std::llround(row.get(n).value_or(0))) + ")";
}

// "-21 (-27 to -15)"; without an interval (a side under 2 answers) the figure alone.
std::string difference_text(const StatsRow& row, bool nps) {
    const auto value = row.get(nps ? col::nps_breach_diff : col::happy_breach_diff);
    const auto low = row.get(nps ? col::nps_breach_diff_ci95_low : col::happy_breach_diff_ci95_low);
    const auto high = row.get(nps ? col::nps_breach_diff_ci95_high : col::happy_breach_diff_ci95_high);
    std::string text = points(value, true);
    if (value && low && high) text += " (" + points(low, true) + " to " + points(high, true) + ")";
    return text;
}

}  // namespace

std::string grouped_count(long long n) {
    const std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out = n < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

QueueCostView make_queue_cost_view(const ManagerStats& stats, bool nps) {
    QueueCostView view;
    if (!stats.today) return view;
    view.waiting = false;
    const StatsRow& today = stats.today->totals;
    const std::string label = nps ? "NPS" : "Happy Index";
    view.line = "after a queue: " + label + " " +
                side(today, nps ? col::nps_after_breach : col::happy_after_breach,
                     nps ? col::nps_after_breach_n : col::happy_after_breach_n) +
                " vs " +
                side(today, nps ? col::nps_no_breach : col::happy_no_breach,
                     nps ? col::nps_no_breach_n : col::happy_no_breach_n);
    view.difference = "difference " + difference_text(today, nps);
    if (stats.daily && stats.daily->week) view.difference += ", 7 days " + difference_text(*stats.daily->week, nps);
    view.difference += ": an association, not proof";
    const auto high = today.get(nps ? col::nps_breach_diff_ci95_high : col::happy_breach_diff_ci95_high);
    view.costs = high && *high < 0;
    return view;
}

}  // namespace storeq::kiosk
