#pragma once
// The kiosk's MQTT side: publishes the model's commands with the protocol's QoS and retain
// flags, announces the device (Status, with an offline last-will), and turns incoming
// prompts and lane samples into model events. Works with the broker down: libmosquitto
// keeps reconnecting and queues QoS 1 publishes meanwhile. Feedback goes through the
// kiosk's SQLite outbox (FeedbackOutbox): stored first, kept until the controller's
// receipt (kiosk/{kiosk}/receipt) says the store's database has it on disk, at most a
// window of it handed to libmosquitto at a time (which re-sends what it holds itself after
// a reconnect). A timer thread re-sends overdue rows and trims the outbox's history.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/command_publisher.hpp"
#include "app/feedback_outbox.hpp"
#include "model/kiosk_config.hpp"
#include "model/kiosk_input.hpp"
#include "storeq/expected.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/mqtt_credentials.hpp"

namespace storeq::kiosk {

class MqttLink final : public CommandPublisher {
public:
    using EventSink = std::function<void(Event)>;  // called on the network thread

    // Without an outbox, feedback is published directly (lane displays publish none).
    MqttLink(KioskConfig config, std::string host, int port, std::optional<Outbox> outbox = std::nullopt,
             const MqttCredentials& credentials = {});
    ~MqttLink() override;

    // Connects in the background; events go to `sink` from then on.
    Expected<void> start(EventSink sink);
    // Says goodbye (Status online:false, as a clean disconnect sends no last-will) and
    // joins the network thread. After this no event reaches the sink.
    void stop();

    void publish(const Command& command) override;

    // Feedbacks stored and not yet receipted (0 without an outbox). Thread-safe.
    std::int64_t backlog() const;
    // The outbox's window and counters (all zero without an outbox). Thread-safe.
    OutboxStats outbox_stats() const;

private:
    void on_connection(bool connected);
    void on_message(const MqttMessage& message);
    void publish_status(bool online);
    void on_backlog_changed(std::int64_t backlog);
    void run_timer();

    KioskConfig config_;
    MqttClient client_;
    std::unique_ptr<FeedbackOutbox> outbox_;  // null without an outbox
    EventSink sink_;
    RejectCounter rejects_;  // used on the network thread only
    bool started_ = false;
    // The outbox's clock work (receipt timeouts, history), off the UI and network threads.
    std::thread timer_;
    std::mutex timer_mutex_;
    std::condition_variable timer_wake_;
    bool timer_stop_ = false;
};

}  // namespace storeq::kiosk
