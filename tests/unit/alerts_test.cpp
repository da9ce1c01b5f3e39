// Alerts in the pure core (issue 13), scenarios with injected time: the lifecycle open ->
// acknowledged -> closed, hysteresis, and each kind of rule against what it watches.
#include <catch2/catch.hpp>

#include <algorithm>

#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

namespace {

constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kStart = 1'767'571'200'000 + 9 * 3'600'000;  // Monday 2026-01-05 09:00 UTC

Config store_config(std::string extra = "") {
    auto c = parse_config("tills = 1-3\n" + extra);
    REQUIRE(c);
    return *c;
}

struct Store {
    Config config;
    State state;
    std::vector<PublishAlert> alerts;
    std::vector<Note> notes;
    TimeMs now = kStart;
    std::int64_t seq = 0;
    int feedback_seq = 0;

    explicit Store(Config c) : config(std::move(c)), state(initial_state(config, 7)) {}

    void feed(const Event& e) {
        auto r = step(std::move(state), e, config, now);
        state = std::move(r.state);
        for (auto& c : r.commands) {
            if (auto* a = std::get_if<PublishAlert>(&c)) alerts.push_back(*a);
            if (auto* n = std::get_if<Note>(&c)) notes.push_back(*n);
        }
    }
    void answer(Scale scale, int score, std::optional<std::string> reason = std::nullopt) {
        Feedback f;
        f.id = "f" + std::to_string(++feedback_seq);
        f.ts = now;
        f.scale = scale;
        f.score = score;
        f.reason = std::move(reason);
        feed(FeedbackTaken{f, now});
    }
    void face(int score, std::optional<std::string> reason = std::nullopt) { answer(Scale::smiley4, score, reason); }
    void pass(TimeMs span, TimeMs tick = 10'000) {
        for (TimeMs end = now + span; now < end;) {
            now = std::min(end, now + tick);
            feed(TimePassed{});
        }
    }
    void count(int lane, int n) { feed(QueueCountReceived{lane, QueueCount{n, now, CountSource::sensor, ++seq}}); }
    void set_open(int lane, bool open) { feed(LaneStateReceived{lane, LaneState{open, now, std::nullopt}}); }
    std::vector<PublishAlert> with(const std::string& transition, const std::string& rule = "") const {
        std::vector<PublishAlert> out;
        for (const auto& a : alerts)
            if (a.transition == transition && (rule.empty() || a.alert.rule == rule)) out.push_back(a);
        return out;
    }
};

}  // namespace

TEST_CASE("alerts: 5 negative answers out of 8 in 15 minutes open exactly one alert, naming no till") {
    Store s(store_config());
    const int scores[] = {0, 3, 1, 0, 2, 1, 3, 0};  // 5 negative faces (0, 1), 3 positive
    for (int score : scores) {
        s.face(score, score < 2 ? std::optional<std::string>("queue") : std::nullopt);
        s.pass(kMinute);
    }
    const auto opened = s.with("opened");
    REQUIRE(opened.size() == 1);
    const Alert& a = opened[0].alert;
    CHECK(a.rule == "negative_share");
    CHECK(a.tone == AlertTone::bad);
    CHECK(a.state == AlertState::open);
    CHECK(a.subject.empty());  // never the till a negative press came after
    CHECK(a.n >= 4);
    CHECK(a.figure >= 50);
    REQUIRE(!a.reasons.empty());
    CHECK(a.reasons[0].code == "queue");
    CHECK(s.state.alerts.open.size() == 1);
}

TEST_CASE("alerts: fewer answers than the rule's n open nothing") {
    Store s(store_config());
    for (int i = 0; i < 3; ++i) s.face(0);  // 3 of 3 negative, n 4 needed
    s.pass(kMinute);
    CHECK(s.with("opened").empty());
}

TEST_CASE("alerts: recovery closes the alert only after it stayed recovered for alert_settle") {
    Store s(store_config("alert_settle = 10min"));
    for (int i = 0; i < 4; ++i) s.face(0);
    REQUIRE(s.with("opened").size() == 1);
    // 16 happy answers: 4 of 20 negative is 20%, under 50% - 10 points.
    for (int i = 0; i < 16; ++i) s.face(3);
    s.pass(9 * kMinute);
    CHECK(s.with("closed").empty());
    s.pass(2 * kMinute);
    const auto closed = s.with("closed");
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].alert.closed_by == "auto");
    CHECK(closed[0].alert.state == AlertState::closed);
    CHECK(s.state.alerts.open.empty());
}

