#include "storeq/mqtt_client.hpp"

#include <mosquitto.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>

#include "storeq/log.hpp"

namespace storeq {
namespace {

constexpr std::string_view kComponent = "mqtt";

// The broker accepts any number of in-flight QoS 1 messages from a v3.1.1 client, but
// libmosquitto's default of 20 makes a burst wait for PUBACK round trips. Messages beyond
// this bound are still queued in the client, never dropped.
constexpr int kMaxInflightMessages = 1000;

void init_library_once() {
    static std::once_flag once;
    // Never cleaned up: other clients may live until exit, and the OS reclaims it.
    std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string mosquitto_error_text(int rc) {
    if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
    return mosquitto_strerror(rc);
}

Error broker_error(std::string_view operation, int rc) {
    return Error{"broker", std::string(operation) + ": " + mosquitto_error_text(rc)};
}

// Runs a user handler on libmosquitto's thread: an exception must not unwind into C.
template <class Handler, class... Args>
void call_handler(std::string_view callback, const Handler& handler, Args&&... args) {
    if (!handler) return;
    try {
        handler(std::forward<Args>(args)...);
    } catch (const std::exception& e) {
        log_error(kComponent, std::string(callback) + " handler threw: " + e.what());
    } catch (...) {
        log_error(kComponent, std::string(callback) + " handler threw a non-standard exception");
    }
}

}  // namespace

Expected<std::pair<std::string, int>> parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
        return Error{"broker", "expected host:port, got '" + std::string(text) + "'"};
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    // "[::1]:1883": brackets only delimit an IPv6 address.
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty())
        return Error{"broker", "missing host in '" + std::string(text) + "'"};
    int port = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
    if (port_text.empty() || ec != std::errc{} || ptr != end || port < 1 || port > 65535)
        return Error{"broker", "port must be 1..65535, got '" + std::string(port_text) + "'"};
    return std::pair<std::string, int>{std::string(host), port};
}

struct MqttClient::Impl {
    MqttOptions options;
    mosquitto* mosq = nullptr;
    int creation_errno = 0;

    MessageHandler message_handler;
    ConnectionHandler connection_handler;
    PublishedHandler published_handler;

    // Guards subscriptions and the subscribe calls made from both the network thread
    // (on_connect) and callers, so no pattern is missed between connect and subscribe.
    std::mutex subscriptions_mutex;
    std::map<std::string, int> subscriptions;

    std::atomic<bool> is_connected{false};
    // stop() has begun: the disconnect that follows is ours, not a loss.
    std::atomic<bool> stopping{false};
    // The current outage (or refusal) was logged; cleared on connect. Network-thread
    // callbacks and start() both set it, so it is atomic.
    std::atomic<bool> outage_said{false};
    std::atomic<bool> refusal_said{false};
    // SUBACKs still owed for the subscriptions sent since the last connect.
    std::atomic<int> subacks_pending{0};
    std::mutex lifecycle_mutex;  // start()/stop() from different threads
    bool loop_running = false;

    void subscribe_now(const std::string& pattern, int qos) {
        ++subacks_pending;
        const int rc = mosquitto_subscribe(mosq, nullptr, pattern.c_str(), qos);
        if (rc != MOSQ_ERR_SUCCESS) --subacks_pending;
        // NO_CONN: the connection dropped meanwhile; on_connect will subscribe again.
        if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN)
            log_error(kComponent, "subscribe " + pattern + ": " + mosquitto_error_text(rc));
    }

    static Impl& from(void* user_data) { return *static_cast<Impl*>(user_data); }

    std::string address() const { return options.host + ":" + std::to_string(options.port); }
    std::string backoff() const {
        return "every " + std::to_string(options.reconnect_min_s) + " s, doubling to " +
               std::to_string(options.reconnect_max_s) + " s";
    }
    // Once per outage: what is wrong and that we keep trying.
    void say_outage(const std::string& what) {
        if (!options.log_connection || outage_said.exchange(true)) return;
        log_warn(kComponent, what + "; retrying " + backoff() + " until it answers");
    }

    static void handle_connect(mosquitto*, void* user_data, int rc) noexcept {
        Impl& self = from(user_data);
        if (rc != 0) {
            // Refused (bad credentials, id rejected): libmosquitto keeps retrying. Said once
            // until a connect succeeds, not at every attempt.
            if (!self.refusal_said.exchange(true))
                log_error(kComponent, "broker " + self.address() + " refused the connection: " +
                                          mosquitto_connack_string(rc) + "; retrying " + self.backoff());
            return;
        }
        self.outage_said = false;
        self.refusal_said = false;
        if (self.options.log_connection) log_info(kComponent, "connected to broker " + self.address());
        // Subscriptions are counted before "connected" is said: subscribed() must never
        // see a connection with no SUBACK owed before the SUBSCRIBEs are even sent.
        self.subacks_pending = 0;
        try {
            std::lock_guard lock(self.subscriptions_mutex);
            for (const auto& [pattern, qos] : self.subscriptions) self.subscribe_now(pattern, qos);
        } catch (...) {
            log_error(kComponent, "re-subscribing after connect failed");
        }
        self.is_connected = true;
        call_handler("connection", self.connection_handler, true);
    }

    static void handle_disconnect(mosquitto*, void* user_data, int rc) noexcept {
        Impl& self = from(user_data);
        const bool was_connected = self.is_connected.exchange(false);
        // rc 0 is our own DISCONNECT (stop()); and while stopping, whatever the broker
        // does is no outage worth a line.
        if (rc != 0 && !self.stopping) {
            if (was_connected)
                self.say_outage("lost the broker " + self.address() + " (" + mosquitto_error_text(rc) + ")");
            else
                self.say_outage("broker " + self.address() + " not reachable (" + mosquitto_error_text(rc) + ")");
        }
        call_handler("connection", self.connection_handler, false);
    }

    static void handle_message(mosquitto*, void* user_data,
                               const mosquitto_message* message) noexcept {
        Impl& self = from(user_data);
        try {
            MqttMessage copy;
            copy.topic = message->topic ? message->topic : "";
            if (message->payload && message->payloadlen > 0)
                copy.payload.assign(static_cast<const char*>(message->payload),
                                    static_cast<std::size_t>(message->payloadlen));
            copy.qos = message->qos;
            copy.retained = message->retain;
            call_handler("message", self.message_handler, copy);
        } catch (...) {
            log_error(kComponent, "could not copy an incoming message");
        }
    }

    static void handle_subscribe(mosquitto*, void* user_data, int, int, const int*) noexcept {
        Impl& self = from(user_data);
        if (self.subacks_pending > 0) --self.subacks_pending;
    }

    static void handle_publish(mosquitto*, void* user_data, int mid) noexcept {
        Impl& self = from(user_data);
        call_handler("published", self.published_handler, mid);
    }
};

