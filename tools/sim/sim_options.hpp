#pragma once
// Command line of storeq-sim. Parsing is pure: arguments in, options or an Error out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storeq/expected.hpp"

namespace storeq::sim {

struct SimOptions {
    std::string broker_host = "127.0.0.1";
    int broker_port = 1883;
    std::string store;
    std::vector<int> tills{1, 2, 3, 4};  // in the order the store opens them
    int open_at_start = 1;               // the first N tills of the list start open
    int initial_queue = 4;               // shoppers already queued when the run starts
    double duration_s = 60;
    double speed = 1;  // simulated seconds per wall second; != 1 publishes the clock topic
    double arrivals_per_minute = 12;
    double mean_service_s = 15;
    double feedback_share = 0.4;
    std::optional<std::uint64_t> seed;   // none: a random seed, printed so a run can be repeated
};

inline constexpr const char* kSimUsage =
    "usage: storeq-sim --broker HOST:PORT --store ID [options]\n"
    "  --tills LIST           tills in opening order, like 1-4 or 3,1,2 (default 1-4)\n"
    "  --open N               tills open at start: the first N of the list (default 1)\n"
    "  --initial-queue N      shoppers already queued at the open tills at start (default 4)\n"
    "  --duration SECONDS     run time, then stop (default 60)\n"
    "  --speed X              simulated time runs X times faster (1..10000, default 1) and is\n"
    "                         published on the clock topic: run the controller with --clock sim\n"
    "  --arrivals PER_MINUTE  mean shopper arrivals, Poisson (default 12)\n"
    "  --service SECONDS      mean service time at a till, exponential (default 15)\n"
    "  --feedback-share 0..1  share of served shoppers who give feedback (default 0.4)\n"
    "  --seed N               random seed (default: random, printed at start)\n";

// "1-4", "3,1,2", "1-2,5" -> tills in that order; 1..999, no duplicates.
Expected<std::vector<int>> parse_till_list(const std::string& text);

Expected<SimOptions> parse_sim_options(const std::vector<std::string>& args);

}  // namespace storeq::sim
