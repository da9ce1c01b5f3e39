// The manager dashboard's view model: figures from hand-made stats documents, "waiting for
// data" for missing ones, the thin-NPS marking, the hourly window and the trend.
#include <catch2/catch.hpp>

#include "model/kiosk_update.hpp"
#include "model/manager_view.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {

KioskConfig manager_config() {
    KioskConfig config;
    config.role = Role::manager;
    config.store = "store-1";
    config.device = "office";
    return config;
}

StatsRow row(std::string period, std::map<std::string, double> figures) {
    return StatsRow{std::move(period), "all", std::move(figures)};
}

KioskState with(const KioskConfig& config, std::vector<StatsDocument> documents) {
    KioskState state;
    for (auto& document : documents) state = update(state, Event{StatsReceived{document}}, config, 0).state;
    return state;
}

const KpiTile& tile(const ManagerView& view, const std::string& key) {
    for (const auto& t : view.kpis)
        if (t.key == key) return t;
    FAIL("no tile " << key);
    return view.kpis.front();
}

StatsToday sample_today() {
    StatsToday today;
    today.ts = 1763370000000;  // 2025-11-17T09:00:00Z
    today.date = "2025-11-17";
    today.totals = row("2025-11-17", {{"responses", 219}, {"misuse", 3}, {"happy_index", 78.0}, {"happy_n", 219},
                                      {"nps", 30.0}, {"nps_ci95_low", 8.4}, {"nps_ci95_high", 51.6}, {"nps_n", 50},
                                      {"nps_thin", 0}, {"compliance_pct", 99.2}, {"breach_min", 0.95},
                                      {"counted_min", 117.5}, {"time_to_claim_p50_s", 17}, {"time_to_claim_p90_s", 25},
                                      {"time_to_open_p50_s", 47}, {"time_to_open_p90_s", 150}, {"promise_kept", 1},
                                      {"promise_broken", 0}, {"promise_kept_pct", 100.0}, {"prompts_raised", 2},
                                      {"prompts_fulfilled", 1}});
    today.reasons_positive = {{"staff", 2}, {"speed", 5}, {"clean", 1}, {"fresh", 1}, {"prices", 1}};
    today.reasons_negative = {{"queue", 2}};
    today.week_ago_date = "2025-11-10";
    today.week_ago = row("2025-11-10", {{"responses", 180}, {"happy_index", 72.5}});
    return today;
}

}  // namespace

TEST_CASE("manager view: nothing received yet shows waiting for data and no figures", "[kiosk][manager]") {
    const auto view = make_manager_view(KioskState{}, manager_config());
    CHECK(view.today_waiting);
    CHECK(view.kpis.empty());
    CHECK(view.updated == "waiting for data");
    CHECK(view.timeline.waiting);
    CHECK(view.trend.waiting);
    CHECK(view.lanes_waiting);
    CHECK(view.reasons_waiting);
}