MqttClient::MqttClient(MqttOptions options) : impl_(std::make_unique<Impl>()) {
    init_library_once();
    impl_->options = std::move(options);
    const auto& opts = impl_->options;
    // The client exists from construction so that publish() before start() is queued too.
    impl_->mosq = mosquitto_new(opts.client_id.empty() ? nullptr : opts.client_id.c_str(),
                                opts.clean_session, impl_.get());
    if (!impl_->mosq) {
        impl_->creation_errno = errno;
        return;
    }
    mosquitto_connect_callback_set(impl_->mosq, &Impl::handle_connect);
    mosquitto_disconnect_callback_set(impl_->mosq, &Impl::handle_disconnect);
    mosquitto_message_callback_set(impl_->mosq, &Impl::handle_message);
    mosquitto_publish_callback_set(impl_->mosq, &Impl::handle_publish);
    mosquitto_subscribe_callback_set(impl_->mosq, &Impl::handle_subscribe);
}

MqttClient::~MqttClient() {
    stop();
    if (impl_->mosq) mosquitto_destroy(impl_->mosq);
}

void MqttClient::on_message(MessageHandler handler) { impl_->message_handler = std::move(handler); }
void MqttClient::on_connection(ConnectionHandler handler) {
    impl_->connection_handler = std::move(handler);
}
void MqttClient::on_published(PublishedHandler handler) {
    impl_->published_handler = std::move(handler);
}

void MqttClient::subscribe(const std::string& pattern, int qos) {
    std::lock_guard lock(impl_->subscriptions_mutex);
    impl_->subscriptions[pattern] = qos;
    // If not connected yet, on_connect subscribes; the mutex orders the two paths.
    if (impl_->mosq && impl_->is_connected) impl_->subscribe_now(pattern, qos);
}

