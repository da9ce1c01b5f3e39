#include "ui/kiosk_fonts.hpp"

#include <filesystem>

#include "storeq/log.hpp"

namespace storeq::kiosk {
namespace {

constexpr const char* kRegularFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kBoldFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// The number font is big: rasterise only what it shows, not all of Latin-1.
// U+2212 is a real minus sign: as wide as '+', where '-' is a short hyphen.
constexpr ImWchar kNumberGlyphs[] = {0x20, 0x20, 0x2B, 0x2D, 0x30, 0x39, 0x2212, 0x2212, 0};

ImFont* add_font(const char* path, float size, const ImWchar* ranges = nullptr) {
    ImGuiIO& io = ImGui::GetIO();
    // AddFontFromFileTTF asserts on a missing file: check first.
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        log_warn("kiosk", std::string("font missing, using the built-in font: ") + path);
        ImFontConfig config;
        config.SizePixels = size;
        return io.Fonts->AddFontDefault(&config);
    }
    ImFontConfig config;
    config.OversampleH = 2;  // sharp enough at these sizes, and keeps the atlas small
    config.OversampleV = 1;
    return io.Fonts->AddFontFromFileTTF(path, size, &config,
                                        ranges ? ranges : io.Fonts->GetGlyphRangesDefault());
}

}  // namespace

KioskFonts load_kiosk_fonts(float scale) {
    KioskFonts fonts;
    fonts.body = add_font(kRegularFont, 30.0f * scale);  // first font: ImGui's default
    fonts.button = add_font(kBoldFont, 36.0f * scale);
    fonts.heading = add_font(kBoldFont, 54.0f * scale);
    fonts.number = add_font(kBoldFont, 150.0f * scale, kNumberGlyphs);
    return fonts;
}

KioskFonts load_dashboard_fonts(float scale) {
    KioskFonts fonts;
    fonts.body = add_font(kRegularFont, 21.0f * scale);
    fonts.button = add_font(kBoldFont, 22.0f * scale);
    fonts.heading = add_font(kBoldFont, 27.0f * scale);
    fonts.small = add_font(kRegularFont, 17.0f * scale);
    fonts.figure = add_font(kBoldFont, 44.0f * scale);
    fonts.number = fonts.figure;
    return fonts;
}

}  // namespace storeq::kiosk
