// storeq-sim: a simulated store for demos and tests (see sim_app.cpp for the shell and
// store_model.cpp for the store itself).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "sim_app.hpp"

namespace {
std::atomic<bool> g_stop{false};
// Signals only set a flag; the main loop notices within one tick.
extern "C" void on_stop_signal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
    using namespace storeq::sim;
    // Line-buffered even into a pipe: the demo shows the log live.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto options = parse_sim_options(args);
    if (!options) {
        std::fprintf(stderr, "storeq-sim: %s\n%s", options.error().to_string().c_str(), kSimUsage);
        return 2;
    }
    if (options->help) {
        std::fputs(kSimUsage, stdout);
        return 0;
    }
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        SimApp app(*options);
        return app.run(g_stop);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storeq-sim: fatal: %s\n", e.what());
        return 1;
    }
}
