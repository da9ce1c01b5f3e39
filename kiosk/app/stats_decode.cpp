#include "app/stats_decode.hpp"

#include <nlohmann/json.hpp>

#include "storeq/stats_columns.hpp"

namespace storeq::kiosk {
namespace {

using nlohmann::json;

StatsRow decode_row(const json& object) {
    StatsRow row;
    if (!object.is_object()) return row;
    for (const auto& [key, value] : object.items()) {
        if (key == stats_column::period && value.is_string()) {
            row.period = value.get<std::string>();
        } else if (key == stats_column::lane) {
            if (value.is_string()) row.lane = value.get<std::string>();
            if (value.is_number_integer()) row.lane = std::to_string(value.get<long long>());
        } else if (value.is_number()) {
            row.figures[key] = value.get<double>();
        } else if (value.is_boolean()) {
            row.figures[key] = value.get<bool>() ? 1.0 : 0.0;
        }  // null: nothing under it, left out
    }
    return row;
}

std::vector<StatsRow> decode_rows(const json& array) {
    std::vector<StatsRow> rows;
    if (!array.is_array()) return rows;
    for (const auto& item : array) rows.push_back(decode_row(item));
    return rows;
}

ReasonCounts decode_reasons(const json& object) {
    ReasonCounts counts;
    if (!object.is_object()) return counts;
    for (const auto& [code, n] : object.items())
        if (n.is_number_integer()) counts[code] = n.get<long long>();
    return counts;
}

std::string string_or(const json& doc, const char* key, std::string fallback = {}) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

Expected<StatsDocument> decode_stats_document(std::string_view view, const std::string& payload) {
    const json doc = json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return Error{"stats/" + std::string(view), "not a JSON object"};
    const auto ts_it = doc.find("ts");
    if (ts_it == doc.end() || !ts_it->is_number_integer())
        return Error{"stats/" + std::string(view), "ts: missing or not a whole number"};
    const TimeMs ts = ts_it->get<TimeMs>();
    auto need = [&](const char* key, bool array) -> Expected<const json*> {
        auto it = doc.find(key);
        if (it == doc.end() || (array ? !it->is_array() : !it->is_object()))
            return Error{"stats/" + std::string(view), std::string(key) + (array ? ": not an array" : ": not an object")};
        return &*it;
    };
    if (view == "today") {
        auto totals = need("totals", false);
        if (!totals) return totals.error();
        StatsToday today;
        today.ts = ts;
        today.date = string_or(doc, "date");
        today.totals = decode_row(**totals);
        if (auto detail = doc.find("detail"); detail != doc.end() && detail->is_object()) {
            if (auto scales = detail->find("by_scale"); scales != detail->end() && scales->is_object())
                for (const auto& [scale, counts] : scales->items()) {
                    if (!counts.is_array()) continue;
                    auto& out = today.answers_by_scale[scale];
                    for (const auto& n : counts) out.push_back(n.is_number_integer() ? n.get<long long>() : 0);
                }
            if (auto it = detail->find("reasons_positive"); it != detail->end()) today.reasons_positive = decode_reasons(*it);
            if (auto it = detail->find("reasons_negative"); it != detail->end()) today.reasons_negative = decode_reasons(*it);
        }
        if (auto week = doc.find("week_ago"); week != doc.end() && week->is_object()) {
            today.week_ago_date = string_or(*week, "date");
            if (auto totals_then = week->find("totals"); totals_then != week->end() && totals_then->is_object())
                today.week_ago = decode_row(*totals_then);
        }
        return StatsDocument{std::move(today)};
    }
    if (view == "hourly") {
        auto hours = need("hours", true);
        if (!hours) return hours.error();
        return StatsDocument{StatsHourly{ts, string_or(doc, "date"), decode_rows(**hours)}};
    }
    if (view == "daily") {
        auto days = need("days", true);
        if (!days) return days.error();
        StatsDaily daily;
        daily.ts = ts;
        daily.days = decode_rows(**days);
        if (auto it = doc.find("period"); it != doc.end() && it->is_object()) daily.period = decode_row(*it);
        if (auto it = doc.find("week"); it != doc.end() && it->is_object()) daily.week = decode_row(*it);
        if (auto it = doc.find("previous_period"); it != doc.end() && it->is_object())
            daily.previous_period = decode_row(*it);
        return StatsDocument{std::move(daily)};
    }
    if (view == "lanes") {
        auto lanes = need("lanes", true);
        if (!lanes) return lanes.error();
        return StatsDocument{StatsLanes{ts, string_or(doc, "date"), decode_rows(**lanes)}};
    }
    return Error{"stats/" + std::string(view), "not a view the dashboard knows"};
}

}  // namespace storeq::kiosk
