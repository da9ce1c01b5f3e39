#pragma once
// The outbox between two threads. The UI thread stores each Feedback; libmosquitto's
// network thread reports connects and PUBACKs. One mutex orders all of it, so no row can be
// stored between "connected" and "refilled" without being considered, and no PUBACK can
// arrive before its message id is recorded.
//
// At most `window` rows are handed to libmosquitto and not yet acknowledged (in flight);
// the rest wait in SQLite only and are handed over, oldest first, as acknowledgements free
// the window. Only rows in flight have a message id, so the map from message id to row
// stays small: libmosquitto's 16-bit ids cannot wrap onto a row still waiting for its
// PUBACK, and an acknowledgement can only remove the row its message carried.
//
// libmosquitto keeps every QoS 1 message it was given, across reconnects and whatever the
// session (2.0.11: message__reconnect_reset keeps them, handle__connack re-sends them).
// A reconnect therefore re-sends nothing that is in flight; it only fills the window.
// Should libmosquitto ever lose a message anyway, its row would block a window slot for
// good: a row still unacknowledged when the link comes up for the second time since it
// was handed over is sent again under a new message id, and its old id is forgotten.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "app/outbox.hpp"

namespace storeq::kiosk {

// What the outbox is doing; the service screen, tests and benchmarks read it.
struct OutboxStats {
    std::int64_t backlog = 0;         // rows stored and not yet acknowledged
    std::size_t in_flight = 0;        // rows handed to MQTT, not yet acknowledged (the id map)
    std::size_t in_flight_peak = 0;   // the most there ever were at once
    std::size_t window = 0;           // the bound on in_flight
    std::int64_t sent = 0;            // rows handed to MQTT since start, re-sends included
    std::int64_t resent = 0;          // of those, rows handed over a second time or more
};

class FeedbackOutbox {
public:
    // Hands one encoded Feedback to MQTT at QoS 1; returns its message id.
    using Send = std::function<Expected<int>(const std::string& payload)>;
    // Called (on whichever thread changed it, with the lock released) after the backlog changed.
    using BacklogChanged = std::function<void(std::int64_t backlog)>;
    // Called with anything worth showing on the service screen.
    using ErrorReported = std::function<void(const std::string& text)>;

    // 256 in flight keep loopback QoS 1 at full speed (bench/kiosk_outbox) and stay far
    // below libmosquitto's send maximum (1,000) and the 65,535 message ids.
    static constexpr std::size_t kDefaultWindow = 256;

    FeedbackOutbox(Outbox outbox, Send send, std::size_t window = kDefaultWindow);

    void on_backlog_changed(BacklogChanged handler) { backlog_changed_ = std::move(handler); }
    void on_error(ErrorReported handler) { error_reported_ = std::move(handler); }

    // UI thread. Never fails towards the caller: a shopper never sees a network or disk
    // error. When the disk refuses the row, the feedback is still sent (best effort).
    void store_and_send(const Feedback& feedback);
    // Network thread: the link is up; the window is filled from the outbox, oldest first.
    void link_up();
    void link_down();
    // Network thread: the broker acknowledged `message_id`.
    void acknowledged(int message_id);

    std::int64_t backlog() const;
    OutboxStats stats() const;

private:
    struct InFlight {
        std::int64_t row = 0;
        int link_ups = 0;  // times the link came up while this row waited for its PUBACK
    };

    // Hands rows to MQTT, oldest first, until the window is full; returns an error text.
    std::string fill_window_locked();
    void send_locked(std::int64_t row, const std::string& payload, bool again);
    void report(const std::string& text);
    void notify(std::int64_t backlog);

    mutable std::mutex mutex_;
    Outbox outbox_;
    Send send_;
    const std::size_t window_;
    bool link_up_ = false;
    std::map<int, InFlight> in_flight_;           // message id -> row; at most window_ entries
    std::map<std::int64_t, int> message_id_by_row_;  // the same entries, by row
    // The next read of the outbox starts after this row.
    std::int64_t read_after_ = 0;
    // Every row up to here has been handed over at least once in this process.
    std::int64_t handed_over_up_to_ = 0;
    // Rows may wait after read_after_ (false once a read came back short, until the next
    // add): spares an empty query per PUBACK once the backlog has drained.
    bool may_have_unsent_ = true;
    // A row before read_after_ is in the outbox but not in flight (its publish was refused,
    // its delete failed, or it was taken back): the next link-up reads from the start.
    bool holes_ = false;
    std::size_t in_flight_peak_ = 0;
    std::int64_t sent_ = 0;
    std::int64_t resent_ = 0;
    BacklogChanged backlog_changed_;
    ErrorReported error_reported_;
};

}  // namespace storeq::kiosk
