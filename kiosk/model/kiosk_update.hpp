#pragma once
// The kiosk's functional core: update(state, input, config, now, id) -> {state, commands}.
// No clock reads, no randomness, no I/O: time and the id for a new Feedback come in.
#include <optional>
#include <string>
#include <vector>

#include "model/kiosk_command.hpp"
#include "model/kiosk_config.hpp"
#include "model/kiosk_input.hpp"
#include "model/kiosk_state.hpp"

namespace storeq::kiosk {

struct UpdateResult {
    KioskState state;
    std::vector<Command> commands;
};

// `new_event_id` is used only if the input creates a Feedback (a UUIDv7 made by the shell).
UpdateResult update(KioskState state, const Intent& intent, const KioskConfig& config, TimeMs now,
                    const std::string& new_event_id);
UpdateResult update(KioskState state, const Event& event, const KioskConfig& config, TimeMs now);

// When the state will change by itself (a follow-up or thank-you ends, a notice expires,
// the corner has been held long enough): the shell sleeps until then.
std::optional<TimeMs> next_deadline(const KioskState& state, const KioskConfig& config);

// The live prompt that calls on this till to open, if any (shown full screen).
const Prompt* call_for_this_till(const KioskState& state, const KioskConfig& config);

}  // namespace storeq::kiosk
