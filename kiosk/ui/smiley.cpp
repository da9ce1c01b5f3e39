#include "ui/smiley.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "ui/kiosk_theme.hpp"

namespace storeq::kiosk {
namespace {

constexpr float kPi = 3.14159265358979f;

void draw_eyes(ImDrawList& draw, ImVec2 c, float r, float positivity) {
    const float eye_dx = 0.33f * r;
    const float eye_y = c.y - 0.20f * r;
    const float stroke = 0.075f * r;
    for (float side : {-1.0f, 1.0f}) {
        const ImVec2 eye(c.x + side * eye_dx, eye_y);
        if (positivity >= 0.999f) {
            // Happy closed eyes: an upturned arc, "^ ^".
            draw.PathArcTo(ImVec2(eye.x, eye.y + 0.05f * r), 0.12f * r, kPi * 1.1f, kPi * 1.9f, 16);
            draw.PathStroke(theme::palette().outline, 0, stroke);
            continue;
        }
        draw.AddCircleFilled(eye, 0.095f * r, theme::palette().outline, 24);
        if (positivity <= 0.001f) {
            // Worried brows, inner ends raised: the one face that is clearly upset.
            draw.AddLine(ImVec2(eye.x + side * 0.16f * r, eye.y - 0.20f * r),
                         ImVec2(eye.x - side * 0.10f * r, eye.y - 0.32f * r), theme::palette().outline, stroke);
        }
    }
}

void draw_mouth(ImDrawList& draw, ImVec2 c, float r, float positivity) {
    if (positivity >= 0.999f) {
        // Wide open smile: a filled half disc with a tongue.
        const ImVec2 mouth(c.x, c.y + 0.12f * r);
        const float mouth_r = 0.46f * r;
        draw.PathArcTo(mouth, mouth_r, 0.0f, kPi, 32);
        draw.PathFillConvex(theme::palette().outline);
        draw.PathArcTo(ImVec2(mouth.x, mouth.y + mouth_r * 0.62f), mouth_r * 0.42f, kPi * 1.15f, kPi * 1.85f, 16);
        draw.PathArcTo(ImVec2(mouth.x, mouth.y), mouth_r * 0.86f, kPi * 0.30f, kPi * 0.70f, 16);
        draw.PathFillConvex(theme::palette().face_red);
        return;
    }
    // From -1 (deep frown) to +1 (big smile).
    const float bend = positivity * 2.0f - 1.0f;
    const float half_width = (0.28f + 0.12f * std::abs(bend)) * r;
    const float ends_y = c.y + (bend < 0 ? 0.45f : 0.28f) * r;
    const float control_y = ends_y + bend * 0.42f * r;
    draw.PathLineTo(ImVec2(c.x - half_width, ends_y));
    draw.PathBezierCubicCurveTo(ImVec2(c.x - half_width * 0.45f, control_y),
                                ImVec2(c.x + half_width * 0.45f, control_y),
                                ImVec2(c.x + half_width, ends_y), 24);
    draw.PathStroke(theme::palette().outline, 0, 0.09f * r);
}

}  // namespace

ImU32 face_colour(int score, int face_count) {
    if (face_count == 4) {
        const std::array<ImU32, 4> four = {theme::palette().face_red, theme::palette().face_orange,
                                               theme::palette().face_light_green, theme::palette().face_green};
        return four[static_cast<std::size_t>(std::clamp(score, 0, 3))];
    }
    const std::array<ImU32, 5> five = {theme::palette().face_red, theme::palette().face_orange, theme::palette().face_yellow,
                                           theme::palette().face_light_green, theme::palette().face_green};
    const float t = face_count > 1 ? static_cast<float>(score) / static_cast<float>(face_count - 1) : 1.0f;
    return five[static_cast<std::size_t>(std::lround(std::clamp(t, 0.0f, 1.0f) * 4.0f))];
}

void draw_smiley(ImDrawList& draw, ImVec2 center, float radius, int score, int face_count,
                 FaceHighlight highlight) {
    const float positivity =
        face_count > 1 ? static_cast<float>(score) / static_cast<float>(face_count - 1) : 1.0f;
    const float r = highlight == FaceHighlight::pressed ? radius * 0.94f : radius;

    if (highlight != FaceHighlight::none)
        draw.AddCircle(center, radius * 1.10f, theme::palette().action_blue, 64, radius * 0.07f);
    // A soft shadow lifts the face off the background: it looks pressable.
    draw.AddCircleFilled(ImVec2(center.x, center.y + r * 0.06f), r, theme::palette().shadow, 64);
    // The outline is a filled disc under a smaller face disc, not a thick AddCircle: a thick
    // polyline's edges come from ImRsqrt (the rsqrtss instruction in Debian's libimgui),
    // whose precision differs between Intel and AMD, so the same face drew differently on
    // two machines; a fill's 1 px fringe barely moves.
    const float outline = r * 0.05f;
    draw.AddCircleFilled(center, r + outline * 0.5f, theme::palette().outline, 64);
    draw.AddCircleFilled(center, r - outline * 0.5f, face_colour(score, face_count), 64);
    draw_eyes(draw, center, r, positivity);
    draw_mouth(draw, center, r, positivity);
}

}  // namespace storeq::kiosk
