#include "ui/manager_screen.hpp"
#include "ui/queue_cost_strip.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "ui/kiosk_theme.hpp"
#include "ui/widgets.hpp"

namespace storeq::kiosk {
namespace {

constexpr ImU32 kScoreBlue = theme::rgb(0x1F, 0x5F, 0xBF);
constexpr ImU32 kBreachRed = theme::rgb(0xD9, 0x4A, 0x4A);
constexpr ImU32 kComplianceGreen = theme::rgb(0x1E, 0x7F, 0x3A);
constexpr ImU32 kAmber = theme::rgb(0xB8, 0x6E, 0x00);
constexpr ImU32 kGrid = theme::rgb(0xE3, 0xE7, 0xEC);

struct Ctx {
    ImDrawList& draw;
    const KioskFonts& f;
    float s;  // 1 at 1280x800
    ImFont* small() const { return f.small ? f.small : f.body; }
    ImFont* figure() const { return f.figure ? f.figure : f.heading; }
};

ImU32 tone_colour(Tone tone) {
    switch (tone) {
        case Tone::good: return kComplianceGreen;
        case Tone::warn: return kAmber;
        case Tone::bad: return theme::palette().error_red;
        case Tone::neutral: break;
    }
    return theme::palette().text;
}

// Text cut to `width` with "..." (labels in narrow columns).
std::string fit(ImFont* font, std::string text, float width) {
    if (width <= 0 || text_size(font, text).x <= width) return text;
    while (!text.empty() && text_size(font, text + "...").x > width) text.pop_back();
    return text + "...";
}

void text_right(const Ctx& c, ImFont* font, const std::string& text, float right, float y, ImU32 colour) {
    text_at(c.draw, font, text, ImVec2(right - text_size(font, text).x, y), colour);
}

// A white card with a title; returns the area under the title.
Rect card(const Ctx& c, const Rect& r, const std::string& title) {
    const auto& p = theme::palette();
    c.draw.AddRectFilled(ImVec2(r.x0, r.y0 + 2 * c.s), ImVec2(r.x1, r.y1 + 2 * c.s), p.shadow, 10 * c.s);
    c.draw.AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), p.panel, 10 * c.s);
    const float pad = 12 * c.s;
    if (title.empty()) return Rect{r.x0 + pad, r.y0 + pad, r.x1 - pad, r.y1 - pad};
    text_at(c.draw, c.f.button, title, ImVec2(r.x0 + pad, r.y0 + pad * 0.8f), p.text);
    return Rect{r.x0 + pad, r.y0 + pad + c.f.button->FontSize * 1.35f, r.x1 - pad, r.y1 - pad};
}

void waiting(const Ctx& c, const Rect& area, const char* what = "waiting for data") {
    text_centered(c.draw, c.f.body, what, ImVec2(area.center_x(), area.center_y()), theme::palette().text_muted);
}

void triangle(const Ctx& c, float x, float y, float size, bool up, ImU32 colour) {
    if (up)
        c.draw.AddTriangleFilled(ImVec2(x, y + size), ImVec2(x + size, y + size), ImVec2(x + size / 2, y), colour);
    else
        c.draw.AddTriangleFilled(ImVec2(x, y), ImVec2(x + size, y), ImVec2(x + size / 2, y + size), colour);
}

// ---- header and figures -----------------------------------------------------------------

void draw_header(const Ctx& c, const ManagerView& view, float width, float height) {
    const auto& p = theme::palette();
    c.draw.AddRectFilled(ImVec2(0, 0), ImVec2(width, height), p.panel);
    c.draw.AddLine(ImVec2(0, height), ImVec2(width, height), kGrid, 1.0f);
    const float pad = 16 * c.s;
    const float y = (height - c.f.heading->FontSize) / 2;
    text_at(c.draw, c.f.heading, view.title, ImVec2(pad, y), p.text);
    const float title_w = text_size(c.f.heading, view.title).x;
    text_at(c.draw, c.f.body, view.updated, ImVec2(pad * 2 + title_w, (height - c.f.body->FontSize) / 2), p.text_muted);
    // Connection, right: a dot and a word (the colour is not the only signal).
    const std::string& link = view.link;
    const float link_w = text_size(c.f.body, link).x;
    const float r = 7 * c.s;
    const float cy = height / 2;
    c.draw.AddCircleFilled(ImVec2(width - pad - link_w - r * 2.2f, cy), r, view.live ? kComplianceGreen : p.error_red);
    text_right(c, c.f.body, link, width - pad, (height - c.f.body->FontSize) / 2, view.live ? p.text_muted : p.error_red);
}

