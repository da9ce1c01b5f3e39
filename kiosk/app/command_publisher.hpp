#pragma once
// Where the model's commands go: MQTT in the real kiosk, a list in tests.
#include "model/kiosk_command.hpp"

namespace storeq::kiosk {

class CommandPublisher {
public:
    virtual ~CommandPublisher() = default;
    // Must not block on the network: the UI thread calls it.
    virtual void publish(const Command& command) = 0;
};

}  // namespace storeq::kiosk
