#include "model/manager_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "model/kiosk_texts.hpp"
#include "storeq/stats_columns.hpp"

namespace storeq::kiosk {
namespace {

std::string fixed(double value, int decimals) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string signed_fixed(double value, int decimals) {
    std::string text = fixed(value, decimals);
    if (value > 0 && text != fixed(0.0, decimals)) text = "+" + text;
    return text;
}

std::string count_text(std::optional<double> value) {
    if (!value) return "-";
    return std::to_string(static_cast<long long>(std::llround(*value)));
}

std::string seconds_text(std::optional<double> value) {
    if (!value) return "-";
    if (*value < 120) return fixed(*value, 0) + " s";
    return fixed(*value / 60.0, 1) + " min";
}

Tone compliance_tone(std::optional<double> pct) {
    if (!pct) return Tone::neutral;
    if (*pct >= 95) return Tone::good;
    if (*pct >= 85) return Tone::warn;
    return Tone::bad;
}

Tone happy_tone(std::optional<double> index) {
    if (!index) return Tone::neutral;
    if (*index >= 70) return Tone::good;
    if (*index >= 50) return Tone::warn;
    return Tone::bad;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::optional<int> digits(const std::string& text, std::size_t pos, std::size_t n) {
    if (text.size() < pos + n) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// "+01:00" at the end of an hourly period, in minutes.
std::optional<int> utc_offset_min(const std::string& period) {
    if (period.size() < 25) return std::nullopt;
    const char sign = period[19];
    auto h = digits(period, 20, 2), m = digits(period, 23, 2);
    if ((sign != '+' && sign != '-') || !h || !m) return std::nullopt;
    return (sign == '-' ? -1 : 1) * (*h * 60 + *m);
}

// "+01:00" -> "+1", "+10:30" -> "+10:30", "-09:30" -> "-9:30": as short as it can be read.
std::string short_offset(const std::string& period) {
    const auto minutes = utc_offset_min(period);
    if (!minutes) return "";
    const int abs_min = *minutes < 0 ? -*minutes : *minutes;
    char text[16];
    if (abs_min % 60 == 0) std::snprintf(text, sizeof text, "%c%d", *minutes < 0 ? '-' : '+', abs_min / 60);
    else std::snprintf(text, sizeof text, "%c%d:%02d", *minutes < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
    return text;
}

std::string clock_text(TimeMs ts, std::optional<int> offset_min, bool with_seconds = false) {
    long long seconds = ts / 1000 + offset_min.value_or(0) * 60LL;
    seconds = ((seconds % 86'400) + 86'400) % 86'400;
    char buffer[16];
    if (with_seconds)
        std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%02lld:%02lld", seconds / 3600, seconds / 60 % 60);
    return std::string(buffer) + (offset_min ? "" : " UTC");
}

// The store's feedback score: the Happy Index where smiley answers exist, else NPS.
bool use_nps(const ManagerStats& stats) {
    auto has = [](const StatsRow& row, const char* n) { return row.get(n).value_or(0) > 0; };
    if (stats.today) return !has(stats.today->totals, "happy_n") && has(stats.today->totals, "nps_n");
    if (stats.daily && stats.daily->period)
        return !has(*stats.daily->period, "happy_n") && has(*stats.daily->period, "nps_n");
    return false;
}

std::string compare_text(const StatsToday& today, std::optional<double> then, int decimals, bool sign = false) {
    if (!today.week_ago || !today.week_ago_date) return {};
    const std::string day = "last " + weekday_of(*today.week_ago_date);
    if (!then) return day + ": no data";
    return day + ": " + (sign ? signed_fixed(*then, decimals) : fixed(*then, decimals));
}

std::vector<KpiTile> make_kpis(const StatsToday& today) {
    const StatsRow& t = today.totals;
    const StatsRow* w = today.week_ago ? &*today.week_ago : nullptr;
    auto then = [&](std::string_view key) { return w ? w->get(key) : std::nullopt; };
    std::vector<KpiTile> tiles;

    KpiTile responses{"responses", "Responses", count_text(t.get(stats_column::responses)), "", "", "", "", Tone::neutral, false};
    responses.detail = count_text(t.get(stats_column::misuse)) + " misuse presses";
    responses.detail2 = "(in no score)";
    responses.comparison = compare_text(today, then(stats_column::responses), 0);
    tiles.push_back(responses);

    KpiTile happy{"happy_index", "Happy Index", format_figure(t.get(stats_column::happy_index)), "/100", "", "", "", Tone::neutral,
                  false};
    happy.detail = "n " + count_text(t.get(stats_column::happy_n)) + " answers";
    happy.detail2 = "0 worst, 100 best";
    happy.tone = happy_tone(t.get(stats_column::happy_index));
    happy.comparison = compare_text(today, then(stats_column::happy_index), 1);
    tiles.push_back(happy);

    KpiTile nps{"nps", "NPS", "-", "", "", "", "", Tone::neutral, false};
    const auto nps_n = t.get(stats_column::nps_n).value_or(0);
    if (auto value = t.get(stats_column::nps)) {
        nps.value = signed_fixed(*value, 0);
        nps.detail = "95% CI " + signed_fixed(t.get(stats_column::nps_ci95_low).value_or(-100), 0) + ".." +
                     signed_fixed(t.get(stats_column::nps_ci95_high).value_or(100), 0);
    } else {
        nps.detail = "no 0-10 answers";
    }
    nps.thin = t.get(stats_column::nps_thin).value_or(1) != 0 && nps_n > 0;
    nps.detail2 = "n " + count_text(nps_n) + (nps.thin ? ": THIN, n < 30" : "");
    nps.comparison = compare_text(today, then(stats_column::nps), 0, true);
    tiles.push_back(nps);

    KpiTile compliance{"compliance", "One in Front", format_figure(t.get(stats_column::compliance_pct)), "%", "", "", "",
                       compliance_tone(t.get(stats_column::compliance_pct)), false};
    compliance.detail = format_figure(t.get(stats_column::breach_min), 1) + " min in breach";
    compliance.detail2 = "of " + format_figure(t.get(stats_column::counted_min), 0) + " (lane-min)";
    compliance.comparison = compare_text(today, then(stats_column::compliance_pct), 1);
    tiles.push_back(compliance);

    KpiTile times{"times", "Claim / open", "", "", "", "", "", Tone::neutral, false};
    times.value = seconds_text(t.get(stats_column::time_to_claim_p50_s)) + " / " + seconds_text(t.get(stats_column::time_to_open_p50_s));
    times.detail = "p90 " + seconds_text(t.get(stats_column::time_to_claim_p90_s)) + " / " +
                   seconds_text(t.get(stats_column::time_to_open_p90_s));
    times.detail2 = count_text(t.get(stats_column::prompts_fulfilled)) + " of " + count_text(t.get(stats_column::prompts_raised)) +
                    " prompts done";
    times.comparison = compare_text(today, then(stats_column::time_to_open_p50_s), 0);
    if (then(stats_column::time_to_open_p50_s)) times.comparison += " s open";
    tiles.push_back(times);

    KpiTile promise{"promise", "Promise kept", format_figure(t.get(stats_column::promise_kept_pct)), "%", "", "", "",
                    compliance_tone(t.get(stats_column::promise_kept_pct)), false};
    promise.detail = count_text(t.get(stats_column::promise_kept)) + " kept, " + count_text(t.get(stats_column::promise_broken)) + " broken";
    promise.detail2 = "breaches ended in time";
    promise.comparison = compare_text(today, then(stats_column::promise_kept_pct), 1);
    tiles.push_back(promise);

    for (auto& tile : tiles)
        if (tile.value == "-") tile.unit.clear();
    return tiles;
}

TimelineView make_timeline(const StatsHourly& hourly, bool nps) {
    TimelineView view;
    view.waiting = false;
    view.score_label = nps ? "NPS" : "Happy Index";
    view.score_min = nps ? -100 : 0;
    view.score_max = 100;
    std::vector<HourPoint> all;
    for (const auto& row : hourly.hours) {
        HourPoint point;
        point.hour = hour_of(row.period);
        if (point.hour < 0) continue;
        point.score = row.get(nps ? "nps" : "happy_index");
        point.breach_min = row.get(stats_column::breach_min).value_or(0);
        point.responses = static_cast<long long>(row.get(stats_column::responses).value_or(0));
        point.open = row.get(stats_column::open_min).value_or(0) > 0;
        all.push_back(point);
    }
    // The document names each of the store's hours by local time and offset; a clock hour
    // that happens twice (clocks going back) keeps its offset, so no two bars read alike.
    std::map<int, int> seen;
    for (const auto& point : all) ++seen[point.hour];
    std::size_t row_index = 0;
    for (auto& point : all) {
        while (hour_of(hourly.hours[row_index].period) < 0) ++row_index;
        char text[8];
        std::snprintf(text, sizeof text, "%02d", point.hour);
        point.label = text;
        if (seen[point.hour] > 1) point.label += short_offset(hourly.hours[row_index].period);
        ++row_index;
    }
    // From the first hour with anything in it (at least 8 hours shown), to the last.
    std::size_t first = all.size();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].open || all[i].responses > 0) {
            first = i;
            break;
        }
    if (first == all.size()) first = all.empty() ? 0 : all.size() - 1;
    if (all.size() - first < 8) first = all.size() >= 8 ? all.size() - 8 : 0;
    view.hours.assign(all.begin() + static_cast<std::ptrdiff_t>(first), all.end());
    double most = 0;
    for (const auto& point : view.hours) most = std::max(most, point.breach_min);
    for (double axis : {4.0, 8.0, 12.0, 20.0, 40.0, 60.0, 80.0, 120.0, 160.0, 240.0, 480.0}) {
        view.breach_axis_max = axis;
        if (most <= axis) break;
    }
    return view;
}

}  // namespace

void add_forecast(TimelineView& timeline, const Forecast& forecast) {
    for (auto& point : timeline.hours)
        for (const auto& hour : forecast.hours)
            if (hour.local_hour == point.hour) {
                point.tills_open = hour.open;
                point.tills_needed = hour.needed;
                break;
            }
    char text[128];
    std::snprintf(text, sizeof text, "tills needed %d, in 15 min %d, 30 min %d", forecast.needed_now,
                  forecast.needed_in15, forecast.needed_in30);
    timeline.forecast = text;
    timeline.short_of_tills = std::max(forecast.needed_in15, forecast.needed_in30) > forecast.open_tills;
}

namespace {

int direction(std::optional<double> now, std::optional<double> before, bool higher_is_better) {
    if (!now || !before || std::fabs(*now - *before) < 0.05) return 0;
    return ((*now > *before) == higher_is_better) ? 1 : -1;
}

std::string period_text(const std::string& period) {
    const auto slash = period.find('/');
    if (slash == std::string::npos) return period;
    return period.substr(0, slash) + " to " + period.substr(slash + 1);
}

TrendView make_trend(const StatsDaily& daily, bool nps) {
    TrendView view;
    view.waiting = false;
    view.score_label = nps ? "NPS" : "Happy Index";
    for (const auto& row : daily.days) {
        DayPoint point;
        point.label = row.period.size() >= 10 ? row.period.substr(5, 5) : row.period;
        point.score = row.get(nps ? "nps" : "happy_index");
        point.compliance = row.get(stats_column::compliance_pct);
        view.days.push_back(point);
    }
    const StatsRow empty;
    const StatsRow& now = daily.period ? *daily.period : empty;
    const StatsRow& before = daily.previous_period ? *daily.previous_period : empty;
    view.period = period_text(now.period);
    view.previous = period_text(before.period);
    auto figure = [&](const char* label, const char* key, int decimals, bool higher_is_better, const char* unit) {
        const auto a = now.get(key), b = before.get(key);
        view.figures.push_back(TrendFigure{label, a ? fixed(*a, decimals) + unit : "-", b ? fixed(*b, decimals) + unit : "-",
                                           direction(a, b, higher_is_better)});
    };
    figure("Responses", "responses", 0, true, "");
    if (nps)
        figure("NPS", "nps", 0, true, "");
    else
        figure("Happy Index", "happy_index", 1, true, "");
    figure("One in Front", "compliance_pct", 1, true, "%");
    figure("Breach minutes", "breach_min", 0, false, "");
    figure("Promise kept", "promise_kept_pct", 1, true, "%");
    return view;
}

std::vector<LaneRowView> make_lanes(const StatsLanes& lanes) {
    std::vector<LaneRowView> rows;
    for (const auto& row : lanes.lanes) {
        LaneRowView view;
        view.lane = "Till " + row.lane;
        view.open_now = row.get(stats_column::open_now).value_or(0) != 0;
        view.breaching_now = row.get(stats_column::breaching_now).value_or(0) != 0;
        const auto count = row.get(stats_column::count_now);
        if (!view.open_now)
            view.now = "closed";
        else if (!count)
            view.now = "open, no count";
        else
            view.now = "open, " + count_text(count) + " in line";
        view.open_min = format_figure(row.get(stats_column::open_min), 0);
        view.avg_queue = format_figure(row.get(stats_column::avg_queue), 2);
        view.max_queue = count_text(row.get(stats_column::max_queue));
        view.breach_min = format_figure(row.get(stats_column::breach_min), 1);
        view.compliance = row.get(stats_column::compliance_pct) ? format_figure(row.get(stats_column::compliance_pct)) + "%" : "-";
        view.compliance_tone = compliance_tone(row.get(stats_column::compliance_pct));
        rows.push_back(view);
    }
    return rows;
}

std::string reason_label(const std::string& code, const KioskConfig& config) {
    if (auto lang = config.texts.find("en"); lang != config.texts.end())
        if (auto text = lang->second.find("reason." + code); text != lang->second.end()) return text->second;
    return code;
}

std::vector<ReasonBar> top_reasons(const ReasonCounts& counts, const KioskConfig& config) {
    long long total = 0;
    std::vector<ReasonBar> bars;
    for (const auto& [code, n] : counts) {
        total += n;
        bars.push_back(ReasonBar{reason_label(code, config), n, 0});  // the kiosk's own texts (en)
    }
    std::stable_sort(bars.begin(), bars.end(), [](const ReasonBar& a, const ReasonBar& b) { return a.count > b.count; });
    if (bars.size() > 4) bars.resize(4);
    for (auto& bar : bars) bar.share = total > 0 ? static_cast<double>(bar.count) / static_cast<double>(total) : 0;
    return bars;
}

// The dashboard is English: the `en` texts, else the built-in ones, never the store's
// default language (text_for would fall back to it).
std::string english_text(const KioskConfig& config, const std::string& key) {
    if (auto lang = config.texts.find("en"); lang != config.texts.end())
        if (auto text = lang->second.find(key); text != lang->second.end() && !text->second.empty()) return text->second;
    const auto& builtin = builtin_english();
    if (auto text = builtin.find(key); text != builtin.end()) return text->second;
    return key;
}

// Offline first: an offline controller's last-will says nothing of its storage.
std::optional<ManagerBanner> controller_banner(const std::optional<Status>& status, const KioskConfig& config) {
    if (!status) return std::nullopt;
    auto banner = [&](const char* key, Tone tone) {
        return ManagerBanner{key, english_text(config, std::string("manager.") + key), tone};
    };
    if (!status->online) return banner("controller_offline", Tone::warn);
    if (status->storage == "failing") return banner("storage_failing", Tone::bad);
    return std::nullopt;
}

std::string minutes_text(double minutes) { return fixed(minutes, 0) + " min"; }

// Short: the dashboard's alert card is a third of the screen wide.
std::string alert_title(const Alert& a) {
    const std::string window = a.window ? ", " + minutes_text(static_cast<double>(a.window) / 60'000.0) : "";
    const std::string n = std::to_string(a.n);
    switch (a.kind) {
        case AlertRuleKind::negative_share: return fixed(a.figure, 0) + "% unhappy (n " + n + window + ")";
        case AlertRuleKind::happy_index_below: return "Happy Index " + fixed(a.figure, 0) + " (n " + n + window + ")";
        case AlertRuleKind::detractors_in_row: return fixed(a.figure, 0) + " detractors in a row";
        case AlertRuleKind::great_hour: return "Great hour: Happy Index " + fixed(a.figure, 0);
        case AlertRuleKind::breach_unanswered: return "Till " + a.subject + " queue: no till in " + minutes_text(a.figure / 60.0);
        case AlertRuleKind::all_tills_open_long: return "All tills open, queue " + minutes_text(a.figure);
        case AlertRuleKind::sensor_silent: return "Till " + a.subject + " sensor silent " + minutes_text(a.figure);
        case AlertRuleKind::compliance_below:
            return "One-in-Front " + fixed(a.figure, 0) + "%" +
                   (a.window ? " (" + minutes_text(static_cast<double>(a.window) / 60'000.0) + ")" : "");
        case AlertRuleKind::kiosk_offline: return a.subject + " offline " + minutes_text(a.figure);
        case AlertRuleKind::outbox_growing: return a.subject + ": " + fixed(a.figure, 0) + " answers waiting";
        case AlertRuleKind::head_office_cut: return "Head office silent " + minutes_text(a.figure);
    }
    return a.rule;
}

}  // namespace

AlertView make_alert_view(const Alert& a, const KioskConfig& config) {
    AlertView v;
    v.id = a.id;
    v.title = alert_title(a);
    v.level = a.level;
    v.acknowledged = a.state == AlertState::acknowledged;
    v.tone = v.acknowledged ? Tone::neutral : a.tone == AlertTone::good ? Tone::good : Tone::bad;
    std::string reasons;
    for (const auto& r : a.reasons)
        reasons += (reasons.empty() ? "" : ", ") + reason_label(r.code, config) + " " + std::to_string(r.count);
    const std::string state = v.acknowledged ? "acknowledged by " + a.acknowledged_by.value_or("?") : "not acknowledged";
    v.detail = reasons.empty() ? state : reasons + " - " + state;
    return v;
}

std::string format_figure(std::optional<double> value, int decimals) {
    if (!value) return "-";
    return fixed(*value, decimals);
}

std::string weekday_of(const std::string& date) {
    auto y = digits(date, 0, 4), m = digits(date, 5, 2), d = digits(date, 8, 2);
    if (!y || !m || !d || date.size() < 10 || *m < 1 || *m > 12 || *d < 1 || *d > 31) return {};
    static constexpr const char* kNames[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01: Thu
    const long long days = days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
    return kNames[((days % 7) + 7) % 7];
}

int hour_of(const std::string& period) {
    if (period.size() < 13 || period[10] != 'T') return -1;
    auto h = digits(period, 11, 2);
    return h && *h < 24 ? *h : -1;
}

ManagerView make_manager_view(const KioskState& state, const KioskConfig& config) {
    ManagerView view;
    const ManagerStats& stats = state.stats;
    view.broker_connected = state.broker_connected;
    view.banner = controller_banner(state.controller_status, config);
    const bool controller_offline = state.controller_status && !state.controller_status->online;
    view.live = state.broker_connected && !controller_offline;
    view.link = !state.broker_connected ? "offline: figures may be old"
                : controller_offline    ? "controller offline: figures may be old"
                                        : "live";
    const bool nps = use_nps(stats);

    std::optional<int> offset;
    if (stats.hourly && !stats.hourly->hours.empty()) offset = utc_offset_min(stats.hourly->hours.back().period);
    if (stats.today) {
        view.today_waiting = false;
        view.title = "Today, " + weekday_of(stats.today->date) + " " + stats.today->date;
        view.updated = "figures of " + clock_text(stats.today->ts, offset, true);
        view.kpis = make_kpis(*stats.today);
        view.reasons_waiting = false;
        view.reasons_positive = top_reasons(stats.today->reasons_positive, config);
        view.reasons_negative = top_reasons(stats.today->reasons_negative, config);
    } else {
        view.title = "Today";
        view.updated = "waiting for data";
    }
    view.queue_cost = make_queue_cost_view(stats, nps);
    if (stats.hourly) view.timeline = make_timeline(*stats.hourly, nps);
    if (stats.hourly && stats.forecast) add_forecast(view.timeline, *stats.forecast);
    if (stats.daily) view.trend = make_trend(*stats.daily, nps);
    if (stats.lanes) {
        view.lanes_waiting = false;
        view.lanes = make_lanes(*stats.lanes);
    }
    for (const auto& prompt : state.prompts) view.prompts.push_back(make_prompt_view(prompt, state, config));
    std::vector<const Alert*> alerts;
    for (const auto& [id, alert] : stats.alerts) alerts.push_back(&alert);
    std::stable_sort(alerts.begin(), alerts.end(), [](const Alert* a, const Alert* b) { return a->opened > b->opened; });
    for (const Alert* alert : alerts) view.alerts.push_back(make_alert_view(*alert, config));
    return view;
}

}  // namespace storeq::kiosk
