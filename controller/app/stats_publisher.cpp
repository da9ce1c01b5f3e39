#include "stats_publisher.hpp"

#include "retention.hpp"
#include "storeq/log.hpp"

namespace storeq::controller {

StatsPublisher::StatsPublisher(Database& db) : db_(db), store_(db) {
    if (auto limited = limit_journal_size(db_); !limited)
        log_warn("controller", "cannot limit the WAL size: " + limited.error().to_string());
}

Expected<std::vector<StatsDocument>> StatsPublisher::refresh(TimeMs now, const Config& config) {
    auto delta = store_.pending(now, config);
    if (!delta) return delta.error();
    if (auto applied = store_.apply(*delta); !applied) return applied.error();
    // After the rollup, so only rows it holds go; a failure here loses no figure.
    if (auto kept = apply_retention(db_, now, config); !kept)
        log_warn("controller", "retention: " + kept.error().to_string());
    const StatsWindows windows = StatsWindows::at(now);
    auto data = store_.load(windows.earliest(), windows.tomorrow);
    if (!data) return data.error();
    return stats_documents(*data, delta->carry, config, windows);
}

}  // namespace storeq::controller
