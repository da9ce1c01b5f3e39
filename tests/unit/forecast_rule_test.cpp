// The forecast in the rule (issue 14), scenarios with injected time: door counts feed the
// arrival model, the tills needed come out once a minute, and prepare_till prompts are
// raised before any lane breaches, stood down when the forecast falls, and do not flap.
#include <catch2/catch.hpp>

#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

constexpr TimeMs kMinute = 60'000;
// Monday 2026-01-05 09:00 UTC.
constexpr TimeMs kMonday9 = 1'767'571'200'000 + 9 * 3'600'000;

struct Store {
    Config config;
    State state;
    std::vector<PublishPrompt> published;
    std::vector<Forecast> forecasts;
    std::vector<MinuteCounts> recorded;
    TimeMs now = kMonday9;
    std::int64_t seq = 0;

    explicit Store(Config c) : config(std::move(c)), state(initial_state(config, 11)) {}

    void feed(const Event& e) {
        auto r = step(std::move(state), e, config, now);
        state = std::move(r.state);
        for (auto& c : r.commands) {
            if (auto* p = std::get_if<PublishPrompt>(&c)) published.push_back(*p);
            if (auto* f = std::get_if<PublishForecast>(&c)) forecasts.push_back(f->forecast);
            if (auto* m = std::get_if<RecordMinute>(&c)) recorded.push_back(m->minute);
        }
    }
    void count(int lane, int n) { feed(QueueCountReceived{lane, QueueCount{n, now, CountSource::sensor, ++seq}}); }
    void open(int lane) { feed(LaneStateReceived{lane, LaneState{true, now, std::nullopt}}); }
    // One minute of the store: `people` come in at the door, and as many customers join
    // till 1's line and are served there (its count goes 1 -> 2 -> 1: nobody waits two deep).
    // bunched: the customers come in the first seconds, the rest of the minute is idle.
    void minute(int people, bool bunched = false) {
        const TimeMs start = now;
        feed(DoorCountReceived{1, DoorCount{people, kMinute, now, ++seq}});
        for (int i = 0; i < people; ++i) {
            now = start + (i + 1) * (bunched ? 1'000 : kMinute / (people + 2));
            count(1, 2);
            count(1, 1);
        }
        for (TimeMs t = now; t < start + kMinute; t += 5'000) {
            now = t;
            std::vector<int> others;  // the other open tills keep one customer (fresh sensors)
            for (const auto& [n, lane] : state.lanes)
                if (n != 1 && lane.open) others.push_back(n);
            for (int n : others) count(n, 1);
            feed(TimePassed{});
        }
        now = start + kMinute;
        feed(TimePassed{});
    }
    std::vector<PublishPrompt> raised(PromptAction action) const {
        std::vector<PublishPrompt> out;
        for (const auto& p : published)
            if (p.transition == "raised" && p.prompt.action == action) out.push_back(p);
        return out;
    }
    bool any_breach() const {
        for (const auto& [n, lane] : state.lanes)
            if (is_breaching(lane, config, now)) return true;
        return false;
    }
};

Config store_config(ForecastPrompts prompts) {
    Config c;
    c.tills = {1, 2, 3, 4, 5, 6};
    c.service_time = 20'000;  // a fast supermarket till
    c.forecast = prompts;
    c.forecast_target = 0.8;  // the figures below are worked out for 80%
    c.idle_close = 600'000;
    return c;
}

Store open_store(ForecastPrompts prompts) {
    Store s(store_config(prompts));
    s.count(1, 1);
    s.count(2, 1);
    s.open(1);
    s.open(2);
    return s;
}

}  // namespace

TEST_CASE("door counts give a forecast once a minute, with its inputs, and each minute is recorded", "[forecast]") {
    Store s = open_store(ForecastPrompts::off);
    for (int m = 0; m < 20; ++m) s.minute(2);
    REQUIRE(s.forecasts.size() >= 19);
    const Forecast& f = s.forecasts.back();
    CHECK(f.open_tills == 2);
    CHECK(f.door_per_min == Approx(2).margin(0.2));
    // 2 a minute at 20 s service: one till is busy a third of the time; two keep 80% served
    // within one service time (one reaches only ~52%).
    CHECK(f.needed_now == 2);
    CHECK_FALSE(f.prompts);  // forecast = off
    CHECK(s.recorded.size() == s.forecasts.size());
    CHECK(s.recorded.back().door_entries == 2);
    CHECK(s.recorded.back().till_arrivals == 2);
    CHECK(s.raised(PromptAction::prepare_till).empty());
}

