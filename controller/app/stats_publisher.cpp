#include "stats_publisher.hpp"

#include "local_time.hpp"
#include "retention.hpp"
#include "storeq/log.hpp"

namespace storeq::controller {

StatsPublisher::StatsPublisher(Database& db, const Config* config) : db_(db), store_(db) {
    if (auto limited = limit_journal_size(db_); !limited)
        log_warn("controller", "cannot limit the WAL size: " + limited.error().to_string());
    if (config) {
        if (auto zone = zone_for(*config); !zone) log_error("controller", "stats: " + zone.error().to_string());
    }
}

Expected<const TimeZone*> StatsPublisher::zone_for(const Config& config) {
    if (zone_wanted_ != config.time_zone) {
        auto zone = load_time_zone(config.time_zone);
        if (!zone) return zone.error();
        // The figures' hours are this zone's: say so with the data, for `report` on any box.
        auto recorded = store_.recorded_zone();
        if (!recorded) return recorded.error();
        if (*recorded != zone->name) {
            if (auto stored = store_.record_zone(zone->name); !stored) return stored.error();
            log_info("controller", "store time zone: " + zone->name);
        }
        zone_ = std::move(*zone);
        zone_wanted_ = config.time_zone;
    }
    return &zone_;
}

Expected<std::vector<StatsDocument>> StatsPublisher::refresh(TimeMs now, const Config& config) {
    auto zone = zone_for(config);
    if (!zone) return zone.error();
    auto delta = store_.pending(now, config, **zone);
    if (!delta) return delta.error();
    if (auto applied = store_.apply(*delta); !applied) return applied.error();
    // After the rollup, so only rows it holds go; a failure here loses no figure.
    if (auto kept = apply_retention(db_, now, config); !kept)
        log_warn("controller", "retention: " + kept.error().to_string());
    const StatsWindows windows = StatsWindows::at(now, **zone);
    auto data = store_.load(windows.earliest(), windows.tomorrow);
    if (!data) return data.error();
    return stats_documents(*data, delta->carry, config, windows);
}

}  // namespace storeq::controller
