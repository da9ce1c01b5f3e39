#include "ui/kiosk_theme.hpp"

namespace storeq::kiosk::theme {

void apply_imgui_style(float scale) {
    ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.FrameRounding = 14.0f;
    style.FrameBorderSize = 0;
    style.ScaleAllSizes(scale);
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(background);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(text);
}

}  // namespace storeq::kiosk::theme
