#include "app/feedback_outbox.hpp"

#include <algorithm>

#include "storeq/codec.hpp"
#include "storeq/log.hpp"

namespace storeq::kiosk {
namespace {
constexpr std::string_view kComponent = "kiosk-outbox";
// libmosquitto re-sends what it holds right after each CONNACK, and the broker answers in
// order within milliseconds. A row still unacknowledged at the second link-up since it was
// handed over went through a whole connection unanswered: libmosquitto no longer has it.
constexpr int kTakeBackAtLinkUp = 2;
}  // namespace

FeedbackOutbox::FeedbackOutbox(Outbox outbox, Send send, std::size_t window)
    : outbox_(std::move(outbox)), send_(std::move(send)), window_(std::max<std::size_t>(window, 1)) {}

void FeedbackOutbox::store_and_send(const Feedback& feedback) {
    std::int64_t backlog = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        auto row = outbox_.add(feedback);
        if (!row) {
            error = "outbox write failed, sending without a copy: " + row.error().to_string();
            // No row, so nothing to track: its PUBACK removes nothing and it is never re-sent.
            if (link_up_) {
                if (auto sent = send_(encode(feedback)); sent) ++sent_;
            }
        } else {
            may_have_unsent_ = true;
            error = fill_window_locked();
        }
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    notify(backlog);
}

void FeedbackOutbox::link_up() {
    std::int64_t backlog = 0;
    std::size_t taken_back = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        link_up_ = true;
        // Whatever is in flight stays with libmosquitto, which sends it again now; only a
        // row that a whole connection left unanswered is taken back and sent anew.
        for (auto it = in_flight_.begin(); it != in_flight_.end();) {
            if (++it->second.link_ups < kTakeBackAtLinkUp) {
                ++it;
                continue;
            }
            message_id_by_row_.erase(it->second.row);
            it = in_flight_.erase(it);
            ++taken_back;
            holes_ = true;
        }
        if (holes_) {
            // Read from the first row again; rows still in flight are skipped.
            holes_ = false;
            read_after_ = 0;
            may_have_unsent_ = true;
        }
        error = fill_window_locked();
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    if (taken_back > 0)
        log_warn(kComponent, std::to_string(taken_back) + " feedbacks were not acknowledged through a whole connection; sent again");
    if (backlog > 0) log_info(kComponent, std::to_string(backlog) + " feedbacks waiting for the broker");
}

void FeedbackOutbox::link_down() {
    std::lock_guard lock(mutex_);
    link_up_ = false;
}

void FeedbackOutbox::acknowledged(int message_id) {
    std::int64_t backlog = 0;
    bool changed = false;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        auto it = in_flight_.find(message_id);
        if (it == in_flight_.end()) return;  // a Status, a claim, or a copy taken back
        const std::int64_t row = it->second.row;
        message_id_by_row_.erase(row);
        in_flight_.erase(it);
        const std::int64_t before = outbox_.size();
        if (auto removed = outbox_.remove(row); !removed) {
            error = "outbox delete failed: " + removed.error().to_string();
            holes_ = true;  // delivered, but still stored: sent once more after the next connect
        }
        changed = outbox_.size() != before;
        // Refill in batches of half a window: one read per batch, not one per PUBACK.
        if (in_flight_.size() <= window_ / 2) {
            auto filled = fill_window_locked();
            if (error.empty()) error = std::move(filled);
        }
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    if (changed || !error.empty()) notify(backlog);
}

std::int64_t FeedbackOutbox::backlog() const {
    std::lock_guard lock(mutex_);
    return outbox_.size();
}

OutboxStats FeedbackOutbox::stats() const {
    std::lock_guard lock(mutex_);
    OutboxStats stats;
    stats.backlog = outbox_.size();
    stats.in_flight = in_flight_.size();
    stats.in_flight_peak = in_flight_peak_;
    stats.window = window_;
    stats.sent = sent_;
    stats.resent = resent_;
    return stats;
}

std::string FeedbackOutbox::fill_window_locked() {
    if (!link_up_ || !may_have_unsent_) return {};
    while (in_flight_.size() < window_) {
        // A page holds at most window_ - 1 rows that are already in flight (only while
        // re-reading from the start), so window_ rows always make progress.
        const std::size_t limit = window_;
        auto rows = outbox_.pending_after(read_after_, limit);
        if (!rows) return "outbox read failed: " + rows.error().to_string();
        for (const auto& row : *rows) {
            if (in_flight_.size() >= window_) return {};
            read_after_ = row.row;
            if (message_id_by_row_.count(row.row)) continue;
            send_locked(row.row, row.payload, row.row <= handed_over_up_to_);
            handed_over_up_to_ = std::max(handed_over_up_to_, row.row);
        }
        if (rows->size() < limit) {
            may_have_unsent_ = false;
            return {};
        }
    }
    return {};
}

void FeedbackOutbox::send_locked(std::int64_t row, const std::string& payload, bool again) {
    auto message_id = send_(payload);
    // libmosquitto queues while disconnected, so a refusal here is a local problem (out of
    // memory, payload too big): the row stays and goes out again after the next connect.
    if (!message_id) {
        log_warn(kComponent, "publish refused: " + message_id.error().to_string());
        holes_ = true;
        return;
    }
    ++sent_;
    if (again) ++resent_;
    auto [it, inserted] = in_flight_.try_emplace(*message_id, InFlight{row, 0});
    if (!inserted) {
        // The id is still held by an older row: libmosquitto's ids wrapped while that row
        // waited (65,535 publishes later). One PUBACK can no longer be told from the other,
        // so the older row is taken back (sent again after the next connect) and the id
        // now means this row only.
        message_id_by_row_.erase(it->second.row);
        it->second = InFlight{row, 0};
        holes_ = true;
    }
    message_id_by_row_[row] = *message_id;
    in_flight_peak_ = std::max(in_flight_peak_, in_flight_.size());
}

void FeedbackOutbox::report(const std::string& text) {
    log_error(kComponent, text);
    if (error_reported_) error_reported_(text);
}

void FeedbackOutbox::notify(std::int64_t backlog) {
    if (backlog_changed_) backlog_changed_(backlog);
}

}  // namespace storeq::kiosk
