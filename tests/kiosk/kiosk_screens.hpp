#pragma once
// The main screens of every role, set up the way a person would see them. Shared by the
// golden-image test and the docs screenshots, so both show the same thing.
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "app/kiosk_setup.hpp"
#include "app/sample_prompt.hpp"
#include "app/stats_decode.hpp"
#include "kiosk_harness.hpp"
#include "model/kiosk_config_file.hpp"
#include "model/manager_view.hpp"

namespace storeq::kiosk::test {

struct ScreenCase {
    std::string name;  // golden file stem, docs screenshot name
    KioskConfig config;
    int width = 1024;
    int height = 600;
    std::function<void(HeadlessKiosk&)> arrange;
};

inline KioskConfig configured(Role role, std::string_view config_text) {
    KioskConfig config = test_config(role);
    auto applied = apply_kiosk_config_text(config_text, config);
    if (!applied) FAIL(applied.error().to_string());
    config.texts = load_language_files(STOREQ_SOURCE_DIR "/assets/kiosk/lang");
    if (config.languages.empty())
        for (const auto& [locale, texts] : config.texts) config.languages.push_back(locale);
    return config;
}

inline constexpr std::string_view kStoreConfig =
    "languages = nl, en, de, fr\n"
    "default_language = en\n"
    "positive_reasons = staff, speed, clean, fresh, prices, other\n"
    "negative_reasons = queue, stock, unfriendly, dirty, expensive, other\n";

inline Prompt prompt_for(const std::string& id, PromptAction action, int till, TimeMs now, std::string message) {
    Prompt prompt;
    prompt.id = id;
    prompt.action = action;
    prompt.till = till;
    prompt.raised = prompt.updated = now;
    prompt.message["en"] = std::move(message);
    return prompt;
}

// The stats documents of a simulated day, captured once from the real controller and
// simulator (tests/kiosk/data/capture.sh): fixed input for the dashboard's tests.
inline std::string sample_stats_payload(const std::string& view) {
    const std::string path = STOREQ_SOURCE_DIR "/tests/kiosk/data/stats-" + view + ".json";
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file || text.str().empty()) FAIL("cannot read " << path);
    return text.str();
}

inline StatsDocument sample_stats(const std::string& view) {
    auto decoded = decode_stats_document(view, sample_stats_payload(view));
    if (!decoded) FAIL("stats/" << view << ": " << decoded.error().to_string());
    return decoded.value();
}

// The dashboard as a manager sees it after the simulated day: every document, connected,
// and one live prompt (claimed) so the prompts panel shows what it looks like.
inline void arrange_manager_day(HeadlessKiosk& k) {
    k.post(BrokerConnectionChanged{true});
    for (const char* view : {"today", "hourly", "daily", "lanes"}) k.post(StatsReceived{sample_stats(view)});
    // The forecast over the same hours: tills open against needed, one hour short (12:00).
    Forecast forecast;
    forecast.ts = k.now;
    const StatsDocument hourly = sample_stats("hourly");
    for (const auto& row : std::get<StatsHourly>(hourly).hours) {
        const int hour = hour_of(row.period);
        if (hour < 7) continue;
        const double open = hour >= 11 && hour <= 13 ? 3 : 2;
        forecast.hours.push_back(ForecastHour{0, hour, open, hour == 12 ? 4.0 : open});
    }
    forecast.open_tills = 3;
    forecast.needed_now = 3;
    forecast.needed_in15 = 4;
    forecast.needed_in30 = 4;
    k.post(ForecastReceived{forecast});
    auto call = prompt_for("0192f3a4-7b1c-7d2e-9f00-000000000021", PromptAction::open_till, 3, k.now,
                           "Open till 3: 2 customers waiting at till 1");
    call.state = PromptState::claimed;
    call.claimed_by = "anna";
    k.post(PromptUpdated{call});
}

// The same day with two alerts (docs/alerts.md): unhappy answers (open, red) and a queue
// left standing at till 2 (level 2, acknowledged by staff, grey).
inline void arrange_manager_alerts(HeadlessKiosk& k) {
    arrange_manager_day(k);
    Alert unhappy;
    unhappy.id = "0192f3a4-7b1c-7d2e-9f00-000000000031";
    unhappy.rule = "negative_share";
    unhappy.kind = AlertRuleKind::negative_share;
    unhappy.figure = 62.5;
    unhappy.threshold = 50;
    unhappy.n = 8;
    unhappy.window = 15 * 60'000;
    unhappy.reasons = {{"queue", 4}, {"stock", 1}};
    unhappy.opened = unhappy.updated = k.now;
    Alert queue;
    queue.id = "0192f3a4-7b1c-7d2e-9f00-000000000032";
    queue.rule = "breach_unanswered";
    queue.kind = AlertRuleKind::breach_unanswered;
    queue.level = 2;
    queue.subject = "2";
    queue.figure = 124;
    queue.threshold = 90'000;
    queue.n = 0;
    queue.opened = k.now - 60'000;
    queue.state = AlertState::acknowledged;
    queue.acknowledged_by = "handheld-1";
    k.post(AlertReceived{unhappy.id, unhappy});
    k.post(AlertReceived{queue.id, queue});
}