TEST_CASE("alerts: a share flickering around the threshold opens no second alert") {
    Store s(store_config());
    for (int i = 0; i < 4; ++i) s.face(0);
    s.face(3);
    s.face(3);  // 4 of 6: 67%
    // Two hours of one answer a minute, alternating so the share hovers near 50%.
    for (int i = 0; i < 120; ++i) {
        s.face(i % 2 == 0 ? 3 : 0);
        s.pass(kMinute);
    }
    CHECK(s.with("opened", "negative_share").size() == 1);
    CHECK(s.with("closed", "negative_share").empty());
}

TEST_CASE("alerts: an acknowledgement records who and when, and a second one is refused") {
    Store s(store_config());
    for (int i = 0; i < 4; ++i) s.face(0);
    REQUIRE(s.with("opened").size() == 1);
    const std::string id = s.with("opened")[0].alert.id;
    s.now += 5'000;
    s.feed(AlertAnswerReceived{id, "handheld-2", AlertAnswer{AlertAction::acknowledge, "handheld-2", s.now, "on it"}});
    const auto acked = s.with("acknowledged");
    REQUIRE(acked.size() == 1);
    CHECK(acked[0].alert.acknowledged_by == "handheld-2");
    CHECK(acked[0].alert.acknowledged_at == s.now);
    CHECK(acked[0].alert.comment == "on it");
    CHECK(acked[0].alert.state == AlertState::acknowledged);
    s.feed(AlertAnswerReceived{id, "manager", AlertAnswer{AlertAction::acknowledge, "manager", s.now, std::nullopt}});
    CHECK(s.with("acknowledged").size() == 1);
    REQUIRE(!s.notes.empty());
    CHECK(s.notes.back().text.find("already acknowledged by handheld-2") != std::string::npos);
    // An acknowledged alert still closes by itself once the figure recovers.
    for (int i = 0; i < 30; ++i) s.face(3);
    s.pass(11 * kMinute);
    CHECK(s.with("closed").size() == 1);
}

TEST_CASE("alerts: closed by hand with a comment, no new alert until the figure has recovered") {
    Store s(store_config());
    for (int i = 0; i < 4; ++i) s.face(0);
    const std::string id = s.with("opened").at(0).alert.id;
    s.feed(AlertAnswerReceived{id, "manager", AlertAnswer{AlertAction::close, "manager", s.now, "till roll ran out"}});
    REQUIRE(s.with("closed").size() == 1);
    CHECK(s.with("closed")[0].alert.closed_by == "manager");
    CHECK(s.with("closed")[0].alert.comment == "till roll ran out");
    s.face(0);  // still firing: no new alert
    s.pass(kMinute);
    CHECK(s.with("opened").size() == 1);
    // Recovered (the window empties), then firing again: a new one.
    s.pass(20 * kMinute);
    for (int i = 0; i < 4; ++i) s.face(0);
    CHECK(s.with("opened").size() == 2);
    // An answer for an alert that is not open is refused with a sentence.
    s.feed(AlertAnswerReceived{id, "manager", AlertAnswer{AlertAction::acknowledge, "manager", s.now, std::nullopt}});
    CHECK(s.notes.back().text.find("is not open") != std::string::npos);
}

TEST_CASE("alerts: an answer counted before every window opens nothing") {
    Store s(store_config());
    for (int i = 0; i < 6; ++i) {
        Feedback f;
        f.id = "late" + std::to_string(i);
        f.scale = Scale::smiley4;
        f.score = 0;
        f.ts = s.now - 5 * 3'600'000;  // from a kiosk's outbox, five hours late
        s.feed(FeedbackTaken{f, f.ts});
    }
    CHECK(s.with("opened").empty());
    CHECK(s.state.alerts.responses.empty());
}

