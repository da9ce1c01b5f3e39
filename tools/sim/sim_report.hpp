#pragma once
// The simulator's words: one readable line per notable thing, and the closing summary.
// Pure formatting, so the shell stays thin.
#include <string>
#include <vector>

#include "store_model.hpp"

namespace storeq::sim {

// "[  12.3s] " relative to the start of the run.
std::string elapsed_prefix(TimeMs start, TimeMs now);

// A line for an event worth telling a person about; empty for routine ones (queue counts).
std::string describe(const StoreEvent& event);
std::string describe_prompt(const Prompt& prompt, PromptNews news);
// "till 1: 3 | till 2: 1 | till 3: closed"
std::string describe_lanes(const std::vector<LaneView>& lanes);

std::string summary(const StoreStats& stats, double duration_s);

}  // namespace storeq::sim
