#pragma once
// The store's zone, read from the box: which zone the box is in, and the tz database's
// table for a zone name (TZif files under /usr/share/zoneinfo, or $TZDIR). Local days and
// hours themselves are pure (storeq/controller/time_zone.hpp): nothing here or after it
// looks at the process's TZ, so a report reads the same on any machine.
#include <string>
#include <string_view>

#include "storeq/controller/time_zone.hpp"
#include "storeq/expected.hpp"

namespace storeq::controller {

// The box's zone name: $TZ when it names a zone of the tz database, else /etc/timezone,
// else what /etc/localtime links to, else "UTC".
std::string box_time_zone_name();

// The table of zone `name` (empty: the box's zone). An Error names the zone and the file.
Expected<TimeZone> load_time_zone(const std::string& name);

// A TZif file's bytes (RFC 8536, version 1 to 4) as a table, the footer rule carried on to
// 2100. Pure.
Expected<TimeZone> parse_tzif(std::string_view bytes, std::string name);

// The zone recorded with a store's data (store_meta), and the name to record.
inline constexpr const char* kStoreZoneKey = "time_zone";

}  // namespace storeq::controller
