// storeq-controller: thin entry point over the controller shell (controller_service.cpp).
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "backup.hpp"
#include "controller_service.hpp"
#include "database_check.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_credentials.hpp"
#include "provision.hpp"
#include "report.hpp"

namespace {
std::atomic<bool> g_stop{false};
// Signals only set a flag; the main loop notices within one tick.
extern "C" void on_stop_signal(int) { g_stop.store(true); }
std::atomic<bool> g_reload{false};
extern "C" void on_reload_signal(int) { g_reload.store(true); }
}  // namespace

int main(int argc, char** argv) {
    using namespace storeq::controller;
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "provision") return run_provision({args.begin() + 1, args.end()});
    if (!args.empty() && args[0] == "report") return run_report({args.begin() + 1, args.end()});
    if (!args.empty() && args[0] == "backup") return run_backup({args.begin() + 1, args.end()});
    // A first word that is no option is meant as a subcommand.
    if (!args.empty() && !args[0].empty() && args[0][0] != '-') {
        std::fprintf(stderr, "storeq-controller: unknown command '%s'\n%s", args[0].c_str(), kControllerUsage);
        return 2;
    }
    auto options = parse_controller_options(args);
    if (!options) {
        std::fprintf(stderr, "storeq-controller: %s\n%s", options.error().to_string().c_str(), kControllerUsage);
        return 2;
    }
    if (options->help) {
        std::fputs(kControllerUsage, stdout);
        return 0;
    }
    auto config = load_config(*options);
    if (!config) {
        std::fprintf(stderr, "storeq-controller: bad configuration: %s\n", config.error().to_string().c_str());
        return 2;
    }
    if (!options->credentials_path.empty()) {
        auto credentials = storeq::load_credentials(options->credentials_path);
        if (!credentials) {
            std::fprintf(stderr, "storeq-controller: --credentials: %s\n", credentials.error().to_string().c_str());
            return 2;
        }
        options->credentials = *credentials;
    }
    if (options->verbose) storeq::set_log_level(storeq::LogLevel::debug);
    // Before the store opens the file (database_check.hpp): a file this user cannot write
    // is refused now, not at the first write after READY; a damaged one is moved aside.
    auto database = check_database_at_start(options->db_path, controller_time_ms());
    if (!database) {
        std::fprintf(stderr, "storeq-controller: %s\n", database.error().to_string().c_str());
        return 2;
    }
    if (database->moved_aside_to)
        storeq::log_error("controller", "database " + options->db_path + " is damaged (quick_check: " + database->damage +
                                            "): moved aside to " + *database->moved_aside_to +
                                            "; starting on a fresh file");
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGHUP, on_reload_signal);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        auto app = ControllerService::create(*options, *config);
        if (!app) {
            std::fprintf(stderr, "storeq-controller: %s\n", app.error().to_string().c_str());
            return 1;
        }
        return (*app)->run(g_stop, &g_reload);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storeq-controller: fatal: %s\n", e.what());
        return 1;
    }
}
