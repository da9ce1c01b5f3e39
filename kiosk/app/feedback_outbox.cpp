#include "app/feedback_outbox.hpp"

#include "storeq/codec.hpp"
#include "storeq/log.hpp"

namespace storeq::kiosk {
namespace {
constexpr std::string_view kComponent = "kiosk-outbox";
}  // namespace

FeedbackOutbox::FeedbackOutbox(Outbox outbox, Send send) : outbox_(std::move(outbox)), send_(std::move(send)) {}

void FeedbackOutbox::store_and_send(const Feedback& feedback) {
    std::int64_t backlog = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        auto row = outbox_.add(feedback);
        if (!row) {
            error = "outbox write failed, sending without a copy: " + row.error().to_string();
            // Row 0 is never a real row: its PUBACK removes nothing.
            if (link_up_) send_locked(0, encode(feedback));
        } else if (link_up_) {
            send_locked(*row, encode(feedback));
        }
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    notify(backlog);
}

void FeedbackOutbox::link_up() {
    std::int64_t backlog = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        link_up_ = true;
        auto rows = outbox_.pending();
        if (!rows) {
            error = "outbox read failed: " + rows.error().to_string();
        } else {
            for (const auto& row : *rows) send_locked(row.row, row.payload);
        }
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    if (backlog > 0) log_info(kComponent, "re-sending " + std::to_string(backlog) + " feedbacks");
}

void FeedbackOutbox::link_down() {
    std::lock_guard lock(mutex_);
    link_up_ = false;
}

void FeedbackOutbox::acknowledged(int message_id) {
    std::int64_t backlog = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        auto it = row_by_message_id_.find(message_id);
        if (it == row_by_message_id_.end()) return;  // a Status, a claim, or a row sent twice
        const std::int64_t row = it->second;
        row_by_message_id_.erase(it);
        if (row == 0) return;
        const std::int64_t before = outbox_.size();
        if (auto removed = outbox_.remove(row); !removed)
            error = "outbox delete failed: " + removed.error().to_string();
        backlog = outbox_.size();
        if (error.empty() && backlog == before) return;  // the other copy's PUBACK came first
    }
    if (!error.empty()) report(error);
    notify(backlog);
}

std::int64_t FeedbackOutbox::backlog() const {
    std::lock_guard lock(mutex_);
    return outbox_.size();
}

void FeedbackOutbox::send_locked(std::int64_t row, const std::string& payload) {
    auto message_id = send_(payload);
    // libmosquitto queues while disconnected, so a refusal here is a local problem (out of
    // memory, payload too big): the row stays and goes out again on the next connect.
    if (!message_id) {
        log_warn(kComponent, "publish refused: " + message_id.error().to_string());
        return;
    }
    row_by_message_id_[*message_id] = row;
}

void FeedbackOutbox::report(const std::string& text) {
    log_error(kComponent, text);
    if (error_reported_) error_reported_(text);
}

void FeedbackOutbox::notify(std::int64_t backlog) {
    if (backlog_changed_) backlog_changed_(backlog);
}

}  // namespace storeq::kiosk