TEST_CASE("manager view: today's figures with the counts behind them", "[kiosk][manager]") {
    const auto config = manager_config();
    const auto view = make_manager_view(with(config, {sample_today()}), config);
    REQUIRE_FALSE(view.today_waiting);
    CHECK(view.title == "Today, Mon 2025-11-17");
    CHECK(view.updated == "figures of 09:00:00 UTC");  // no hourly document: no offset known
    CHECK(tile(view, "responses").value == "219");
    CHECK(tile(view, "responses").detail == "3 misuse presses");
    CHECK(tile(view, "responses").comparison == "last Mon: 180");
    CHECK(tile(view, "happy_index").value == "78.0");
    CHECK(tile(view, "happy_index").detail == "n 219 answers");
    CHECK(tile(view, "happy_index").comparison == "last Mon: 72.5");
    CHECK(tile(view, "nps").value == "+30");
    CHECK(tile(view, "nps").detail == "95% CI +8..+52");
    CHECK(tile(view, "nps").detail2 == "n 50");
    CHECK_FALSE(tile(view, "nps").thin);
    CHECK(tile(view, "nps").comparison == "last Mon: no data");
    CHECK(tile(view, "compliance").value == "99.2");
    CHECK(tile(view, "compliance").unit == "%");
    CHECK(tile(view, "compliance").detail == "0.9 min in breach");
    CHECK(tile(view, "compliance").tone == Tone::good);
    CHECK(tile(view, "times").value == "17 s / 47 s");
    CHECK(tile(view, "times").detail == "p90 25 s / 2.5 min");
    CHECK(tile(view, "promise").value == "100.0");
    CHECK(tile(view, "promise").detail == "1 kept, 0 broken");
    // Top reasons: largest first, at most four, with their share of the side.
    REQUIRE(view.reasons_positive.size() == 4);
    CHECK(view.reasons_positive[0].label == "speed");
    CHECK(view.reasons_positive[0].count == 5);
    CHECK(view.reasons_positive[0].share == Approx(0.5));
    REQUIRE(view.reasons_negative.size() == 1);
    CHECK(view.reasons_negative[0].share == Approx(1.0));
}

TEST_CASE("manager view: an NPS under 30 answers is marked thin and a missing figure is no data", "[kiosk][manager]") {
    const auto config = manager_config();
    auto today = sample_today();
    today.totals.figures["nps_n"] = 7;
    today.totals.figures["nps_thin"] = 1;
    today.totals.figures.erase("promise_kept_pct");
    const auto view = make_manager_view(with(config, {today}), config);
    CHECK(tile(view, "nps").thin);
    CHECK(tile(view, "nps").detail2 == "n 7: THIN, n < 30");
    CHECK(tile(view, "promise").value == "-");
    CHECK(tile(view, "promise").unit.empty());
}

TEST_CASE("manager view: the hourly timeline starts at the first busy hour and shows at least 8", "[kiosk][manager]") {
    const auto config = manager_config();
    StatsHourly hourly;
    hourly.ts = 1763370000000;
    for (int h = 0; h <= 15; ++h) {
        char period[40];
        std::snprintf(period, sizeof period, "2025-11-17T%02d:00:00+01:00", h);
        std::map<std::string, double> figures{{"open_min", h >= 9 ? 60.0 : 0.0}, {"breach_min", h == 12 ? 7.5 : 0.0},
                                              {"responses", h >= 9 ? 10.0 : 0.0}};
        if (h >= 9) figures["happy_index"] = 60.0 + h;
        hourly.hours.push_back(row(period, figures));
    }
    auto state = with(config, {sample_today(), hourly});
    const auto view = make_manager_view(state, config);
    REQUIRE_FALSE(view.timeline.waiting);
    CHECK(view.updated == "figures of 10:00:00");  // the hourly periods carry the store's offset
    CHECK(view.timeline.score_label == "Happy Index");
    REQUIRE(view.timeline.hours.size() == 8);  // 09..15 has 7 hours: one earlier is added
    CHECK(view.timeline.hours.front().hour == 8);
    CHECK_FALSE(view.timeline.hours.front().score);
    CHECK(view.timeline.hours[4].hour == 12);
    CHECK(view.timeline.hours[4].breach_min == 7.5);
    CHECK(view.timeline.hours[4].score == Approx(72.0));
    CHECK(view.timeline.breach_axis_max == 8.0);
}

