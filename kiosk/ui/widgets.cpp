#include "ui/widgets.hpp"

namespace storeq::kiosk {

FullScreenWindow::FullScreenWindow(const char* name, ImU32 background) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, background);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoScrollWithMouse);
    draw_ = ImGui::GetWindowDrawList();
}

FullScreenWindow::~FullScreenWindow() {
    ImGui::End();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();
}

ImVec2 text_size(ImFont* font, std::string_view text) {
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size());
}

void text_centered(ImDrawList& draw, ImFont* font, std::string_view text, ImVec2 center, ImU32 colour,
                   float max_width) {
    ImVec2 size = text_size(font, text);
    float font_size = font->FontSize;
    // Translations run longer than English: shrink to fit rather than run off the screen.
    if (max_width > 0 && size.x > max_width) {
        font_size *= max_width / size.x;
        size = ImVec2(max_width, size.y * max_width / size.x);
    }
    draw.AddText(font, font_size, ImVec2(center.x - size.x / 2, center.y - size.y / 2), colour, text.data(),
                 text.data() + text.size());
}

void text_at(ImDrawList& draw, ImFont* font, std::string_view text, ImVec2 top_left, ImU32 colour,
             float wrap_width) {
    draw.AddText(font, font->FontSize, top_left, colour, text.data(), text.data() + text.size(),
                 wrap_width);
}

Rect rect_of(float x, float y, float width, float height) { return Rect{x, y, x + width, y + height}; }

bool touch_button(const std::string& name, std::string_view label, const Rect& rect,
                  const ButtonStyle& style, HitTargets& targets) {
    ImGui::SetCursorScreenPos(ImVec2(rect.x0, rect.y0));
    const bool tapped = ImGui::InvisibleButton(name.c_str(), ImVec2(rect.width(), rect.height()));
    const bool pressed = ImGui::IsItemActive();
    targets[name] = rect;

    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const float rounding = rect.height() * 0.18f;
    const float sink = pressed ? rect.height() * 0.03f : 0.0f;  // pressed buttons sink a little
    draw.AddRectFilled(ImVec2(rect.x0, rect.y0 + rect.height() * 0.05f), ImVec2(rect.x1, rect.y1 + rect.height() * 0.05f),
                       IM_COL32(0, 0, 0, 45), rounding);
    ImU32 fill = style.fill;
    if (pressed) {
        ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
        fill = ImGui::ColorConvertFloat4ToU32(ImVec4(c.x * 0.8f, c.y * 0.8f, c.z * 0.8f, c.w));
    }
    draw.AddRectFilled(ImVec2(rect.x0, rect.y0 + sink), ImVec2(rect.x1, rect.y1 + sink), fill, rounding);
    text_centered(draw, style.font, label, ImVec2(rect.center_x(), rect.center_y() + sink), style.label,
                  rect.width() * 0.9f);
    return tapped;
}

}  // namespace storeq::kiosk
