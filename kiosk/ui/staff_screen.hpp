#pragma once
// The floor staff's handheld (portrait, 480x800): live prompts with a claim button each,
// who claimed what, and stand-down notices when a call is no longer needed.
#include <optional>

#include "model/kiosk_input.hpp"
#include "model/kiosk_view.hpp"
#include "ui/hit_targets.hpp"
#include "ui/kiosk_fonts.hpp"

namespace storeq::kiosk {

std::optional<Intent> draw_staff_screen(const StaffView& view, const KioskFonts& fonts, HitTargets& targets);

}  // namespace storeq::kiosk