TEST_CASE("a rising door count raises prepare_till before any lane breaches, and a falling one stands it down", "[forecast]") {
    Store s = open_store(ForecastPrompts::on);
    for (int m = 0; m < 20; ++m) s.minute(2);
    CHECK(s.raised(PromptAction::prepare_till).empty());  // two tills are enough for 2 a minute
    bool breached = false;
    for (int m = 0; m < 15 && s.raised(PromptAction::prepare_till).empty(); ++m) {
        s.minute(2 + m);  // the door gets busier every minute
        breached = breached || s.any_breach();
    }
    const auto prepared = s.raised(PromptAction::prepare_till);
    REQUIRE(prepared.size() == 1);
    CHECK_FALSE(breached);
    CHECK(s.raised(PromptAction::open_till).empty());
    CHECK(prepared[0].prompt.till == 3);  // the next closed till in the store's order
    CHECK(prepared[0].prompt.message.at("en") == "Till 3 will be needed in about 10 minutes");

    // The door goes quiet again. Shoppers already inside still reach the tills a shopping
    // trip later, so the need falls after the lag; then every prepare_till is cancelled
    // (the stand-down) and no new one comes.
    for (int m = 0; m < 40; ++m) s.minute(1);
    CHECK(s.state.live.empty());
    const auto all_prepared = s.raised(PromptAction::prepare_till);
    for (const auto& p : all_prepared) {
        int cancelled = 0;
        for (const auto& q : s.published)
            if (q.prompt.id == p.prompt.id && q.transition == "cancelled") ++cancelled;
        CHECK(cancelled == 1);
    }
    const std::size_t before_quiet_hour = all_prepared.size();
    for (int m = 0; m < 20; ++m) s.minute(1);
    CHECK(s.raised(PromptAction::prepare_till).size() == before_quiet_hour);
}

TEST_CASE("a till opened for a prepare_till fulfils it", "[forecast]") {
    Store s = open_store(ForecastPrompts::on);
    for (int m = 0; m < 20; ++m) s.minute(2);
    for (int m = 0; m < 15 && s.raised(PromptAction::prepare_till).empty(); ++m) s.minute(2 + m);
    auto prepared = s.raised(PromptAction::prepare_till);
    REQUIRE(prepared.size() == 1);
    s.feed(ClaimReceived{prepared[0].prompt.id, Claim{"handheld-1", s.now, std::nullopt}});
    s.count(3, 0);
    s.open(3);
    bool fulfilled = false;
    for (const auto& p : s.published)
        if (p.prompt.id == prepared[0].prompt.id && p.transition == "fulfilled") fulfilled = true;
    CHECK(fulfilled);
    CHECK(s.state.live.count(prepared[0].prompt.id) == 0);
}

TEST_CASE("a door count hovering at the threshold raises no more than one prepare_till", "[forecast]") {
    Store s = open_store(ForecastPrompts::on);
    for (int m = 0; m < 20; ++m) s.minute(2);
    // At 20 s service two tills serve 80% within one service time up to ~3.5 arrivals a
    // minute (3: 88%, 4: 73%): the door flickers across that line for an hour.
    for (int m = 0; m < 60; ++m) s.minute((m / 5) % 2 == 0 ? 3 : 4);
    CHECK(s.raised(PromptAction::prepare_till).size() <= 1);
    int stood_down = 0;
    for (const auto& p : s.published)
        if (p.prompt.action == PromptAction::prepare_till && p.transition == "cancelled") ++stood_down;
    CHECK(stood_down <= 1);
}

TEST_CASE("forecast = auto raises nothing before 14 days of door history", "[forecast]") {
    Store s = open_store(ForecastPrompts::automatic);
    for (int m = 0; m < 20; ++m) s.minute(2);
    for (int m = 0; m < 15; ++m) s.minute(2 + m);
    CHECK(s.raised(PromptAction::prepare_till).empty());
    REQUIRE_FALSE(s.forecasts.empty());
    CHECK_FALSE(s.forecasts.back().prompts);
    CHECK(s.forecasts.back().needed_in15 > 2);  // the forecast itself is there all the same
}

TEST_CASE("close_till is held back while the forecast needs the tills open, and suggested without it", "[forecast]") {
    for (ForecastPrompts prompts : {ForecastPrompts::on, ForecastPrompts::off}) {
        INFO((prompts == ForecastPrompts::on ? "forecast on" : "forecast off"));
        Config config = store_config(prompts);
        config.idle_close = 30'000;  // each minute is idle for ~50 s after its customers
        Store s(config);
        for (int till : {1, 2, 3}) {
            s.count(till, 1);
            s.open(till);
        }
        // 5 a minute at 20 s service: three tills are needed for 80% within one service time.
        // The first minutes have no forecast yet (a close_till then is the rule's own).
        for (int m = 0; m < 5; ++m) s.minute(5, true);
        REQUIRE_FALSE(s.forecasts.empty());
        const auto closes_before = s.raised(PromptAction::close_till).size();
        for (int m = 0; m < 30; ++m) s.minute(5, true);
        CHECK(s.forecasts.back().needed_now >= 3);
        const auto closes = s.raised(PromptAction::close_till).size() - closes_before;
        if (prompts == ForecastPrompts::on) CHECK(closes == 0);
        else CHECK(closes > 0);
    }
}