// The controller's banner: a full-width strip under the header, red (storage failing) or
// amber (controller offline), its text large and shrunk only as far as the width needs.
float banner_height(const Ctx& c, const ManagerView& view) {
    return view.banner ? c.f.heading->FontSize * 1.7f : 0.0f;
}

void draw_banner(const Ctx& c, const ManagerBanner& banner, float y, float width, float height) {
    const auto& p = theme::palette();
    const ImU32 fill = banner.tone == Tone::bad ? p.error_red : kAmber;
    c.draw.AddRectFilled(ImVec2(0, y), ImVec2(width, y + height), fill);
    const float pad = 16 * c.s;
    text_centered(c.draw, c.f.heading, banner.text, ImVec2(width / 2, y + height / 2), theme::white, width - 2 * pad);
}

void draw_kpi(const Ctx& c, const KpiTile& tile, const Rect& r) {
    const auto& p = theme::palette();
    const Rect in = card(c, r, "");
    if (tile.thin)
        c.draw.AddRect(ImVec2(r.x0 + 1, r.y0 + 1), ImVec2(r.x1 - 1, r.y1 - 1), kAmber, 10 * c.s, 0, 3 * c.s);
    ImFont* small = c.small();
    const float w = in.width();
    float y = in.y0;
    text_at(c.draw, c.f.button, fit(c.f.button, tile.label, w), ImVec2(in.x0, y), p.text_muted);
    y += c.f.button->FontSize * 1.15f;
    ImFont* figure = c.figure();
    // A long value ("60 s / 60 s") shrinks to fit the tile.
    const float value_w = text_size(figure, tile.value).x;
    const float unit_w = tile.unit.empty() ? 0 : text_size(c.f.body, tile.unit).x + 4 * c.s;
    const float shrink = std::min(1.0f, (w - unit_w) / std::max(1.0f, value_w));
    if (tile.value == "-")  // nothing under it: say so, quietly
        text_at(c.draw, c.f.heading, "no data", ImVec2(in.x0, y + (figure->FontSize - c.f.heading->FontSize) / 2),
                p.text_muted);
    else
        c.draw.AddText(figure, figure->FontSize * shrink, ImVec2(in.x0, y), tone_colour(tile.tone), tile.value.c_str());
    if (!tile.unit.empty())
        text_at(c.draw, c.f.body, tile.unit,
                ImVec2(in.x0 + value_w * shrink + 4 * c.s, y + figure->FontSize * shrink - c.f.body->FontSize * 1.15f),
                p.text_muted);
    y += figure->FontSize * 1.02f;
    text_at(c.draw, small, fit(small, tile.detail, w), ImVec2(in.x0, y), p.text);
    y += small->FontSize * 1.2f;
    text_at(c.draw, small, fit(small, tile.detail2, w), ImVec2(in.x0, y), tile.thin ? kAmber : p.text_muted);
    y += small->FontSize * 1.2f;
    if (!tile.comparison.empty()) text_at(c.draw, small, fit(small, tile.comparison, w), ImVec2(in.x0, y), p.text_muted);
}

// ---- hourly timeline: breach minutes as bars (right axis), the score as a line (left) ----

