#include "app/feedback_outbox.hpp"

#include <algorithm>

#include "app/kiosk_app.hpp"
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

FeedbackOutbox::FeedbackOutbox(Outbox outbox, Send send, std::size_t window, ReceiptTiming timing, Clock clock)
    : outbox_(std::move(outbox)),
      send_(std::move(send)),
      window_(std::max<std::size_t>(window, 1)),
      timing_(timing),
      clock_(clock ? std::move(clock) : Clock(system_now_ms)) {}

void FeedbackOutbox::store_and_send(const Feedback& feedback) {
    std::int64_t backlog = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        auto row = outbox_.add(feedback);
        if (!row) {
            error = "outbox write failed, sending without a copy: " + row.error().to_string();
            // No row, so nothing to track: it is never re-sent.
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
        const TimeMs now = clock_();
        // Whatever awaits its PUBACK stays with libmosquitto, which sends it again now;
        // only a row that a whole connection left unanswered is sent anew.
        for (auto& [row, handed] : handed_) {
            if (handed.message_id == 0 || ++handed.link_ups < kTakeBackAtLinkUp) continue;
            row_by_message_id_.erase(handed.message_id);
            handed.message_id = 0;
            resend_locked(row, handed, now);
            ++taken_back;
        }
        if (holes_) {
            // Read from the first row again; rows in flight are skipped.
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
    if (backlog > 0) log_info(kComponent, std::to_string(backlog) + " feedbacks waiting for a receipt");
}

void FeedbackOutbox::link_down() {
    std::lock_guard lock(mutex_);
    link_up_ = false;
}

void FeedbackOutbox::acknowledged(int message_id) {
    std::lock_guard lock(mutex_);
    auto it = row_by_message_id_.find(message_id);
    if (it == row_by_message_id_.end()) return;  // a Status, a claim, or a copy taken back
    auto handed = handed_.find(it->second);
    row_by_message_id_.erase(it);
    if (handed == handed_.end()) return;  // receipted before its PUBACK came
    // The broker has it; the window slot stays taken until the store has it.
    handed->second.message_id = 0;
    handed->second.receipt_due = clock_() + receipt_wait(handed->second.resends);
}

void FeedbackOutbox::receipt(const Receipt& receipt) {
    std::int64_t backlog = 0;
    std::string error;
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        auto rows = outbox_.mark_receipted(receipt, clock_());
        if (!rows) {
            // The rows stay in flight: their receipt timeout sends them again, and the
            // controller receipts them again.
            error = "outbox receipt not recorded: " + rows.error().to_string();
        } else {
            for (std::int64_t row : *rows) {
                auto it = handed_.find(row);
                if (it == handed_.end()) continue;  // handed over by an earlier process
                if (it->second.message_id != 0) row_by_message_id_.erase(it->second.message_id);
                handed_.erase(it);
            }
            receipted_ += static_cast<std::int64_t>(rows->size());
            changed = !rows->empty();
            if (changed) error = fill_window_locked();
        }
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    if (changed) notify(backlog);
}

void FeedbackOutbox::durable(const Durable& durable) {
    std::int64_t backlog = 0;
    std::int64_t repended = 0;
    std::string error;
    {
        std::lock_guard lock(mutex_);
        auto outcome = outbox_.apply_durable(durable);
        if (!outcome) {
            error = "outbox durable notice not applied: " + outcome.error().to_string();
        } else if (outcome->new_start) {
            repended = outcome->repended;
            // A new controller: whatever the broker acknowledged and the old one never
            // receipted goes again now, with the timeouts started afresh.
            const TimeMs now = clock_();
            for (auto& [row, handed] : handed_) {
                handed.resends = 0;
                if (handed.message_id == 0) resend_locked(row, handed, now);
            }
            // Re-pended rows lie before read_after_.
            if (repended > 0) {
                read_after_ = 0;
                may_have_unsent_ = true;
            }
            error = fill_window_locked();
        }
        backlog = outbox_.size();
    }
    if (!error.empty()) report(error);
    if (repended > 0) {
        log_warn(kComponent, std::to_string(repended) + " receipted feedbacks are missing from the store's database "
                             "(restored or replaced); sending them again");
        notify(backlog);
    }
}

void FeedbackOutbox::tick() {
    TimeMs now = 0;
    std::size_t overdue = 0;
    bool check_history = false;
    {
        std::lock_guard lock(mutex_);
        now = clock_();
        if (link_up_) {
            for (auto& [row, handed] : handed_) {
                if (handed.message_id != 0 || handed.receipt_due > now) continue;
                resend_locked(row, handed, now);
                ++overdue;
            }
        }
        check_history = now >= next_history_check_;
        if (check_history) next_history_check_ = now + kHistoryCheckMs;
    }
    if (overdue > 0) log_warn(kComponent, std::to_string(overdue) + " feedbacks had no receipt in time; sent again");
    if (!check_history) return;
    // Batch by batch, releasing the lock in between: a month of history deleted at once
    // would hold up the shopper's next answer.
    std::int64_t deleted = 0;
    for (;;) {
        std::lock_guard lock(mutex_);
        auto batch = outbox_.delete_history(now - timing_.history_ms, kHistoryBatch);
        if (!batch) {
            log_warn(kComponent, "history clean-up failed: " + batch.error().to_string());
            break;
        }
        deleted += *batch;
        if (*batch < static_cast<std::int64_t>(kHistoryBatch)) break;
    }
    if (deleted > 0) log_info(kComponent, std::to_string(deleted) + " receipted feedbacks left the history");
}

std::int64_t FeedbackOutbox::backlog() const {
    std::lock_guard lock(mutex_);
    return outbox_.size();
}

OutboxStats FeedbackOutbox::stats() const {
    std::lock_guard lock(mutex_);
    OutboxStats stats;
    stats.backlog = outbox_.size();
    stats.history = outbox_.history();
    stats.in_flight = handed_.size();
    stats.unacknowledged = row_by_message_id_.size();
    stats.in_flight_peak = in_flight_peak_;
    stats.window = window_;
    stats.sent = sent_;
    stats.resent = resent_;
    stats.receipted = receipted_;
    return stats;
}

std::string FeedbackOutbox::fill_window_locked() {
    if (!link_up_ || !may_have_unsent_) return {};
    while (handed_.size() < window_) {
        // A page holds at most window_ - 1 rows that are already in flight (only while
        // re-reading from the start), so window_ rows always make progress.
        const std::size_t limit = window_;
        auto rows = outbox_.pending_after(read_after_, limit);
        if (!rows) return "outbox read failed: " + rows.error().to_string();
        for (const auto& row : *rows) {
            if (handed_.size() >= window_) return {};
            read_after_ = row.row;
            if (handed_.count(row.row)) continue;
            send_new_locked(row.row, row.payload, row.row <= handed_over_up_to_);
            handed_over_up_to_ = std::max(handed_over_up_to_, row.row);
        }
        if (rows->size() < limit) {
            may_have_unsent_ = false;
            return {};
        }
    }
    return {};
}

void FeedbackOutbox::send_new_locked(std::int64_t row, const std::string& payload, bool again) {
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
    handed_[row] = Handed{payload, 0, 0, 0, 0};
    hold_message_id_locked(*message_id, row);
    in_flight_peak_ = std::max(in_flight_peak_, handed_.size());
}

void FeedbackOutbox::resend_locked(std::int64_t row, Handed& handed, TimeMs now) {
    auto message_id = send_(handed.payload);
    ++handed.resends;
    if (!message_id) {
        // Tried again when this wait is over; the row keeps its place in the window.
        log_warn(kComponent, "publish refused: " + message_id.error().to_string());
        handed.receipt_due = now + receipt_wait(handed.resends);
        return;
    }
    ++sent_;
    ++resent_;
    handed.link_ups = 0;
    hold_message_id_locked(*message_id, row);
}

void FeedbackOutbox::hold_message_id_locked(int message_id, std::int64_t row) {
    auto [it, inserted] = row_by_message_id_.try_emplace(message_id, row);
    if (!inserted && it->second != row) {
        // The id is still held by an older row: libmosquitto's ids wrapped while that row
        // waited (65,535 publishes later). One PUBACK can no longer be told from the other,
        // so the older row is taken back (sent again after the next connect) and the id
        // now means this row only.
        handed_.erase(it->second);
        it->second = row;
        holes_ = true;
    }
    handed_[row].message_id = message_id;
}

TimeMs FeedbackOutbox::receipt_wait(int resends) const {
    TimeMs wait = std::max<TimeMs>(timing_.receipt_timeout_ms, 1);
    for (int i = 0; i < resends && wait < kMaxReceiptTimeoutMs; ++i) wait *= 2;
    return std::min(wait, kMaxReceiptTimeoutMs);
}

void FeedbackOutbox::report(const std::string& text) {
    log_error(kComponent, text);
    if (error_reported_) error_reported_(text);
}

void FeedbackOutbox::notify(std::int64_t backlog) {
    if (backlog_changed_) backlog_changed_(backlog);
}

}  // namespace storeq::kiosk
