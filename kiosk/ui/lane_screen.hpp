#pragma once
// The display at a till: its number, open/closed, the queue count with - and +, and
// prompts. A prompt that calls on this very till takes the whole screen.
#include <optional>

#include "model/kiosk_input.hpp"
#include "model/kiosk_view.hpp"
#include "ui/hit_targets.hpp"
#include "ui/kiosk_fonts.hpp"

namespace storeq::kiosk {

std::optional<Intent> draw_lane_screen(const LaneView& view, const KioskFonts& fonts, HitTargets& targets);

}  // namespace storeq::kiosk
