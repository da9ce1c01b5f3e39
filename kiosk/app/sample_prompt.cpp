#include "app/sample_prompt.hpp"

#include <string>

namespace storeq::kiosk {

Prompt make_sample_prompt(const KioskConfig& config, TimeMs now) {
    const int till = config.till > 0 ? config.till : 1;
    const int busy_lane = till == 1 ? 2 : 1;
    Prompt prompt;
    prompt.id = "00000000-0000-7000-8000-000000000001";
    prompt.action = PromptAction::open_till;
    prompt.till = till;
    prompt.state = PromptState::open;
    prompt.reason = PromptReason{busy_lane, 3, 2};
    prompt.raised = now;
    prompt.updated = now;
    prompt.message["en"] = "2 customers waiting at till " + std::to_string(busy_lane);
    return prompt;
}

}  // namespace storeq::kiosk