Expected<void> MqttClient::start() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (impl_->loop_running) return {};
    const auto& opts = impl_->options;
    if (!impl_->mosq) {
        return Error{"broker", "cannot create client '" + opts.client_id +
                                   "': " + std::strerror(impl_->creation_errno)};
    }
    if (opts.host.empty()) return Error{"broker", "host is empty"};
    if (opts.port < 1 || opts.port > 65535)
        return Error{"broker", "port must be 1..65535, got " + std::to_string(opts.port)};
    if (opts.reconnect_min_s < 1 || opts.reconnect_max_s < opts.reconnect_min_s)
        return Error{"broker", "reconnect delays must satisfy 1 <= min <= max"};

    mosquitto* mosq = impl_->mosq;
    int rc = mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    if (rc != MOSQ_ERR_SUCCESS) return broker_error("protocol version", rc);
    mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);  // ~20% off the QoS 1 tail
    rc = mosquitto_int_option(mosq, MOSQ_OPT_SEND_MAXIMUM, kMaxInflightMessages);
    if (rc != MOSQ_ERR_SUCCESS) return broker_error("send maximum", rc);

    if (opts.will) {
        const auto& will = *opts.will;
        rc = mosquitto_will_set(mosq, will.topic.c_str(), static_cast<int>(will.payload.size()),
                                will.payload.data(), will.qos, will.retain);
        if (rc != MOSQ_ERR_SUCCESS) return broker_error("will " + will.topic, rc);
    }
    if (!opts.username.empty()) {
        rc = mosquitto_username_pw_set(mosq, opts.username.c_str(),
                                       opts.password.empty() ? nullptr : opts.password.c_str());
        if (rc != MOSQ_ERR_SUCCESS) return broker_error("credentials", rc);
    }
    if (!opts.tls_ca_file.empty()) {
        // TLS on the store network: the broker's certificate must chain to the store's
        // own CA (systemd/storeq-make-tls); no client certificate.
        rc = mosquitto_tls_set(mosq, opts.tls_ca_file.c_str(), nullptr, nullptr, nullptr, nullptr);
        if (rc != MOSQ_ERR_SUCCESS) return broker_error("TLS CA file " + opts.tls_ca_file, rc);
    }
    rc = mosquitto_reconnect_delay_set(mosq, static_cast<unsigned>(opts.reconnect_min_s),
                                       static_cast<unsigned>(opts.reconnect_max_s), true);
    if (rc != MOSQ_ERR_SUCCESS) return broker_error("reconnect delay", rc);

    // The network thread starts before the first connect. Measured with libmosquitto
    // 2.0.11: if connect_async runs first and the broker is down (ECONNREFUSED), the
    // thread started afterwards never retries. Started first, it owns the connect and
    // keeps retrying with backoff (connect_async then returned success even with the
    // broker down, and the thread connected once it came up).
    rc = mosquitto_loop_start(mosq);
    if (rc != MOSQ_ERR_SUCCESS) return broker_error("network thread", rc);
    impl_->loop_running = true;
    impl_->stopping = false;
    rc = mosquitto_connect_async(mosq, opts.host.c_str(), opts.port, opts.keepalive_s);
    if (rc == MOSQ_ERR_INVAL) {
        // Bad arguments are bad options, not a broker that is down.
        impl_->stopping = true;
        mosquitto_disconnect(mosq);
        mosquitto_loop_stop(mosq, false);
        impl_->loop_running = false;
        return broker_error("connect " + impl_->address(), rc);
    }
    // A name that does not resolve is retried like a broker that is down: at boot the box's
    // DNS may come up after us (measured with libmosquitto 2.0.11: the network thread,
    // already running, retries the lookup with the backoff and connects once it resolves).
    if (rc == MOSQ_ERR_EAI)
        impl_->say_outage("broker " + impl_->address() + ": the name '" + opts.host + "' does not resolve (yet)");
    else if (rc != MOSQ_ERR_SUCCESS)
        impl_->say_outage("broker " + impl_->address() + " not reachable (" + mosquitto_error_text(rc) + ")");
    return {};
}

void MqttClient::leaving() { impl_->stopping = true; }

void MqttClient::stop() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (!impl_->loop_running) return;
    impl_->stopping = true;
    // A clean DISCONNECT: the broker drops the will. Returns NO_CONN while the broker is
    // down, but still marks the client as disconnecting so the loop thread ends.
    mosquitto_disconnect(impl_->mosq);
    mosquitto_loop_stop(impl_->mosq, false);
    impl_->loop_running = false;
    impl_->is_connected = false;
}

Expected<int> MqttClient::publish(const std::string& topic, const std::string& payload, int qos,
                                  bool retain) {
    if (!impl_->mosq) return Error{"broker", "client could not be created"};
    // PUBLISH: 1 header byte, up to 4 of remaining length, the topic with its 2-byte
    // length, a 2-byte packet id at QoS > 0, the payload.
    const std::size_t body = 2 + topic.size() + (qos > 0 ? 2 : 0) + payload.size();
    const std::size_t packet = 1 + (body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : 4) + body;
    if (impl_->options.max_packet_bytes > 0 && packet > static_cast<std::size_t>(impl_->options.max_packet_bytes))
        return Error{"broker", "publish " + topic.substr(0, 200) + ": " + std::to_string(packet) +
                                   " bytes is more than the broker's max_packet_size of " +
                                   std::to_string(impl_->options.max_packet_bytes) + "; not sent"};
    int message_id = 0;
    const int rc = mosquitto_publish(impl_->mosq, &message_id, topic.c_str(),
                                     static_cast<int>(payload.size()), payload.data(), qos,
                                     retain);
    // Measured with libmosquitto 2.0.11: a QoS>0 publish while the network thread runs
    // and the broker is down returns MOSQ_ERR_SUCCESS and is sent after reconnecting.
    // Before start() (no connect yet) it returns MOSQ_ERR_NO_CONN, yet the message is
    // already queued with its id and is sent after the first connect: for QoS>0, NO_CONN
    // means "queued". A QoS 0 message published while down is dropped (MQTT allows it),
    // and libmosquitto may still report success for it.
    if (rc == MOSQ_ERR_SUCCESS || (rc == MOSQ_ERR_NO_CONN && qos > 0)) return message_id;
    return broker_error("publish " + topic, rc);
}

bool MqttClient::connected() const { return impl_->is_connected; }
bool MqttClient::subscribed() const { return impl_->is_connected && impl_->subacks_pending == 0; }

}  // namespace storeq