void draw_timeline(const Ctx& c, const TimelineView& t, const Rect& r) {
    const auto& p = theme::palette();
    const Rect in = card(c, r, "Today by hour: how shoppers felt, and queue breaches");
    if (t.waiting || t.hours.empty()) return waiting(c, in);
    ImFont* small = c.small();
    // Axis titles above the axes, in the colour of their series (the legend).
    const std::string left_title = t.score_label + " (line)";
    const std::string right_title = "breach minutes (bars)";
    text_at(c.draw, small, left_title, ImVec2(in.x0, in.y0), kScoreBlue);
    text_right(c, small, right_title, in.x1, in.y0, kBreachRed);
    const float axis_w = text_size(small, "-100").x + 8 * c.s;
    // A third row under the bars, tills open/needed by hour, when the forecast sends them.
    bool has_tills = false;
    for (const auto& h : t.hours) has_tills = has_tills || (h.tills_open && h.tills_needed);
    const float label_h = small->FontSize * (has_tills ? 3.7f : 2.5f);
    const Rect plot{in.x0 + axis_w, in.y0 + small->FontSize * 1.6f, in.x1 - axis_w, in.y1 - label_h};
    const auto n = static_cast<float>(t.hours.size());
    const float slot = plot.width() / n;
    auto y_score = [&](double v) {
        return plot.y1 - static_cast<float>((v - t.score_min) / (t.score_max - t.score_min)) * plot.height();
    };
    auto y_breach = [&](double v) { return plot.y1 - static_cast<float>(v / t.breach_axis_max) * plot.height(); };
    // Grid and both axes' labels: four steps.
    for (int i = 0; i <= 4; ++i) {
        const double score = t.score_min + (t.score_max - t.score_min) * i / 4.0;
        const float y = y_score(score);
        c.draw.AddLine(ImVec2(plot.x0, y), ImVec2(plot.x1, y), kGrid, 1.0f);
        const std::string left = std::to_string(static_cast<int>(std::lround(score)));
        text_right(c, small, left, plot.x0 - 6 * c.s, y - small->FontSize / 2, kScoreBlue);
        const double breach = t.breach_axis_max * i / 4.0;
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, breach == std::floor(breach) ? "%.0f" : "%.1f", breach);
        text_at(c.draw, small, buffer, ImVec2(plot.x1 + 6 * c.s, y - small->FontSize / 2), kBreachRed);
    }
    // Bars.
    for (std::size_t i = 0; i < t.hours.size(); ++i) {
        const auto& h = t.hours[i];
        const float x0 = plot.x0 + slot * static_cast<float>(i) + slot * 0.2f;
        const float x1 = x0 + slot * 0.6f;
        if (h.breach_min > 0)
            c.draw.AddRectFilled(ImVec2(x0, y_breach(std::min(h.breach_min, t.breach_axis_max))), ImVec2(x1, plot.y1),
                                 IM_COL32(0xD9, 0x4A, 0x4A, 0xB0), 3 * c.s, ImDrawFlags_RoundCornersTop);
        // Hour and the answers behind the score.
        const float cx = x0 + slot * 0.3f;
        text_centered(c.draw, small, h.label, ImVec2(cx, plot.y1 + small->FontSize * 0.75f), p.text);
        if (slot > text_size(small, "n 999").x * 1.05f || h.responses < 100)
            text_centered(c.draw, small, h.responses > 0 ? "n " + std::to_string(h.responses) : "",
                          ImVec2(cx, plot.y1 + small->FontSize * 1.9f), p.text_muted);
        if (h.tills_open && h.tills_needed) {
            char tills[24];
            std::snprintf(tills, sizeof tills, "%.0f/%.0f", *h.tills_open, *h.tills_needed);
            const bool short_hour = std::lround(*h.tills_needed) > std::lround(*h.tills_open);
            text_centered(c.draw, small, tills, ImVec2(cx, plot.y1 + small->FontSize * 3.05f),
                          short_hour ? kAmber : p.text);
        }
    }
    // The tills row's key at the left, in the axis column: "tills" (open/needed).
    if (has_tills) text_at(c.draw, small, "tills", ImVec2(in.x0, plot.y1 + small->FontSize * 2.5f), p.text_muted);
    // The forecast ahead, between the axis titles.
    if (!t.forecast.empty()) {
        const float left_w = text_size(small, left_title).x, right_w = text_size(small, right_title).x;
        const float room = in.width() - left_w - right_w - 24 * c.s;
        text_centered(c.draw, small, fit(small, t.forecast, room),
                      ImVec2(in.x0 + left_w + 12 * c.s + room / 2, in.y0 + small->FontSize / 2),
                      t.short_of_tills ? kAmber : p.text_muted);
    }
    c.draw.AddLine(ImVec2(plot.x0, plot.y1), ImVec2(plot.x1, plot.y1), p.text_muted, 1.0f);
    // The score line, broken where an hour had no answers.
    const ImVec2* previous = nullptr;
    ImVec2 last;
    for (std::size_t i = 0; i < t.hours.size(); ++i) {
        const auto& h = t.hours[i];
        if (!h.score) {
            previous = nullptr;
            continue;
        }
        const ImVec2 point(plot.x0 + slot * (static_cast<float>(i) + 0.5f), y_score(*h.score));
        if (previous) c.draw.AddLine(*previous, point, kScoreBlue, 3 * c.s);
        last = point;
        previous = &last;
    }
    for (std::size_t i = 0; i < t.hours.size(); ++i) {
        const auto& h = t.hours[i];
        if (!h.score) continue;
        const ImVec2 point(plot.x0 + slot * (static_cast<float>(i) + 0.5f), y_score(*h.score));
        c.draw.AddCircleFilled(point, 5 * c.s, kScoreBlue);
        c.draw.AddCircleFilled(point, 2.5f * c.s, p.panel);
        char value[16];
        std::snprintf(value, sizeof value, "%.0f", *h.score);
        text_centered(c.draw, small, value, ImVec2(point.x, point.y - small->FontSize * 0.9f), kScoreBlue);
    }
}

