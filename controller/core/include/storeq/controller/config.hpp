#pragma once
// Per-store rule configuration (docs/rules.md explains every key to a store manager).
// Parsing is pure: text in, Config or an Error naming the key out.
#include <string>
#include <string_view>
#include <vector>

#include "storeq/controller/alert_rules.hpp"
#include "storeq/controller/time_zone.hpp"
#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

// prepare_till prompts from the forecast (docs/forecast.md): off; on; or auto, on once the
// store holds kForecastHistoryDays of door counts (a forecast needs the usual weeks).
enum class ForecastPrompts { off, on, automatic };
inline constexpr double kForecastHistoryDays = 14;

struct Config {
    std::vector<int> tills;          // every till of the store, in the order they are opened
    int waiting_threshold = 2;       // a lane breaches when waiting (count - 1) reaches this
    TimeMs dwell = 3'000;            // ... continuously for this long (filters sensor flicker)
    TimeMs balance_grace = 30'000;   // after a balance prompt, wait this long before open_till
    TimeMs settle = 20'000;          // after a fulfilment, wait this long before a new prompt for the same lane
    TimeMs cooldown = 600'000;       // at most one all_tills_open per cooldown
    TimeMs clear_dwell = 10'000;     // breach gone this long before the till opened: stand down
    TimeMs claim_timeout = 30'000;   // unclaimed this long: escalate to level 2
    TimeMs open_timeout = 120'000;   // claimed but not open this long: escalate to level 2
    TimeMs idle_close = 600'000;     // 2+ lanes open and nobody waiting this long: close_till
    TimeMs promise_target = 90'000;  // a breach resolved within this keeps the promise
    // A response within this after a breach on any lane ended (or while one lasted) counts
    // as "after a breach": its shopper probably queued in it (queue_cost.hpp).
    TimeMs exit_lag = 300'000;
    TimeMs sensor_timeout = 60'000;  // a lane silent this long is unknown, never assumed empty
    TimeMs service_time = 60'000;    // service time per customer until a lane has learned its own
    // Raw queue samples and lane states older than this are deleted once rolled up; the
    // hourly rollups, feedback and prompts are kept for good. 0: keep everything.
    TimeMs retention = 400LL * 86'400'000;
    // head_office = on: the store keeps an outbound log for head office and sends it
    // (docs/chain.md). Off, nothing is logged: a store on its own pays nothing.
    bool head_office = false;
    // No ack from head office this long while entries are in flight: send again from the
    // ack (doubling, up to 5 min, while head office stays away).
    TimeMs head_office_resend = 10'000;
    // home_assistant = on: Home Assistant MQTT discovery documents for the store's lanes and
    // figures, retained under homeassistant/ (home_assistant.hpp, docs/integrations.md).
    bool home_assistant = false;
    // metrics_listen = HOST:PORT: the controller answers GET /metrics (Prometheus text
    // format 0.0.4) there. Empty (the default, or `off`): no listener at all.
    std::string metrics_listen;
    // The forecast of tills needed (door counts in, docs/forecast.md). It is published
    // whenever door counts come; `forecast` says whether it raises prepare_till prompts.
    ForecastPrompts forecast = ForecastPrompts::automatic;
    TimeMs lead_time = 600'000;     // prompt when a till will be needed within this
    // Share of customers to be served within one service time, for the tills the forecast
    // asks for. 60%: bench/forecast measured -52% breach minutes for +4.9% till-open hours
    // (80%: -76% for +11.8%); the reactive rule still guards the rest (docs/forecast.md).
    double forecast_target = 0.6;
    int doors = 1;                  // entrance sensors provisioned: door-1..door-N
    std::string default_locale = "en";
    // The store's time zone, a tz database name ("Europe/Amsterdam"): its days and hours
    // in the stats and the report. Empty: the zone of the box the controller runs on
    // (the shell finds it; the core only holds the name).
    std::string time_zone;
    // That zone, loaded by the shell (the core reads no file): the forecast's weekday and
    // time of day. UTC until the shell sets it.
    TimeZone zone = utc_zone();
    // Devices `storeq-controller provision` makes broker accounts for (the rule ignores
    // them): exit kiosks exit-1..exit-N, staff handhelds handheld-1..handheld-N, and
    // read-only dashboard accounts manager, manager-2..manager-N (one open session per
    // account: the broker uses the account as client id).
    int kiosks = 1;
    int handhelds = 2;
    int managers = 1;
    // The follow-up reason codes the store's kiosks ask (the kiosks' own lists, kiosk.md).
    // The figures count these by name and every other code as `other`, so a kiosk account
    // sending thousands of codes cannot grow a stats document or the rollups.
    std::vector<std::string> positive_reasons{"staff", "speed", "clean", "fresh", "prices", "other"};
    std::vector<std::string> negative_reasons{"queue", "stock", "unfriendly", "dirty", "expensive", "other"};
    // Alerts (docs/alerts.md): `alert.<name> = ...` lines change, add or switch off
    // (`off`) rules; these are the rules a store has without any.
    std::vector<AlertRule> alerts = default_alert_rules();
    // An open alert closes by itself once its figure has stayed recovered this long.
    TimeMs alert_settle = 600'000;
};

// At most this many reason codes per side (a kiosk asks at most 6).
inline constexpr std::size_t kMaxReasonsPerSide = 12;

// "3s", "500ms", "10min", "1h" -> milliseconds (at most a day). A bare number is an error.
Expected<TimeMs> parse_duration(std::string_view text);

// "1-6", "1,2,5", "3,1-2" -> tills in that order. Duplicates and 0/1000+ are errors.
Expected<std::vector<int>> parse_till_list(std::string_view text);

// The configuration file: `key = value` lines, `#` comments. Durations take a unit
// (`3s`, `500ms`, `10min`). Unknown keys, bad values and out-of-range values are errors
// that name the key and line. Keys not in the file keep their defaults.
Expected<Config> parse_config(std::string_view text, Config defaults = {});

}  // namespace storeq::controller
