#pragma once
// The kiosk's fonts, loaded once into ImGui's atlas at a size that suits the window.
#include <imgui.h>

namespace storeq::kiosk {

struct KioskFonts {
    ImFont* body = nullptr;     // running text
    ImFont* button = nullptr;   // bold, on buttons and labels
    ImFont* heading = nullptr;  // bold, the question and titles
    ImFont* number = nullptr;   // bold digits only: till numbers and queue counts
};

// `scale` is 1 at 1024x600. Falls back to ImGui's built-in font (logged) when the
// DejaVu TTFs are missing, so a kiosk with a broken font package still starts.
KioskFonts load_kiosk_fonts(float scale);

}  // namespace storeq::kiosk