TEST_CASE("alerts: NPS detractors in a row, and a promoter breaks the row") {
    Store s(store_config());
    s.answer(Scale::nps, 3);
    s.answer(Scale::nps, 6);
    CHECK(s.with("opened", "detractors_in_row").empty());
    s.answer(Scale::nps, 0);
    REQUIRE(s.with("opened", "detractors_in_row").size() == 1);
    CHECK(s.with("opened", "detractors_in_row")[0].alert.figure == 3);
    s.answer(Scale::nps, 10);
    s.pass(11 * kMinute);
    CHECK(s.with("closed", "detractors_in_row").size() == 1);
}

TEST_CASE("alerts: a great hour is a good alert") {
    Store s(store_config());
    for (int i = 0; i < 20; ++i) {
        s.face(3);
        s.pass(2 * kMinute);
    }
    const auto good = s.with("opened", "great_hour");
    REQUIRE(good.size() == 1);
    CHECK(good[0].alert.tone == AlertTone::good);
    CHECK(good[0].alert.reasons.empty());
}

TEST_CASE("alerts: a breach past promise_target with no till opening is a level 2 alert for that lane") {
    Store s(store_config("promise_target = 90s\nalert.compliance_below = off"));
    s.set_open(1, true);
    for (int i = 0; i < 16; ++i) {  // 3 waiting, counted every 5 s: 80 s of breach
        s.count(1, 4);
        s.pass(5'000, 5'000);
    }
    CHECK(s.with("opened", "breach_unanswered").empty());
    for (int i = 0; i < 4; ++i) {
        s.count(1, 4);
        s.pass(5'000, 5'000);
    }
    const auto opened = s.with("opened", "breach_unanswered");
    REQUIRE(opened.size() == 1);
    CHECK(opened[0].alert.level == 2);
    CHECK(opened[0].alert.subject == "1");
    CHECK(opened[0].alert.figure >= 90);
}

TEST_CASE("alerts: a breach answered by a till opening within promise_target raises none") {
    Store s(store_config("promise_target = 90s"));
    s.set_open(1, true);
    s.count(1, 4);
    s.pass(30'000, 5'000);
    s.set_open(2, true);  // staff opened till 2
    s.count(2, 1);
    for (int i = 0; i < 24; ++i) {
        s.count(1, 4);
        s.count(2, 1);
        s.pass(5'000, 5'000);
    }
    CHECK(s.with("opened", "breach_unanswered").empty());
}

