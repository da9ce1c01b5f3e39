#pragma once
// `--clock sim`: time comes from the simulator's `clock` topic, so a whole store day can
// run through the same rule code in a minute. Time never runs backwards.
#include <algorithm>

#include "storeq/codec.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {

class SimClock {
public:
    // Takes the time from a clock message; other messages are ignored.
    void observe(const MqttMessage& message) {
        auto topic = parse_topic(message.topic);
        if (!topic || topic->kind != TopicKind::clock) return;
        auto tick = decode_clock_tick(message.payload);
        if (!tick) return;
        now_ = std::max(now_, tick->ts);
        started_ = true;
    }
    bool started() const { return started_; }
    TimeMs now() const { return now_; }

private:
    TimeMs now_ = 0;
    bool started_ = false;
};

}  // namespace storeq::controller
