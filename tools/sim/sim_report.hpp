#pragma once
// The simulator's words: one readable line per notable thing, and the closing summary.
// Pure formatting, so the shell stays thin.
#include <string>
#include <vector>

#include "store_model.hpp"

namespace storeq::sim {

// "[  12.3s] " relative to the start of the run; with `clock_time`, the simulated local
// time of day instead: "[07:23:10] " (an accelerated run follows a store day).
std::string elapsed_prefix(TimeMs start, TimeMs now, bool clock_time = false);

// "Waiting time" for "queue": the English label a shopper tapped; the code itself when
// the simulator has no label for it.
std::string reason_label(const std::string& code);

// A line for an event worth telling a person about; empty for routine ones (queue counts).
std::string describe(const StoreEvent& event);
std::string describe_prompt(const Prompt& prompt, PromptNews news);
// "till 1: 3 | till 2: 1 | till 3: closed"
std::string describe_lanes(const std::vector<LaneView>& lanes);

// `store_time`: what the simulated clock covered, like "07:00 to 21:00"; empty at real time.
std::string summary(const StoreStats& stats, double duration_s, const std::string& store_time = "");

}  // namespace storeq::sim