// ---- the 28 days against the 28 before ------------------------------------------------------

void draw_trend(const Ctx& c, const TrendView& t, const Rect& r) {
    const auto& p = theme::palette();
    const Rect in = card(c, r, "Last 28 days against the 28 before");
    if (t.waiting) return waiting(c, in);
    ImFont* small = c.small();
    // A small chart: the score and One-in-Front compliance per day, 0..100.
    const float chart_h = in.height() * 0.30f;
    const Rect plot{in.x0, in.y0 + small->FontSize * 1.3f, in.x1, in.y0 + chart_h};
    text_at(c.draw, small, t.score_label, ImVec2(in.x0, in.y0), kScoreBlue);
    text_at(c.draw, small, "One in Front %", ImVec2(in.x0 + text_size(small, t.score_label).x + 14 * c.s, in.y0),
            kComplianceGreen);
    const bool nps = t.score_label == "NPS";
    c.draw.AddRectFilled(ImVec2(plot.x0, plot.y0), ImVec2(plot.x1, plot.y1), theme::rgb(0xF6, 0xF8, 0xFA));
    const float n = static_cast<float>(std::max<std::size_t>(t.days.size(), 1));
    auto x_of = [&](std::size_t i) { return plot.x0 + plot.width() * (static_cast<float>(i) + 0.5f) / n; };
    auto y_of = [&](double v, double lo) { return plot.y1 - static_cast<float>((v - lo) / (100 - lo)) * plot.height(); };
    bool any = false;
    for (int series = 0; series < 2; ++series) {
        const ImU32 colour = series == 0 ? kScoreBlue : kComplianceGreen;
        std::optional<ImVec2> previous;
        for (std::size_t i = 0; i < t.days.size(); ++i) {
            const auto value = series == 0 ? t.days[i].score : t.days[i].compliance;
            if (!value) {
                previous.reset();
                continue;
            }
            any = true;
            const ImVec2 point(x_of(i), y_of(*value, series == 0 && nps ? -100 : 0));
            if (previous) c.draw.AddLine(*previous, point, colour, 2 * c.s);
            c.draw.AddCircleFilled(point, 3.5f * c.s, colour);
            previous = point;
        }
    }
    if (!any) text_centered(c.draw, small, "no days with figures yet", ImVec2(plot.center_x(), plot.center_y()), p.text_muted);
    if (!t.days.empty()) {
        text_at(c.draw, small, t.days.front().label, ImVec2(plot.x0, plot.y1 + 2 * c.s), p.text_muted);
        text_right(c, small, t.days.back().label + " (today)", plot.x1, plot.y1 + 2 * c.s, p.text_muted);
    }
    // The figures, this period against the one before.
    const float row_h = small->FontSize * 1.22f;
    float y = plot.y1 + small->FontSize * 1.3f;
    const float col_now = in.x0 + in.width() * 0.66f;
    const float col_before = in.x0 + in.width() * 0.92f;
    text_right(c, small, "28 days", col_now, y, p.text_muted);
    text_right(c, small, "before", col_before, y, p.text_muted);
    y += row_h;
    for (const auto& figure : t.figures) {
        text_at(c.draw, small, figure.label, ImVec2(in.x0, y), p.text);
        text_right(c, small, figure.now, col_now, y, p.text);
        text_right(c, small, figure.before, col_before, y, p.text_muted);
        const float size = small->FontSize * 0.6f;
        const float ty = y + small->FontSize * 0.25f;
        if (figure.direction > 0) triangle(c, in.x1 - size, ty, size, true, kComplianceGreen);
        if (figure.direction < 0) triangle(c, in.x1 - size, ty, size, false, p.error_red);
        y += row_h;
        if (y > in.y1 - row_h * 0.8f) break;
    }
}

