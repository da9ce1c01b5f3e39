// Golden images of every main screen (tests/ui/golden/*.png). The software renderer
// draws the same bytes on every driver here, but a font rasteriser or SDL version may
// move a few edge pixels a little; a changed figure must still fail. So the frame is
// compared tile by tile (16 x 16 px): a pixel counts as changed when no pixel within
// kNear pixels of it in the other image has its colour (each channel within
// kChannelTolerance), and a tile may hold at most kChangedPerTile of them. The
// neighbourhood is there because Debian's libimgui is built with IMGUI_ENABLE_SSE, whose
// ImRsqrt is the rsqrtss instruction: its precision differs between Intel and AMD, so a
// thick circle outline's inner edge lands a pixel or two over on another CPU (8 pixels in
// a row along a diagonal, seen on an Intel Xeon against images made on another host; the
// faces now draw their outline as fills), and a bar's bottom edge lands one row lower
// (a 1 px line of 127 px). So a tile whose changed pixels all lie in one row or one
// column is an edge that moved, not a changed figure. One
// digit drawn differently changes dozens of pixels in one or two tiles; the old rule
// (0.2 % of all pixels, ~1,200 on a 1024 x 600 frame) let a whole changed figure pass.
// Regenerate after an intended change (never in CI: golden_update.hpp) with
//   STOREQ_UPDATE_GOLDEN=1 build/<preset>/bin/storeq_kiosk_tests "[golden]"
// and look at every changed PNG before committing it.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include "golden_update.hpp"
#include "kiosk_screens.hpp"

using namespace storeq;
using namespace storeq::kiosk;
using namespace storeq::kiosk::test;
using storeq::test::golden_mode;
using storeq::test::GoldenMode;

namespace {

const std::string kGoldenDir = STOREQ_SOURCE_DIR "/tests/ui/golden";
// A channel differing by more than this marks the pixel as changed.
constexpr int kChannelTolerance = 24;
constexpr int kTile = 16;
// How far (pixels) an edge may move between CPUs (see the top of the file).
constexpr int kNear = 1;
// Changed pixels a tile may hold: rasteriser noise, never a glyph.
constexpr int kChangedPerTile = 2;

struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
};

std::optional<Image> load_png(const std::string& path) {
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> data(stbi_load(path.c_str(), &w, &h, &channels, 4), stbi_image_free);
    if (!data) return std::nullopt;
    Image image{w, h, {}};
    image.rgba.assign(data.get(), data.get() + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    return image;
}

struct Difference {
    int changed_tiles = 0;
    int changed_pixels = 0;
    std::string first_tile;  // "x,y wxh: n pixels" of the first tile over the limit
};

// True when no pixel of `other` within kNear pixels of (x, y) has the colour of `image`'s
// pixel there: an edge that moved by one pixel still finds its colour next door.
bool unmatched(const unsigned char* image, const unsigned char* other, int width, int height, int x, int y) {
    const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 4;
    for (int dy = -kNear; dy <= kNear; ++dy) {
        for (int dx = -kNear; dx <= kNear; ++dx) {
            const int nx = x + dx, ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            const std::size_t j = (static_cast<std::size_t>(ny) * width + nx) * 4;
            bool same = true;
            for (std::size_t c = 0; c < 3 && same; ++c)
                same = std::abs(int(image[i + c]) - int(other[j + c])) <= kChannelTolerance;
            if (same) return false;
        }
    }
    return true;
}

Difference compare(const Image& golden, const SdlPlatform::Pixels& now) {
    Difference d;
    const unsigned char* g = golden.rgba.data();
    const unsigned char* n = now.rgba.data();
    for (int ty = 0; ty < now.height; ty += kTile) {
        for (int tx = 0; tx < now.width; tx += kTile) {
            int changed = 0;
            int first_x = -1, first_y = -1;
            bool one_row = true, one_column = true;
            for (int y = ty; y < std::min(ty + kTile, now.height); ++y) {
                for (int x = tx; x < std::min(tx + kTile, now.width); ++x) {
                    // Both ways: a stroke added to the frame, and one the frame lost.
                    if (!unmatched(n, g, now.width, now.height, x, y) && !unmatched(g, n, now.width, now.height, x, y))
                        continue;
                    if (changed++ == 0) first_x = x, first_y = y;
                    one_row = one_row && y == first_y;
                    one_column = one_column && x == first_x;
                }
            }
            d.changed_pixels += changed;
            // A straight edge that moved by one pixel changes one row (or column) of a
            // tile; a glyph drawn differently changes several of both.
            if (changed > kChangedPerTile && !one_row && !one_column) {
                if (d.changed_tiles++ == 0) {
                    std::ostringstream where;
                    where << "tile at " << tx << "," << ty << ": " << changed << " pixels changed";
                    d.first_tile = where.str();
                }
            }
        }
    }
    return d;
}

SdlPlatform::Pixels render(const ScreenCase& screen) {
    HeadlessKiosk kiosk(screen.config, screen.width, screen.height);
    screen.arrange(kiosk);
    // Pointer away and two frames: no pressed look, layout settled.
    kiosk.app->render_frame(InjectedMouse{-100, -100, false});
    kiosk.app->render_frame(InjectedMouse{-100, -100, false});
    auto pixels = kiosk.platform->read_pixels();
    if (!pixels) FAIL("read_pixels: " << pixels.error().to_string());
    return *pixels;
}

const ScreenCase& screen_named(const std::vector<ScreenCase>& screens, const std::string& name) {
    for (const auto& screen : screens)
        if (screen.name == name) return screen;
    FAIL("no screen " << name);
    return screens.front();
}

}  // namespace

