#include "stats_publisher.hpp"

namespace storeq::controller {

Expected<std::vector<StatsDocument>> StatsPublisher::refresh(TimeMs now) {
    auto delta = store_.pending(now);
    if (!delta) return delta.error();
    if (auto applied = store_.apply(*delta); !applied) return applied.error();
    const StatsWindows windows = StatsWindows::at(now);
    auto data = store_.load(windows.earliest(), windows.tomorrow);
    if (!data) return data.error();
    return stats_documents(*data, delta->carry, config_, windows);
}

}  // namespace storeq::controller
