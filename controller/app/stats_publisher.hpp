#pragma once
// Once a minute the controller rolls up what it stored and rebuilds the stats documents.
#include <vector>

#include "stats_documents.hpp"
#include "stats_store.hpp"

namespace storeq::controller {

class StatsPublisher {
public:
    explicit StatsPublisher(Database& db);

    // Rolls up the rows stored since the last call (the caller holds no transaction open),
    // deletes a few batches of raw rows past `retention` (retention.hpp), then builds
    // every document at controller time `now`. `config` is the controller's
    // one configuration, passed on every call and never copied: after a reload the new
    // minutes and documents judge breaches by the new settings, as the rule does.
    Expected<std::vector<StatsDocument>> refresh(TimeMs now, const Config& config);

private:
    Database& db_;
    StatsStore store_;
};

}  // namespace storeq::controller
