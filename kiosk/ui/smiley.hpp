#pragma once
// One smiley face drawn with shapes: the mouth bends from a deep frown (score 0) to a
// wide open smile (best score) and the eyes differ at both ends, so the faces read
// without colour (colour-blind shoppers, washed-out screens).
#include <imgui.h>

namespace storeq::kiosk {

enum class FaceHighlight { none, hovered, pressed };

void draw_smiley(ImDrawList& draw, ImVec2 center, float radius, int score, int face_count,
                 FaceHighlight highlight);

ImU32 face_colour(int score, int face_count);

}  // namespace storeq::kiosk
