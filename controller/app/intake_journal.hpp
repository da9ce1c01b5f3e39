#pragma once
// Feedback that reached the controller but is not committed yet, kept in an append-only
// file beside the database.
//
// Why: libmosquitto acknowledges a QoS 1 message (PUBACK) right after our message callback
// returns, and the controller commits feedback in groups (one commit per message cannot
// keep up with a busy broker: bench/ingest). A feedback acknowledged but not yet committed
// would be lost on a crash. So each one is appended here (one write(2), no fsync: it
// survives the process dying, like SQLite's WAL with synchronous=NORMAL) before the
// callback returns; after each commit the file is emptied; at start-up anything left is
// stored again (the feedback table ignores ids it already has).
#include <string>
#include <vector>

#include "storeq/expected.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::controller {

class IntakeJournal {
public:
    static Expected<IntakeJournal> open(const std::string& path);
    IntakeJournal(IntakeJournal&& other) noexcept;
    IntakeJournal& operator=(IntakeJournal&& other) noexcept;
    ~IntakeJournal();

    Expected<void> append(const MqttMessage& message);
    // Everything appended since the last clear(); a record torn by a crash is left out.
    Expected<std::vector<MqttMessage>> read_all() const;
    Expected<void> clear();
    bool empty() const { return size_ == 0; }

private:
    IntakeJournal(int fd, std::string path, long size) : fd_(fd), path_(std::move(path)), size_(size) {}
    int fd_ = -1;
    std::string path_;
    long size_ = 0;
};

}  // namespace storeq::controller
