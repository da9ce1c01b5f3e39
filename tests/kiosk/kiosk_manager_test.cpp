// The manager dashboard against real stats documents: the ones captured from the
// controller and simulator for a simulated day (tests/kiosk/data, capture.sh), decoded as
// the MQTT link decodes them, then drawn headless. The figures must be the report's.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>

#include "app/stats_decode.hpp"
#include "kiosk_screens.hpp"
#include "model/manager_view.hpp"
#include "ui/kiosk_theme.hpp"

using namespace storeq;
using namespace storeq::kiosk;
using namespace storeq::kiosk::test;

namespace {

const KpiTile& tile(const ManagerView& view, const std::string& key) {
    for (const auto& t : view.kpis)
        if (t.key == key) return t;
    FAIL("no tile " << key);
    return view.kpis.front();
}

}  // namespace

TEST_CASE("stats documents of a simulated day decode into the figures of the report", "[kiosk][manager]") {
    const auto today = std::get<StatsToday>(sample_stats("today"));
    // tests/kiosk/data/report-day.txt: the report's day row for the same database.
    CHECK(today.date == "2026-11-24");
    CHECK(today.totals.lane == "all");
    CHECK(today.totals.get("responses") == 891.0);
    CHECK(today.totals.get("happy_index") == 67.9);
    CHECK(today.totals.get("compliance_pct") == 64.9);
    CHECK(today.totals.get("breach_min") == 243.46);
    // Every breach of the day decided: kept or broken (a breach still running would be neither).
    CHECK(today.totals.get("breaches") == 90.0);
    CHECK(*today.totals.get("promise_kept") + *today.totals.get("promise_broken") == 90.0);
    CHECK(today.totals.get("prompts_raised") == 117.0);
    CHECK_FALSE(today.totals.get("nps"));  // null: nothing under it
    CHECK(today.answers_by_scale.at("smiley4") == std::vector<long long>{93, 141, 296, 361});
    CHECK(today.reasons_negative.at("queue") == 50);
    REQUIRE(today.week_ago);
    CHECK(today.week_ago_date == "2026-11-17");

    const auto hourly = std::get<StatsHourly>(sample_stats("hourly"));
    CHECK(hourly.hours.size() == 17);
    const auto daily = std::get<StatsDaily>(sample_stats("daily"));
    CHECK(daily.days.size() == 28);
    REQUIRE(daily.period);
    CHECK(daily.days.back().get("happy_index") == today.totals.get("happy_index"));
    const auto lanes = std::get<StatsLanes>(sample_stats("lanes"));
    REQUIRE(lanes.lanes.size() == 4);
    CHECK(lanes.lanes[0].lane == "1");
    CHECK(lanes.lanes[0].get("compliance_pct") == 58.5);
    CHECK(lanes.lanes[0].get("open_now") == 1.0);
}

TEST_CASE("stats documents that are not what they claim are refused", "[kiosk][manager]") {
    CHECK_FALSE(decode_stats_document("today", "not json"));
    CHECK_FALSE(decode_stats_document("today", "[1,2]"));
    CHECK_FALSE(decode_stats_document("today", R"({"ts":1})"));              // no totals
    CHECK_FALSE(decode_stats_document("hourly", R"({"ts":1,"hours":{}})"));  // not an array
    CHECK_FALSE(decode_stats_document("lanes", R"({"lanes":[]})"));          // no ts
    CHECK_FALSE(decode_stats_document("weekly", R"({"ts":1})"));
    CHECK(decode_stats_document("lanes", R"({"ts":1,"lanes":[]})"));
}

TEST_CASE("the dashboard frame shows the simulated day's figures from injected documents", "[kiosk][manager]") {
    HeadlessKiosk kiosk(configured(Role::manager, kStoreConfig), 1280, 800);
    // Before any document: waiting, not zeros.
    auto view = make_manager_view(kiosk.app->state(), kiosk.app->config());
    CHECK(view.today_waiting);
    CHECK(view.kpis.empty());

    arrange_manager_day(kiosk);
    view = make_manager_view(kiosk.app->state(), kiosk.app->config());
    REQUIRE_FALSE(view.today_waiting);
    CHECK(view.title == "Today, Tue 2026-11-24");
    CHECK(tile(view, "responses").value == "891");
    CHECK(tile(view, "happy_index").value == "67.9");
    CHECK(tile(view, "compliance").value == "64.9");
    CHECK(tile(view, "compliance").detail == "243.5 min in breach");  // 243.46 at one decimal
    CHECK(tile(view, "nps").value == "-");
    CHECK(tile(view, "times").value == "60 s / 60 s");
    REQUIRE_FALSE(view.timeline.waiting);
    CHECK(view.timeline.hours.back().hour == 16);
    CHECK(view.timeline.hours.back().responses == 96);
    REQUIRE(view.lanes.size() == 4);
    CHECK(view.lanes[0].compliance == "58.5%");
    CHECK(view.prompts.size() == 1);
}

