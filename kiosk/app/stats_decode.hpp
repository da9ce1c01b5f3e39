#pragma once
// Decodes the retained stats documents (docs/protocol.md "Stats documents") into the
// model's plain structs, for the manager dashboard. Lenient where the protocol allows
// (null figures, unknown keys), strict about the shape (an object with the parts named).
#include <string>
#include <string_view>

#include "model/manager_stats.hpp"
#include "storeq/expected.hpp"

namespace storeq::kiosk {

// `view` is the topic's last level: today, hourly, daily or lanes.
Expected<StatsDocument> decode_stats_document(std::string_view view, const std::string& payload);

}  // namespace storeq::kiosk
