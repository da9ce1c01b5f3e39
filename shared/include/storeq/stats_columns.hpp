#pragma once
// The contract between the controller, which writes the stats documents and the report
// (controller/app/stats_rows.cpp, stats_documents.cpp), and every reader of them (the
// kiosk's manager dashboard, kiosk/model/manager_view.cpp): the column names, defined
// once. docs/stats.md says what each one means.
#include <array>
#include <string_view>

namespace storeq::stats_column {

inline constexpr std::string_view period = "period";
inline constexpr std::string_view lane = "lane";
inline constexpr std::string_view open_min = "open_min";
inline constexpr std::string_view counted_min = "counted_min";
inline constexpr std::string_view unknown_min = "unknown_min";
inline constexpr std::string_view breach_min = "breach_min";
inline constexpr std::string_view compliance_pct = "compliance_pct";
inline constexpr std::string_view avg_queue = "avg_queue";
inline constexpr std::string_view max_queue = "max_queue";
inline constexpr std::string_view samples = "samples";
inline constexpr std::string_view breaches = "breaches";
inline constexpr std::string_view promise_kept = "promise_kept";
inline constexpr std::string_view promise_broken = "promise_broken";
inline constexpr std::string_view promise_kept_pct = "promise_kept_pct";
inline constexpr std::string_view responses = "responses";
inline constexpr std::string_view misuse = "misuse";
inline constexpr std::string_view happy_index = "happy_index";
inline constexpr std::string_view happy_n = "happy_n";
inline constexpr std::string_view nps = "nps";
inline constexpr std::string_view nps_ci95_low = "nps_ci95_low";
inline constexpr std::string_view nps_ci95_high = "nps_ci95_high";
inline constexpr std::string_view nps_n = "nps_n";
inline constexpr std::string_view nps_thin = "nps_thin";
inline constexpr std::string_view prompts_raised = "prompts_raised";
inline constexpr std::string_view prompts_fulfilled = "prompts_fulfilled";
inline constexpr std::string_view prompts_cancelled = "prompts_cancelled";
inline constexpr std::string_view time_to_claim_p50_s = "time_to_claim_p50_s";
inline constexpr std::string_view time_to_claim_p90_s = "time_to_claim_p90_s";
inline constexpr std::string_view time_to_open_p50_s = "time_to_open_p50_s";
inline constexpr std::string_view time_to_open_p90_s = "time_to_open_p90_s";
// What a queue costs (docs/stats.md): answers after a breach against answers with none.
inline constexpr std::string_view happy_after_breach = "happy_after_breach";
inline constexpr std::string_view happy_after_breach_n = "happy_after_breach_n";
inline constexpr std::string_view happy_after_breach_ci95_low = "happy_after_breach_ci95_low";
inline constexpr std::string_view happy_after_breach_ci95_high = "happy_after_breach_ci95_high";
inline constexpr std::string_view happy_no_breach = "happy_no_breach";
inline constexpr std::string_view happy_no_breach_n = "happy_no_breach_n";
inline constexpr std::string_view happy_no_breach_ci95_low = "happy_no_breach_ci95_low";
inline constexpr std::string_view happy_no_breach_ci95_high = "happy_no_breach_ci95_high";
inline constexpr std::string_view happy_breach_diff = "happy_breach_diff";
inline constexpr std::string_view happy_breach_diff_ci95_low = "happy_breach_diff_ci95_low";
inline constexpr std::string_view happy_breach_diff_ci95_high = "happy_breach_diff_ci95_high";
inline constexpr std::string_view nps_after_breach = "nps_after_breach";
inline constexpr std::string_view nps_after_breach_n = "nps_after_breach_n";
inline constexpr std::string_view nps_after_breach_ci95_low = "nps_after_breach_ci95_low";
inline constexpr std::string_view nps_after_breach_ci95_high = "nps_after_breach_ci95_high";
inline constexpr std::string_view nps_no_breach = "nps_no_breach";
inline constexpr std::string_view nps_no_breach_n = "nps_no_breach_n";
inline constexpr std::string_view nps_no_breach_ci95_low = "nps_no_breach_ci95_low";
inline constexpr std::string_view nps_no_breach_ci95_high = "nps_no_breach_ci95_high";
inline constexpr std::string_view nps_breach_diff = "nps_breach_diff";
inline constexpr std::string_view nps_breach_diff_ci95_low = "nps_breach_diff_ci95_low";
inline constexpr std::string_view nps_breach_diff_ci95_high = "nps_breach_diff_ci95_high";

// Every row of the report and of the stats documents has these, in this order.
inline constexpr std::array all{period, lane, open_min, counted_min, unknown_min, breach_min, compliance_pct,
                                avg_queue, max_queue, samples, breaches, promise_kept, promise_broken,
                                promise_kept_pct, responses, misuse, happy_index, happy_n, nps, nps_ci95_low,
                                nps_ci95_high, nps_n, nps_thin, prompts_raised, prompts_fulfilled,
                                prompts_cancelled, time_to_claim_p50_s, time_to_claim_p90_s, time_to_open_p50_s,
                                time_to_open_p90_s, happy_after_breach, happy_after_breach_n, happy_after_breach_ci95_low, happy_after_breach_ci95_high, happy_no_breach, happy_no_breach_n, happy_no_breach_ci95_low, happy_no_breach_ci95_high, happy_breach_diff, happy_breach_diff_ci95_low, happy_breach_diff_ci95_high, nps_after_breach, nps_after_breach_n, nps_after_breach_ci95_low, nps_after_breach_ci95_high, nps_no_breach, nps_no_breach_n, nps_no_breach_ci95_low, nps_no_breach_ci95_high, nps_breach_diff, nps_breach_diff_ci95_low, nps_breach_diff_ci95_high};

// stats/lanes only: each lane as it is now.
inline constexpr std::string_view open_now = "open_now";
inline constexpr std::string_view count_now = "count_now";
inline constexpr std::string_view breaching_now = "breaching_now";

}  // namespace storeq::stats_column
