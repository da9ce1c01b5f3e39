#include "storeq/controller/forecast_rule.hpp"

#include <algorithm>
#include <cmath>

#include "storeq/controller/erlang_c.hpp"

namespace storeq::controller {
namespace {
constexpr TimeMs kMinuteMs = 60'000;
// More minutes than this without an event: the controller was away; nothing is learned
// for them (a silent door sensor is not an empty store).
constexpr int kMaxMinutesToFill = 5;

TimeMs minute_floor(TimeMs t) { return t - ((t % kMinuteMs) + kMinuteMs) % kMinuteMs; }

int tills_for(double per_min, double service_s, const Config& config, double target_share) {
    const int max_tills = static_cast<int>(config.tills.size());
    return tills_needed(per_min / 60.0, service_s, service_s, std::min(0.99, target_share), max_tills, 1).tills;
}
}  // namespace

int minute_of_week(const TimeZone& zone, TimeMs t) {
    const TimeMs local = t + static_cast<TimeMs>(zone.offset_s(t)) * 1000;
    const TimeMs minutes = local / kMinuteMs - (local % kMinuteMs < 0 ? 1 : 0);
    // 1970-01-01 was a Thursday: Monday 00:00 is 3 days (4,320 minutes) before it.
    const TimeMs since_monday = minutes + 3 * 24 * 60;
    return static_cast<int>(((since_monday % kMinutesPerWeek) + kMinutesPerWeek) % kMinutesPerWeek);
}

void count_door_entries(Forecasting& f, int people, TimeMs now) {
    if (f.minute_start == 0) f.minute_start = minute_floor(now);
    f.door_entries += std::max(0, people);
    f.door_reported = true;
}

void count_till_arrivals(Forecasting& f, int customers) {
    if (f.minute_start != 0) f.till_arrivals += std::max(0, customers);
}

namespace {
// Learns the minute being counted and starts the next one at `next`.
MinuteCounts end_minute(Forecasting& f, const Config& config, TimeMs next) {
    const MinuteCounts m{f.minute_start, minute_of_week(config.zone, f.minute_start), f.door_entries, f.till_arrivals,
                         f.door_reported};
    f.model = learn_minute(std::move(f.model), m);
    f.minute_start = next;
    f.door_entries = f.till_arrivals = 0;
    f.door_reported = false;
    return m;
}
}  // namespace

std::vector<MinuteCounts> finish_minutes(Forecasting& f, const Config& config, TimeMs now) {
    std::vector<MinuteCounts> done;
    if (f.minute_start == 0) return done;
    // Away too long (the controller was down): only the minute being counted has data.
    if (now - f.minute_start > (kMaxMinutesToFill + 1) * kMinuteMs) {
        done.push_back(end_minute(f, config, minute_floor(now)));
        return done;
    }
    while (now >= f.minute_start + kMinuteMs) done.push_back(end_minute(f, config, f.minute_start + kMinuteMs));
    return done;
}

void tally_minute(Forecasting& f, TimeMs hour_start, int local_hour, int open_tills, int needed) {
    HourTally& h = f.hours[hour_start];
    h.local_hour = local_hour;
    h.minutes += 1;
    h.open_sum += open_tills;
    h.needed_sum += needed;
}

std::vector<ForecastHour> hours_today(Forecasting& f, const Config& config, TimeMs now) {
    const TimeMs day_start = local_day_start(config.zone, now);
    f.hours.erase(f.hours.begin(), f.hours.lower_bound(day_start));
    std::vector<ForecastHour> out;
    for (const auto& [start, h] : f.hours) {
        if (h.minutes == 0) continue;
        out.push_back(ForecastHour{start, h.local_hour, static_cast<double>(h.open_sum) / h.minutes,
                                   static_cast<double>(h.needed_sum) / h.minutes});
    }
    return out;
}

bool prompts_enabled(const Forecasting& f, const Config& config, TimeMs now) {
    switch (config.forecast) {
        case ForecastPrompts::off: return false;
        case ForecastPrompts::on: return true;
        case ForecastPrompts::automatic: return door_history_days(f.model, now) >= kForecastHistoryDays;
    }
    return false;
}

Forecast make_forecast(const Forecasting& f, const ForecastInputs& in, const Config& config, TimeMs now) {
    const ArrivalForecast a = forecast_arrivals(f.model, now, minute_of_week(config.zone, now));
    Forecast out;
    out.ts = now;
    out.open_tills = in.open_tills;
    out.service_s = in.service_s;
    out.arrivals_now = a.now_per_min;
    out.arrivals_in15 = a.in15_per_min;
    out.arrivals_in30 = a.in30_per_min;
    out.needed_now = tills_for(a.now_per_min, in.service_s, config, config.forecast_target);
    out.needed_in15 = tills_for(a.in15_per_min, in.service_s, config, config.forecast_target);
    out.needed_in30 = tills_for(a.in30_per_min, in.service_s, config, config.forecast_target);
    out.door_per_min = a.door_per_min;
    out.usual_door_per_min = a.usual_door_per_min;
    out.level = a.level;
    out.lag_min = a.lag_minutes;
    out.buyer_share = a.buyer_share;
    out.target_share = config.forecast_target;
    out.history_days = door_history_days(f.model, now);
    out.profile_learned = a.profile_learned;
    out.prompts = prompts_enabled(f, config, now);
    return out;
}

int needed_at_lead(const Forecast& forecast, const Config& config, double target_share) {
    // The windows start at +0, +15 and +30 minutes; the rate at lead_time lies between two.
    const double lead_min = static_cast<double>(config.lead_time) / 60'000.0;
    const double rate = lead_min <= 15
                            ? forecast.arrivals_now + (forecast.arrivals_in15 - forecast.arrivals_now) * lead_min / 15
                            : forecast.arrivals_in15 +
                                  (forecast.arrivals_in30 - forecast.arrivals_in15) * std::min(1.0, (lead_min - 15) / 15);
    return tills_for(std::max(0.0, rate), forecast.service_s, config, target_share);
}

}  // namespace storeq::controller