// ---- lanes, reasons, prompts ---------------------------------------------------------------

void draw_lanes(const Ctx& c, const ManagerView& view, const Rect& r) {
    const auto& p = theme::palette();
    const Rect in = card(c, r, "Lanes today (queue: people; breach: min)");
    if (view.lanes_waiting) return waiting(c, in);
    if (view.lanes.empty()) return waiting(c, in, "no lanes yet");
    ImFont* small = c.small();
    const float w = in.width();
    // Column right edges (text right-aligned under them), after Till and Now.
    const float cols[] = {0.54f, 0.65f, 0.80f, 1.0f};
    const char* heads[] = {"avg q", "max q", "breach", "1-in-Front"};
    float y = in.y0;
    text_at(c.draw, small, "till", ImVec2(in.x0, y), p.text_muted);
    text_at(c.draw, small, "now", ImVec2(in.x0 + w * 0.14f, y), p.text_muted);
    for (int i = 0; i < 4; ++i) text_right(c, small, heads[i], in.x0 + w * cols[i], y, p.text_muted);
    y += small->FontSize * 1.3f;
    const float row_h = c.f.body->FontSize * 1.35f;
    for (std::size_t i = 0; i < view.lanes.size(); ++i) {
        const auto& lane = view.lanes[i];
        if (y + row_h > in.y1 + 4 * c.s) {
            text_at(c.draw, small, "+" + std::to_string(view.lanes.size() - i) + " more", ImVec2(in.x0, y), p.text_muted);
            break;
        }
        if (i % 2 == 0)
            c.draw.AddRectFilled(ImVec2(in.x0 - 4 * c.s, y - 2 * c.s), ImVec2(in.x1 + 4 * c.s, y + row_h - 4 * c.s),
                                 theme::rgb(0xF3, 0xF5, 0xF8), 4 * c.s);
        const float ty = y + (row_h - c.f.body->FontSize) / 2 - 3 * c.s;
        text_at(c.draw, c.f.button, lane.lane.substr(lane.lane.find(' ') + 1), ImVec2(in.x0 + 4 * c.s, ty), p.text);
        const ImU32 dot = lane.breaching_now ? p.error_red : lane.open_now ? kComplianceGreen : p.closed_grey;
        const float nx = in.x0 + w * 0.14f;
        c.draw.AddCircleFilled(ImVec2(nx + 5 * c.s, ty + c.f.body->FontSize / 2), 5 * c.s, dot);
        const std::string now = lane.breaching_now ? lane.now + " !" : lane.now;
        text_at(c.draw, small, fit(small, now, w * 0.28f), ImVec2(nx + 15 * c.s, ty + 2 * c.s),
                lane.breaching_now ? p.error_red : p.text);
        const std::string values[] = {lane.avg_queue, lane.max_queue, lane.breach_min};
        for (int k = 0; k < 3; ++k) text_right(c, c.f.body, values[k], in.x0 + w * cols[k], ty, p.text);
        text_right(c, c.f.button, lane.compliance, in.x0 + w * cols[3], ty, tone_colour(lane.compliance_tone));
        y += row_h;
    }
}

