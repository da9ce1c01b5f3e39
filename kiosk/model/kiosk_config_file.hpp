#pragma once
// The kiosk configuration file (--config FILE; docs/kiosk.md, assets/kiosk/kiosk.conf.example):
// "key = value" lines like the store's configuration, '#' starts a comment, durations
// need a unit (ms, s, min). Parsing is pure: the shell reads the file.
#include <string_view>

#include "model/kiosk_config.hpp"
#include "storeq/expected.hpp"

namespace storeq::kiosk {

// Applies every key in `text` to `config`; keys left out keep their values. The error
// names the line and key.
Expected<void> apply_kiosk_config_text(std::string_view text, KioskConfig& config);

}  // namespace storeq::kiosk
