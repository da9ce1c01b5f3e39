#pragma once
// The outbox between two threads. The UI thread stores each Feedback and sends it if the
// link is up; libmosquitto's network thread reports connects (re-send every waiting row,
// oldest first) and PUBACKs (remove the row that message id carried). One mutex orders
// all of it, so no row can be stored between "connected" and "re-sent everything"
// without being sent, and no PUBACK can arrive before its message id is recorded.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "app/outbox.hpp"

namespace storeq::kiosk {

class FeedbackOutbox {
public:
    // Hands one encoded Feedback to MQTT at QoS 1; returns its message id.
    using Send = std::function<Expected<int>(const std::string& payload)>;
    // Called (on whichever thread changed it, with the lock released) after the backlog changed.
    using BacklogChanged = std::function<void(std::int64_t backlog)>;
    // Called with anything worth showing on the service screen.
    using ErrorReported = std::function<void(const std::string& text)>;

    FeedbackOutbox(Outbox outbox, Send send);

    void on_backlog_changed(BacklogChanged handler) { backlog_changed_ = std::move(handler); }
    void on_error(ErrorReported handler) { error_reported_ = std::move(handler); }

    // UI thread. Never fails towards the caller: a shopper never sees a network or disk
    // error. When the disk refuses the row, the feedback is still sent (best effort).
    void store_and_send(const Feedback& feedback);
    // Network thread: the link is up; every waiting row goes out again, oldest first.
    // Rows libmosquitto still holds from before are sent twice; the controller keeps one.
    void link_up();
    void link_down();
    // Network thread: the broker acknowledged `message_id`.
    void acknowledged(int message_id);

    std::int64_t backlog() const;

private:
    void send_locked(std::int64_t row, const std::string& payload);
    void report(const std::string& text);
    void notify(std::int64_t backlog);

    mutable std::mutex mutex_;
    Outbox outbox_;
    Send send_;
    bool link_up_ = false;
    std::map<int, std::int64_t> row_by_message_id_;
    BacklogChanged backlog_changed_;
    ErrorReported error_reported_;
};

}  // namespace storeq::kiosk
