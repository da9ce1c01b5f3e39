#pragma once
// Once a minute the controller rolls up what it stored and rebuilds the stats documents.
#include <optional>
#include <string>
#include <vector>

#include "stats_documents.hpp"
#include "stats_store.hpp"

namespace storeq::controller {

class StatsPublisher {
public:
    // With `config`, the store's zone is looked up and recorded with its data (store_meta)
    // at once, so a `report` on the file uses it even before the first minute's rollup.
    explicit StatsPublisher(Database& db, const Config* config = nullptr);

    // Rolls up the rows stored since the last call (the caller holds no transaction open),
    // deletes a few batches of raw rows past `retention` (retention.hpp), then builds
    // every document at controller time `now`. `config` is the controller's
    // one configuration, passed on every call and never copied: after a reload the new
    // minutes and documents judge breaches by the new settings, as the rule does. Hours
    // and days are the local ones of config.time_zone (empty: the box's zone).
    Expected<std::vector<StatsDocument>> refresh(TimeMs now, const Config& config);

private:
    // The zone of `config`, read from the tz database when its name changes, and recorded.
    Expected<const TimeZone*> zone_for(const Config& config);

    Database& db_;
    StatsStore store_;
    std::optional<std::string> zone_wanted_;  // config.time_zone the zone was loaded for
    TimeZone zone_;
};

}  // namespace storeq::controller
