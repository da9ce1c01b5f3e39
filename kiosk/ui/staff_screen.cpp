#include "ui/staff_screen.hpp"

#include <algorithm>
#include <string>

#include "ui/kiosk_theme.hpp"
#include "ui/widgets.hpp"

namespace storeq::kiosk {
namespace {

void card(ImDrawList& draw, const Rect& r, ImU32 fill) {
    draw.AddRectFilled(ImVec2(r.x0, r.y0 + 3), ImVec2(r.x1, r.y1 + 3), theme::palette().shadow, 14.0f);
    draw.AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), fill, 14.0f);
}

float draw_stand_down(const StandDownView& notice, const KioskFonts& fonts, ImDrawList& draw, float y, float width,
                      float pad) {
    const float text_w = width - 4 * pad;
    // Sized to its wrapped text: translations and long till numbers must stay inside.
    const ImVec2 title = fonts.button->CalcTextSizeA(fonts.button->FontSize, FLT_MAX, text_w, notice.title.c_str());
    const ImVec2 detail = fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, text_w, notice.detail.c_str());
    const float h = pad * 1.8f + title.y + fonts.button->FontSize * 0.1f + detail.y;
    const Rect r = rect_of(pad, y, width - 2 * pad, h);
    card(draw, r, theme::palette().notice_amber);
    text_at(draw, fonts.button, notice.title, ImVec2(r.x0 + pad, r.y0 + pad * 0.8f), theme::white, text_w);
    text_at(draw, fonts.body, notice.detail,
            ImVec2(r.x0 + pad, r.y0 + pad * 0.8f + title.y + fonts.button->FontSize * 0.1f), theme::white, text_w);
    return h;
}

float draw_prompt(const PromptView& prompt, const KioskFonts& fonts, ImDrawList& draw, float y, float width,
                  float pad, std::optional<Intent>& intent, HitTargets& targets) {
    const auto& p = theme::palette();
    const bool job = prompt.can_claim || prompt.claim_sent || prompt.claimed_by;
    const float button_h = fonts.button->FontSize * 2.4f;  // ~2 cm on a 5" handheld
    const float h = pad * 2 + fonts.heading->FontSize + fonts.body->FontSize * 1.3f + (job ? button_h + pad : 0.0f);
    const Rect r = rect_of(pad, y, width - 2 * pad, h);
    const ImU32 fill = prompt.level >= 2 ? p.error_red : prompt.claimed_by ? p.claimed_purple
                       : job ? p.call_orange : p.action_blue;
    card(draw, r, fill);
    float text_y = r.y0 + pad;
    text_at(draw, fonts.heading, prompt.title, ImVec2(r.x0 + pad, text_y), theme::white);
    text_y += fonts.heading->FontSize * 1.05f;
    std::string detail = prompt.message;
    if (prompt.claimed_by) detail = prompt.claimed_by_me ? "You took this" : "Claimed by " + *prompt.claimed_by;
    if (prompt.level >= 2 && !prompt.claimed_by) detail = "Escalated: " + detail;
    text_at(draw, fonts.body, detail, ImVec2(r.x0 + pad, text_y), theme::white, r.width() - 2 * pad);
    if (!job) return h;
    const Rect button = rect_of(r.x0 + pad, r.y1 - pad - button_h, r.width() - 2 * pad, button_h);
    if (prompt.can_claim) {
        if (touch_button("claim-" + prompt.id, "I'll go", button, {theme::white, fill, fonts.button}, targets))
            intent = ClaimPressed{prompt.id};
    } else {
        // Not a button: the claim is done; a flat panel says so without inviting a tap.
        draw.AddRectFilled(ImVec2(button.x0, button.y0), ImVec2(button.x1, button.y1), IM_COL32(255, 255, 255, 50),
                           button.height() * 0.18f);
        const std::string state = prompt.claimed_by ? (prompt.claimed_by_me ? "On my way" : "Taken by " + *prompt.claimed_by)
                                                    : "Claim sent...";
        text_centered(draw, fonts.button, state, ImVec2(button.center_x(), button.center_y()), theme::white,
                      button.width() * 0.9f);
    }
    return h;
}

}  // namespace

std::optional<Intent> draw_staff_screen(const StaffView& view, const KioskFonts& fonts, HitTargets& targets) {
    const auto& p = theme::palette();
    FullScreenWindow window("##staff", p.background);
    ImDrawList& draw = window.draw();
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    targets.clear();
    std::optional<Intent> intent;

    const float pad = std::max(12.0f, size.x * 0.04f);
    // Header: who this handheld is and whether it is connected.
    const float header_h = fonts.button->FontSize + pad * 1.6f;
    draw.AddRectFilled(ImVec2(0, 0), ImVec2(size.x, header_h), p.panel);
    text_at(draw, fonts.button, "Calls", ImVec2(pad, pad * 0.8f), p.text);
    const std::string status = view.broker_connected ? view.device : view.device + " - offline";
    const ImVec2 status_size = text_size(fonts.body, status);
    text_at(draw, fonts.body, status, ImVec2(size.x - pad - status_size.x, pad * 0.8f + 2),
            view.broker_connected ? p.text_muted : p.error_red);

    float y = header_h + pad;
    for (const auto& notice : view.stand_downs) y += draw_stand_down(notice, fonts, draw, y, size.x, pad) + pad;
    for (const auto& prompt : view.prompts) {
        if (y > size.y) break;  // more than fit: the most urgent are on top
        y += draw_prompt(prompt, fonts, draw, y, size.x, pad, intent, targets) + pad;
    }
    if (view.prompts.empty() && view.stand_downs.empty()) {
        text_centered(draw, fonts.heading, "No calls", ImVec2(size.x / 2, size.y * 0.42f), p.text);
        text_centered(draw, fonts.body, "This screen lights up when a till", ImVec2(size.x / 2, size.y * 0.50f),
                      p.text_muted, size.x - 2 * pad);
        text_centered(draw, fonts.body, "needs opening.", ImVec2(size.x / 2, size.y * 0.50f + fonts.body->FontSize * 1.2f),
                      p.text_muted, size.x - 2 * pad);
    }
    return intent;
}

}  // namespace storeq::kiosk
