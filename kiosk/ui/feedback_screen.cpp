#include "ui/feedback_screen.hpp"

#include <algorithm>
#include <string>

#include "ui/kiosk_theme.hpp"
#include "ui/smiley.hpp"
#include "ui/widgets.hpp"

namespace storeq::kiosk {
namespace {

// Vertical positions as fractions of the screen height. low_reach keeps every control
// in the lower half (docs/design.md §3: wheelchair users); text may stay higher up.
struct FeedbackLayout {
    float question_y, hint_y, answers_y, answers_max_h, languages_y;
};

FeedbackLayout layout_for(const FeedbackView& view) {
    if (view.low_reach) return {0.12f, 0.25f, 0.69f, 0.30f, 0.905f};
    return {0.20f, 0.91f, 0.55f, 0.42f, 0.025f};
}

void draw_received_mark(ImDrawList& draw, ImVec2 center, float r) {
    draw.AddCircleFilled(ImVec2(center.x, center.y + r * 0.06f), r, theme::palette().shadow, 64);
    draw.AddCircleFilled(center, r, theme::palette().open_green, 64);
    const ImVec2 tick[] = {ImVec2(center.x - r * 0.45f, center.y + r * 0.02f),
                           ImVec2(center.x - r * 0.12f, center.y + r * 0.35f),
                           ImVec2(center.x + r * 0.48f, center.y - r * 0.30f)};
    draw.AddPolyline(tick, 3, theme::white, 0, r * 0.16f);
}

void draw_thank_you(const FeedbackView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size) {
    // A tick says "received" before any word is read; a laughing face would mock an
    // unhappy shopper.
    draw_received_mark(draw, ImVec2(size.x / 2, size.y * 0.32f), size.y * 0.15f);
    text_centered(draw, fonts.heading, view.thank_you_title, ImVec2(size.x / 2, size.y * 0.62f), theme::palette().text,
                  size.x * 0.94f);
    text_centered(draw, fonts.body, view.thank_you_detail, ImVec2(size.x / 2, size.y * 0.76f),
                  theme::palette().text_muted, size.x * 0.94f);
}

void draw_languages(const FeedbackView& view, const KioskFonts& fonts, ImVec2 size, float y,
                    std::optional<Intent>& intent, HitTargets& targets) {
    if (view.languages.empty()) return;
    const auto& p = theme::palette();
    // ~2 cm squares on a 10" panel: a thumb hits them, and they still look secondary.
    const float h = size.y * 0.095f, w = h * 1.45f, gap = h * 0.2f;
    const float total = static_cast<float>(view.languages.size()) * (w + gap) - gap;
    float x = size.x - size.x * 0.025f - total;
    for (const auto& language : view.languages) {
        const ButtonStyle style = language.selected ? ButtonStyle{p.text, p.background, fonts.button}
                                                    : ButtonStyle{p.panel, p.text, fonts.button};
        if (touch_button("lang-" + language.locale, language.label, rect_of(x, y * size.y, w, h), style, targets))
            intent = LanguagePressed{language.locale};
        x += w + gap;
    }
}

void draw_faces(const FeedbackView& view, ImDrawList& draw, ImVec2 size, const FeedbackLayout& layout,
                std::optional<Intent>& intent, HitTargets& targets) {
    const int count = std::max(view.face_count, 1);
    const float margin = size.x * 0.04f;
    const float slot = (size.x - 2 * margin) / static_cast<float>(count);
    const float radius = std::min(slot * 0.40f, size.y * layout.answers_max_h / 2.5f);
    const float center_y = size.y * layout.answers_y;
    for (int score = 0; score < count; ++score) {
        const ImVec2 center(margin + slot * (static_cast<float>(score) + 0.5f), center_y);
        // The tap area is the whole slot, taller than the face: no dead gaps between faces.
        const Rect hit = rect_of(center.x - slot / 2, center.y - radius * 1.25f, slot, radius * 2.5f);
        const std::string name = "face-" + std::to_string(score);
        ImGui::SetCursorScreenPos(ImVec2(hit.x0, hit.y0));
        if (ImGui::InvisibleButton(name.c_str(), ImVec2(hit.width(), hit.height()))) intent = TapFace{score};
        // Touch screens have no hover: only a press is highlighted.
        const FaceHighlight highlight = ImGui::IsItemActive() ? FaceHighlight::pressed : FaceHighlight::none;
        targets[name] = hit;
        draw_smiley(draw, center, radius, score, count, highlight);
    }
}

// NPS: eleven numbered buttons; the number carries the meaning, colour only supports it.
void draw_numbers(const FeedbackView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size,
                  const FeedbackLayout& layout, std::optional<Intent>& intent, HitTargets& targets) {
    const auto& p = theme::palette();
    const float margin = size.x * 0.025f, gap = size.x * 0.008f;
    const float w = (size.x - 2 * margin - 10 * gap) / 11.0f;
    const float h = std::min(w * 1.5f, size.y * layout.answers_max_h * 0.7f);
    const float y = size.y * layout.answers_y - h / 2;
    for (int score = 0; score <= 10; ++score) {
        const ImU32 fill = score <= 6 ? p.face_red : score <= 8 ? p.face_yellow : p.face_green;
        const Rect r = rect_of(margin + static_cast<float>(score) * (w + gap), y, w, h);
        if (touch_button("score-" + std::to_string(score), std::to_string(score), r, {fill, p.outline, fonts.heading},
                         targets))
            intent = TapFace{score};
    }
    const float label_y = y + h + size.y * 0.05f;
    text_at(draw, fonts.body, view.low_label, ImVec2(margin, label_y), p.text_muted);
    const ImVec2 high = text_size(fonts.body, view.high_label);
    text_at(draw, fonts.body, view.high_label, ImVec2(size.x - margin - high.x, label_y), p.text_muted);
}

void draw_follow_up(const FeedbackView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size,
                    std::optional<Intent>& intent, HitTargets& targets) {
    const auto& p = theme::palette();
    // Standard: title high, chips in the middle; low reach: everything pressable below half.
    const float title_y = view.low_reach ? 0.2f : 0.13f;
    const float chips_top = view.low_reach ? 0.50f : 0.26f;
    const float chips_bottom = view.low_reach ? 0.83f : 0.76f;
    text_centered(draw, fonts.heading, view.follow_up_title, ImVec2(size.x / 2, size.y * title_y), p.text,
                  size.x * 0.94f);

    const float margin = size.x * 0.04f, gap = size.x * 0.02f;
    const int columns = view.reasons.size() > 4 ? 3 : 2;
    const int rows = (static_cast<int>(view.reasons.size()) + columns - 1) / columns;
    const float w = (size.x - 2 * margin - static_cast<float>(columns - 1) * gap) / static_cast<float>(columns);
    const float area_h = size.y * (chips_bottom - chips_top);
    const float h = std::min(size.y * 0.17f, (area_h - static_cast<float>(rows - 1) * gap) / static_cast<float>(std::max(rows, 1)));
    for (std::size_t i = 0; i < view.reasons.size(); ++i) {
        const int row = static_cast<int>(i) / columns, column = static_cast<int>(i) % columns;
        const Rect r = rect_of(margin + static_cast<float>(column) * (w + gap),
                               size.y * chips_top + static_cast<float>(row) * (h + gap), w, h);
        if (touch_button("reason-" + view.reasons[i].code, view.reasons[i].label, r,
                         {p.action_blue, theme::white, fonts.button}, targets))
            intent = ReasonPressed{view.reasons[i].code};
    }
    const float skip_h = size.y * 0.12f, skip_w = size.x * 0.26f;
    const Rect skip = rect_of(size.x - margin - skip_w, size.y * 0.96f - skip_h, skip_w, skip_h);
    if (touch_button("skip", view.skip_label, skip, {p.panel, p.text, fonts.button}, targets)) intent = SkipPressed{};
    if (view.answered_score && !view.nps) {
        const float r = skip_h * 0.42f;
        draw_smiley(draw, ImVec2(margin + r, skip.center_y()), r, *view.answered_score, view.face_count,
                    FaceHighlight::none);
    }
}

}  // namespace

std::optional<Intent> draw_feedback_screen(const FeedbackView& view, const KioskFonts& fonts, HitTargets& targets) {
    FullScreenWindow window("##feedback", theme::palette().background);
    ImDrawList& draw = window.draw();
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    targets.clear();
    std::optional<Intent> intent;

    if (view.phase == FeedbackPhase::thank_you) {
        draw_thank_you(view, fonts, draw, size);
        return intent;
    }
    if (view.phase == FeedbackPhase::follow_up) {
        draw_follow_up(view, fonts, draw, size, intent, targets);
        return intent;
    }
    const FeedbackLayout layout = layout_for(view);
    text_centered(draw, fonts.heading, view.question, ImVec2(size.x / 2, size.y * layout.question_y),
                  theme::palette().text, size.x * 0.94f);
    if (view.nps)
        draw_numbers(view, fonts, draw, size, layout, intent, targets);
    else
        draw_faces(view, draw, size, layout, intent, targets);
    text_centered(draw, fonts.body, view.hint, ImVec2(size.x / 2, size.y * layout.hint_y), theme::palette().text_muted);
    draw_languages(view, fonts, size, layout.languages_y, intent, targets);
    return intent;
}

}  // namespace storeq::kiosk