TEST_CASE("the dashboard draws at 1920x1080", "[kiosk][manager]") {
    HeadlessKiosk kiosk(configured(Role::manager, kStoreConfig), 1920, 1080);
    arrange_manager_day(kiosk);
    kiosk.app->render_frame(InjectedMouse{-100, -100, false});
    const char* dir = std::getenv("STOREQ_SCREENSHOT_DIR");
    if (dir && *dir) REQUIRE(kiosk.platform->write_png(std::string(dir) + "/kiosk-manager-1080p.png"));
}

namespace {

Status controller_status(bool online, std::optional<std::string> storage) {
    Status status;
    status.online = online;
    status.kind = DeviceKind::controller;
    status.version = "1.0.0";
    status.ts = 1'763'806'530'000;
    status.storage = std::move(storage);
    return status;
}

struct BannerPixels {
    int banner_colour = 0;  // pixels of the banner's fill along a row through the strip
    int text = 0;           // near-white pixels in the strip (its letters)
};

// The strip under the 52 px header (1280x800: scale 1), in the colour `fill`.
BannerPixels banner_pixels(HeadlessKiosk& kiosk, ImU32 fill) {
    auto pixels = kiosk.platform->read_pixels();
    if (!pixels) FAIL(pixels.error().to_string());
    const auto& px = pixels.value();
    auto at = [&](int x, int y) { return &px.rgba[(static_cast<std::size_t>(y) * px.width + x) * 4]; };
    const int r = static_cast<int>(fill & 0xFF), g = static_cast<int>((fill >> 8) & 0xFF),
              b = static_cast<int>((fill >> 16) & 0xFF);
    BannerPixels found;
    for (int x = 0; x < px.width; ++x) {
        const unsigned char* p = at(x, 56);
        if (std::abs(p[0] - r) < 8 && std::abs(p[1] - g) < 8 && std::abs(p[2] - b) < 8) ++found.banner_colour;
    }
    for (int y = 56; y < 96; ++y)
        for (int x = 0; x < px.width; ++x) {
            const unsigned char* p = at(x, y);
            if (p[0] > 230 && p[1] > 230 && p[2] > 230) ++found.text;
        }
    return found;
}

}  // namespace

TEST_CASE("the dashboard says at the top that the controller's storage is failing, and not once it is ok",
          "[kiosk][manager]") {
    HeadlessKiosk kiosk(configured(Role::manager, kStoreConfig), 1280, 800);
    arrange_manager_day(kiosk);
    const ImU32 red = theme::palette().error_red;
    // No status yet, and storage ok: no strip (the golden image is this screen).
    CHECK(banner_pixels(kiosk, red).banner_colour == 0);
    kiosk.post(ControllerStatusReceived{controller_status(true, "ok")});
    CHECK_FALSE(make_manager_view(kiosk.app->state(), kiosk.app->config()).banner);
    CHECK(banner_pixels(kiosk, red).banner_colour == 0);

    kiosk.post(ControllerStatusReceived{controller_status(true, "failing")});
    const auto view = make_manager_view(kiosk.app->state(), kiosk.app->config());
    REQUIRE(view.banner);
    CHECK(view.banner->text.starts_with("Storage failing at the store controller"));
    const auto failing = banner_pixels(kiosk, red);
    CHECK(failing.banner_colour > 1000);  // the whole width, bar the letters the row crosses
    CHECK(failing.text > 500);            // white letters on it
    // The figures are still all there, under it.
    CHECK(view.kpis.size() == 6);
    const char* dir = std::getenv("STOREQ_SCREENSHOT_DIR");
    if (dir && *dir) REQUIRE(kiosk.platform->write_png(std::string(dir) + "/kiosk-manager-storage-failing.png"));

    kiosk.post(ControllerStatusReceived{controller_status(false, std::nullopt)});
    CHECK(make_manager_view(kiosk.app->state(), kiosk.app->config()).banner->key == "controller_offline");
    CHECK(banner_pixels(kiosk, red).banner_colour == 0);  // amber now, not red
    CHECK(banner_pixels(kiosk, theme::rgb(0xB8, 0x6E, 0x00)).banner_colour > 1000);

    kiosk.post(ControllerStatusReceived{controller_status(true, "ok")});
    CHECK_FALSE(make_manager_view(kiosk.app->state(), kiosk.app->config()).banner);
    CHECK(banner_pixels(kiosk, red).banner_colour == 0);
}
