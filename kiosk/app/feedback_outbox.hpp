#pragma once
// The outbox between threads. The UI thread stores each Feedback; libmosquitto's network
// thread reports connects, PUBACKs, receipts and durable notices; MqttLink's timer thread
// calls tick(). One mutex orders all of it, so no row can be stored between "connected"
// and "refilled" without being considered, and no PUBACK can arrive before its message id
// is recorded.
//
// A row leaves the backlog only on the controller's receipt (docs/protocol.md "Receipt and
// Durable"): a PUBACK means the broker has it, in memory. At most `window` rows are handed
// to libmosquitto and not yet receipted (in flight); the rest wait in SQLite only and are
// handed over, oldest first, as receipts free the window. So with the controller down the
// broker holds at most a window of this kiosk's responses, whatever the backlog.
//
// A PUBACK frees only the row's message id. Only rows awaiting their PUBACK have one, so
// the map from message id to row stays small: libmosquitto's 16-bit ids cannot wrap onto
// a row still waiting for its PUBACK, and an acknowledgement can only touch the row its
// message carried.
//
// libmosquitto keeps every QoS 1 message it was given, across reconnects and whatever the
// session (2.0.11: message__reconnect_reset keeps them, handle__connack re-sends them).
// A reconnect therefore re-sends nothing that awaits its PUBACK; it only fills the window.
// Should libmosquitto ever lose a message anyway, a row still unacknowledged when the link
// comes up for the second time since it was handed over is sent again under a new message
// id, and its old id is forgotten.
//
// A row acknowledged and not receipted within the receipt timeout is sent again (the
// controller dedupes by id); the timeout doubles per re-send of that row, up to
// kMaxReceiptTimeoutMs, so a long controller outage costs one window per timeout, not a
// flood. The timeout runs from the PUBACK: before it, the message is libmosquitto's, and
// a copy queued while the broker is away would only pile up there.
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
    std::int64_t backlog = 0;         // rows stored and not yet receipted
    std::int64_t history = 0;         // receipted rows kept (deleted after `history`)
    std::size_t in_flight = 0;        // rows handed to MQTT, not yet receipted: the window
    std::size_t unacknowledged = 0;   // of those, rows whose PUBACK is still due
    std::size_t in_flight_peak = 0;   // the most in flight there ever were at once
    std::size_t window = 0;           // the bound on in_flight
    std::int64_t sent = 0;            // rows handed to MQTT since start, re-sends included
    std::int64_t resent = 0;          // of those, rows handed over a second time or more
    std::int64_t receipted = 0;       // rows receipted since start
};

struct ReceiptTiming {
    TimeMs receipt_timeout_ms = 60'000;               // config `receipt_timeout`
    TimeMs history_ms = 30LL * 24 * 3600 * 1000;      // config `history`
};

class FeedbackOutbox {
public:
    // Hands one encoded Feedback to MQTT at QoS 1; returns its message id.
    using Send = std::function<Expected<int>(const std::string& payload)>;
    // Called (on whichever thread changed it, with the lock released) after the backlog changed.
    using BacklogChanged = std::function<void(std::int64_t backlog)>;
    // Called with anything worth showing on the service screen.
    using ErrorReported = std::function<void(const std::string& text)>;
    using Clock = std::function<TimeMs()>;

    // 256 in flight keep loopback QoS 1 at full speed (bench/kiosk_outbox) and stay far
    // below libmosquitto's send maximum (1,000) and the 65,535 message ids.
    static constexpr std::size_t kDefaultWindow = 256;
    static constexpr TimeMs kMaxReceiptTimeoutMs = 15 * 60'000;
    // History is deleted in batches this small, each under the lock on its own, so the UI
    // thread's store_and_send never waits behind a large delete.
    static constexpr std::size_t kHistoryBatch = 500;
    static constexpr TimeMs kHistoryCheckMs = 60'000;

    // `clock` gives the kiosk's time (receipted_at, timeouts); empty: the system clock.
    FeedbackOutbox(Outbox outbox, Send send, std::size_t window = kDefaultWindow, ReceiptTiming timing = {},
                   Clock clock = {});

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
    // Network thread: the controller stored these ids durably (this kiosk's receipt topic).
    void receipt(const Receipt& receipt);
    // Network thread: the controller's retained durable notice.
    void durable(const Durable& durable);
    // Timer thread, about once a second: re-sends rows whose receipt is overdue and, once
    // a minute, deletes history older than `history`.
    void tick();

    std::int64_t backlog() const;
    OutboxStats stats() const;

private:
    struct Handed {
        std::string payload;     // kept for a re-send: at most a window of them
        int message_id = 0;      // 0: acknowledged (or taken back), no id held
        int link_ups = 0;        // times the link came up while this row waited for its PUBACK
        int resends = 0;         // receipt timeouts so far: the next wait doubles
        TimeMs receipt_due = 0;  // acknowledged: sent again if no receipt by then
    };

    // Hands rows to MQTT, oldest first, until the window is full; returns an error text.
    std::string fill_window_locked();
    void send_new_locked(std::int64_t row, const std::string& payload, bool again);
    // A row already in the window goes out again under a new message id.
    void resend_locked(std::int64_t row, Handed& handed, TimeMs now);
    // Records `message_id` for `row`; an older row still holding that id is taken back.
    void hold_message_id_locked(int message_id, std::int64_t row);
    TimeMs receipt_wait(int resends) const;
    void report(const std::string& text);
    void notify(std::int64_t backlog);

    mutable std::mutex mutex_;
    Outbox outbox_;
    Send send_;
    const std::size_t window_;
    const ReceiptTiming timing_;
    Clock clock_;
    bool link_up_ = false;
    std::map<std::int64_t, Handed> handed_;          // row -> in flight; at most window_ entries
    std::map<int, std::int64_t> row_by_message_id_;  // rows awaiting their PUBACK
    // The next read of the outbox starts after this row.
    std::int64_t read_after_ = 0;
    // Every row up to here has been handed over at least once in this process.
    std::int64_t handed_over_up_to_ = 0;
    // Rows may wait after read_after_ (false once a read came back short, until the next
    // add): spares an empty query per receipt once the backlog has drained.
    bool may_have_unsent_ = true;
    // A pending row before read_after_ is not in flight (its publish was refused, or it was
    // taken back): the next link-up reads from the start.
    bool holes_ = false;
    TimeMs next_history_check_ = 0;
    std::size_t in_flight_peak_ = 0;
    std::int64_t sent_ = 0;
    std::int64_t resent_ = 0;
    std::int64_t receipted_ = 0;
    BacklogChanged backlog_changed_;
    ErrorReported error_reported_;
};

}  // namespace storeq::kiosk
