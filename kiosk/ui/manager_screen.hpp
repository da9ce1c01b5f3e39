#pragma once
// The manager dashboard (docs/design.md §3): today's figures with the counts behind them, hourly
// feedback and queue breaches on one timeline, the 28-day trend against the 28 days
// before, lanes, top reasons and live prompts. Charts are ImGui draw-list shapes.
// Laid out for landscape 1280x800; everything scales with the window.
#include <optional>

#include "model/kiosk_input.hpp"
#include "model/manager_view.hpp"
#include "ui/hit_targets.hpp"
#include "ui/kiosk_fonts.hpp"

namespace storeq::kiosk {

std::optional<Intent> draw_manager_screen(const ManagerView& view, const KioskFonts& fonts, HitTargets& targets);

}  // namespace storeq::kiosk
