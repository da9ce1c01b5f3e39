#include "controller_time.hpp"

#include <chrono>

#include "storeq/controller/controller_clock.hpp"

namespace storeq::controller {
namespace {
ClockReading read_clocks() {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    return {duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count(),
            duration_cast<milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count()};
}
// Anchored at the first reading of the process (controller_clock.hpp says why).
const ControllerClock& process_clock() {
    static const ControllerClock clock(read_clocks());
    return clock;
}
}  // namespace

TimeMs controller_time_ms() { return process_clock().at(read_clocks()); }
TimeMs wall_clock_step_ms() { return process_clock().wall_step(read_clocks()); }

}  // namespace storeq::controller
