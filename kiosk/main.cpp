// storeq-kiosk: the exit feedback kiosk, the lane display, the staff handheld and the
// manager dashboard (docs/design.md §3). Thin: options and configuration, platform, outbox and MQTT link, then the
// app's event loop (or a screenshot, or a script of taps).
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "app/input_script.hpp"
#include "app/kiosk_app.hpp"
#include "app/kiosk_args.hpp"
#include "app/kiosk_setup.hpp"
#include "app/mqtt_link.hpp"
#include "app/outbox.hpp"
#include "app/sample_prompt.hpp"
#include "app/sdl_platform.hpp"
#include "storeq/log.hpp"

namespace {

using namespace storeq::kiosk;

// Screenshots and broker-less scripts publish nothing.
class DiscardingPublisher final : public CommandPublisher {
public:
    void publish(const Command&) override {}
};

int take_screenshot(const KioskOptions& options, const KioskConfig& config, SdlPlatform& platform) {
    DiscardingPublisher publisher;
    KioskApp app(config, platform, publisher);
    if (options.sample_prompt) app.post(PromptUpdated{make_sample_prompt(config, system_now_ms())});
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

std::optional<std::vector<ScriptStep>> read_script(const std::string& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file) {
        storeq::log_error("kiosk", "cannot read the input script " + path);
        return std::nullopt;
    }
    auto steps = parse_input_script(text.str());
    if (!steps) {
        storeq::log_error("kiosk", path + ": " + steps.error().to_string());
        return std::nullopt;
    }
    return std::move(steps.value());
}

// The loop, or the script, with whatever publisher the kiosk has.
int drive(const KioskOptions& options, KioskApp& app, SdlPlatform& platform,
          const std::optional<std::vector<ScriptStep>>& script) {
    if (options.sample_prompt) app.post(PromptUpdated{make_sample_prompt(app.config(), system_now_ms())});
    if (!script) {
        app.run();
        return 0;
    }
    auto ran = run_input_script(*script, app, platform);
    if (!ran) {
        storeq::log_error("kiosk", "input script: " + ran.error().to_string());
        return 1;
    }
    return 0;
}

int run_kiosk(const KioskOptions& options, const KioskConfig& config, SdlPlatform& platform) {
    std::optional<std::vector<ScriptStep>> script;
    if (options.input_script && !(script = read_script(*options.input_script))) return 2;
    if (options.broker_port == 0) {  // a script without a broker: a demo or a screenshot tour
        DiscardingPublisher publisher;
        KioskApp app(config, platform, publisher);
        return drive(options, app, platform, script);
    }
    // Feedback is never lost: no outbox, no kiosk (systemd restarts us and logs why).
    std::optional<Outbox> outbox;
    if (config.role == Role::feedback) {
        auto opened = Outbox::open(outbox_path(options));
        if (!opened) {
            storeq::log_error("kiosk", "cannot open the outbox: " + opened.error().to_string());
            return 1;
        }
        outbox.emplace(std::move(opened.value()));
    }
    MqttLink link(config, options.broker_host, options.broker_port, std::move(outbox), options.credentials);
    KioskApp app(config, platform, link);
    // The kiosk works with the broker down: a failed start is logged, not fatal.
    auto started = link.start([&app](Event event) { app.post(std::move(event)); });
    if (!started) storeq::log_error("kiosk", "MQTT not started: " + started.error().to_string());
    // The network thread posts into `app`: stop it before `app` goes, even on an exception.
    struct StopLinkFirst {
        MqttLink& link;
        ~StopLinkFirst() { link.stop(); }
    } stop_link_first{link};
    storeq::log_info("kiosk", "running as " + std::string(to_string(config.role)) + " on renderer " +
                                  platform.renderer_name());
    return drive(options, app, platform, script);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto options = parse_kiosk_args(args);
    if (!options) {
        std::cerr << "storeq-kiosk: " << describe_args_error(options.error()) << "\n" << kiosk_usage();
        return 2;
    }
    if (options->help) {
        std::cout << kiosk_usage();
        return 0;
    }
    auto config = load_kiosk_config(*options);
    if (!config) {
        std::cerr << "storeq-kiosk: " << config.error().to_string() << "\n";
        return 2;
    }
    if (options->credentials_file) {
        auto credentials = storeq::load_credentials(*options->credentials_file);
        if (!credentials) {
            std::cerr << "storeq-kiosk: --credentials: " << credentials.error().to_string() << "\n";
            return 2;
        }
        options->credentials = *credentials;
    }
    try {
        const bool headless = options->screenshot.has_value() || options->input_script.has_value();
        PlatformOptions platform_options;
        platform_options.width = options->width;
        platform_options.height = options->height;
        platform_options.fullscreen = options->fullscreen && !headless;
        // Screenshots always use the software renderer: identical pixels on every machine.
        platform_options.software = options->software || headless;
        platform_options.headless = headless;
        platform_options.dashboard = config->role == Role::manager;
        platform_options.title = window_title(*config);
        auto platform = SdlPlatform::create(platform_options);
        if (!platform) {
            storeq::log_error("kiosk", "cannot open the display: " + platform.error().to_string());
            return 1;
        }
        if (options->screenshot) return take_screenshot(*options, *config, **platform);
        return run_kiosk(*options, *config, **platform);
    } catch (const std::exception& e) {
        storeq::log_error("kiosk", std::string("fatal: ") + e.what());
        return 1;
    }
}
