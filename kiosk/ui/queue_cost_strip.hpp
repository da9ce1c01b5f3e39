#pragma once
// The queue-cost line of the manager dashboard, a strip under the figures of today.
#include "model/queue_cost_view.hpp"
#include "ui/kiosk_fonts.hpp"
#include "ui/widgets.hpp"

struct ImDrawList;

namespace storeq::kiosk {

// The strip's height at scale `s` (1 at 1280x800).
float queue_cost_strip_height(const KioskFonts& fonts, float s);
void draw_queue_cost_strip(ImDrawList& draw, const KioskFonts& fonts, float s, const QueueCostView& view, const Rect& r);

}  // namespace storeq::kiosk
