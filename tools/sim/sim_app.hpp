#pragma once
// The imperative shell of storeq-sim: wall clock, MQTT and stdout around the StoreModel.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "message_inbox.hpp"
#include "sim_options.hpp"
#include "store_model.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::sim {

class SimApp {
public:
    explicit SimApp(SimOptions options);
    // 0 after a full run (or a stop request), 1 when the broker could never be reached.
    int run(const std::atomic<bool>& stop);

private:
    bool wait_for_broker(const std::atomic<bool>& stop, std::chrono::steady_clock::time_point give_up_at);
    void handle(const MqttMessage& message, TimeMs now);
    void publish(const StoreEvent& event);
    void publish_status(bool online, TimeMs now);
    void publish_clock(TimeMs now);
    void wait_for_acks();
    void say(const std::string& line, TimeMs now);
    // Staff acknowledge each alert (docs/alerts.md) a minute or a few after it opens, as
    // handheld-1: the demo's time-to-acknowledge figures.
    void see_alert(const Alert& alert, TimeMs now);
    void acknowledge_due_alerts(TimeMs now);

    SimOptions options_;
    std::unique_ptr<MqttClient> mqtt_;
    std::optional<StoreModel> model_;  // made once the broker is reached: the run starts then
    MessageInbox inbox_;
    std::atomic<std::int64_t> acked_{0};  // PUBACKs, counted on the network thread
    std::int64_t sent_ = 0;
    TimeMs started_at_ = 0;
    std::map<std::string, TimeMs> acknowledge_at_;  // open alerts by id: when staff answer
    std::mt19937_64 staff_rng_{7};
};

}  // namespace storeq::sim
