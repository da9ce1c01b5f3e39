#pragma once
// Hands MQTT messages from libmosquitto's network thread to the simulator's main loop:
// the callback only pushes under a mutex; all the work happens on the main thread.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "storeq/mqtt_client.hpp"

namespace storeq::sim {

class MessageInbox {
public:
    void push(MqttMessage message) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(message));
        }
        ready_.notify_one();
    }

    // Everything queued so far; waits until `deadline` when nothing is.
    std::deque<MqttMessage> take_all(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        ready_.wait_until(lock, deadline, [&] { return !queue_.empty(); });
        std::deque<MqttMessage> taken;
        taken.swap(queue_);
        return taken;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<MqttMessage> queue_;
};

}  // namespace storeq::sim
