// storeq-kiosk: the exit feedback kiosk and the lane display (DESIGN.md 3). Thin: options,
// platform, MQTT link, then the app's event loop.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/kiosk_app.hpp"
#include "app/kiosk_args.hpp"
#include "app/mqtt_link.hpp"
#include "app/sample_prompt.hpp"
#include "app/sdl_platform.hpp"
#include "storeq/log.hpp"

namespace {

using namespace storeq::kiosk;

// Screenshots publish nothing.
class DiscardingPublisher final : public CommandPublisher {
public:
    void publish(const Command&) override {}
};

int take_screenshot(const KioskOptions& options, SdlPlatform& platform) {
    DiscardingPublisher publisher;
    KioskApp app(options.config, platform, publisher);
    if (options.sample_prompt) app.post(PromptUpdated{make_sample_prompt(options.config, system_now_ms())});
    app.apply_pending();
    // The first frame lays windows out; the second is the one a user sees.
    app.render_frame();
    app.render_frame();
    auto written = platform.write_png(*options.screenshot);
    if (!written) {
        storeq::log_error("kiosk", "screenshot: " + written.error().to_string());
        return 1;
    }
    return 0;
}

int run_kiosk(const KioskOptions& options, SdlPlatform& platform) {
    MqttLink link(options.config, options.broker_host, options.broker_port);
    KioskApp app(options.config, platform, link);
    if (options.sample_prompt) app.post(PromptUpdated{make_sample_prompt(options.config, system_now_ms())});
    // The kiosk works with the broker down: a failed start is logged, not fatal.
    auto started = link.start([&app](Event event) { app.post(std::move(event)); });
    if (!started) storeq::log_error("kiosk", "MQTT not started: " + started.error().to_string());
    // The network thread posts into `app`: stop it before `app` goes, even on an exception.
    struct StopLinkFirst {
        MqttLink& link;
        ~StopLinkFirst() { link.stop(); }
    } stop_link_first{link};
    storeq::log_info("kiosk", "running as " + std::string(to_string(options.config.role)) + " on renderer " +
                                  platform.renderer_name());
    app.run();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto options = parse_kiosk_args(args);
    if (!options) {
        std::cerr << "storeq-kiosk: " << options.error().to_string() << "\n" << kiosk_usage();
        return 2;
    }
    if (options->help) {
        std::cout << kiosk_usage();
        return 0;
    }
    try {
        PlatformOptions platform_options;
        platform_options.width = options->width;
        platform_options.height = options->height;
        platform_options.fullscreen = options->fullscreen && !options->screenshot;
        // Screenshots always use the software renderer: identical pixels on every machine.
        platform_options.software = options->software || options->screenshot.has_value();
        platform_options.headless = options->screenshot.has_value();
        auto platform = SdlPlatform::create(platform_options);
        if (!platform) {
            storeq::log_error("kiosk", "cannot open the display: " + platform.error().to_string());
            return 1;
        }
        if (options->screenshot) return take_screenshot(*options, **platform);
        return run_kiosk(*options, **platform);
    } catch (const std::exception& e) {
        storeq::log_error("kiosk", std::string("fatal: ") + e.what());
        return 1;
    }
}
