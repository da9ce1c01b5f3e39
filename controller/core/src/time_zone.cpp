#include "storeq/controller/time_zone.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>

namespace storeq::controller {
namespace {

constexpr TimeMs kHour = 3'600'000;
constexpr TimeMs kEarliest = LLONG_MIN / 4;  // far before any table; no overflow when offsets are added

TimeMs floor_to(TimeMs t, TimeMs unit) { return (t >= 0 ? t / unit : (t - unit + 1) / unit) * unit; }
TimeMs offset_ms(const TimeZone& zone, TimeMs t) { return static_cast<TimeMs>(zone.offset_s(t)) * 1000; }

// Index of the change in force at t, -1 before the first.
std::ptrdiff_t stretch_index(const TimeZone& zone, TimeMs t) {
    const auto it = std::upper_bound(zone.changes.begin(), zone.changes.end(), t,
                                     [](TimeMs value, const ZoneChange& c) { return value < c.at; });
    return (it - zone.changes.begin()) - 1;
}

}  // namespace

int TimeZone::offset_s(TimeMs t) const {
    const auto i = stretch_index(*this, t);
    return i < 0 ? initial_offset_s : changes[static_cast<std::size_t>(i)].offset_s;
}

std::optional<TimeMs> TimeZone::next_change(TimeMs t) const {
    const auto i = stretch_index(*this, t) + 1;
    if (i >= static_cast<std::ptrdiff_t>(changes.size())) return std::nullopt;
    return changes[static_cast<std::size_t>(i)].at;
}

TimeMs TimeZone::stretch_start(TimeMs t) const {
    const auto i = stretch_index(*this, t);
    return i < 0 ? kEarliest : changes[static_cast<std::size_t>(i)].at;
}

TimeZone fixed_zone(std::string name, int offset_s) { return TimeZone{std::move(name), offset_s, {}}; }

const TimeZone& utc_zone() {
    static const TimeZone utc = fixed_zone("UTC", 0);
    return utc;
}

long long days_from_civil(int year, int month, int day) {
    const long long y = static_cast<long long>(year) - (month <= 2 ? 1 : 0);
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(long long z, int& year, int& month, int& day) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

LocalTime local_time(const TimeZone& zone, TimeMs t) {
    LocalTime l;
    l.offset_s = zone.offset_s(t);
    const TimeMs local = t + static_cast<TimeMs>(l.offset_s) * 1000;
    const TimeMs day_start = floor_to(local, kDayMs);
    civil_from_days(day_start / kDayMs, l.year, l.month, l.day);
    const TimeMs in_day = (local - day_start) / 1000;
    l.hour = static_cast<int>(in_day / 3600);
    l.minute = static_cast<int>(in_day / 60 % 60);
    l.second = static_cast<int>(in_day % 60);
    return l;
}

TimeMs local_hour_start(const TimeZone& zone, TimeMs t) {
    const TimeMs local = t + offset_ms(zone, t);
    // Within one stretch of constant offset; an hour cut by a change (a zone changing by
    // 30 minutes) starts at the change.
    return std::max(floor_to(local, kHour) - offset_ms(zone, t), zone.stretch_start(t));
}

TimeMs next_local_hour(const TimeZone& zone, TimeMs t) {
    const TimeMs next = local_hour_start(zone, t) + kHour;
    const auto change = zone.next_change(t);
    return change && *change < next ? *change : next;
}

TimeMs utc_of_local(const TimeZone& zone, TimeMs local_ms) {
    // Stretch i covers UTC [start_i, start_{i+1}) and so local [start_i + o_i, start_{i+1} + o_i).
    // The answer lies in the first stretch whose local end is past local_ms.
    const auto& c = zone.changes;
    auto local_end = [&](std::size_t i) {  // i = 0: before the first change
        const int offset = i == 0 ? zone.initial_offset_s : c[i - 1].offset_s;
        return c[i].at + static_cast<TimeMs>(offset) * 1000;
    };
    std::size_t lo = 0, hi = c.size();  // first i in [0, size] with local_end(i) > local_ms (size: the last stretch)
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (local_end(mid) > local_ms) hi = mid;
        else lo = mid + 1;
    }
    const int offset = lo == 0 ? zone.initial_offset_s : c[lo - 1].offset_s;
    const TimeMs start = lo == 0 ? kEarliest : c[lo - 1].at;
    return std::max(start, local_ms - static_cast<TimeMs>(offset) * 1000);
}

TimeMs local_day_start(const TimeZone& zone, TimeMs t) {
    return utc_of_local(zone, floor_to(t + offset_ms(zone, t), kDayMs));
}

TimeMs add_local_days(const TimeZone& zone, TimeMs day_start, int days) {
    const TimeMs local_midnight = floor_to(day_start + offset_ms(zone, day_start), kDayMs);
    return utc_of_local(zone, local_midnight + static_cast<TimeMs>(days) * kDayMs);
}

TimeMs same_local_time(const TimeZone& zone, TimeMs t, int days) {
    return utc_of_local(zone, t + offset_ms(zone, t) + static_cast<TimeMs>(days) * kDayMs);
}

std::string iso_local_time(const TimeZone& zone, TimeMs t) {
    const LocalTime l = local_time(zone, t);
    const int offset_min = l.offset_s / 60;
    const int abs_min = offset_min < 0 ? -offset_min : offset_min;
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", l.year, l.month, l.day, l.hour,
                  l.minute, l.second, offset_min < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
    return text;
}

std::string iso_local_date(const TimeZone& zone, TimeMs t) {
    const LocalTime l = local_time(zone, t);
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", l.year, l.month, l.day);
    return text;
}

Expected<TimeMs> parse_iso_date(const TimeZone& zone, std::string_view text) {
    const std::string copy(text);
    auto digits = [&](std::size_t from, std::size_t n) -> std::optional<int> {
        int v = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (copy[i] < '0' || copy[i] > '9') return std::nullopt;
            v = v * 10 + (copy[i] - '0');
        }
        return v;
    };
    if (copy.size() != 10 || copy[4] != '-' || copy[7] != '-')
        return Error{"", "'" + copy + "' is not a date like 2025-11-22"};
    const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31 || *year < 1970)
        return Error{"", "'" + copy + "' is not a date like 2025-11-22"};
    const long long days = days_from_civil(*year, *month, *day);
    int y = 0, m = 0, d = 0;
    civil_from_days(days, y, m, d);
    if (y != *year || m != *month || d != *day) return Error{"", "'" + copy + "' is not a day of the calendar"};
    return utc_of_local(zone, static_cast<TimeMs>(days) * kDayMs);
}

