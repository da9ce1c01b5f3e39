// storeq-hq: head office (docs/hq.md). `run` lands the stores' streams in PostgreSQL,
// `report` prints the chain figures.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "hq_options.hpp"
#include "hq_report.hpp"
#include "hq_service.hpp"

namespace {
std::atomic<bool> g_stop{false};
// Only the flag: the worker sees it within ~20 ms and stops between transactions.
extern "C" void on_stop_signal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + (argc > 1 ? 2 : 1), argv + argc);
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "--help" || command == "-h") {
        std::fputs(storeq::hq::kHqUsage, stdout);
        return 0;
    }
    if (command == "report") return storeq::hq::run_report(args);
    if (command != "run") {
        std::fprintf(stderr, "storeq-hq: the command must be run or report, not '%s'\n%s", command.c_str(),
                     storeq::hq::kHqUsage);
        return 2;
    }
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return storeq::hq::run_service(args, g_stop);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storeq-hq: fatal: %s\n", e.what());
        return 1;
    }
}
