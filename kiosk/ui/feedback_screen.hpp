#pragma once
// The exit kiosk: one question and the faces, or the thank-you that follows a tap.
#include <optional>

#include "model/kiosk_input.hpp"
#include "model/kiosk_view.hpp"
#include "ui/hit_targets.hpp"
#include "ui/kiosk_fonts.hpp"

namespace storeq::kiosk {

// Draws one frame inside ImGui::NewFrame()/Render(); returns what the shopper tapped.
std::optional<Intent> draw_feedback_screen(const FeedbackView& view, const KioskFonts& fonts,
                                           HitTargets& targets);

}  // namespace storeq::kiosk
