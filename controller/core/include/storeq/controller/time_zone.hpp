#pragma once
// The store's local time, from a table of the zone's UTC offsets (what the tz database
// says: the shell reads /usr/share/zoneinfo into it, tests write one by hand). Pure: no
// TZ variable, no clock, no file. A store's hours are its local hours: on the day summer
// time starts the day has 23 of them, on the day it ends 25 (02:00 twice, told apart by
// their UTC start and their offset), and in a +05:30 zone an hour starts at hh:30 UTC.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

inline constexpr TimeMs kDayMs = 86'400'000;

// From `at` (UTC, ms) on, local time = UTC + offset_s.
struct ZoneChange {
    TimeMs at = 0;
    int offset_s = 0;
    bool operator==(const ZoneChange&) const = default;
};

struct TimeZone {
    std::string name = "UTC";
    int initial_offset_s = 0;          // before the first change
    std::vector<ZoneChange> changes;   // sorted by `at`, at least an hour apart

    int offset_s(TimeMs t) const;
    // The first change strictly after t, if any.
    std::optional<TimeMs> next_change(TimeMs t) const;
    // The start of the stretch of constant offset holding t (a very early time if none).
    TimeMs stretch_start(TimeMs t) const;
    bool operator==(const TimeZone&) const = default;
};

// A zone that never changes (UTC, or a test's +05:30).
TimeZone fixed_zone(std::string name, int offset_s);
const TimeZone& utc_zone();

struct LocalTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    int offset_s = 0;
};
LocalTime local_time(const TimeZone& zone, TimeMs t);

// Hours: the UTC instant the local hour holding t began, and the start of the next one.
TimeMs local_hour_start(const TimeZone& zone, TimeMs t);
TimeMs next_local_hour(const TimeZone& zone, TimeMs t);

// Days: local midnight (or the first instant of the date, where a change skips midnight).
TimeMs local_day_start(const TimeZone& zone, TimeMs t);
// The start of the local day `days` after the day holding day_start (negative: before).
TimeMs add_local_days(const TimeZone& zone, TimeMs day_start, int days);
// The earliest instant whose local clock reads at least `local_ms` (local time written as
// ms since 1970-01-01 00:00 of the local calendar): a time in a skipped hour gives the
// change, a repeated time its first occurrence.
TimeMs utc_of_local(const TimeZone& zone, TimeMs local_ms);
// The same local clock time `days` days earlier or later (today at 10:00 -> last week's
// 10:00, also across a change day).
TimeMs same_local_time(const TimeZone& zone, TimeMs t, int days);

// "2026-10-25T02:00:00+01:00"
std::string iso_local_time(const TimeZone& zone, TimeMs t);
// "2026-10-25"
std::string iso_local_date(const TimeZone& zone, TimeMs t);
// "2026-10-25" -> the start of that local day; an Error for text that is not a date.
Expected<TimeMs> parse_iso_date(const TimeZone& zone, std::string_view text);

// A name the tz database could hold ("Europe/Amsterdam", "UTC", "Etc/GMT+5"): letters,
// digits, '_', '-', '+', '/' between parts, no "..": safe to look up under a directory.
bool is_zone_name(std::string_view name);

// The changes a POSIX TZ rule makes from `from_year` to `to_year`, as the footer of a
// TZif file gives it ("CET-1CEST,M3.5.0,M10.5.0/3", "ACST-9:30ACDT,M10.1.0,M4.1.0/3",
// "<+0530>-5:30"). The tz database lists changes to 2037; the rule carries them on. An
// Error for a rule this does not read (the rare Jn / n day forms).
struct PosixRule {
    int std_offset_s = 0;
    bool has_dst = false;
    int dst_offset_s = 0;
    int start_month = 0, start_week = 0, start_weekday = 0, start_time_s = 7200;
    int end_month = 0, end_week = 0, end_weekday = 0, end_time_s = 7200;
};
Expected<PosixRule> parse_posix_rule(std::string_view text);
std::vector<ZoneChange> posix_rule_changes(const PosixRule& rule, int from_year, int to_year);

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
long long days_from_civil(int year, int month, int day);
void civil_from_days(long long days, int& year, int& month, int& day);

}  // namespace storeq::controller
