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
    int open_at_start = 1;               // the first N of the list start open
    int initial_queue = 4;               // shoppers already queued when the run starts
    double duration_s = 60;
    double speed = 1;  // simulated seconds per wall second; != 1 publishes the clock topic
    // With --speed above 1 the simulated day starts at the store's opening time today and
    // the run ends at closing at the latest (minutes after local midnight).
    int opens_min = 7 * 60;
    int closes_min = 21 * 60;
    bool hours_given = false;
    double arrivals_per_minute = 12;
    double mean_service_s = 15;
    double feedback_share = 0.4;
    double best_face_drop = 0.10;  // StoreSettings::best_face_drop
    bool doors = false;           // --doors on: shoppers come in at the door (day shape, door counts, POS)
    double shopping_minutes = 15;
    double staff_walk_s = 0;      // 0: the model's default (8-25 s); else from 0.5x to 1.5x this
    std::optional<std::uint64_t> seed;   // none: a random seed, printed so a run can be repeated
    bool help = false;                   // --help / -h anywhere
};

inline constexpr const char* kSimUsage =
    "usage: storeq-sim --broker HOST:PORT --store ID [options]\n"
    "  --broker HOST:PORT     the store's MQTT broker (required)\n"
    "  --store ID             store id, [a-z0-9][a-z0-9-]{0,31} (required)\n"
    "  --tills LIST           tills in opening order, like 1-4 or 3,1,2 (default 1-4)\n"
    "  --open N               tills open at start: the first N of the list (default 1)\n"
    "  --initial-queue N      shoppers already queued at the open tills at start (default 4)\n"
    "  --duration SECONDS     run time in wall-clock seconds, then stop (0.1 to 604800, default 60);\n"
    "                         without a broker by then: exit 1\n"
    "  --speed X              simulated time runs X times faster (1 to 10000, default 1) and is\n"
    "                         published on the clock topic: run the controller with --clock sim\n"
    "  --hours HH:MM-HH:MM    store hours (default 07:00-21:00): with --speed above 1 the\n"
    "                         simulated day starts at opening today and ends at closing at the\n"
    "                         latest (--speed 840 --duration 60 is one store day)\n"
    "  --arrivals PER_MINUTE  mean shopper arrivals, Poisson (0 to 600, default 12)\n"
    "  --service SECONDS      mean service time at a till, exponential (0.5 to 3600, default 15)\n"
    "  --feedback-share 0..1  share of served shoppers who give feedback (default 0.4)\n"
    "  --best-face-drop 0..1  per minute a shopper stood with more than one in front, the best face's\n"
    "                         chance (0.55) falls by this much; 0 switches the effect off (default 0.1)\n"
    "  --doors on|off         shoppers come in at the door, with a day's shape (peaks at 10:00,\n"
    "                         12:30 and 17:30, weekday factors), and reach the tills after\n"
    "                         shopping: door counts and POS served counts are published (default off)\n"
    "  --shopping MINUTES     mean time from the door to the tills (1 to 120, default 15)\n"
    "  --staff-walk SECONDS   from a claim to the till open, mean (default: 8-25 s)\n"
    "  --seed N               random seed (default: random, printed at start)\n"
    "  --help                 this text\n";

// "1-4", "3,1,2", "1-2,5" -> tills in that order; 1..999, no duplicates.
Expected<std::vector<int>> parse_till_list(const std::string& text);

// A number as a person writes it: 0.1, 604800, 12.5 (no trailing zeros).
std::string plain_number(double value);

Expected<SimOptions> parse_sim_options(const std::vector<std::string>& args);

}  // namespace storeq::sim
