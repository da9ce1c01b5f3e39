#include "head_office_bridge.hpp"

#include "storeq/chain/outbound.hpp"

namespace storeq::controller {

std::string bridge_conf_text(const HeadOfficeBridge& b) {
    const std::string root = "storeq/v1/" + b.store + "/";
    std::string text =
        "# Bridge from store " + b.store + " to head office, made by storeq-controller provision --hq.\n"
        "# Only the outbound log goes out and only head office's ack comes in (docs/chain.md).\n"
        "connection storeq-hq-" + b.store + "\n"
        "address " + b.host + ":" + std::to_string(b.port) + "\n"
        "remote_clientid storeq-bridge-" + b.store + "\n"
        "remote_username " + b.username + "\n"
        "remote_password " + b.password + "\n"
        // A persistent session both ways: QoS 1 messages wait for the bridge at either end
        // while the link is down. What the bridge still drops or duplicates on a reconnect
        // (mosquitto #2248, #3394, #3472), the controller re-sends above the ack.
        "cleansession false\n"
        "local_clientid storeq-bridge-" + b.store + "-local\n"
        "bridge_protocol_version mqttv311\n"
        "try_private true\n"
        "notifications false\n"
        "restart_timeout 5 60\n"
        "keepalive_interval 30\n"
        "topic hq/outbound out 1 " + root + " " + root + "\n"
        "topic hq/ack in 1 " + root + " " + root + "\n";
    if (!b.ca_file.empty())
        text += "bridge_cafile " + b.ca_file + "\nbridge_tls_version tlsv1.2\n";
    else
        text += "# No TLS: for a broker on this machine only (the demo). Give --hq-ca for a real head office.\n";
    return text;
}

std::string central_acl_text(std::string_view store, std::string_view username) {
    return "\n# store " + std::string(store) + "'s bridge (storeq-controller provision --hq)\nuser " +
           std::string(username) + "\ntopic write " + chain::outbound_topic(store) + "\ntopic read " +
           chain::ack_topic(store) + "\n";
}

}  // namespace storeq::controller
