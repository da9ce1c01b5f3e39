#pragma once
// The forecast's part of the controller's memory and of its step: door counts and till
// arrivals are counted minute by minute, each finished minute teaches the arrival model,
// and the tills needed now, in 15 and in 30 minutes come from it (Erlang C over the learned
// service time). Pure; the rule (step.cpp) turns the figures into prepare_till prompts.
#include <map>
#include <optional>

#include "storeq/controller/arrival_forecast.hpp"
#include "storeq/controller/config.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

// Today's tills open and needed, per local hour, for the forecast's `hours`.
struct HourTally {
    int local_hour = 0;
    int minutes = 0;
    std::int64_t open_sum = 0;
    std::int64_t needed_sum = 0;
    bool operator==(const HourTally&) const = default;
};

struct Forecasting {
    ArrivalModel model;
    TimeMs minute_start = 0;  // the minute being counted; 0 until the first door count
    int door_entries = 0;
    bool door_reported = false;
    int till_arrivals = 0;
    std::optional<Forecast> last;   // the latest forecast (published)
    std::optional<TimeMs> short_since;  // the need at lead_time above the tills open or asked for since
    std::map<TimeMs, HourTally> hours;  // by UTC start of the local hour: today (and a restart's replay)
    bool operator==(const Forecasting&) const = default;
};

// The local minute of the week (0 = Monday 00:00) of `t`.
int minute_of_week(const TimeZone& zone, TimeMs t);

// Counting, as inputs come.
void count_door_entries(Forecasting& f, int people, TimeMs now);
void count_till_arrivals(Forecasting& f, int customers);

// Ends every minute finished by `now`: each is learned and returned (the shell stores them,
// and a restart replays them). A gap of more than a few minutes (the controller was down)
// starts counting afresh at now's minute.
std::vector<MinuteCounts> finish_minutes(Forecasting& f, const Config& config, TimeMs now);

// The forecast at `now`, given the tills open and the service time the rule uses.
struct ForecastInputs {
    int open_tills = 0;
    double service_s = 60;
};
Forecast make_forecast(const Forecasting& f, const ForecastInputs& in, const Config& config, TimeMs now);
// A prepare_till stands down only when even a target this much stricter is met by the
// tills open: the band between the two targets keeps a prompt from flapping.
inline constexpr double kStandDownMargin = 0.1;
// Tills needed lead_time from now (arrival rates interpolated between the windows), for
// target_share (config.forecast_target, or more for the stand-down).
int needed_at_lead(const Forecast& forecast, const Config& config, double target_share);
bool prompts_enabled(const Forecasting& f, const Config& config, TimeMs now);

// Counts a minute's tills open and needed into its local hour (also what a restart replays).
void tally_minute(Forecasting& f, TimeMs hour_start, int local_hour, int open_tills, int needed);
// The hours of the local day holding `now`, for the forecast; older tallies are dropped.
std::vector<ForecastHour> hours_today(Forecasting& f, const Config& config, TimeMs now);

}  // namespace storeq::controller
