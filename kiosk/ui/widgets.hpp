#pragma once
// Drawing helpers shared by the screens: a full-screen window, text placed by its centre,
// and large touch buttons drawn with the draw list (ImGui's own buttons are sized for a
// mouse, not a thumb).
#include <imgui.h>

#include <string>
#include <string_view>

#include "ui/hit_targets.hpp"

namespace storeq::kiosk {

// Opens a borderless window over the whole display, painted `background`. RAII: ends it.
class FullScreenWindow {
public:
    FullScreenWindow(const char* name, ImU32 background);
    ~FullScreenWindow();
    FullScreenWindow(const FullScreenWindow&) = delete;
    FullScreenWindow& operator=(const FullScreenWindow&) = delete;
    ImDrawList& draw() const { return *draw_; }

private:
    ImDrawList* draw_ = nullptr;
};

ImVec2 text_size(ImFont* font, std::string_view text);
// max_width > 0: a longer text is drawn smaller to fit.
void text_centered(ImDrawList& draw, ImFont* font, std::string_view text, ImVec2 center, ImU32 colour,
                   float max_width = 0.0f);
void text_at(ImDrawList& draw, ImFont* font, std::string_view text, ImVec2 top_left, ImU32 colour,
             float wrap_width = 0.0f);

struct ButtonStyle {
    ImU32 fill;
    ImU32 label;
    ImFont* font;
};

// Returns true when released over the button (a tap). `name` keys it in `targets`.
bool touch_button(const std::string& name, std::string_view label, const Rect& rect,
                  const ButtonStyle& style, HitTargets& targets);

Rect rect_of(float x, float y, float width, float height);

}  // namespace storeq::kiosk
