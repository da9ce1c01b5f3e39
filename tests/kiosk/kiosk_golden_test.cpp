// Golden images of every main screen (tests/ui/golden/*.png), compared with a tolerance:
// a few pixels may differ (font rasteriser, SDL version), a changed layout may not.
// Regenerate after an intended change with
//   STOREQ_UPDATE_GOLDEN=1 build/<preset>/bin/storeq_kiosk_tests "[golden]"
// and look at every changed PNG before committing it.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "kiosk_screens.hpp"

using namespace storeq;
using namespace storeq::kiosk;
using namespace storeq::kiosk::test;

namespace {

const std::string kGoldenDir = STOREQ_SOURCE_DIR "/tests/ui/golden";
// A channel differing by more than this marks the pixel as changed.
constexpr int kChannelTolerance = 24;
// At most this share of the pixels may change: a moved button changes far more.
constexpr double kChangedShareLimit = 0.002;

bool env_set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value && std::string(value) != "0";
}

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

std::size_t changed_pixels(const Image& golden, const SdlPlatform::Pixels& now) {
    std::size_t changed = 0;
    for (std::size_t i = 0; i + 3 < now.rgba.size(); i += 4) {
        for (std::size_t c = 0; c < 3; ++c) {
            if (std::abs(int(golden.rgba[i + c]) - int(now.rgba[i + c])) > kChannelTolerance) {
                ++changed;
                break;
            }
        }
    }
    return changed;
}

}  // namespace

TEST_CASE("every main screen matches its golden image", "[kiosk][golden]") {
    const bool update = env_set("STOREQ_UPDATE_GOLDEN");
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
        if (update) {
            REQUIRE(kiosk.platform->write_png(golden_path));
            continue;
        }
        auto golden = load_png(golden_path);
        if (!golden) FAIL("no golden image " << golden_path << ": run with STOREQ_UPDATE_GOLDEN=1 to create it");
        REQUIRE(golden->width == pixels->width);
        REQUIRE(golden->height == pixels->height);
        const std::size_t changed = changed_pixels(*golden, *pixels);
        const auto total = static_cast<double>(pixels->width) * pixels->height;
        INFO(changed << " of " << total << " pixels differ");
        if (static_cast<double>(changed) > total * kChangedShareLimit) {
            const std::string actual = (std::filesystem::temp_directory_path() / (screen.name + "-actual.png")).string();
            (void)kiosk.platform->write_png(actual);
            FAIL("differs from " << golden_path << "; this frame is in " << actual);
        }
    }
}
