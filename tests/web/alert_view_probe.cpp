// The SDL dashboard's alert list for alerts given on stdin, for tests/web/figures_test.js:
// the web's port (web/common/figures.js) must read exactly as this, to the digit.
// Input: one Alert JSON (docs/protocol.md) per line, in the order they arrive; "clear ID"
// clears a retained alert; an empty line ends a scenario. Output per scenario: one line per
// alert as make_manager_view lists it (id, title, detail, tone, level, tab-separated), then
// "--". A line the codec refuses prints "rejected: <why>" in place of the scenario's list.
// The English texts are the kiosk's built-in ones (assets/kiosk/lang/en.json holds the same).
#include <iostream>
#include <string>

#include "model/kiosk_texts.hpp"
#include "model/kiosk_update.hpp"
#include "model/manager_view.hpp"
#include "storeq/codec.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {

const char* tone_name(Tone tone) {
    switch (tone) {
        case Tone::neutral: return "neutral";
        case Tone::good: return "good";
        case Tone::warn: return "warn";
        case Tone::bad: return "bad";
    }
    return "?";
}

void print(const KioskState& state, const KioskConfig& config) {
    for (const AlertView& a : make_manager_view(state, config).alerts)
        std::cout << a.id << '\t' << a.title << '\t' << a.detail << '\t' << tone_name(a.tone) << '\t' << a.level << '\n';
    std::cout << "--\n";
}

}  // namespace

int main() {
    KioskConfig config;
    config.role = Role::manager;
    config.store = "probe";
    config.device = "probe";
    config.texts["en"] = builtin_english();
    KioskState state;
    bool rejected = false;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) {
            if (!rejected) print(state, config);
            state = KioskState{};
            rejected = false;
            continue;
        }
        if (rejected) continue;
        if (line.starts_with("clear ")) {
            state = update(state, Event{AlertReceived{line.substr(6), std::nullopt}}, config, 0).state;
            continue;
        }
        auto alert = decode_alert(line);
        if (!alert) {
            std::cout << "rejected: " << alert.error().to_string() << "\n--\n";
            rejected = true;
            continue;
        }
        state = update(state, Event{AlertReceived{alert->id, *alert}}, config, 0).state;
    }
    if (!rejected) print(state, config);
    return 0;
}
