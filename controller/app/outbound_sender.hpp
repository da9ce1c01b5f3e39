#pragma once
// Sends the outbound log to head office (docs/chain.md), on an MQTT session of its own to
// the store broker, whose bridge carries storeq/v1/{store}/hq/outbound to the central
// broker and head office's retained ack back. The rule is the receipts' one: an entry is
// kept until the next durable hop (storeq-hq's PostgreSQL commit) says it has it. Whatever
// the bridge drops or duplicates on a reconnect, everything above the ack is sent again
// once the ack stops moving, and head office drops what it already has by its seq.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "outbound_log.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/protocol.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {

struct OutboundTiming {
    std::int64_t window_entries = 2'000;  // sent and not yet acknowledged, at most
    TimeMs resend_first = 10'000;         // no ack progress this long: send again from the ack
    TimeMs resend_max = 300'000;          // ... doubling up to this while head office is away
};

class OutboundSender {
public:
    OutboundSender(const MqttOptions& options, std::string store, std::string zone, OutboundTiming timing = {});
    ~OutboundSender();
    Expected<void> start();
    void stop();

    // With the controller's lock held and no transaction open (between commits): records
    // the latest ack (deleting what it covers) and sends what is due. `real_now`: wall
    // time, for the re-send timer (also on the simulator's clock).
    void pump(Database& db, TimeMs real_now);

    const OutboundBacklog& backlog() const { return backlog_; }
    std::int64_t resends() const { return resends_; }

private:
    std::unique_ptr<MqttClient> client_;
    std::string store_, zone_;
    OutboundTiming timing_;
    std::atomic<std::int64_t> ack_seen_{0};    // from the network thread
    std::atomic<bool> reconnected_{false};
    bool loaded_ = false;
    OutboundBacklog backlog_;
    std::int64_t sent_upto_ = 0;
    TimeMs last_progress_ = 0;
    TimeMs resend_after_ = 0;
    std::int64_t resends_ = 0;
    RejectCounter log_limit_;
};

}  // namespace storeq::controller
