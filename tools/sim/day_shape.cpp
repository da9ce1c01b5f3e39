#include "day_shape.hpp"

#include <array>
#include <cmath>

namespace storeq::sim {
namespace {
double bump(double hour, double centre, double width) {
    const double z = (hour - centre) / width;
    return std::exp(-0.5 * z * z);
}
}  // namespace

double day_shape(TimeMs local_ms) {
    constexpr TimeMs kDay = 86'400'000;
    const TimeMs day = local_ms >= 0 ? local_ms / kDay : (local_ms - kDay + 1) / kDay;
    const double hour = static_cast<double>(local_ms - day * kDay) / 3'600'000.0;
    if (hour < 7 || hour >= 22) return 0;
    // 1970-01-01 was a Thursday; index 0 = Monday.
    const int weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);
    static constexpr std::array<double, 7> kWeekday{0.90, 0.85, 0.90, 0.95, 1.15, 1.30, 0.70};
    const double shape = 0.40 + 0.55 * bump(hour, 10.0, 1.2) + 0.90 * bump(hour, 12.5, 0.7) + 1.15 * bump(hour, 17.5, 1.1);
    return kWeekday[static_cast<std::size_t>(weekday)] * shape;
}

}  // namespace storeq::sim
