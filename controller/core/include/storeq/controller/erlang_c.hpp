#pragma once
// The tills a promise needs, from queueing theory: the M/M/c queue (Erlang C), computed with
// the iterative Erlang B recursion, B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)), so no
// factorial is ever formed and hundreds of tills stay exact. Pure. docs/forecast.md gives the
// formula, its inputs and its limits (one shared line; the store has a line per till).
namespace storeq::controller {

// The probability that an arriving customer has to wait, with `servers` tills and an offered
// load of `offered_load` Erlangs (arrival rate × mean service time). 1 when servers <= load
// (the line grows without end); 0 with no load.
double erlang_c(int servers, double offered_load);

struct ServiceLevel {
    double wait_probability = 1;  // Erlang C
    double within_target = 0;     // share served within the target wait: 1 - C·exp(-(c-a)·t/s)
};
ServiceLevel service_level(int servers, double arrivals_per_s, double service_s, double target_wait_s);

struct TillsNeeded {
    int tills = 0;          // the fewest tills (at least min_tills) reaching target_share
    bool reachable = true;  // false: even max_tills miss it (then tills == max_tills)
    ServiceLevel level;     // at `tills`
};
// target_share in (0, 1). No arrivals: min_tills. Bad input (negative rates, service <= 0,
// max_tills < min_tills) gives min_tills with reachable = false, never a crash.
TillsNeeded tills_needed(double arrivals_per_s, double service_s, double target_wait_s, double target_share,
                         int max_tills, int min_tills = 1);

}  // namespace storeq::controller
