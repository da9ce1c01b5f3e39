#include "storeq/controller/erlang_c.hpp"

#include <algorithm>
#include <cmath>

namespace storeq::controller {
namespace {

// One step of the Erlang B recursion: B(k) from B(k-1). a·B stays <= a, k + a·B >= k >= 1,
// so nothing overflows and the step is numerically stable (every term is positive).
double erlang_b_step(double b_prev, int k, double a) {
    const double ab = a * b_prev;
    return ab / (static_cast<double>(k) + ab);
}

// Erlang C from Erlang B with c servers: C = c·B / (c - a·(1 - B)). Only for c > a > 0,
// where the denominator is above c - a > 0.
double erlang_c_from_b(double b, int servers, double a) {
    const double c = servers;
    const double result = c * b / (c - a * (1.0 - b));
    if (!std::isfinite(result)) return 1.0;
    return std::clamp(result, 0.0, 1.0);
}

// The share served within t: 1 - C·exp(-(c - a)·t/s), for c > a. t may be +inf (then 1).
double within_target(double wait_probability, int servers, double a, double service_s, double target_wait_s) {
    const double exponent = -(static_cast<double>(servers) - a) * target_wait_s / service_s;
    const double result = 1.0 - wait_probability * std::exp(exponent);
    if (!std::isfinite(result)) return 0.0;
    return std::clamp(result, 0.0, 1.0);
}

}  // namespace

double erlang_c(int servers, double offered_load) {
    // An unknown load is taken as the worst case: everyone waits.
    if (std::isnan(offered_load)) return 1.0;
    if (offered_load <= 0) return 0.0;
    // servers <= load also covers an infinite load: the line grows without end.
    if (servers <= 0 || static_cast<double>(servers) <= offered_load) return 1.0;
    double b = 1.0;  // B(0)
    for (int k = 1; k <= servers; ++k) {
        b = erlang_b_step(b, k, offered_load);
        // Once B underflows to 0 it stays 0 (the next step is 0 / k): C is 0 too.
        if (b == 0.0) return 0.0;
    }
    return erlang_c_from_b(b, servers, offered_load);
}

ServiceLevel service_level(int servers, double arrivals_per_s, double service_s, double target_wait_s) {
    ServiceLevel level;  // the worst case: everyone waits, nobody is served in time
    if (!std::isfinite(arrivals_per_s) || !std::isfinite(service_s) || std::isnan(target_wait_s)) return level;
    if (arrivals_per_s < 0 || service_s <= 0) return level;
    const double t = std::max(0.0, target_wait_s);
    const double a = arrivals_per_s * service_s;
    if (!std::isfinite(a)) return level;
    level.wait_probability = erlang_c(servers, a);
    if (a <= 0) {
        level.within_target = 1.0;  // nobody comes, nobody waits
    } else if (servers <= 0 || static_cast<double>(servers) <= a) {
        level.within_target = 0.0;  // the line grows without end
    } else {
        level.within_target = within_target(level.wait_probability, servers, a, service_s, t);
    }
    return level;
}

TillsNeeded tills_needed(double arrivals_per_s, double service_s, double target_wait_s, double target_share,
                         int max_tills, int min_tills) {
    TillsNeeded out;
    min_tills = std::max(min_tills, 0);  // fewer than no tills means none at least
    out.tills = min_tills;
    const bool bad = !std::isfinite(arrivals_per_s) || arrivals_per_s < 0 || !std::isfinite(service_s) ||
                     service_s <= 0 || std::isnan(target_wait_s) || target_wait_s < 0 ||
                     !(target_share > 0 && target_share < 1) || max_tills < min_tills ||
                     !std::isfinite(arrivals_per_s * service_s);
    if (bad) {
        out.reachable = false;
        out.level = ServiceLevel{};  // the worst case, never a made-up good level
        return out;
    }
    const double a = arrivals_per_s * service_s;
    if (a <= 0) {
        out.reachable = true;
        out.level = service_level(min_tills, arrivals_per_s, service_s, target_wait_s);
        return out;
    }
    // The same recursion as erlang_c, walked once up to the answer: O(answer), not
    // O(answer²), and the level reported is the one the decision was made on.
    if (static_cast<double>(max_tills) > a) {
        double b = 1.0;
        for (int k = 1; k <= max_tills; ++k) {
            b = erlang_b_step(b, k, a);
            if (k < min_tills || static_cast<double>(k) <= a) continue;
            ServiceLevel level;
            level.wait_probability = b == 0.0 ? 0.0 : erlang_c_from_b(b, k, a);
            level.within_target = within_target(level.wait_probability, k, a, service_s, target_wait_s);
            if (level.within_target >= target_share) {
                out.tills = k;
                out.reachable = true;
                out.level = level;
                return out;
            }
        }
    }
    out.tills = max_tills;
    out.reachable = false;
    out.level = service_level(max_tills, arrivals_per_s, service_s, target_wait_s);
    return out;
}

}  // namespace storeq::controller
