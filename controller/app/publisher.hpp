#pragma once
// The last step of the controller's flow (intake -> durable_step -> publisher): what a
// commit made durable goes out at QoS 1 (retained, but for receipts); so do the
// controller's status, the durable notice and the stats documents. A message the broker would refuse (larger than its max_packet_size)
// is dropped here, counted and logged once a minute: sent, the broker would cut the
// connection and libmosquitto would send it again on every reconnect.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "durable_step.hpp"
#include "stats_documents.hpp"
#include "storeq/controller/home_assistant.hpp"
#include "storeq/log.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::controller {

class Publisher {
public:
    Publisher(MqttClient& client, std::string store, std::string device);

    // Effects of a commit, in order.
    void publish(const std::vector<OutgoingMessage>& messages, TimeMs now);
    // After a (re)connect the broker may have missed prompt changes made while it was
    // away: the database is the truth, so every live prompt is published again.
    void republish_live_prompts(const State& state, TimeMs now);
    // The database this controller runs on and its durable commit count at start,
    // retained: kiosks re-send what a lost database lacks (docs/protocol.md).
    void publish_durable(const Durable& notice, TimeMs now);
    // Retained status: when what it says changes, and every `interval` otherwise
    // (`force`: now, whatever it says).
    void publish_status(const Status& status, TimeMs now, bool force = false);
    // Home Assistant's discovery documents, retained (home_assistant = on).
    void publish_discovery(const std::vector<DiscoveryMessage>& documents, TimeMs now);
    // Every stats document, retained. Returns how many went out.
    int publish_stats(const std::vector<StatsDocument>& documents, TimeMs now);

    std::int64_t refused() const { return refused_.total(); }
    // Messages handed to the client, for waiting on their acknowledgements at shutdown.
    std::int64_t sent() const { return sent_; }

private:
    bool send(const std::string& topic, const std::string& payload, TimeMs now, bool retained = true);

    MqttClient& client_;
    std::string store_;
    std::string device_;
    std::optional<Status> last_status_;  // last published, without its ts
    TimeMs last_status_at_ = 0;
    RejectCounter refused_;
    std::int64_t sent_ = 0;
};

}  // namespace storeq::controller
