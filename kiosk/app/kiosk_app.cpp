#include "app/kiosk_app.hpp"

#include <SDL.h>

#include <algorithm>
#include <chrono>

#include "model/kiosk_update.hpp"
#include "model/kiosk_view.hpp"
#include "model/manager_view.hpp"
#include "storeq/ids.hpp"
#include "ui/feedback_screen.hpp"
#include "ui/kiosk_theme.hpp"
#include "ui/lane_screen.hpp"
#include "ui/manager_screen.hpp"
#include "ui/service_screen.hpp"
#include "ui/staff_screen.hpp"

#ifndef STOREQ_VERSION
#define STOREQ_VERSION "0.0.0"
#endif

namespace storeq::kiosk {
namespace {

// ImGui settles hover/active state one or two frames after input: draw a few.
constexpr int kFramesAfterChange = 3;
// Even with nothing to do, wake now and then (cheap, and a stuck wake-up heals itself).
constexpr TimeMs kMaxSleepMs = 60'000;

}  // namespace

TimeMs system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

KioskApp::KioskApp(KioskConfig config, SdlPlatform& platform, CommandPublisher& publisher, Clock clock,
                   std::uint64_t id_seed)
    : config_(std::move(config)),
      platform_(platform),
      publisher_(publisher),
      clock_(std::move(clock)),
      id_rng_(id_seed),
      wake_event_type_(SDL_RegisterEvents(1)) {
    theme::use_theme(config_.theme);
}

void KioskApp::post(Event event) {
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(event));
    }
    // Wakes SDL_WaitEventTimeout in run(); SDL_PushEvent is thread-safe.
    if (wake_event_type_ != static_cast<std::uint32_t>(-1)) {
        SDL_Event wake{};
        wake.type = wake_event_type_;
        SDL_PushEvent(&wake);
    }
}

void KioskApp::apply(const Intent& intent) {
    const TimeMs now = clock_();
    const std::string id = std::holds_alternative<TapFace>(intent) ? make_uuid_v7(now, id_rng_) : std::string();
    auto result = update(std::move(state_), intent, config_, now, id);
    state_ = std::move(result.state);
    state_changed_by_frame_ = true;
    for (const auto& command : result.commands) publisher_.publish(command);
}

bool KioskApp::apply(const Event& event) {
    auto result = update(state_, event, config_, clock_());
    const bool changed = !(result.state == state_);
    state_ = std::move(result.state);
    for (const auto& command : result.commands) publisher_.publish(command);
    return changed;
}

bool KioskApp::apply_pending() {
    std::deque<Event> events;
    {
        std::lock_guard lock(inbox_mutex_);
        events.swap(inbox_);
    }
    bool changed = false;
    for (const auto& event : events) changed |= apply(event);
    changed |= apply(Event{Tick{}});
    return changed;
}

void KioskApp::render_frame(const std::optional<InjectedMouse>& mouse) {
    platform_.begin_frame(mouse);
    std::optional<Intent> intent;
    const KioskFonts& fonts = platform_.fonts();
    if (state_.service != ServicePhase::closed) {
        // The service screen replaces the role's screen: no tap can reach a face behind it.
        intent = draw_service_screen(make_service_view(state_, config_, STOREQ_VERSION, platform_.renderer_name()),
                                     fonts, targets_);
    } else {
        switch (config_.role) {
            case Role::feedback: intent = draw_feedback_screen(make_feedback_view(state_, config_), fonts, targets_); break;
            case Role::lane: intent = draw_lane_screen(make_lane_view(state_, config_), fonts, targets_); break;
            case Role::staff: intent = draw_staff_screen(make_staff_view(state_, config_), fonts, targets_); break;
            case Role::manager: intent = draw_manager_screen(make_manager_view(state_, config_), fonts, targets_); break;
        }
        if (auto corner = draw_service_corner(targets_)) intent = corner;
    }
    platform_.render();
    if (intent) apply(*intent);
}

void KioskApp::click(float x, float y) {
    render_frame(InjectedMouse{x, y, false});
    render_frame(InjectedMouse{x, y, true});
    render_frame(InjectedMouse{x, y, false});
}

void KioskApp::press(float x, float y, const std::function<void()>& while_held) {
    render_frame(InjectedMouse{x, y, false});
    render_frame(InjectedMouse{x, y, true});
    while_held();
    apply_pending();
    render_frame(InjectedMouse{x, y, true});
    render_frame(InjectedMouse{x, y, false});
}

void KioskApp::run() {
    int frames_due = kFramesAfterChange;
    bool quit = false;
    while (!quit) {
        SDL_Event event;
        int got = 0;
        if (frames_due > 0) {
            got = SDL_PollEvent(&event);
        } else {
            TimeMs sleep = kMaxSleepMs;
            if (auto deadline = next_deadline(state_, config_)) sleep = std::clamp(*deadline - clock_() + 1, TimeMs{0}, kMaxSleepMs);
            got = SDL_WaitEventTimeout(&event, static_cast<int>(sleep));
        }
        while (got) {
            if (event.type == SDL_QUIT) {
                quit = true;
            } else if (event.type != wake_event_type_) {
                platform_.process_event(event);
                frames_due = kFramesAfterChange;
            }
            got = SDL_PollEvent(&event);
        }
        if (apply_pending()) frames_due = std::max(frames_due, kFramesAfterChange);
        if (frames_due > 0 && !quit) {
            state_changed_by_frame_ = false;
            render_frame();
            platform_.present();
            --frames_due;
            if (state_changed_by_frame_) frames_due = kFramesAfterChange;
        }
    }
}

}  // namespace storeq::kiosk
