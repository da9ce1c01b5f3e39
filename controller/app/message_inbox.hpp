#pragma once
// Hands MQTT messages from libmosquitto's network thread to the controller's main loop.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "storeq/mqtt_client.hpp"

namespace storeq::controller {

class MessageInbox {
public:
    void push(MqttMessage message) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(message));
        }
        ready_.notify_one();
    }

    // Everything queued so far; waits up to `timeout` when nothing is.
    std::deque<MqttMessage> take_all(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        ready_.wait_for(lock, timeout, [&] { return !queue_.empty(); });
        std::deque<MqttMessage> taken;
        taken.swap(queue_);
        return taken;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<MqttMessage> queue_;
};

}  // namespace storeq::controller
