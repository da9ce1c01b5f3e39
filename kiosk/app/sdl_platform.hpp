#pragma once
// The platform layer: SDL window, SDL_Renderer (accelerated + vsync, else software), the
// ImGui context with both backends, fonts, and reading a frame back for screenshots.
// One instance at a time (ImGui's backends keep global state).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storeq/expected.hpp"
#include "ui/kiosk_fonts.hpp"

union SDL_Event;

namespace storeq::kiosk {

struct PlatformOptions {
    int width = 1024;
    int height = 600;
    bool fullscreen = false;
    bool software = false;  // skip the accelerated renderer (no GPU, screenshots, tests)
    bool headless = false;  // no window on screen: SDL's dummy driver unless SDL_VIDEODRIVER says otherwise
    bool dashboard = false;  // the manager's fonts and scale (laid out for 1280x800)
    std::string title = "storeq kiosk";
};

// A mouse state forced onto ImGui for one frame (headless tests, docs/toolchain.md).
struct InjectedMouse {
    float x = 0;
    float y = 0;
    bool down = false;
};

class SdlPlatform {
public:
    static Expected<std::unique_ptr<SdlPlatform>> create(const PlatformOptions& options);
    ~SdlPlatform();
    SdlPlatform(const SdlPlatform&) = delete;
    SdlPlatform& operator=(const SdlPlatform&) = delete;

    // Feeds one SDL event to ImGui.
    void process_event(const SDL_Event& event);
    // Starts an ImGui frame; `mouse` overrides what the SDL backend read.
    void begin_frame(const std::optional<InjectedMouse>& mouse);
    // Renders the ImGui frame into the back buffer (not yet shown).
    void render();
    void present();
    // PNG of the back buffer as last rendered: call after render(), before present().
    Expected<void> write_png(const std::string& path) const;
    // The back buffer as RGBA bytes, row by row (golden image comparisons).
    struct Pixels {
        int width = 0;
        int height = 0;
        std::vector<unsigned char> rgba;
    };
    Expected<Pixels> read_pixels() const;

    const KioskFonts& fonts() const { return fonts_; }
    bool software_renderer() const { return software_; }
    std::string renderer_name() const;

private:
    SdlPlatform() = default;
    struct Handles;
    std::unique_ptr<Handles> sdl_;
    KioskFonts fonts_;
    bool software_ = false;
};

}  // namespace storeq::kiosk