TEST_CASE("manager view: lanes and the trend against the previous period", "[kiosk][manager]") {
    const auto config = manager_config();
    StatsLanes lanes;
    lanes.ts = 1;
    lanes.lanes.push_back(StatsRow{"2025-11-17", "1", {{"open_now", 1}, {"count_now", 3}, {"breaching_now", 1},
                                                      {"avg_queue", 1.034}, {"max_queue", 4}, {"breach_min", 0.95},
                                                      {"compliance_pct", 98.4}, {"open_min", 60}}});
    lanes.lanes.push_back(StatsRow{"2025-11-17", "3", {{"open_now", 0}, {"open_min", 0}}});
    StatsDaily daily;
    daily.ts = 1;
    daily.days = {row("2025-11-16", {{"happy_index", 70}}), row("2025-11-17", {{"happy_index", 78}, {"compliance_pct", 99}})};
    daily.period = row("2025-10-21/2025-11-17", {{"happy_index", 74.0}, {"compliance_pct", 96.0}, {"breach_min", 30}});
    daily.previous_period = row("2025-09-23/2025-10-20", {{"happy_index", 71.0}, {"compliance_pct", 97.0}, {"breach_min", 20}});
    const auto view = make_manager_view(with(config, {lanes, daily}), config);
    REQUIRE(view.lanes.size() == 2);
    CHECK(view.lanes[0].lane == "Till 1");
    CHECK(view.lanes[0].now == "open, 3 in line");
    CHECK(view.lanes[0].breaching_now);
    CHECK(view.lanes[0].avg_queue == "1.03");
    CHECK(view.lanes[0].compliance == "98.4%");
    CHECK(view.lanes[1].now == "closed");
    CHECK(view.lanes[1].compliance == "-");
    REQUIRE_FALSE(view.trend.waiting);
    CHECK(view.trend.period == "2025-10-21 to 2025-11-17");
    REQUIRE(view.trend.days.size() == 2);
    CHECK(view.trend.days[1].label == "11-17");
    auto figure = [&](const std::string& label) {
        for (const auto& f : view.trend.figures)
            if (f.label == label) return f;
        FAIL("no trend figure " << label);
        return view.trend.figures.front();
    };
    CHECK(figure("Happy Index").now == "74.0");
    CHECK(figure("Happy Index").before == "71.0");
    CHECK(figure("Happy Index").direction == 1);
    CHECK(figure("One in Front").direction == -1);
    CHECK(figure("Breach minutes").direction == -1);  // more breach minutes is worse
    CHECK(figure("Responses").now == "-");
}

TEST_CASE("manager model: an older retained document never replaces a newer one", "[kiosk][manager]") {
    const auto config = manager_config();
    auto newer = sample_today();
    auto older = sample_today();
    older.ts -= 60'000;
    older.totals.figures["responses"] = 1;
    const auto state = with(config, {newer, older});
    REQUIRE(state.stats.today);
    CHECK(state.stats.today->totals.get("responses") == 219.0);
    // Other roles keep no stats.
    auto lane_config = config;
    lane_config.role = Role::lane;
    CHECK_FALSE(with(lane_config, {newer}).stats.today);
}

TEST_CASE("manager view helpers: weekdays and hours from ISO text", "[kiosk][manager]") {
    CHECK(weekday_of("2025-11-17") == "Mon");
    CHECK(weekday_of("2026-11-24") == "Tue");
    CHECK(weekday_of("2024-02-29") == "Thu");
    CHECK(weekday_of("nonsense").empty());
    CHECK(hour_of("2025-11-17T08:00:00+01:00") == 8);
    CHECK(hour_of("2025-11-17") == -1);
    CHECK(format_figure(std::nullopt) == "-");
    CHECK(format_figure(87.66) == "87.7");
}

// The controller's banner (issue 9, defect 3) and the header's live dot: the controller's
// retained Status says its storage is failing, and the dashboard says so too; an "ok"
// status clears it, an offline controller is said instead, and nothing shows before any
// Status.
namespace {

Status controller_status(bool online, std::optional<std::string> storage, TimeMs ts) {
    Status status;
    status.online = online;
    status.kind = DeviceKind::controller;
    status.version = "1.0.0";
    status.ts = ts;
    status.storage = std::move(storage);
    return status;
}

KioskState received(KioskState state, const KioskConfig& config, const Status& status) {
    return update(std::move(state), Event{ControllerStatusReceived{status}}, config, status.ts).state;
}

const std::string kFailingText =
    "Storage failing at the store controller: feedback waits on the kiosks and the broker; prompts go on";

}  // namespace

