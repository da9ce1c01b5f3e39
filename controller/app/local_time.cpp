#include "local_time.hpp"

#include <cstdio>
#include <ctime>

namespace storeq::controller {
namespace {

std::tm local_tm(TimeMs t) {
    const std::time_t seconds = static_cast<std::time_t>(t >= 0 ? t / 1000 : (t - 999) / 1000);
    std::tm tm{};
    localtime_r(&seconds, &tm);
    return tm;
}

TimeMs midnight(int year, int month, int day) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_isdst = -1;  // let the zone say whether summer time applies
    return static_cast<TimeMs>(std::mktime(&tm)) * 1000;
}

}  // namespace

TimeMs local_day_start(TimeMs t) {
    const std::tm tm = local_tm(t);
    return midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

TimeMs add_local_days(TimeMs day_start, int days) {
    // Noon of the day, so a 23- or 25-hour day never lands on the wrong date.
    const std::tm tm = local_tm(day_start + 12 * 3'600'000);
    return midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + days);
}

std::string iso_local_time(TimeMs t) {
    const std::tm tm = local_tm(t);
    char text[96];
    const long offset_min = tm.tm_gmtoff / 60;
    const long abs_min = offset_min < 0 ? -offset_min : offset_min;
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_min < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
    return text;
}

std::string iso_local_date(TimeMs t) {
    const std::tm tm = local_tm(t);
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return text;
}

Expected<TimeMs> parse_iso_date(std::string_view text) {
    int year = 0, month = 0, day = 0;
    char tail = 0;
    const std::string copy(text);
    if (copy.size() != 10 || std::sscanf(copy.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 ||
        copy[4] != '-' || copy[7] != '-' || month < 1 || month > 12 || day < 1 || day > 31 || year < 1970)
        return Error{"", "'" + copy + "' is not a date like 2025-11-22"};
    const TimeMs start = midnight(year, month, day);
    if (iso_local_date(start) != copy) return Error{"", "'" + copy + "' is not a day of the calendar"};
    return start;
}

}  // namespace storeq::controller
