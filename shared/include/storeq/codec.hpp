#pragma once
// Strict JSON codec for protocol v1. decode_* never throws: a bad payload comes back
// as an Error naming the field and the reason. `now` bounds device timestamps
// (more than 24 h ahead or 30 days behind is rejected).
#include <string>
#include <string_view>

#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"

namespace storeq {

std::string encode(const Feedback& m);
std::string encode(const QueueCount& m);
std::string encode(const LaneState& m);
std::string encode(const Prompt& m);
std::string encode(const Claim& m);
std::string encode(const Status& m);
std::string encode(const WaitEstimate& m);
std::string encode(const ClockTick& m);
std::string encode(const Receipt& m);
std::string encode(const Durable& m);
std::string encode(const DoorCount& m);
std::string encode(const LaneServed& m);
std::string encode(const Forecast& m);
std::string encode(const Alert& m);
std::string encode(const AlertAnswer& m);

Expected<Feedback> decode_feedback(std::string_view payload, TimeMs now);
Expected<QueueCount> decode_queue_count(std::string_view payload, TimeMs now);
Expected<LaneState> decode_lane_state(std::string_view payload, TimeMs now);
// Prompts come from the controller itself; their times are not bounded.
Expected<Prompt> decode_prompt(std::string_view payload);
Expected<Claim> decode_claim(std::string_view payload, TimeMs now);
Expected<Status> decode_status(std::string_view payload, TimeMs now);
Expected<WaitEstimate> decode_wait_estimate(std::string_view payload);
// The simulator's clock may run far from wall time: not bounded.
Expected<ClockTick> decode_clock_tick(std::string_view payload);
// Receipts and the durable notice come from the controller; not time-bounded.
Expected<Receipt> decode_receipt(std::string_view payload);
Expected<Durable> decode_durable(std::string_view payload);
Expected<DoorCount> decode_door_count(std::string_view payload, TimeMs now);
Expected<LaneServed> decode_lane_served(std::string_view payload, TimeMs now);
// The forecast comes from the controller; not time-bounded.
Expected<Forecast> decode_forecast(std::string_view payload);
// Alerts come from the controller; not time-bounded. An answer closing an alert must
// carry a comment (the root cause).
Expected<Alert> decode_alert(std::string_view payload);
Expected<AlertAnswer> decode_alert_answer(std::string_view payload, TimeMs now);

}  // namespace storeq