TEST_CASE("manager banner: none before any controller status", "[kiosk][manager]") {
    const auto config = manager_config();
    const KioskState state;
    CHECK_FALSE(state.controller_status);
    CHECK_FALSE(make_manager_view(state, config).banner);
    // Other events leave it so.
    const auto connected = update(state, Event{BrokerConnectionChanged{true}}, config, 1000).state;
    CHECK_FALSE(make_manager_view(connected, config).banner);
}

TEST_CASE("manager banner: storage failing shows it, storage ok clears it", "[kiosk][manager]") {
    const auto config = manager_config();
    KioskState state = received(KioskState{}, config, controller_status(true, "ok", 1000));
    REQUIRE(state.controller_status);
    CHECK_FALSE(make_manager_view(state, config).banner);

    state = received(state, config, controller_status(true, "failing", 2000));
    auto view = make_manager_view(state, config);
    REQUIRE(view.banner);
    CHECK(view.banner->key == "storage_failing");
    CHECK(view.banner->text == kFailingText);
    CHECK(view.banner->tone == Tone::bad);

    state = received(state, config, controller_status(true, "ok", 3000));
    CHECK_FALSE(make_manager_view(state, config).banner);
}

TEST_CASE("manager banner: an offline controller is said, and an online one clears it", "[kiosk][manager]") {
    const auto config = manager_config();
    KioskState state = received(KioskState{}, config, controller_status(true, "failing", 5000));
    // The controller's last-will: offline, no storage, no time of its own. It still wins
    // over the newer-stamped status before it: the last one received is the news.
    state = received(state, config, controller_status(false, std::nullopt, 0));
    auto view = make_manager_view(state, config);
    REQUIRE(view.banner);
    CHECK(view.banner->key == "controller_offline");
    CHECK(view.banner->text == "Store controller offline");
    CHECK(view.banner->tone == Tone::warn);

    state = received(state, config, controller_status(true, "ok", 9000));
    CHECK_FALSE(make_manager_view(state, config).banner);
    // A status without the storage field (an older controller) shows nothing either.
    state = received(state, config, controller_status(true, std::nullopt, 9500));
    CHECK_FALSE(make_manager_view(state, config).banner);
}

TEST_CASE("manager banner: its text comes from the texts of en, built-in English otherwise", "[kiosk][manager]") {
    auto config = manager_config();
    config.locale = "nl";
    config.texts["nl"]["manager.storage_failing"] = "Opslag faalt";
    const auto failing = controller_status(true, "failing", 1000);
    // The dashboard is English: a Dutch store default does not change it...
    config.texts["en"]["question"] = "How was your visit today?";
    CHECK(make_manager_view(received(KioskState{}, config, failing), config).banner->text == kFailingText);
    // ... and the en file's text is the one shown.
    config.texts["en"]["manager.storage_failing"] = "Storage failing (from en.json)";
    CHECK(make_manager_view(received(KioskState{}, config, failing), config).banner->text ==
          "Storage failing (from en.json)");
}

TEST_CASE("manager banner: other roles keep no controller status", "[kiosk][manager]") {
    auto config = manager_config();
    for (Role role : {Role::feedback, Role::lane, Role::staff}) {
        config.role = role;
        CHECK_FALSE(received(KioskState{}, config, controller_status(true, "failing", 1000)).controller_status);
    }
}

TEST_CASE("manager header: live only while connected and the controller is online", "[kiosk][manager]") {
    const auto config = manager_config();
    KioskState state;
    auto view = make_manager_view(state, config);
    CHECK_FALSE(view.live);
    CHECK(view.link == "offline: figures may be old");

    state = update(state, Event{BrokerConnectionChanged{true}}, config, 1000).state;
    view = make_manager_view(state, config);
    CHECK(view.live);
    CHECK(view.link == "live");

    // The controller's last-will: the broker is there, the figures are not being refreshed.
    state = received(state, config, controller_status(false, std::nullopt, 0));
    view = make_manager_view(state, config);
    CHECK_FALSE(view.live);
    CHECK(view.link == "controller offline: figures may be old");

    state = received(state, config, controller_status(true, "ok", 9000));
    CHECK(make_manager_view(state, config).live);
}