namespace {

struct RuleReader {
    std::string_view text;
    std::size_t pos = 0;
    bool done() const { return pos >= text.size(); }
    char peek() const { return done() ? '\0' : text[pos]; }
    bool name() {
        if (peek() == '<') {
            const auto close = text.find('>', pos);
            if (close == std::string_view::npos) return false;
            pos = close + 1;
            return true;
        }
        const std::size_t start = pos;
        while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z'))) ++pos;
        return pos - start >= 3;
    }
    std::optional<int> number() {
        const std::size_t start = pos;
        int v = 0;
        while (!done() && peek() >= '0' && peek() <= '9' && pos - start < 3) v = v * 10 + (text[pos++] - '0');
        if (pos == start) return std::nullopt;
        return v;
    }
    // [+-]hh[:mm[:ss]] in seconds.
    std::optional<int> clock() {
        int sign = 1;
        if (peek() == '+' || peek() == '-') sign = text[pos++] == '-' ? -1 : 1;
        auto h = number();
        if (!h) return std::nullopt;
        int seconds = *h * 3600;
        for (int scale : {60, 1}) {
            if (peek() != ':') break;
            ++pos;
            auto part = number();
            if (!part) return std::nullopt;
            seconds += *part * scale;
        }
        return sign * seconds;
    }
    // Mm.w.d[/time]
    bool date(int& month, int& week, int& weekday, int& time_s) {
        if (peek() != 'M') return false;
        ++pos;
        auto m = number();
        if (!m || peek() != '.') return false;
        ++pos;
        auto w = number();
        if (!w || peek() != '.') return false;
        ++pos;
        auto d = number();
        if (!d || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *d > 6) return false;
        month = *m;
        week = *w;
        weekday = *d;
        if (peek() == '/') {
            ++pos;
            auto t = clock();
            if (!t) return false;
            time_s = *t;
        }
        return true;
    }
};

int days_in_month(int year, int month) {
    return static_cast<int>(days_from_civil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) -
                            days_from_civil(year, month, 1));
}

// Day `week` (5: the last) of `weekday` (0 Sunday) in the month, as days since 1970.
long long rule_day(int year, int month, int week, int weekday) {
    const long long first = days_from_civil(year, month, 1);
    const int first_weekday = static_cast<int>(((first + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    int day = 1 + (weekday - first_weekday + 7) % 7 + (week - 1) * 7;
    while (day > days_in_month(year, month)) day -= 7;
    return first + day - 1;
}

}  // namespace

Expected<PosixRule> parse_posix_rule(std::string_view text) {
    RuleReader r{text};
    PosixRule rule;
    const auto bad = [&] { return Error{"", "cannot read the zone rule '" + std::string(text) + "'"}; };
    if (!r.name()) return bad();
    auto std_offset = r.clock();
    if (!std_offset) return bad();
    rule.std_offset_s = -*std_offset;  // POSIX counts west of Greenwich as positive
    if (r.done()) return rule;
    if (!r.name()) return bad();
    rule.has_dst = true;
    rule.dst_offset_s = rule.std_offset_s + 3600;
    if (r.peek() != ',') {
        auto dst_offset = r.clock();
        if (!dst_offset) return bad();
        rule.dst_offset_s = -*dst_offset;
    }
    if (r.peek() != ',') return bad();
    ++r.pos;
    if (!r.date(rule.start_month, rule.start_week, rule.start_weekday, rule.start_time_s) || r.peek() != ',') return bad();
    ++r.pos;
    if (!r.date(rule.end_month, rule.end_week, rule.end_weekday, rule.end_time_s) || !r.done()) return bad();
    return rule;
}

std::vector<ZoneChange> posix_rule_changes(const PosixRule& rule, int from_year, int to_year) {
    std::vector<ZoneChange> changes;
    if (!rule.has_dst) return changes;
    for (int year = from_year; year <= to_year; ++year) {
        // The start's time is read on standard time, the end's on summer time.
        const TimeMs start = rule_day(year, rule.start_month, rule.start_week, rule.start_weekday) * kDayMs +
                             static_cast<TimeMs>(rule.start_time_s - rule.std_offset_s) * 1000;
        const TimeMs end = rule_day(year, rule.end_month, rule.end_week, rule.end_weekday) * kDayMs +
                           static_cast<TimeMs>(rule.end_time_s - rule.dst_offset_s) * 1000;
        changes.push_back({start, rule.dst_offset_s});
        changes.push_back({end, rule.std_offset_s});
    }
    std::sort(changes.begin(), changes.end(), [](const ZoneChange& a, const ZoneChange& b) { return a.at < b.at; });
    return changes;
}

bool is_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
    if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) return false;
    return std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
               ch == '-' || ch == '+' || ch == '/';
    });
}

}  // namespace storeq::controller
