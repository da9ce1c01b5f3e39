#include "ui/service_screen.hpp"

#include <algorithm>
#include <string>

#include "ui/kiosk_theme.hpp"
#include "ui/widgets.hpp"

namespace storeq::kiosk {
namespace {

void draw_pin_pad(const ServiceView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size,
                  std::optional<Intent>& intent, HitTargets& targets) {
    const auto& p = theme::palette();
    const float key = std::min(size.x * 0.2f, size.y * 0.13f), gap = key * 0.15f;
    const float pad_w = 3 * key + 2 * gap;
    const float x0 = (size.x - pad_w) / 2, y0 = size.y - 4 * key - 3 * gap - size.y * 0.04f;
    text_centered(draw, fonts.button, view.pin_rejected ? "Wrong PIN, try again" : "Service PIN",
                  ImVec2(size.x / 2, y0 - key * 1.05f), view.pin_rejected ? p.error_red : p.text);
    // One dot per digit: typed ones filled.
    const float dot = key * 0.12f;
    for (std::size_t i = 0; i < view.pin_length; ++i) {
        const ImVec2 c(size.x / 2 + (static_cast<float>(i) - static_cast<float>(view.pin_length - 1) / 2) * dot * 3.5f,
                       y0 - key * 0.45f);
        if (i < view.pin_typed)
            draw.AddCircleFilled(c, dot, p.text, 24);
        else
            draw.AddCircle(c, dot, p.text, 24, 2.0f);
    }
    const char* labels[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Close", "0", "Erase"};
    for (int i = 0; i < 12; ++i) {
        const Rect r = rect_of(x0 + static_cast<float>(i % 3) * (key + gap), y0 + static_cast<float>(i / 3) * (key + gap),
                               key, key);
        const std::string label = labels[i];
        if (label == "Close") {
            if (touch_button("pin-close", label, r, {p.closed_grey, theme::white, fonts.body}, targets))
                intent = ServiceClosePressed{};
        } else if (label == "Erase") {
            if (touch_button("pin-erase", label, r, {p.closed_grey, theme::white, fonts.body}, targets))
                intent = PinErasePressed{};
        } else if (touch_button("pin-" + label, label, r, {p.action_blue, theme::white, fonts.heading}, targets)) {
            intent = PinDigitPressed{label[0] - '0'};
        }
    }
}

void draw_diagnostics(const ServiceView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size,
                      std::optional<Intent>& intent, HitTargets& targets) {
    const auto& p = theme::palette();
    const float pad = std::max(12.0f, std::min(size.x, size.y) * 0.04f);
    text_at(draw, fonts.heading, "Service", ImVec2(pad, pad), p.text);
    float y = pad * 1.5f + fonts.heading->FontSize;
    const float label_w = std::min(size.x * 0.36f, fonts.body->FontSize * 8.5f);
    for (const auto& [label, value] : view.facts) {
        text_at(draw, fonts.body, label, ImVec2(pad, y), p.text_muted);
        const bool bad = value.find("NOT") != std::string::npos;
        text_at(draw, fonts.button, value, ImVec2(pad + label_w, y - 2), bad ? p.error_red : p.text,
                size.x - 2 * pad - label_w);
        y += fonts.button->FontSize * 1.3f;
    }
    y += pad * 0.5f;
    text_at(draw, fonts.body, view.errors.empty() ? "Recent errors: none" : "Recent errors (newest first):",
            ImVec2(pad, y), p.text_muted);
    y += fonts.body->FontSize * 1.3f;
    for (const auto& error : view.errors) {
        text_at(draw, fonts.body, error, ImVec2(pad, y), p.error_red, size.x - 2 * pad);
        y += fonts.body->FontSize * 1.3f;
    }
    const float button_h = std::min(size.y * 0.13f, fonts.button->FontSize * 2.4f);
    const float button_w = std::min(size.x - 2 * pad, fonts.button->FontSize * 7.0f);
    if (touch_button("service-close", "Close", rect_of(size.x - pad - button_w, size.y - pad - button_h, button_w, button_h),
                     {p.action_blue, theme::white, fonts.button}, targets))
        intent = ServiceClosePressed{};
}

}  // namespace

std::optional<Intent> draw_service_corner(HitTargets& targets) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    // About 2 cm square: findable by someone who knows, missed by a passing shopper.
    const float side = std::max(48.0f, std::min(size.x, size.y) * 0.13f);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(side, side));
    ImGui::Begin("##service-corner", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    ImGui::InvisibleButton("service-corner", ImVec2(side, side));
    std::optional<Intent> intent;
    if (ImGui::IsItemActivated()) intent = ServiceCornerDown{};
    if (ImGui::IsItemDeactivated()) intent = ServiceCornerUp{};
    targets["service-corner"] = rect_of(0, 0, side, side);
    ImGui::End();
    return intent;
}

std::optional<Intent> draw_service_screen(const ServiceView& view, const KioskFonts& fonts, HitTargets& targets) {
    if (view.phase == ServicePhase::closed) return std::nullopt;
    FullScreenWindow window("##service", theme::palette().background);
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    targets.clear();
    std::optional<Intent> intent;
    if (view.phase == ServicePhase::pin)
        draw_pin_pad(view, fonts, window.draw(), size, intent, targets);
    else
        draw_diagnostics(view, fonts, window.draw(), size, intent, targets);
    return intent;
}

}  // namespace storeq::kiosk
