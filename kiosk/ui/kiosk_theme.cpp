#include "ui/kiosk_theme.hpp"

namespace storeq::kiosk::theme {
namespace {
// One kiosk, one look: set once at start-up, before the first frame (UI thread only).
const Palette* current = &standard_palette;
}  // namespace

const Palette& palette() { return *current; }

void use_theme(ThemeKind kind) {
    current = kind == ThemeKind::high_contrast ? &high_contrast_palette : &standard_palette;
    ImGuiStyle& style = ImGui::GetStyle();
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(current->background);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(current->text);
}

void apply_imgui_style(float scale) {
    ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.FrameRounding = 14.0f;
    style.FrameBorderSize = 0;
    style.ScaleAllSizes(scale);
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(palette().background);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(palette().text);
}

}  // namespace storeq::kiosk::theme
