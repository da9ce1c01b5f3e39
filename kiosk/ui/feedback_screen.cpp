#include "ui/feedback_screen.hpp"

#include <algorithm>
#include <string>

#include "ui/kiosk_theme.hpp"
#include "ui/smiley.hpp"
#include "ui/widgets.hpp"

namespace storeq::kiosk {
namespace {

void draw_received_mark(ImDrawList& draw, ImVec2 center, float r) {
    draw.AddCircleFilled(ImVec2(center.x, center.y + r * 0.06f), r, IM_COL32(0, 0, 0, 40), 64);
    draw.AddCircleFilled(center, r, theme::open_green, 64);
    const ImVec2 tick[] = {ImVec2(center.x - r * 0.45f, center.y + r * 0.02f),
                           ImVec2(center.x - r * 0.12f, center.y + r * 0.35f),
                           ImVec2(center.x + r * 0.48f, center.y - r * 0.30f)};
    draw.AddPolyline(tick, 3, IM_COL32(255, 255, 255, 255), 0, r * 0.16f);
}

void draw_thank_you(const FeedbackView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size) {
    // A tick says "received" before any word is read; a laughing face would mock an
    // unhappy shopper.
    draw_received_mark(draw, ImVec2(size.x / 2, size.y * 0.32f), size.y * 0.15f);
    text_centered(draw, fonts.heading, view.thank_you_title, ImVec2(size.x / 2, size.y * 0.62f), theme::text);
    text_centered(draw, fonts.body, view.thank_you_detail, ImVec2(size.x / 2, size.y * 0.76f),
                  theme::text_muted);
}

}  // namespace

std::optional<Intent> draw_feedback_screen(const FeedbackView& view, const KioskFonts& fonts,
                                           HitTargets& targets) {
    FullScreenWindow window("##feedback", theme::background);
    ImDrawList& draw = window.draw();
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    targets.clear();

    if (view.thank_you) {
        draw_thank_you(view, fonts, draw, size);
        return std::nullopt;
    }

    text_centered(draw, fonts.heading, view.question, ImVec2(size.x / 2, size.y * 0.16f), theme::text);

    std::optional<Intent> intent;
    const int count = std::max(view.face_count, 1);
    const float margin = size.x * 0.04f;
    const float slot = (size.x - 2 * margin) / static_cast<float>(count);
    const float radius = std::min(slot * 0.40f, size.y * 0.21f);
    const float center_y = size.y * 0.55f;
    for (int score = 0; score < count; ++score) {
        const ImVec2 center(margin + slot * (static_cast<float>(score) + 0.5f), center_y);
        // The tap area is the whole slot, taller than the face: no dead gaps between faces.
        const Rect hit = rect_of(center.x - slot / 2, center.y - radius * 1.25f, slot, radius * 2.5f);
        const std::string name = "face-" + std::to_string(score);
        ImGui::SetCursorScreenPos(ImVec2(hit.x0, hit.y0));
        if (ImGui::InvisibleButton(name.c_str(), ImVec2(hit.width(), hit.height())))
            intent = TapFace{score};
        // Touch screens have no hover: only a press is highlighted.
        const FaceHighlight highlight = ImGui::IsItemActive() ? FaceHighlight::pressed : FaceHighlight::none;
        targets[name] = hit;
        draw_smiley(draw, center, radius, score, count, highlight);
    }

    text_centered(draw, fonts.body, "Tap a face", ImVec2(size.x / 2, size.y * 0.90f), theme::text_muted);
    return intent;
}

}  // namespace storeq::kiosk
