#pragma once
// A made-up prompt for this till, so an installer (or the docs) can see the call screen
// without a controller raising one.
#include "model/kiosk_config.hpp"
#include "storeq/protocol.hpp"

namespace storeq::kiosk {

Prompt make_sample_prompt(const KioskConfig& config, TimeMs now);

}  // namespace storeq::kiosk
