#pragma once
// The customers expected at the tills in the next minutes, from the door counts. People come
// in at the door and reach the tills a shopping trip later: the lag between the two is
// learned, and so is the usual shape of each weekday (door entries per 15-minute slot of the
// week, local time). Pure: the step feeds it one finished minute at a time, with the minute
// of the week already in the store's local time; it reads no clock. docs/forecast.md.
#include <cstdint>
#include <deque>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::controller {

inline constexpr int kMinutesPerWeek = 7 * 24 * 60;
inline constexpr int kSlotMinutes = 15;
inline constexpr int kSlotsPerWeek = kMinutesPerWeek / kSlotMinutes;
// Minute by minute memory: long enough for the longest lag and the recent level.
inline constexpr int kRecentMinutes = 180;
inline constexpr double kDefaultLagMinutes = 15;  // until learned

// What the store saw in one finished minute.
struct MinuteCounts {
    TimeMs minute_start = 0;   // UTC, a whole minute
    int minute_of_week = 0;    // local: 0 = Monday 00:00 ... kMinutesPerWeek - 1
    int door_entries = 0;      // people in, summed over the store's doors
    int till_arrivals = 0;     // customers who joined a till's line (served + growth of the lines)
    bool door_reported = true; // false: no door count came this minute (sensor silent): not learned
    bool operator==(const MinuteCounts&) const = default;  // ArrivalModel's == needs it
};

struct ArrivalModel {
    // Door entries per minute in each slot of the week, a moving average over the weeks seen.
    std::vector<double> profile = std::vector<double>(kSlotsPerWeek, 0.0);
    std::vector<int> weeks_seen = std::vector<int>(kSlotsPerWeek, 0);
    // The last kRecentMinutes minutes, oldest first.
    std::deque<MinuteCounts> recent;
    double lag_minutes = kDefaultLagMinutes;  // door -> tills, learned
    double buyer_share = 1.0;                 // till arrivals per door entry, learned
    TimeMs first_door_minute = 0;             // 0: no door count yet
    std::int64_t door_minutes_seen = 0;       // minutes with a door report
    bool operator==(const ArrivalModel&) const = default;
};

// Learns one finished minute. Minutes come in order; a gap (controller down) is fine.
ArrivalModel learn_minute(ArrivalModel model, const MinuteCounts& minute);

// Days of door history the model holds (the forecast prompts wait for 14).
double door_history_days(const ArrivalModel& model, TimeMs now);

struct ArrivalForecast {
    // Customers per minute expected to join the tills' lines in the 15 minutes starting now,
    // 15 minutes from now and 30 minutes from now.
    double now_per_min = 0;
    double in15_per_min = 0;
    double in30_per_min = 0;
    // The inputs, published with the forecast (docs/protocol.md).
    double door_per_min = 0;       // door entries per minute over the last 15 minutes
    double usual_door_per_min = 0; // what the profile expected for those 15 minutes
    double level = 1;              // today against the usual (1: as usual; 1 before learned)
    double lag_minutes = kDefaultLagMinutes;
    double buyer_share = 1;
    bool profile_learned = false;  // the slots ahead have been seen on at least one earlier week
};

// minute_of_week_now: the local minute of the week of `now`.
ArrivalForecast forecast_arrivals(const ArrivalModel& model, TimeMs now, int minute_of_week_now);

}  // namespace storeq::controller
