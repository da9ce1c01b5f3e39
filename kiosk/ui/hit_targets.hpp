#pragma once
// Where each pressable thing was drawn in the last frame, by name ("face-2", "queue-plus").
// The screens fill it; tests and diagnostics read it to aim injected clicks.
#include <map>
#include <string>

namespace storeq::kiosk {

struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float center_x() const { return (x0 + x1) / 2; }
    float center_y() const { return (y0 + y1) / 2; }
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
};

using HitTargets = std::map<std::string, Rect>;

}  // namespace storeq::kiosk