TEST_CASE("the forecast puts tills open/needed under each hour and the need ahead on the timeline", "[forecast]") {
    TimelineView timeline;
    for (int hour : {9, 10, 11}) {
        HourPoint point;
        point.hour = hour;
        timeline.hours.push_back(point);
    }
    Forecast forecast;
    forecast.open_tills = 2;
    forecast.needed_now = 2;
    forecast.needed_in15 = 3;
    forecast.needed_in30 = 4;
    forecast.hours = {ForecastHour{0, 10, 2.0, 2.5}, ForecastHour{0, 11, 2.0, 3.0}};
    add_forecast(timeline, forecast);
    CHECK_FALSE(timeline.hours[0].tills_open);  // no forecast for 09:00: nothing under it, not zero
    REQUIRE(timeline.hours[1].tills_needed);
    CHECK(*timeline.hours[1].tills_needed == 2.5);
    CHECK(*timeline.hours[2].tills_open == 2.0);
    CHECK(timeline.forecast == "tills needed 2, in 15 min 3, 30 min 4");
    CHECK(timeline.short_of_tills);
    forecast.needed_in15 = forecast.needed_in30 = 2;
    add_forecast(timeline, forecast);
    CHECK_FALSE(timeline.short_of_tills);
}

TEST_CASE("manager view: alerts newest first, acknowledged ones grey, and a closed one leaves", "[kiosk][manager][alerts]") {
    const KioskConfig config = manager_config();
    Alert unhappy;
    unhappy.id = "0192f3a4-7b1c-7d2e-9f00-000000000001";
    unhappy.rule = "negative_share";
    unhappy.kind = AlertRuleKind::negative_share;
    unhappy.figure = 62.5;
    unhappy.threshold = 50;
    unhappy.n = 8;
    unhappy.window = 15 * 60'000;
    unhappy.reasons = {{"queue", 4}, {"stock", 1}};
    unhappy.opened = 1000;
    Alert silent = unhappy;
    silent.id = "0192f3a4-7b1c-7d2e-9f00-000000000002";
    silent.rule = "sensor_silent";
    silent.kind = AlertRuleKind::sensor_silent;
    silent.subject = "3";
    silent.figure = 6;
    silent.reasons.clear();
    silent.opened = 2000;
    silent.state = AlertState::acknowledged;
    silent.acknowledged_by = "handheld-1";

    KioskState state;
    state = update(state, Event{AlertReceived{unhappy.id, unhappy}}, config, 0).state;
    state = update(state, Event{AlertReceived{silent.id, silent}}, config, 0).state;
    ManagerView view = make_manager_view(state, config);
    REQUIRE(view.alerts.size() == 2);
    CHECK(view.alerts[0].title == "Till 3 sensor silent 6 min");
    CHECK(view.alerts[0].acknowledged);
    CHECK(view.alerts[0].tone == Tone::neutral);
    CHECK(view.alerts[0].detail == "acknowledged by handheld-1");
    CHECK(view.alerts[1].title == "62% unhappy (n 8, 15 min)");
    CHECK(view.alerts[1].tone == Tone::bad);
    CHECK(view.alerts[1].detail == "queue 4, stock 1 - not acknowledged");
    // A feedback alert names no till: its title and detail hold no "Till".
    CHECK(view.alerts[1].title.find("Till") == std::string::npos);

    Alert closed = unhappy;
    closed.state = AlertState::closed;
    state = update(state, Event{AlertReceived{unhappy.id, closed}}, config, 0).state;
    state = update(state, Event{AlertReceived{silent.id, std::nullopt}}, config, 0).state;  // cleared retained
    CHECK(make_manager_view(state, config).alerts.empty());
}
