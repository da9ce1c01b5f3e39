#include "ui/lane_screen.hpp"

#include <string>

#include "ui/kiosk_theme.hpp"
#include "ui/widgets.hpp"

namespace storeq::kiosk {
namespace {

constexpr ImU32 kWhite = theme::white;

void card(ImDrawList& draw, const Rect& r) {
    draw.AddRectFilled(ImVec2(r.x0, r.y0 + 4), ImVec2(r.x1, r.y1 + 4), IM_COL32(0, 0, 0, 25), 18.0f);
    draw.AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), theme::palette().panel, 18.0f);
}

void pill(ImDrawList& draw, ImFont* font, std::string_view text, ImVec2 top_right, ImU32 fill) {
    const ImVec2 size = text_size(font, text);
    const float pad_x = size.y * 0.5f, pad_y = size.y * 0.15f;
    const ImVec2 min(top_right.x - size.x - 2 * pad_x, top_right.y);
    const ImVec2 max(top_right.x, top_right.y + size.y + 2 * pad_y);
    draw.AddRectFilled(min, max, fill, (max.y - min.y) / 2);
    text_centered(draw, font, text, ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2), kWhite);
}

void draw_till_card(const LaneView& view, const KioskFonts& fonts, ImDrawList& draw, const Rect& r,
                    std::optional<Intent>& intent, HitTargets& targets) {
    card(draw, r);
    const float pad = r.width() * 0.07f;
    text_at(draw, fonts.button, "TILL", ImVec2(r.x0 + pad, r.y0 + pad), theme::palette().text_muted);
    pill(draw, fonts.button, view.open ? "OPEN" : "CLOSED", ImVec2(r.x1 - pad, r.y0 + pad * 0.8f),
         view.open ? theme::palette().open_green : theme::palette().closed_grey);

    const float button_h = r.height() * 0.26f;
    const Rect button = rect_of(r.x0 + pad, r.y1 - pad - button_h, r.width() - 2 * pad, button_h);
    const float number_top = r.y0 + pad + fonts.button->FontSize;
    text_centered(draw, fonts.number, std::to_string(view.till),
                  ImVec2(r.center_x(), (number_top + button.y0) / 2), theme::palette().text);

    if (view.open) {
        if (touch_button("lane-close", "Close till", button, {theme::palette().closed_grey, kWhite, fonts.button}, targets))
            intent = LaneClosePressed{};
    } else {
        if (touch_button("lane-open", "Open till", button, {theme::palette().open_green, kWhite, fonts.button}, targets))
            intent = LaneOpenPressed{};
    }
}

void draw_queue_card(const LaneView& view, const KioskFonts& fonts, ImDrawList& draw, const Rect& r,
                     std::optional<Intent>& intent, HitTargets& targets) {
    card(draw, r);
    const float pad = r.width() * 0.07f;
    text_at(draw, fonts.button, "QUEUE", ImVec2(r.x0 + pad, r.y0 + pad), theme::palette().text_muted);
    const std::string waiting = std::to_string(view.waiting) + " waiting";
    const ImVec2 waiting_size = text_size(fonts.body, waiting);
    text_at(draw, fonts.body, waiting, ImVec2(r.x1 - pad - waiting_size.x, r.y0 + pad + 2),
            view.waiting >= 2 ? theme::palette().call_orange : theme::palette().text_muted);

    // - and + are thumb-sized squares (well over 2 cm on a 10" panel) at the card's sides.
    const float side = r.height() * 0.34f;
    const float row_y = r.y0 + r.height() * 0.56f;
    const Rect minus = rect_of(r.x0 + pad, row_y - side / 2, side, side);
    const Rect plus = rect_of(r.x1 - pad - side, row_y - side / 2, side, side);
    text_centered(draw, fonts.number, std::to_string(view.count), ImVec2(r.center_x(), row_y), theme::palette().text);
    if (touch_button("queue-minus", "\u2212", minus, {theme::palette().action_blue, kWhite, fonts.number}, targets))
        intent = QueueDecrementPressed{};
    if (touch_button("queue-plus", "+", plus, {theme::palette().action_blue, kWhite, fonts.number}, targets))
        intent = QueueIncrementPressed{};
    // The controller's estimate, rounded up: what the next customer can expect.
    std::string caption = "people in line";
    if (view.wait_minutes) caption += view.open ? ", wait about " + std::to_string(*view.wait_minutes) + " min" : "";
    text_centered(draw, fonts.body, caption, ImVec2(r.center_x(), r.y1 - pad - fonts.body->FontSize / 2),
                  theme::palette().text_muted, r.width() - 2 * pad);
}

