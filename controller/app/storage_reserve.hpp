#pragma once
// Room kept on the database's disk for what must never wait for the disk: prompts, claims
// and lane states. A file of a fixed size beside the database ("ballast") is given back
// the moment a write fails, so the rule can go on storing its transitions (a few KiB a
// prompt) while feedback waits at the broker and in the kiosks' outboxes. It is taken
// again only when the disk has room for it twice over, so feedback does not flap between
// stored and held on the last bytes.
#include <cstdint>
#include <string>

namespace storeq::controller {

class StorageReserve {
public:
    // bytes < 0: a twentieth of the file system, at most 8 MiB (a small disk cannot spare
    // more; a prompt's transaction takes a few KiB).
    StorageReserve(std::string path, std::int64_t bytes) : path_(std::move(path)), bytes_(bytes) {}
    // True when the reserve is in place at full size (made now, or held already).
    bool ensure();
    // Gives its room back to the database.
    void release();
    bool held() const { return held_; }
    std::int64_t bytes() const { return bytes_ < 0 ? 0 : bytes_; }

private:
    std::string path_;
    std::int64_t bytes_;
    bool held_ = false;
};

}  // namespace storeq::controller
