// Screenshots: a PNG of the rendered frame, at the window's size. With STOREQ_SCREENSHOT_DIR
// set, extra screens are also written there (the main ones come from kiosk_golden_test).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/sample_prompt.hpp"
#include "kiosk_harness.hpp"
#include "model/kiosk_view.hpp"
#include "temp_dir.hpp"

using namespace storeq;
using namespace storeq::kiosk;
using storeq::kiosk::test::HeadlessKiosk;

namespace {

struct PngHeader {
    bool signature_ok = false;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

std::uint32_t big_endian_u32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

PngHeader read_png_header(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    PngHeader header;
    if (bytes.size() < 24) return header;
    header.signature_ok = bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0 && bytes.compare(12, 4, "IHDR") == 0;
    header.width = big_endian_u32(bytes, 16);
    header.height = big_endian_u32(bytes, 20);
    return header;
}

void save_for_docs(SdlPlatform& platform, const std::string& name) {
    const char* dir = std::getenv("STOREQ_SCREENSHOT_DIR");
    if (!dir || !*dir) return;
    auto written = platform.write_png((std::filesystem::path(dir) / name).string());
    if (!written) FAIL(written.error().to_string());
}

}  // namespace

TEST_CASE("a screenshot is a non-empty PNG of the window's size", "[kiosk]") {
    storeq::test::TempDir dir("storeq-kiosk-shot");
    const auto [width, height] = GENERATE(std::pair{1024, 600}, std::pair{800, 480});
    HeadlessKiosk kiosk(Role::feedback, width, height);
    kiosk.app->render_frame();
    const std::string path = dir.file("feedback.png");
    auto written = kiosk.platform->write_png(path);
    REQUIRE(written.has_value());
    CHECK(std::filesystem::file_size(path) > 1000);
    const auto header = read_png_header(path);
    CHECK(header.signature_ok);
    CHECK(header.width == static_cast<std::uint32_t>(width));
    CHECK(header.height == static_cast<std::uint32_t>(height));
}

// Each screen as its user would check it: what is on it, and what is not.
TEST_CASE("the main screens show what their users act on (and are saved for the docs on request)", "[kiosk]") {
    SECTION("feedback question: every face of the scale, nothing answered yet") {
        HeadlessKiosk kiosk(Role::feedback);
        kiosk.app->render_frame();
        for (int score = 0; score < 4; ++score) CHECK(kiosk.has_target("face-" + std::to_string(score)));
        CHECK(kiosk.app->state().feedback_phase == FeedbackPhase::question);
        CHECK(kiosk.publisher.commands.empty());
    }
    SECTION("feedback thank-you: the faces are gone, the answer was sent once") {
        HeadlessKiosk kiosk(Role::feedback);
        kiosk.click("face-3");
        kiosk.app->render_frame(InjectedMouse{-100, -100, false});
        CHECK(kiosk.app->state().feedback_phase != FeedbackPhase::question);
        CHECK(kiosk.app->state().last_score == 3);
        for (int score = 0; score < 4; ++score) CHECK_FALSE(kiosk.has_target("face-" + std::to_string(score)));
    }
    SECTION("lane, open, with a prompt for another till") {
        HeadlessKiosk kiosk(Role::lane);
        kiosk.click("lane-open");
        for (int i = 0; i < 3; ++i) kiosk.click("queue-plus");
        Prompt other;
        other.id = "0192f3a4-7b1c-7d2e-9f00-000000000002";
        other.action = PromptAction::balance;
        other.till = 6;
        other.raised = other.updated = kiosk.now;
        other.message["en"] = "Send customers from till 2 to till 6";
        kiosk.app->post(PromptUpdated{other});
        kiosk.app->apply_pending();
        kiosk.app->render_frame(InjectedMouse{-100, -100, false});
        kiosk.app->render_frame(InjectedMouse{-100, -100, false});
        CHECK(kiosk.app->state().lane_open);
        CHECK(kiosk.app->state().queue_count == 3);
        // Open: the close button and the count buttons; the other till's prompt is a
        // banner with its message, not a job for this till (nothing to claim).
        CHECK(kiosk.has_target("lane-close"));
        CHECK(kiosk.has_target("queue-plus"));
        CHECK(kiosk.has_target("queue-minus"));
        const LaneView view = make_lane_view(kiosk.app->state(), kiosk.app->config());
        REQUIRE(view.banners.size() == 1);
        CHECK(view.banners[0].id == other.id);
        CHECK(view.banners[0].message == "Send customers from till 2 to till 6");
        CHECK(view.count == 3);
        CHECK_FALSE(kiosk.has_target("claim-" + other.id));
        CHECK_FALSE(kiosk.has_target("call-open"));  // no call for this till
    }
    SECTION("lane, called to open: the whole screen is the call, with its claim button") {
        HeadlessKiosk kiosk(Role::lane);
        const auto prompt = make_sample_prompt(kiosk.app->config(), kiosk.now);
        kiosk.app->post(PromptUpdated{prompt});
        kiosk.app->apply_pending();
        kiosk.app->render_frame();
        kiosk.app->render_frame();
        CHECK(kiosk.has_target("claim-" + prompt.id));
        CHECK_FALSE(kiosk.has_target("call-open"));  // not claimed yet
        CHECK_FALSE(kiosk.has_target("lane-open"));  // the call covers the normal screen
    }
    SECTION("lane, call claimed by someone: this till can open now") {
        HeadlessKiosk kiosk(Role::lane);
        auto prompt = make_sample_prompt(kiosk.app->config(), kiosk.now);
        prompt.state = PromptState::claimed;
        prompt.claimed_by = "anna";
        kiosk.app->post(PromptUpdated{prompt});
        kiosk.app->apply_pending();
        kiosk.app->render_frame();
        kiosk.app->render_frame();
        CHECK(kiosk.app->targets().count("call-open") == 1);
        CHECK_FALSE(kiosk.has_target("claim-" + prompt.id));
        save_for_docs(*kiosk.platform, "kiosk-lane-claimed.png");
    }
}
