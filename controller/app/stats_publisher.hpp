#pragma once
// Once a minute the controller rolls up what it stored and rebuilds the stats documents.
#include <vector>

#include "stats_documents.hpp"
#include "stats_store.hpp"

namespace storeq::controller {

class StatsPublisher {
public:
    StatsPublisher(Database& db, const Config& config) : store_(db, config), config_(config) {}

    // Rolls up the rows stored since the last call (the caller holds no transaction open),
    // then builds every document at controller time `now`.
    Expected<std::vector<StatsDocument>> refresh(TimeMs now);

private:
    StatsStore store_;
    Config config_;
};

}  // namespace storeq::controller
