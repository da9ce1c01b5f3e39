#pragma once
// The pieces update() is made of, one file per flow. Internal to the model.
#include <string>

#include "model/kiosk_update.hpp"

namespace storeq::kiosk::detail {

// feedback_flow.cpp: faces, follow-up reasons, thank-you, language.
void tap_face(UpdateResult& r, int score, const KioskConfig& config, TimeMs now, const std::string& new_event_id);
void pick_reason(UpdateResult& r, const std::string& code, const KioskConfig& config, TimeMs now);
void skip_follow_up(UpdateResult& r, const KioskConfig& config, TimeMs now);
void choose_language(UpdateResult& r, const std::string& locale, const KioskConfig& config);
void feedback_tick(UpdateResult& r, const KioskConfig& config, TimeMs now);
std::optional<TimeMs> feedback_deadline(const KioskState& state);

// service_flow.cpp: the hidden corner, the PIN pad and the service screen.
void corner_down(UpdateResult& r, TimeMs now);
void corner_up(UpdateResult& r, const KioskConfig& config, TimeMs now);
void pin_digit(UpdateResult& r, int digit, const KioskConfig& config, TimeMs now);
void pin_erase(UpdateResult& r, TimeMs now, const KioskConfig& config);
void close_service(UpdateResult& r);
void service_tick(UpdateResult& r, const KioskConfig& config, TimeMs now);
std::optional<TimeMs> service_deadline(const KioskState& state, const KioskConfig& config);

}  // namespace storeq::kiosk::detail
