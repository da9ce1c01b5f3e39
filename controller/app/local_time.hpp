#pragma once
// Store days are local days (TZ of the controller's machine): a manager's "today" starts
// at local midnight, also on the days clocks change (23 or 25 hours).
#include <string>
#include <string_view>

#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

TimeMs local_day_start(TimeMs t);
// The start of the local day `days` after the day starting at day_start (negative: before).
TimeMs add_local_days(TimeMs day_start, int days);
// "2025-11-22T09:00:00+01:00"
std::string iso_local_time(TimeMs t);
// "2025-11-22"
std::string iso_local_date(TimeMs t);
// "2025-11-22" -> the local midnight starting that day.
Expected<TimeMs> parse_iso_date(std::string_view text);

}  // namespace storeq::controller
