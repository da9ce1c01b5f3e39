// storeq-controller: thin entry point over the controller shell (controller_app.cpp).
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "controller_app.hpp"

namespace {
std::atomic<bool> g_stop{false};
// Signals only set a flag; the main loop notices within one tick.
extern "C" void on_stop_signal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
    using namespace storeq::controller;
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(kControllerUsage, stdout);
        return 0;
    }
    auto options = parse_controller_options(args);
    if (!options) {
        std::fprintf(stderr, "storeq-controller: %s\n%s", options.error().to_string().c_str(), kControllerUsage);
        return 2;
    }
    auto config = load_config(*options);
    if (!config) {
        std::fprintf(stderr, "storeq-controller: bad configuration: %s\n", config.error().to_string().c_str());
        return 2;
    }
    if (options->verbose) storeq::set_log_level(storeq::LogLevel::debug);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        auto app = ControllerApp::create(*options, *config);
        if (!app) {
            std::fprintf(stderr, "storeq-controller: %s\n", app.error().to_string().c_str());
            return 1;
        }
        return (*app)->run(g_stop);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storeq-controller: fatal: %s\n", e.what());
        return 1;
    }
}
