#pragma once
// The hidden service screen: an invisible corner to hold, a PIN pad, then diagnostics
// (broker, outbox backlog, version, device id, recent errors). Drawn over any role.
#include <optional>

#include "model/kiosk_input.hpp"
#include "model/kiosk_view.hpp"
#include "ui/hit_targets.hpp"
#include "ui/kiosk_fonts.hpp"

namespace storeq::kiosk {

// The top-left corner, drawn last so it lies over the role's screen: reports press and release.
std::optional<Intent> draw_service_corner(HitTargets& targets);
// The PIN pad or the diagnostics, full screen; nothing when the service screen is closed.
std::optional<Intent> draw_service_screen(const ServiceView& view, const KioskFonts& fonts, HitTargets& targets);

}  // namespace storeq::kiosk
