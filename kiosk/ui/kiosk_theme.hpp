#pragma once
// The kiosk's colours: a light standard theme and a high-contrast one (white on black,
// darker button fills under white labels). Chosen once at start-up from the configuration.
#include <imgui.h>

#include "model/kiosk_config.hpp"

namespace storeq::kiosk::theme {

inline constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b) { return IM_COL32(r, g, b, 255); }
inline constexpr ImU32 white = rgb(0xFF, 0xFF, 0xFF);

struct Palette {
    ImU32 background, text, text_muted, panel, outline, shadow;
    ImU32 open_green, closed_grey, action_blue, call_orange, claimed_purple, notice_amber, error_red;
    // Face colours from the most negative to the most positive answer; the shape of the
    // face carries the meaning, the colour only supports it.
    ImU32 face_red, face_orange, face_yellow, face_light_green, face_green;
};

inline constexpr Palette standard_palette = {
    rgb(0xF4, 0xF6, 0xF8), rgb(0x14, 0x1B, 0x24), rgb(0x4A, 0x55, 0x63), rgb(0xFF, 0xFF, 0xFF),
    rgb(0x14, 0x1B, 0x24), IM_COL32(0, 0, 0, 40),
    rgb(0x1E, 0x7F, 0x3A), rgb(0x5A, 0x63, 0x6E), rgb(0x1F, 0x5F, 0xBF), rgb(0xE0, 0x6A, 0x10),
    rgb(0x5B, 0x3E, 0x9E), rgb(0x9A, 0x5B, 0x00), rgb(0xC0, 0x1C, 0x28),
    rgb(0xE0, 0x3A, 0x3E), rgb(0xF5, 0x8E, 0x2A), rgb(0xF5, 0xC8, 0x2A), rgb(0x9C, 0xCC, 0x45), rgb(0x2F, 0xA4, 0x4F)};

// WCAG AAA-level contrast for text (21:1 on the background, >= 7:1 on button fills).
inline constexpr Palette high_contrast_palette = {
    rgb(0x00, 0x00, 0x00), rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0x66), rgb(0x1A, 0x1A, 0x1A),
    rgb(0x00, 0x00, 0x00), IM_COL32(255, 255, 255, 0),
    rgb(0x00, 0x55, 0x00), rgb(0x33, 0x33, 0x33), rgb(0x00, 0x2B, 0x80), rgb(0x8A, 0x2E, 0x00),
    rgb(0x3D, 0x1F, 0x73), rgb(0x6B, 0x3F, 0x00), rgb(0x9E, 0x00, 0x00),
    rgb(0xFF, 0x40, 0x40), rgb(0xFF, 0x99, 0x33), rgb(0xFF, 0xE0, 0x33), rgb(0xA8, 0xE0, 0x50), rgb(0x33, 0xCC, 0x66)};

// The palette in use (standard until use_theme is called).
const Palette& palette();
void use_theme(ThemeKind kind);

// Makes ImGui's own widgets match the theme.
void apply_imgui_style(float scale);

}  // namespace storeq::kiosk::theme
