#pragma once
// Topic names of protocol v1: storeq/v1/{store}/... Build them here, parse them here.
#include <string>
#include <string_view>

#include "storeq/expected.hpp"

namespace storeq {

// head_office: storeq/v1/{store}/hq/outbound and hq/ack (view "outbound" or "ack"), what the
// store sends head office and head office's acknowledgement (chain/include/storeq/chain/outbound.hpp).
enum class TopicKind {
    feedback, queue, lane_state, prompt, claim, status, wait, stats, clock, receipt, durable, head_office,
    door,      // door/{door}/count: an entrance sensor's people in
    served,    // lane/{n}/served: a till's POS, customers served
    forecast,  // forecast: the controller's tills needed, retained
    alert,         // alerts/{id}: an alert, retained while open or acknowledged
    alert_answer,  // alerts/{id}/answer/{account}: acknowledged or closed by that account
};

struct Topic {
    TopicKind kind = TopicKind::feedback;
    std::string store;
    std::string device;     // feedback, receipt: kiosk id; status: device id; claim: the claimer's account
    int lane = 0;           // queue, lane_state, wait, served; door: the door's number
    std::string prompt_id;  // prompt, claim
    std::string view;       // stats; head_office: outbound or ack
    std::string alert_id;   // alert, alert_answer (alert_answer: the account is in `device`)
    bool operator==(const Topic&) const = default;
};

std::string store_root(std::string_view store);  // "storeq/v1/{store}/"
std::string store_wildcard(std::string_view store);  // "storeq/v1/{store}/#"
std::string feedback_topic(std::string_view store, std::string_view kiosk);
std::string queue_topic(std::string_view store, int lane);
std::string lane_state_topic(std::string_view store, int lane);
std::string prompt_topic(std::string_view store, std::string_view prompt_id);
// The claimer's broker account is the last level, so the broker's ACL decides who may
// claim as whom (docs/security.md): prompts/{id}/claim/{account}.
std::string claim_topic(std::string_view store, std::string_view prompt_id, std::string_view account);
std::string status_topic(std::string_view store, std::string_view device);
std::string wait_topic(std::string_view store, int lane);
std::string stats_topic(std::string_view store, std::string_view view);
std::string clock_topic(std::string_view store);
// Receipts for one kiosk's feedback (controller -> kiosk): kiosk/{kiosk}/receipt.
std::string receipt_topic(std::string_view store, std::string_view kiosk);
// The controller's database and its durable commit count, retained: durable.
std::string durable_topic(std::string_view store);
// Entrance sensors: door/{door}/count (door 1..999). A till's POS: lane/{n}/served.
std::string door_topic(std::string_view store, int door);
std::string served_topic(std::string_view store, int lane);
std::string forecast_topic(std::string_view store);
std::string alert_topic(std::string_view store, std::string_view alert_id);
// As claims: the answering account is the last level, so the broker's ACL decides who
// may answer as whom.
std::string alert_answer_topic(std::string_view store, std::string_view alert_id, std::string_view account);
std::string topic_name(const Topic& topic);

Expected<Topic> parse_topic(std::string_view topic);

}  // namespace storeq