void draw_reason_side(const Ctx& c, const char* title, const std::vector<ReasonBar>& bars, ImU32 colour, float x0,
                      float x1, float& y) {
    const auto& p = theme::palette();
    ImFont* small = c.small();
    text_at(c.draw, small, title, ImVec2(x0, y), colour);
    y += small->FontSize * 1.3f;
    if (bars.empty()) {
        text_at(c.draw, small, "none given", ImVec2(x0, y), p.text_muted);
        y += small->FontSize * 1.3f;
        return;
    }
    const float label_w = (x1 - x0) * 0.34f;
    const float count_w = text_size(small, "9999 (100%)").x;
    const float bar_w = x1 - x0 - label_w - count_w - 8 * c.s;
    const float row_h = small->FontSize * 1.25f;
    for (const auto& bar : bars) {
        text_at(c.draw, small, fit(small, bar.label, label_w - 6 * c.s), ImVec2(x0, y), p.text);
        const float bx = x0 + label_w;
        const float len = std::max(2.0f, bar_w * static_cast<float>(bar.share / std::max(0.01, bars.front().share)));
        c.draw.AddRectFilled(ImVec2(bx, y + row_h * 0.15f), ImVec2(bx + len, y + row_h * 0.8f), colour, 3 * c.s);
        char count[40];
        std::snprintf(count, sizeof count, "%lld (%.0f%%)", bar.count, bar.share * 100);
        text_at(c.draw, small, count, ImVec2(bx + len + 6 * c.s, y), p.text_muted);
        y += row_h;
    }
}

void draw_reasons(const Ctx& c, const ManagerView& view, const Rect& r) {
    const Rect in = card(c, r, "Top reasons today");
    if (view.reasons_waiting) return waiting(c, in);
    float y = in.y0;
    draw_reason_side(c, "What went well", view.reasons_positive, kComplianceGreen, in.x0, in.x1, y);
    y += c.small()->FontSize * 0.5f;
    draw_reason_side(c, "What to improve", view.reasons_negative, kBreachRed, in.x0, in.x1, y);
}

// Alerts first (docs/alerts.md): red, green for a good one, grey once acknowledged.
float draw_alerts(const Ctx& c, const ManagerView& view, const Rect& in) {
    const auto& p = theme::palette();
    ImFont* small = c.small();
    float y = in.y0;
    // The body font: an alert says more than a prompt and the card is narrow.
    const float h = c.f.body->FontSize * 1.2f + small->FontSize * 1.3f + 10 * c.s;
    for (std::size_t i = 0; i < view.alerts.size(); ++i) {
        const auto& alert = view.alerts[i];
        if (y + 2 * h > in.y1) {  // room for one prompt stays
            text_at(c.draw, small, "+" + std::to_string(view.alerts.size() - i) + " more alerts", ImVec2(in.x0, y),
                    p.text_muted);
            return y + small->FontSize * 1.4f;
        }
        const ImU32 fill = alert.tone == Tone::good ? kComplianceGreen : alert.tone == Tone::bad ? p.error_red : p.text_muted;
        c.draw.AddRectFilled(ImVec2(in.x0, y), ImVec2(in.x1, y + h - 8 * c.s), (fill & 0x00FFFFFF) | 0x22000000, 3 * c.s);
        c.draw.AddRectFilled(ImVec2(in.x0, y), ImVec2(in.x0 + 6 * c.s, y + h - 8 * c.s), fill, 2 * c.s);
        const float x = in.x0 + 14 * c.s;
        text_at(c.draw, c.f.body, fit(c.f.body, alert.title, in.x1 - x), ImVec2(x, y), p.text);
        text_at(c.draw, small, fit(small, alert.detail, in.x1 - x), ImVec2(x, y + c.f.body->FontSize * 1.2f),
                alert.acknowledged ? p.text_muted : fill);
        y += h;
    }
    return y;
}

