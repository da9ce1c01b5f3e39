#pragma once
// The one clock of the controller's programs (controller_clock.hpp says why it is not the
// wall clock as it goes).
#include "storeq/protocol.hpp"

namespace storeq::controller {

// The controller's time: the wall clock at the process's first reading, advanced by the
// monotonic clock.
TimeMs controller_time_ms();
// How far the box's wall clock has stepped away from it since (0 unless someone or NTP
// set the clock while the process ran; negative: set back).
TimeMs wall_clock_step_ms();

}  // namespace storeq::controller
