#pragma once
// RAII MQTT client over libmosquitto's C API; mosquitto.h stays out of this header.
// Runs libmosquitto's network thread (mosquitto_loop_start). Callbacks run on that thread;
// they must be quick and never throw (the wrapper catches and logs anything that does).
// Subscriptions are renewed in on_connect, so they come back after every reconnect.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storeq/expected.hpp"

namespace storeq {

struct MqttWill {
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retain = true;
};

struct MqttOptions {
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string client_id;         // must be unique per broker
    std::optional<MqttWill> will;  // set before connecting (protocol: every client has one)
    bool clean_session = true;
    int keepalive_s = 10;
    std::string username;          // empty: anonymous
    std::string password;
    std::string tls_ca_file;       // set: TLS, the broker's certificate checked against this CA
    int reconnect_min_s = 1;       // backoff doubles from min to max
    int reconnect_max_s = 30;
    // Logs each connect ("connected to broker HOST:PORT"), and once per outage that the
    // broker cannot be reached (or its name resolved) and is being retried, or was lost.
    // A program with two sessions to one broker lets one of them say it.
    bool log_connection = true;
    // The broker's max_packet_size (the project's broker configuration sets 65536). A
    // larger message is refused by publish(): sent, the broker would drop the connection
    // and libmosquitto would send it again after every reconnect, for ever.
    int max_packet_bytes = 65536;
};

struct MqttMessage {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retained = false;
};

// "host:port" -> (host, port). Port 1..65535.
Expected<std::pair<std::string, int>> parse_host_port(std::string_view text);

class MqttClient {
public:
    using MessageHandler = std::function<void(const MqttMessage&)>;
    using ConnectionHandler = std::function<void(bool connected)>;
    using PublishedHandler = std::function<void(int message_id)>;  // broker acked (QoS 1: PUBACK)

    explicit MqttClient(MqttOptions options);
    ~MqttClient();
    MqttClient(const MqttClient&) = delete;
    MqttClient& operator=(const MqttClient&) = delete;

    // Set handlers before start().
    void on_message(MessageHandler handler);
    void on_connection(ConnectionHandler handler);
    void on_published(PublishedHandler handler);

    // Remembered and (re)subscribed on every connect. Call before or after start().
    void subscribe(const std::string& pattern, int qos = 1);

    // Starts the network thread and connects asynchronously; keeps reconnecting with
    // backoff while the broker is down, unreachable or its name does not resolve yet (a
    // store box that boots before its network). Fails only on bad options.
    Expected<void> start();
    // The program is on its way out (it says its last words, then calls stop()): a loss
    // from now on is not logged, as the broker may be going down with it (Ctrl-C in a
    // terminal reaches both).
    void leaving();
    // Disconnects cleanly (no last-will) and joins the network thread. Idempotent. The
    // connection handler is told (false), as for a loss; nothing is logged.
    void stop();

    // Returns the message id. Works while disconnected: libmosquitto queues QoS>0
    // messages and sends them after reconnecting. A message larger than
    // max_packet_bytes is an error, and nothing is queued.
    Expected<int> publish(const std::string& topic, const std::string& payload, int qos = 1,
                          bool retain = false);

    bool connected() const;
    // Connected, and the broker has acknowledged every subscription made on this
    // connection: messages published from now on reach us.
    bool subscribed() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace storeq
