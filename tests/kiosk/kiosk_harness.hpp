#pragma once
// A headless kiosk for tests: SDL's dummy driver, the software renderer, a fake clock and
// a publisher that keeps every command.
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "app/kiosk_app.hpp"
#include "app/sdl_platform.hpp"

namespace storeq::kiosk::test {

class CapturingPublisher final : public CommandPublisher {
public:
    void publish(const Command& command) override { commands.push_back(command); }
    template <class T>
    std::vector<T> all() const {
        std::vector<T> found;
        for (const auto& c : commands)
            if (const T* t = std::get_if<T>(&c)) found.push_back(*t);
        return found;
    }
    std::vector<Command> commands;
};

inline KioskConfig test_config(Role role) {
    KioskConfig config;
    config.role = role;
    config.store = "store-1";
    config.device = role == Role::lane ? "lane-4" : role == Role::staff ? "anna" : role == Role::manager ? "office" : "exit-1";
    config.till = role == Role::lane ? 4 : 0;
    return config;
}

struct HeadlessKiosk {
    explicit HeadlessKiosk(Role role, int width = 1024, int height = 600)
        : HeadlessKiosk(test_config(role), width, height) {}

    HeadlessKiosk(const KioskConfig& config, int width, int height) {
        // headless: SDL's dummy driver (ctest also sets it), so a bare run of the binary
        // stays off the real display.
        auto created = SdlPlatform::create(
            PlatformOptions{.width = width,
                            .height = height,
                            .software = true,
                            .headless = true,
                            .dashboard = config.role == Role::manager});
        if (!created) FAIL("no headless platform: " << created.error().to_string());
        platform = std::move(created.value());
        app = std::make_unique<KioskApp>(config, *platform, publisher, [this] { return now; }, 42);
        app->render_frame();  // lays the screen out: hit targets are known from here
    }

    void click(const std::string& target) {
        const auto& targets = app->targets();
        auto it = targets.find(target);
        if (it == targets.end()) FAIL("no hit target '" << target << "' on screen");
        const Rect rect = it->second;
        app->click(rect.center_x(), rect.center_y());
        app->render_frame();  // the frame after the tap shows its effect
    }

    // Time passes, as the real loop would see it: the model's deadlines fire.
    void advance(TimeMs ms) {
        now += ms;
        app->apply_pending();
        app->render_frame(InjectedMouse{-100, -100, false});
    }

    void post(Event event) {
        app->post(std::move(event));
        app->apply_pending();
        app->render_frame(InjectedMouse{-100, -100, false});
    }

    bool has_target(const std::string& name) const { return app->targets().count(name) == 1; }

    TimeMs now = 1'763'806'530'000;
    CapturingPublisher publisher;
    std::unique_ptr<SdlPlatform> platform;
    std::unique_ptr<KioskApp> app;
};

}  // namespace storeq::kiosk::test
