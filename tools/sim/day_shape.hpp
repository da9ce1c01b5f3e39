#pragma once
// How busy a supermarket is through the week: a morning, a lunch and an after-work peak,
// weekday factors (a busy Saturday, a quiet Sunday), closed at night. The simulator's door
// follows it (issue 14: a forecast needs days that have a shape). Pure.
#include "storeq/protocol.hpp"

namespace storeq::sim {

// The store's rate at local time `local_ms` (ms since 1970-01-01 00:00 local) as a factor
// of its base rate: 0 while closed (22:00-07:00), about 0.4 at a quiet hour, up to ~2.0 at
// the Saturday after-work peak.
double day_shape(TimeMs local_ms);
// The largest value day_shape takes (for thinning a Poisson process).
inline constexpr double kMaxDayShape = 2.2;

}  // namespace storeq::sim