inline std::vector<ScreenCase> main_screens() {
    std::vector<ScreenCase> cases;
    cases.push_back({"kiosk-feedback", configured(Role::feedback, kStoreConfig), 1024, 600, [](HeadlessKiosk&) {}});
    cases.push_back({"kiosk-feedback-reasons", configured(Role::feedback, kStoreConfig), 1024, 600,
                     [](HeadlessKiosk& k) { k.click("face-0"); }});
    cases.push_back({"kiosk-feedback-thanks", configured(Role::feedback, kStoreConfig), 1024, 600,
                     [](HeadlessKiosk& k) {
                         k.click("face-3");
                         k.click("reason-staff");
                     }});
    cases.push_back({"kiosk-feedback-nps", configured(Role::feedback, std::string(kStoreConfig) + "scale = nps\n"), 1024,
                     600, [](HeadlessKiosk&) {}});
    cases.push_back({"kiosk-feedback-accessible",
                     configured(Role::feedback, std::string(kStoreConfig) + "theme = high_contrast\nlayout = low_reach\n"),
                     1024, 600, [](HeadlessKiosk& k) { k.click("lang-de"); }});
    cases.push_back({"kiosk-lane", configured(Role::lane, ""), 1024, 600, [](HeadlessKiosk& k) {
                         k.click("lane-open");
                         for (int i = 0; i < 3; ++i) k.click("queue-plus");
                         k.post(WaitEstimateReceived{WaitEstimate{4, 2, 3, k.now}});
                         k.post(PromptUpdated{prompt_for("0192f3a4-7b1c-7d2e-9f00-000000000002", PromptAction::balance, 6,
                                                         k.now, "Send customers from till 2 to till 6")});
                     }});
    cases.push_back({"kiosk-lane-call", configured(Role::lane, ""), 1024, 600, [](HeadlessKiosk& k) {
                         k.post(PromptUpdated{make_sample_prompt(k.app->config(), k.now)});
                     }});
    cases.push_back({"kiosk-lane-stand-down", configured(Role::lane, ""), 1024, 600, [](HeadlessKiosk& k) {
                         auto prompt = make_sample_prompt(k.app->config(), k.now);
                         k.post(PromptUpdated{prompt});
                         k.click("claim-" + prompt.id);
                         prompt.state = PromptState::cancelled;
                         prompt.claimed_by = "lane-4";
                         k.post(PromptUpdated{prompt});
                     }});
    cases.push_back({"kiosk-staff", configured(Role::staff, ""), 480, 800, [](HeadlessKiosk& k) {
                         auto call = prompt_for("0192f3a4-7b1c-7d2e-9f00-000000000011", PromptAction::open_till, 4, k.now,
                                                "Open till 4: 2 customers waiting at till 2");
                         auto taken = prompt_for("0192f3a4-7b1c-7d2e-9f00-000000000012", PromptAction::open_till, 5,
                                                 k.now, "Open till 5: 3 customers waiting at till 1");
                         taken.state = PromptState::claimed;
                         taken.claimed_by = "ben";
                         auto cancelled = prompt_for("0192f3a4-7b1c-7d2e-9f00-000000000013", PromptAction::open_till, 6,
                                                     k.now, "Open till 6");
                         k.post(PromptUpdated{cancelled});
                         cancelled.state = PromptState::cancelled;
                         k.post(PromptUpdated{cancelled});
                         k.post(PromptUpdated{call});
                         k.post(PromptUpdated{taken});
                     }});
    cases.push_back({"kiosk-service-pin", configured(Role::feedback, kStoreConfig), 1024, 600, [](HeadlessKiosk& k) {
                         k.app->press(20, 20, [&] { k.now += 2'000; });
                         k.click("pin-2");
                     }});
    cases.push_back({"kiosk-service", configured(Role::feedback, kStoreConfig), 1024, 600, [](HeadlessKiosk& k) {
                         k.post(OutboxBacklogChanged{12});
                         k.post(ErrorReported{k.now, "outbox write failed: disk I/O error"});
                         k.app->press(20, 20, [&] { k.now += 2'000; });
                         for (const char* digit : {"pin-2", "pin-5", "pin-8", "pin-0"}) k.click(digit);
                     }});
    cases.push_back({"kiosk-manager", configured(Role::manager, kStoreConfig), 1280, 800, arrange_manager_day});
    cases.push_back({"kiosk-manager-waiting", configured(Role::manager, ""), 1280, 800, [](HeadlessKiosk&) {}});
    cases.push_back({"kiosk-manager-alerts", configured(Role::manager, kStoreConfig), 1280, 800, arrange_manager_alerts});
    return cases;
}

}  // namespace storeq::kiosk::test
