#pragma once
// Shopper-facing texts by key, in the shopper's language. The tables come from
// assets/kiosk/lang/<locale>.json (loaded by the shell); built-in English fills any gap,
// so a missing or half-translated file never shows a blank button.
#include <string>
#include <string_view>

#include "model/kiosk_config.hpp"

namespace storeq::kiosk {

// `locale`'s text for `key`, else the store default's, else English, else the key itself.
std::string text_for(const KioskConfig& config, std::string_view locale, std::string_view key);

// The English texts compiled in (also what assets/kiosk/lang/en.json holds).
const std::map<std::string, std::string>& builtin_english();

}  // namespace storeq::kiosk