TEST_CASE("alerts: an open lane's sensor silent for 5 minutes, and back") {
    Store s(store_config());
    s.set_open(2, true);
    s.count(2, 1);
    s.pass(5 * kMinute + 30'000);  // unknown after sensor_timeout (60 s), silent 5 min after that
    CHECK(s.with("opened", "sensor_silent").empty());
    s.pass(kMinute);
    const auto opened = s.with("opened", "sensor_silent");
    REQUIRE(opened.size() == 1);
    CHECK(opened[0].alert.subject == "2");
    for (int i = 0; i < 70; ++i) {
        s.count(2, 1);
        s.pass(10'000);
    }
    CHECK(s.with("closed", "sensor_silent").size() == 1);
}

TEST_CASE("alerts: a kiosk offline for 5 minutes, and its outbox growing") {
    Store s(store_config());
    Status offline;
    offline.online = false;
    offline.kind = DeviceKind::kiosk;
    s.feed(KioskStatusReceived{"exit-2", offline});
    s.pass(4 * kMinute);
    CHECK(s.with("opened", "kiosk_offline").empty());
    s.pass(2 * kMinute);
    REQUIRE(s.with("opened", "kiosk_offline").size() == 1);
    CHECK(s.with("opened", "kiosk_offline")[0].alert.subject == "exit-2");
    // Online again, its backlog growing by 5 a minute (the controller is not receipting).
    for (int i = 0; i < 15; ++i) {
        Status online;
        online.kind = DeviceKind::kiosk;
        online.backlog = 5 * i;
        s.feed(KioskStatusReceived{"exit-2", online});
        s.pass(kMinute);
    }
    CHECK(s.with("closed", "kiosk_offline").size() == 1);
    const auto growing = s.with("opened", "outbox_growing");
    REQUIRE(growing.size() == 1);
    CHECK(growing[0].alert.figure >= 20);
}

TEST_CASE("alerts: compliance for the last hour below 80%") {
    Store s(store_config("alert.breach_unanswered = off\nalert.all_tills_open_long = off"));
    s.set_open(1, true);
    s.set_open(2, true);
    // 40 minutes: till 1 breaching, till 2 fine -> compliance 50%.
    for (int i = 0; i < 240; ++i) {
        s.count(1, 5);
        s.count(2, 1);
        s.pass(10'000);
    }
    const auto opened = s.with("opened", "compliance_below");
    REQUIRE(opened.size() == 1);
    CHECK(opened[0].alert.figure < 80);
    CHECK(opened[0].alert.n >= 30);
}

TEST_CASE("alerts: head office quiet for an hour while entries wait (head_office = on only)") {
    Store s(store_config("head_office = on"));
    s.feed(HeadOfficeSeen{true, false});
    for (int i = 0; i < 59; ++i) {
        s.pass(kMinute);
        s.feed(HeadOfficeSeen{true, false});
    }
    CHECK(s.with("opened", "head_office_cut").empty());
    s.pass(2 * kMinute);
    REQUIRE(s.with("opened", "head_office_cut").size() == 1);
    s.feed(HeadOfficeSeen{true, true});
    s.pass(11 * kMinute);
    CHECK(s.with("closed", "head_office_cut").size() == 1);
    Store alone(store_config());
    alone.feed(HeadOfficeSeen{true, false});
    alone.pass(2 * 3'600'000, kMinute);
    CHECK(alone.with("opened", "head_office_cut").empty());
}

TEST_CASE("alerts: rules in the configuration, and errors that name the rule") {
    auto c = parse_config(
        "tills = 1-2\nalert.negative_share = 40% in 30min, n 6, level 2\nalert.great_hour = off\n"
        "alert.negative_share.evening = 30% in 2h, n 20\nalert.kiosk_offline = 10min\n");
    REQUIRE(c);
    auto find = [&](const std::string& name) {
        return std::find_if(c->alerts.begin(), c->alerts.end(), [&](const AlertRule& r) { return r.name == name; });
    };
    REQUIRE(find("negative_share") != c->alerts.end());
    CHECK(find("negative_share")->threshold == 40);
    CHECK(find("negative_share")->window == 30 * kMinute);
    CHECK(find("negative_share")->min_n == 6);
    CHECK(find("negative_share")->level == 2);
    CHECK(find("great_hour") == c->alerts.end());
    REQUIRE(find("negative_share.evening") != c->alerts.end());
    CHECK(find("negative_share.evening")->kind == AlertRuleKind::negative_share);
    CHECK(find("kiosk_offline")->threshold == 10 * kMinute);

    auto unknown = parse_config("tills = 1\nalert.smiles = 3\n");
    REQUIRE(!unknown);
    CHECK(unknown.error().to_string().find("'smiles' is not an alert rule") != std::string::npos);
    auto bad = parse_config("tills = 1\nalert.negative_share = 50 in 15min\n");
    REQUIRE(!bad);
    CHECK(bad.error().to_string().find("alert.negative_share") != std::string::npos);
    CHECK(bad.error().to_string().find("50% in 15min, n 4") != std::string::npos);
    CHECK(!parse_config("tills = 1\nalert.negative_share = 50% in 15min, n 4, colour red\n"));
    CHECK(!parse_config("tills = 1\nalert.happy_index_below = 60 in 5h\n"));
}

TEST_CASE("alerts: a window that empties counts as recovered, and an acknowledged alert closes after alert_settle") {
    Store s(store_config("alert_settle = 5min"));
    for (int i = 0; i < 4; ++i) s.face(0);
    REQUIRE(s.with("opened", "negative_share").size() == 1);
    s.now += 90'000;
    const std::string id = s.with("opened", "negative_share").at(0).alert.id;
    s.feed(AlertAnswerReceived{id, "handheld-1", AlertAnswer{AlertAction::acknowledge, "handheld-1", s.now, std::nullopt}});
    s.pass(14 * kMinute, kMinute);
    CHECK(s.with("closed", "negative_share").empty());
    s.pass(8 * kMinute, kMinute);
    CHECK(s.with("closed", "negative_share").size() == 1);
}