void draw_prompts(const Ctx& c, const ManagerView& view, const Rect& r) {
    const auto& p = theme::palette();
    const Rect card_in = card(c, r, view.alerts.empty() ? "Live prompts" : "Alerts and live prompts");
    const float after_alerts = draw_alerts(c, view, card_in);
    const Rect in{card_in.x0, after_alerts, card_in.x1, card_in.y1};
    if (view.prompts.empty()) {
        if (!view.alerts.empty()) return;
        text_centered(c.draw, c.f.body, "No live prompts", ImVec2(in.center_x(), in.center_y() - c.f.body->FontSize * 0.6f),
                      p.text_muted);
        text_centered(c.draw, c.small(), "the tills are keeping up",
                      ImVec2(in.center_x(), in.center_y() + c.f.body->FontSize * 0.6f), p.text_muted);
        return;
    }
    ImFont* small = c.small();
    float y = in.y0;
    const float h = c.f.button->FontSize * 1.2f + small->FontSize * 1.3f + 10 * c.s;
    for (std::size_t i = 0; i < view.prompts.size(); ++i) {
        const auto& prompt = view.prompts[i];
        if (y + h > in.y1 + 6 * c.s) {
            text_at(c.draw, small, "+" + std::to_string(view.prompts.size() - i) + " more", ImVec2(in.x0, y), p.text_muted);
            break;
        }
        const ImU32 fill = prompt.level >= 2 ? p.error_red : prompt.claimed_by ? p.claimed_purple : p.call_orange;
        c.draw.AddRectFilled(ImVec2(in.x0, y), ImVec2(in.x0 + 6 * c.s, y + h - 8 * c.s), fill, 2 * c.s);
        const float x = in.x0 + 14 * c.s;
        text_at(c.draw, c.f.button, fit(c.f.button, prompt.title, in.x1 - x), ImVec2(x, y), p.text);
        std::string detail = prompt.claimed_by ? "claimed by " + *prompt.claimed_by : "not claimed yet";
        if (prompt.level >= 2) detail = "escalated, " + detail;
        text_at(c.draw, small, fit(small, detail, in.x1 - x), ImVec2(x, y + c.f.button->FontSize * 1.2f),
                prompt.claimed_by ? p.text_muted : fill);
        y += h;
    }
}

}  // namespace

std::optional<Intent> draw_manager_screen(const ManagerView& view, const KioskFonts& fonts, HitTargets& targets) {
    const auto& p = theme::palette();
    FullScreenWindow window("##manager", p.background);
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    targets.clear();
    const float s = std::max(0.5f, std::min(size.x / 1280.0f, size.y / 800.0f));
    const Ctx c{window.draw(), fonts, s};
    const float pad = 12 * s;

    const float header_h = 52 * s;
    draw_header(c, view, size.x, header_h);
    // The banner pushes the figures down; the charts give up the height it takes.
    const float banner_h = banner_height(c, view);
    if (view.banner) draw_banner(c, *view.banner, header_h, size.x, banner_h);

    // Figures of today: one row of tiles.
    float y = header_h + banner_h + pad;
    const float tiles_h = 150 * s;
    if (view.today_waiting) {
        const Rect in = card(c, Rect{pad, y, size.x - pad, y + tiles_h}, "Today");
        waiting(c, in, "waiting for data: the controller publishes its figures once a minute");
    } else {
        const auto n = static_cast<float>(view.kpis.size());
        const float w = (size.x - pad * (n + 1)) / n;
        for (std::size_t i = 0; i < view.kpis.size(); ++i) {
            const float x = pad + (w + pad) * static_cast<float>(i);
            draw_kpi(c, view.kpis[i], Rect{x, y, x + w, y + tiles_h});
        }
    }
    y += tiles_h + pad;
    // What a queue costs: one line under the figures of today.
    const float cost_h = queue_cost_strip_height(fonts, s);
    draw_queue_cost_strip(c.draw, fonts, s, view.queue_cost, Rect{pad, y, size.x - pad, y + cost_h});
    y += cost_h + pad;

    // Charts: the hourly timeline (wide) and the trend.
    const float rest = size.y - y - pad;
    const float charts_h = rest * 0.50f;
    const float timeline_w = (size.x - 3 * pad) * 0.60f;
    draw_timeline(c, view.timeline, Rect{pad, y, pad + timeline_w, y + charts_h});
    draw_trend(c, view.trend, Rect{2 * pad + timeline_w, y, size.x - pad, y + charts_h});
    y += charts_h + pad;

    // Lanes, reasons, prompts.
    const float bottom = size.y - pad;
    const float inner = size.x - 4 * pad;
    const float lanes_w = inner * 0.40f, reasons_w = inner * 0.32f;
    draw_lanes(c, view, Rect{pad, y, pad + lanes_w, bottom});
    draw_reasons(c, view, Rect{2 * pad + lanes_w, y, 2 * pad + lanes_w + reasons_w, bottom});
    draw_prompts(c, view, Rect{3 * pad + lanes_w + reasons_w, y, size.x - pad, bottom});
    return std::nullopt;
}

}  // namespace storeq::kiosk
