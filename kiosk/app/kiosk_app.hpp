#pragma once
// The kiosk's imperative shell around the model: draws frames, feeds intents and events
// to update(), hands commands to a publisher, and runs the event-driven loop. Tests drive
// it frame by frame with injected clicks.
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "app/command_publisher.hpp"
#include "app/sdl_platform.hpp"
#include "model/kiosk_config.hpp"
#include "model/kiosk_input.hpp"
#include "model/kiosk_state.hpp"
#include "ui/hit_targets.hpp"

namespace storeq::kiosk {

using Clock = std::function<TimeMs()>;
TimeMs system_now_ms();

class KioskApp {
public:
    KioskApp(KioskConfig config, SdlPlatform& platform, CommandPublisher& publisher,
             Clock clock = system_now_ms, std::uint64_t id_seed = std::random_device{}());

    // Thread-safe: the MQTT network thread posts here; the UI thread applies it.
    void post(Event event);

    // One frame: draw the screen for the role, apply what was tapped, render (no present).
    void render_frame(const std::optional<InjectedMouse>& mouse = std::nullopt);
    // A tap at (x, y) over three frames (hover, press, release), as docs/toolchain.md requires.
    void click(float x, float y);
    // A press held at (x, y) while `while_held` runs (a test advancing its clock, a script
    // sleeping), then released: long presses such as the service corner.
    void press(float x, float y, const std::function<void()>& while_held);
    // Applies posted events and the clock; true if the state changed.
    bool apply_pending();

    // Runs until SDL_QUIT (window closed, SIGINT or SIGTERM). Draws only when something
    // changed, so an idle kiosk uses no CPU.
    void run();

    const KioskState& state() const { return state_; }
    const KioskConfig& config() const { return config_; }
    const HitTargets& targets() const { return targets_; }
    SdlPlatform& platform() { return platform_; }

private:
    void apply(const Intent& intent);
    bool apply(const Event& event);

    KioskConfig config_;
    SdlPlatform& platform_;
    CommandPublisher& publisher_;
    Clock clock_;
    std::mt19937_64 id_rng_;
    KioskState state_;
    HitTargets targets_;
    bool state_changed_by_frame_ = false;

    std::mutex inbox_mutex_;
    std::deque<Event> inbox_;
    std::uint32_t wake_event_type_ = 0;
};

}  // namespace storeq::kiosk