TEST_CASE("every main screen matches its golden image", "[kiosk][golden]") {
    const GoldenMode mode = golden_mode();
    if (mode == GoldenMode::refused_in_ci) FAIL(storeq::test::kGoldenRefusedInCi);
    const char* docs_dir = std::getenv("STOREQ_SCREENSHOT_DIR");
    for (const auto& screen : main_screens()) {
        INFO("screen " << screen.name);
        HeadlessKiosk kiosk(screen.config, screen.width, screen.height);
        screen.arrange(kiosk);
        // Pointer away and two frames: no pressed look, layout settled.
        kiosk.app->render_frame(InjectedMouse{-100, -100, false});
        kiosk.app->render_frame(InjectedMouse{-100, -100, false});
        auto pixels = kiosk.platform->read_pixels();
        REQUIRE(pixels.has_value());

        const std::string golden_path = kGoldenDir + "/" + screen.name + ".png";
        if (docs_dir && *docs_dir) REQUIRE(kiosk.platform->write_png(std::string(docs_dir) + "/" + screen.name + ".png"));
        if (mode == GoldenMode::update) {
            REQUIRE(kiosk.platform->write_png(golden_path));
            continue;
        }
        auto golden = load_png(golden_path);
        if (!golden) FAIL("no golden image " << golden_path << ": run with STOREQ_UPDATE_GOLDEN=1 to create it");
        REQUIRE(golden->width == pixels->width);
        REQUIRE(golden->height == pixels->height);
        const Difference d = compare(*golden, *pixels);
        INFO(d.changed_pixels << " pixels differ; " << d.changed_tiles << " tiles over the limit");
        if (d.changed_tiles > 0) {
            const std::string actual = (std::filesystem::temp_directory_path() / (screen.name + "-actual.png")).string();
            (void)kiosk.platform->write_png(actual);
            FAIL("differs from " << golden_path << " (" << d.first_tile << "); this frame is in " << actual);
        }
    }
}

// The comparison itself: one figure changed on a screen must be caught. The lane screen's
// wait estimate says 3 minutes in its golden image; here it says 8.
TEST_CASE("a screen with one figure changed does not match its golden image", "[kiosk][golden]") {
    if (golden_mode() == GoldenMode::refused_in_ci) FAIL(storeq::test::kGoldenRefusedInCi);
    const auto screens = main_screens();
    const ScreenCase& lane = screen_named(screens, "kiosk-lane");
    ScreenCase changed = lane;
    changed.arrange = [&lane](HeadlessKiosk& k) {
        lane.arrange(k);
        k.post(WaitEstimateReceived{WaitEstimate{4, 2, 8, k.now}});
    };
    auto golden = load_png(kGoldenDir + "/kiosk-lane.png");
    REQUIRE(golden);
    const Difference same = compare(*golden, render(lane));
    CHECK(same.changed_tiles == 0);
    const Difference d = compare(*golden, render(changed));
    INFO(d.changed_pixels << " pixels differ (" << d.first_tile << ")");
    CHECK(d.changed_tiles > 0);
}
