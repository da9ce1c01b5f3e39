#pragma once
// The kiosk's fonts, loaded once into ImGui's atlas at a size that suits the window.
#include <imgui.h>

namespace storeq::kiosk {

struct KioskFonts {
    ImFont* body = nullptr;     // running text
    ImFont* button = nullptr;   // bold, on buttons and labels
    ImFont* heading = nullptr;  // bold, the question and titles
    ImFont* number = nullptr;   // bold digits only: till numbers and queue counts
    // Dashboard only (null otherwise): axis labels and table text, and big figures.
    ImFont* small = nullptr;
    ImFont* figure = nullptr;
};

// `scale` is 1 at 1024x600. Falls back to ImGui's built-in font (logged) when the
// DejaVu TTFs are missing, so a kiosk with a broken font package still starts.
KioskFonts load_kiosk_fonts(float scale);
// The manager dashboard's set: smaller running text, a table and axis font, big figures.
// `scale` is 1 at 1280x800.
KioskFonts load_dashboard_fonts(float scale);

}  // namespace storeq::kiosk
