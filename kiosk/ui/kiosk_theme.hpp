#pragma once
// One high-contrast light theme: dark text on near-white, strong button colours.
#include <imgui.h>

namespace storeq::kiosk::theme {

inline constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b) { return IM_COL32(r, g, b, 255); }

inline constexpr ImU32 background = rgb(0xF4, 0xF6, 0xF8);
inline constexpr ImU32 text = rgb(0x14, 0x1B, 0x24);
inline constexpr ImU32 text_muted = rgb(0x4A, 0x55, 0x63);
inline constexpr ImU32 panel = rgb(0xFF, 0xFF, 0xFF);
inline constexpr ImU32 outline = rgb(0x14, 0x1B, 0x24);

inline constexpr ImU32 open_green = rgb(0x1E, 0x7F, 0x3A);
inline constexpr ImU32 closed_grey = rgb(0x5A, 0x63, 0x6E);
inline constexpr ImU32 action_blue = rgb(0x1F, 0x5F, 0xBF);
inline constexpr ImU32 call_orange = rgb(0xE0, 0x6A, 0x10);
inline constexpr ImU32 claimed_purple = rgb(0x5B, 0x3E, 0x9E);

// Face colours from the most negative to the most positive answer; the shape of the
// face carries the meaning, the colour only supports it.
inline constexpr ImU32 face_red = rgb(0xE0, 0x3A, 0x3E);
inline constexpr ImU32 face_orange = rgb(0xF5, 0x8E, 0x2A);
inline constexpr ImU32 face_yellow = rgb(0xF5, 0xC8, 0x2A);
inline constexpr ImU32 face_light_green = rgb(0x9C, 0xCC, 0x45);
inline constexpr ImU32 face_green = rgb(0x2F, 0xA4, 0x4F);

// Makes ImGui's own widgets (buttons) match the theme.
void apply_imgui_style(float scale);

}  // namespace storeq::kiosk::theme
