#include "outbound_sender.hpp"

#include <algorithm>

namespace storeq::controller {
namespace {
constexpr const char* kLog = "head office";
}

OutboundSender::OutboundSender(const MqttOptions& options, std::string store, std::string zone, OutboundTiming timing)
    : store_(std::move(store)), zone_(std::move(zone)), timing_(timing), resend_after_(timing.resend_first) {
    MqttOptions o = options;
    o.client_id = "storeq-controller-" + store_ + "-hq";
    o.will.reset();
    o.log_connection = false;  // the control session says it for the broker
    client_ = std::make_unique<MqttClient>(o);
    client_->on_message([this](const MqttMessage& m) {
        if (m.payload.empty()) return;
        auto ack = chain::decode_ack(m.payload);
        if (!ack) {
            log_warn(kLog, "unreadable ack on " + m.topic + ": " + ack.error().to_string());
            return;
        }
        // Only forward: a retained ack arrives again on every connect.
        std::int64_t seen = ack_seen_.load();
        while (ack->seq > seen && !ack_seen_.compare_exchange_weak(seen, ack->seq)) {
        }
    });
    client_->on_connection([this](bool connected) {
        if (connected) reconnected_ = true;
    });
    client_->subscribe(chain::ack_topic(store_), 1);
}

OutboundSender::~OutboundSender() { stop(); }

Expected<void> OutboundSender::start() { return client_->start(); }
void OutboundSender::stop() {
    if (client_) client_->stop();
}

void OutboundSender::pump(Database& db, TimeMs real_now) {
    if (!loaded_) {
        auto b = outbound_log::backlog(db);
        if (!b) {
            if (log_limit_.count("backlog", real_now)) log_warn(kLog, "cannot read the outbound log: " + b.error().to_string());
            return;
        }
        backlog_ = *b;
        sent_upto_ = backlog_.acked;
        last_progress_ = real_now;
        loaded_ = true;
    }
    const std::int64_t ack = ack_seen_.load();
    if (ack > backlog_.acked) {
        auto before = outbound_log::backlog(db);
        if (auto recorded = outbound_log::record_ack(db, ack); !recorded) {
            if (log_limit_.count("ack", real_now)) log_warn(kLog, "cannot record the ack: " + recorded.error().to_string());
            return;
        }
        if (before && ack > before->written)
            log_warn(kLog, "head office has entries up to " + std::to_string(ack) + " but this database wrote up to " +
                               std::to_string(before->written) + " (restored or new?): what it has not sent yet is renumbered above");
        auto b = outbound_log::backlog(db);
        if (b) backlog_ = *b;
        sent_upto_ = std::max(sent_upto_, backlog_.acked);
        last_progress_ = real_now;
        resend_after_ = timing_.resend_first;
    }
    if (reconnected_.exchange(false)) sent_upto_ = backlog_.acked;  // what was in flight may be lost
    if (sent_upto_ > backlog_.acked && real_now - last_progress_ >= resend_after_) {
        ++resends_;
        if (log_limit_.count("resend", real_now))
            log_info(kLog, "no ack for " + std::to_string((real_now - last_progress_) / 1000) + " s: sending again from " +
                               std::to_string(backlog_.acked + 1) + " (" + std::to_string(sent_upto_ - backlog_.acked) +
                               " entries in flight)");
        sent_upto_ = backlog_.acked;
        last_progress_ = real_now;
        resend_after_ = std::min(resend_after_ * 2, timing_.resend_max);
    }
    if (!client_->connected()) return;  // libmosquitto would queue it in memory for ever
    while (sent_upto_ - backlog_.acked < timing_.window_entries) {
        auto rows = outbound_log::read_after(db, sent_upto_, chain::kMaxBatchEntries, chain::kMaxBatchBytes);
        if (!rows) {
            if (log_limit_.count("read", real_now)) log_warn(kLog, "cannot read the outbound log: " + rows.error().to_string());
            return;
        }
        if (rows->empty()) break;
        if (auto sent = client_->publish(chain::outbound_topic(store_), chain::batch_json(store_, zone_, *rows), 1, false);
            !sent) {
            if (log_limit_.count("publish", real_now)) log_warn(kLog, "cannot send: " + sent.error().to_string());
            return;
        }
        if (sent_upto_ == backlog_.acked) last_progress_ = real_now;  // the ack timer starts with the first in flight
        sent_upto_ = rows->back().first;
        backlog_.written = std::max(backlog_.written, sent_upto_);
    }
}

}  // namespace storeq::controller
