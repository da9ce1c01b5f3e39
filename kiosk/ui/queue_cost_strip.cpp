#include "ui/queue_cost_strip.hpp"

#include "ui/kiosk_theme.hpp"

namespace storeq::kiosk {

float queue_cost_strip_height(const KioskFonts& fonts, float s) {
    ImFont* font = fonts.small ? fonts.small : fonts.body;
    return font->FontSize * 1.5f + 8 * s;
}

// One line on a panel: the two groups in the text colour, the difference muted (red when
// today's interval lies below 0), so the line reads first and the caveat stays with it.
void draw_queue_cost_strip(ImDrawList& draw, const KioskFonts& fonts, float s, const QueueCostView& view, const Rect& r) {
    const auto& p = theme::palette();
    ImFont* font = fonts.small ? fonts.small : fonts.body;
    draw.AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), p.panel, 8 * s);
    const float x = r.x0 + 12 * s;
    const float y = r.center_y() - font->FontSize / 2;
    if (view.waiting) {
        text_at(draw, font, "after a queue: waiting for data", ImVec2(x, y), p.text_muted);
        return;
    }
    text_at(draw, font, view.line, ImVec2(x, y), p.text);
    const float gap = 24 * s;
    const float after_line = x + text_size(font, view.line).x + gap;
    text_at(draw, font, view.difference, ImVec2(after_line, y), view.costs ? p.error_red : p.text_muted);
}

}  // namespace storeq::kiosk