void draw_banner(const PromptView& prompt, const KioskFonts& fonts, ImDrawList& draw, const Rect& r,
                 std::optional<Intent>& intent, HitTargets& targets) {
    const ImU32 fill = prompt.claimed_by ? theme::palette().claimed_purple : theme::palette().action_blue;
    draw.AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), fill, 14.0f);
    const float pad = r.height() * 0.18f;
    text_at(draw, fonts.button, prompt.title, ImVec2(r.x0 + pad, r.y0 + pad * 0.6f), kWhite);
    std::string detail = prompt.message;
    if (prompt.claimed_by) detail = "Claimed by " + *prompt.claimed_by;
    text_at(draw, fonts.body, detail, ImVec2(r.x0 + pad, r.y0 + pad * 0.6f + fonts.button->FontSize), kWhite);
    if (prompt.can_claim && !prompt.claimed_by) {
        const float w = r.width() * 0.26f;
        const Rect button = rect_of(r.x1 - pad * 0.5f - w, r.y0 + pad * 0.5f, w, r.height() - pad);
        if (touch_button("claim-" + prompt.id, "I'll do it", button, {kWhite, fill, fonts.button}, targets))
            intent = ClaimPressed{prompt.id};
    }
}

// The full-screen call: this till is asked to open.
void draw_call(const LaneView& view, const PromptView& call, const KioskFonts& fonts, ImDrawList& draw,
               ImVec2 size, std::optional<Intent>& intent, HitTargets& targets) {
    const ImU32 fill = call.claimed_by || call.claim_sent ? theme::palette().claimed_purple : theme::palette().call_orange;
    draw.AddRectFilled(ImVec2(0, 0), size, fill);
    text_centered(draw, fonts.button, "TILL " + std::to_string(view.till), ImVec2(size.x / 2, size.y * 0.09f), kWhite);
    text_centered(draw, fonts.heading, call.title, ImVec2(size.x / 2, size.y * 0.22f), kWhite);
    if (!call.message.empty())
        text_centered(draw, fonts.button, call.message, ImVec2(size.x / 2, size.y * 0.335f), kWhite);

    const Rect button = rect_of(size.x * 0.22f, size.y * 0.55f, size.x * 0.56f, size.y * 0.21f);
    if (call.claimed_by || call.claim_sent) {
        const std::string who = call.claimed_by ? "Claimed by " + *call.claimed_by : "Claim sent...";
        text_centered(draw, fonts.body, who, ImVec2(size.x / 2, size.y * 0.445f), kWhite);
        // Whoever claimed it opens the till here: that fulfils the prompt.
        if (touch_button("call-open", "Open till now", button, {theme::palette().open_green, kWhite, fonts.heading}, targets))
            intent = LaneOpenPressed{};
    } else if (touch_button("claim-" + call.id, "I'll open it", button, {kWhite, fill, fonts.heading}, targets)) {
        intent = ClaimPressed{call.id};
    }
    const std::string queue = "Queue here: " + std::to_string(view.count);
    text_centered(draw, fonts.body, queue, ImVec2(size.x / 2, size.y * 0.88f), kWhite);
}

// The call for this till ended before it opened: whoever set off can go back.
void draw_stand_down(const StandDownView& notice, const KioskFonts& fonts, ImDrawList& draw, const Rect& r) {
    draw.AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), theme::palette().notice_amber, 14.0f);
    const float pad = r.height() * 0.18f;
    text_at(draw, fonts.button, notice.title, ImVec2(r.x0 + pad, r.y0 + pad * 0.6f), kWhite);
    text_at(draw, fonts.body, notice.detail, ImVec2(r.x0 + pad, r.y0 + pad * 0.6f + fonts.button->FontSize), kWhite,
            r.width() - 2 * pad);
}

void draw_connection(const LaneView& view, const KioskFonts& fonts, ImDrawList& draw, ImVec2 size) {
    if (view.broker_connected) return;
    // Staff should know their presses are queued, not lost; shoppers never see this screen.
    const char* text = "offline: will send when connected";
    const ImVec2 t = text_size(fonts.body, text);
    text_at(draw, fonts.body, text, ImVec2(size.x - t.x - size.x * 0.03f, size.y - t.y - size.y * 0.015f),
            theme::palette().text_muted);
}

}  // namespace

std::optional<Intent> draw_lane_screen(const LaneView& view, const KioskFonts& fonts, HitTargets& targets) {
    FullScreenWindow window("##lane", theme::palette().background);
    ImDrawList& draw = window.draw();
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    targets.clear();
    std::optional<Intent> intent;

    if (view.call) {
        draw_call(view, *view.call, fonts, draw, size, intent, targets);
        return intent;
    }

    const float margin = size.x * 0.03f;
    const float card_w = (size.x - 3 * margin) / 2;
    const float card_h = size.y * 0.66f;
    draw_till_card(view, fonts, draw, rect_of(margin, margin, card_w, card_h), intent, targets);
    draw_queue_card(view, fonts, draw, rect_of(2 * margin + card_w, margin, card_w, card_h), intent, targets);

    const float banner_y = margin * 2 + card_h;
    const float banner_h = size.y - banner_y - margin * 1.6f;
    if (view.stand_down) {
        draw_stand_down(*view.stand_down, fonts, draw, rect_of(margin, banner_y, size.x - 2 * margin, banner_h));
    } else if (!view.banners.empty()) {
        draw_banner(view.banners.front(), fonts, draw, rect_of(margin, banner_y, size.x - 2 * margin, banner_h),
                    intent, targets);
    } else {
        text_at(draw, fonts.body, "No prompts", ImVec2(margin, banner_y + banner_h * 0.3f), theme::palette().text_muted);
    }
    draw_connection(view, fonts, draw, size);
    return intent;
}

}  // namespace storeq::kiosk
