#pragma once
// What a kiosk is told at start-up: its role, where it stands, its scale, reasons,
// languages and texts, looks and timings (--config FILE, docs/kiosk.md).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::kiosk {

// manager: the dashboard (docs/design.md §3), fed by the retained stats/* and prompt topics.
enum class Role { feedback, lane, staff, manager };
enum class ThemeKind { standard, high_contrast };
// low_reach keeps every control in the lower half of the screen (wheelchair users).
enum class LayoutKind { standard, low_reach };

std::optional<Role> parse_role(std::string_view text);
std::string_view to_string(Role role);

// locale -> key -> text, from assets/kiosk/lang/<locale>.json.
using TextTable = std::map<std::string, std::map<std::string, std::string>>;

inline constexpr std::size_t kMaxReasons = 6;  // docs/design.md §3: at most 6 chips

struct KioskConfig {
    Role role = Role::feedback;
    std::string store;
    std::string device;  // this kiosk's id: the feedback topic's {kiosk}, claims' `by`/`device`
    int till = 0;        // lane role: the till this display stands at (1..999)
    Scale scale = Scale::smiley4;
    std::string locale = "en";           // the store's default language: back to it after each response
    std::vector<std::string> languages;  // buttons shown, in order; empty: no language buttons
    TextTable texts;                     // missing keys fall back to built-in English
    // Follow-up reason codes ([a-z0-9_]{1,32}); empty: no follow-up for that side.
    std::vector<std::string> positive_reasons;
    std::vector<std::string> negative_reasons;
    TimeMs follow_up_timeout_ms = 8000;
    TimeMs thank_you_ms = 3000;
    // A press this soon after the previous one is kept but flagged `misuse` (docs/design.md §3).
    TimeMs response_interval_ms = 4000;
    TimeMs stand_down_notice_ms = 60'000;  // how long "you can go back" stays up
    ThemeKind theme = ThemeKind::standard;
    LayoutKind layout = LayoutKind::standard;
    std::string service_pin = "2580";
    TimeMs service_hold_ms = 2000;    // long press in the top-left corner
    TimeMs service_idle_ms = 120'000;  // the service screen closes itself after this
    // The outbox (docs/protocol.md "Receipt and Durable"): a response sent and not receipted
    // this long after its PUBACK is sent again (the wait doubles per re-send, up to 15 min);
    // receipted responses are kept this long, in case the store's database is restored.
    TimeMs receipt_timeout_ms = 60'000;
    TimeMs history_ms = 30LL * 24 * 3600 * 1000;
};

// True when an answer counts as positive (its follow-up asks what went well).
bool is_positive_answer(Scale scale, int score);

}  // namespace storeq::kiosk
