// The hidden service screen: hold the top-left corner, type the PIN, read the diagnostics.
#include "model/update_parts.hpp"

namespace storeq::kiosk::detail {
namespace {

void open_pin_pad(KioskState& s, const KioskConfig& config, TimeMs now) {
    s.service = ServicePhase::pin;
    s.pin_entry.clear();
    s.pin_rejected = false;
    s.corner_down_since.reset();
    s.service_until = now + config.service_idle_ms;
}

}  // namespace

void corner_down(UpdateResult& r, TimeMs now) {
    if (r.state.service == ServicePhase::closed) r.state.corner_down_since = now;
}

void corner_up(UpdateResult& r, const KioskConfig& config, TimeMs now) {
    auto& s = r.state;
    if (s.corner_down_since && now - *s.corner_down_since >= config.service_hold_ms) open_pin_pad(s, config, now);
    s.corner_down_since.reset();
}

void pin_digit(UpdateResult& r, int digit, const KioskConfig& config, TimeMs now) {
    auto& s = r.state;
    if (s.service != ServicePhase::pin || digit < 0 || digit > 9) return;
    s.service_until = now + config.service_idle_ms;
    s.pin_rejected = false;
    s.pin_entry.push_back(static_cast<char>('0' + digit));
    if (s.pin_entry.size() < config.service_pin.size()) return;
    if (s.pin_entry == config.service_pin) {
        s.service = ServicePhase::open;
    } else {
        s.pin_rejected = true;
    }
    s.pin_entry.clear();
}

void pin_erase(UpdateResult& r, TimeMs now, const KioskConfig& config) {
    auto& s = r.state;
    if (s.service != ServicePhase::pin) return;
    s.service_until = now + config.service_idle_ms;
    if (!s.pin_entry.empty()) s.pin_entry.pop_back();
}

void close_service(UpdateResult& r) {
    r.state.service = ServicePhase::closed;
    r.state.pin_entry.clear();
    r.state.pin_rejected = false;
}

void service_tick(UpdateResult& r, const KioskConfig& config, TimeMs now) {
    auto& s = r.state;
    // The loop wakes at the hold deadline, so a finger still on the corner opens the pad
    // without waiting to be lifted.
    if (s.service == ServicePhase::closed && s.corner_down_since &&
        now - *s.corner_down_since >= config.service_hold_ms)
        open_pin_pad(s, config, now);
    // A technician who walks away must not leave diagnostics (or a half-typed PIN) up.
    if (s.service != ServicePhase::closed && now >= s.service_until) close_service(r);
}

std::optional<TimeMs> service_deadline(const KioskState& state, const KioskConfig& config) {
    if (state.service == ServicePhase::closed) {
        if (state.corner_down_since) return *state.corner_down_since + config.service_hold_ms;
        return std::nullopt;
    }
    return state.service_until;
}

}  // namespace storeq::kiosk::detail
