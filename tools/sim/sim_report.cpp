#include "sim_report.hpp"

#include <cstdio>
#include <ctime>

namespace storeq::sim {
namespace {

std::string seconds(TimeMs ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
    return text;
}

std::string till_of(const Prompt& p) { return p.till ? "till " + std::to_string(p.till) : "no till"; }

// "open_till till 2 (lane 1: 2 waiting)"
std::string prompt_subject(const Prompt& p) {
    std::string text = std::string(to_string(p.action));
    if (p.till) text += " " + till_of(p);
    if (p.reason)
        text += " (till " + std::to_string(p.reason->lane) + ": " + std::to_string(p.reason->waiting) + " waiting)";
    return text;
}

}  // namespace

std::string elapsed_prefix(TimeMs start, TimeMs now, bool clock_time) {
    char text[32];
    if (clock_time) {
        const std::time_t seconds_since_epoch = static_cast<std::time_t>(now / 1000);
        std::tm local{};
        localtime_r(&seconds_since_epoch, &local);
        std::strftime(text, sizeof text, "[%H:%M:%S] ", &local);
        return text;
    }
    std::snprintf(text, sizeof text, "[%6.1fs] ", static_cast<double>(now - start) / 1000.0);
    return text;
}

std::string reason_label(const std::string& code) {
    for (const auto* chips : {&kPositiveReasons, &kNegativeReasons})
        for (const ReasonChip& chip : *chips)
            if (code == chip.code) return chip.label;
    return code;
}

std::string describe(const StoreEvent& event) {
    if (const auto* lane = std::get_if<LaneStatePublished>(&event))
        return "till " + std::to_string(lane->lane) + (lane->state.open ? " opened" : " closed") +
               (lane->state.by ? " (" + *lane->state.by + ")" : "");
    if (const auto* claim = std::get_if<ClaimPublished>(&event))
        return claim->claim.by + " claims " + std::string(to_string(claim->action)) + " till " +
               std::to_string(claim->till) + " on " + claim->claim.device.value_or("?");
    if (const auto* feedback = std::get_if<FeedbackPublished>(&event)) {
        const Feedback& f = feedback->feedback;
        return "feedback " + std::to_string(f.score) + "/3 at " + feedback->kiosk + " (" + f.locale +
               (f.reason ? ", \"" + reason_label(*f.reason) + "\"" : "") + ") from a shopper who waited " + seconds(feedback->waited) +
               " at till " + std::to_string(feedback->lane);
    }
    if (const auto* moved = std::get_if<ShopperMoved>(&event))
        return "a shopper moves from till " + std::to_string(moved->from) + " to till " + std::to_string(moved->to);
    return {};
}

std::string describe_prompt(const Prompt& prompt, PromptNews news) {
    if (news == PromptNews::none) return {};
    std::string text = "prompt ";
    if (news == PromptNews::first_seen && prompt.state == PromptState::open) text += "raised";
    else if (prompt.state == PromptState::open) text += "escalated";  // only the level changed
    else text += std::string(to_string(prompt.state));
    text += ": " + prompt_subject(prompt) + " level " + std::to_string(prompt.level);
    if (prompt.claimed_by) text += ", by " + *prompt.claimed_by;
    // The forecast's prompt says why, since no queue does yet.
    if (prompt.action == PromptAction::prepare_till && prompt.state == PromptState::open && !prompt.claimed_by)
        if (auto en = prompt.message.find("en"); en != prompt.message.end()) text += " (forecast: " + en->second + ")";
    return text;
}

std::string describe_lanes(const std::vector<LaneView>& lanes) {
    std::string text;
    for (const LaneView& lane : lanes) {
        if (!text.empty()) text += " | ";
        text += "till " + std::to_string(lane.number) + ": ";
        if (!lane.open) text += "closed";
        else text += std::to_string(lane.count) + (lane.closing ? " (closing)" : "");
    }
    return text;
}

std::string summary(const StoreStats& stats, double duration_s, const std::string& store_time) {
    char line[256];
    std::string text = "---- storeq-sim summary ----\n";
    std::snprintf(line, sizeof line, "run time            %.0f s%s\n", duration_s,
                  store_time.empty() ? "" : (" (store time " + store_time + ")").c_str());
    text += line;
    text += "shoppers arrived    " + std::to_string(stats.arrived) +
            (stats.turned_away ? " (" + std::to_string(stats.turned_away) + " found no open till)" : "") + "\n";
    text += "shoppers served     " + std::to_string(stats.served) + "\n";
    const double average = stats.served ? static_cast<double>(stats.total_wait) / stats.served / 1000.0 : 0.0;
    std::snprintf(line, sizeof line, "wait in line        average %.1f s, max %.1f s (a served shopper, joining a line to reaching the till)\n",
                  average, static_cast<double>(stats.max_wait) / 1000.0);
    text += line;
    if (stats.served > 0) {
        const double over_s = stats.over_one_in_front
                                  ? static_cast<double>(stats.total_over_one_in_front) / stats.over_one_in_front / 1000.0
                                  : 0.0;
        std::snprintf(line, sizeof line,
                      "over one in front   %d served shoppers (%.1f%%), average %.1f s with two or more ahead\n",
                      stats.over_one_in_front, 100.0 * stats.over_one_in_front / stats.served, over_s);
        text += line;
    }
    if (stats.open_ms > 0) {
        std::snprintf(line, sizeof line, "queue length        average %.2f per open till (time-weighted, the one paying included: the report's avg_queue)\n",
                      stats.queued_ms / stats.open_ms);
        text += line;
    }
    int feedback = 0;
    std::string by_score;
    for (int score = 3; score >= 0; --score) {
        const auto it = stats.feedback_by_score.find(score);
        const int n = it == stats.feedback_by_score.end() ? 0 : it->second;
        feedback += n;
        by_score += (by_score.empty() ? "" : ", ") + std::string("score ") + std::to_string(score) + ": " + std::to_string(n);
    }
    text += "feedback given      " + std::to_string(feedback) + " (" + by_score + ")\n";
    if (stats.prompts.empty()) text += "prompts seen        none\n";
    for (const auto& [action, tally] : stats.prompts) {
        int ended = 0;
        std::string outcomes;
        for (const auto& [state, n] : tally.ended) {
            ended += n;
            outcomes += ", " + std::string(to_string(state)) + " " + std::to_string(n);
        }
        snprintf(line, sizeof line, "prompts %-15s ", std::string(to_string(action)).c_str());
        text += std::string(line) + "seen " + std::to_string(tally.seen) + ", claimed " + std::to_string(tally.claimed) +
                outcomes + (tally.seen > ended ? ", still live " + std::to_string(tally.seen - ended) : "") + "\n";
    }
    text += "----------------------------";
    return text;
}

}  // namespace storeq::sim
