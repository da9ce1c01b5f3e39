#pragma once
// Identifiers: device/store/staff ids and UUIDv7 event ids.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "storeq/protocol.hpp"

namespace storeq {

// [a-z0-9][a-z0-9-]{0,31}
bool is_valid_id(std::string_view id);
// Canonical 8-4-4-4-12 lowercase hex UUID text.
bool is_valid_uuid(std::string_view text);
// Reason codes: [a-z0-9_]{1,32}
bool is_valid_reason_code(std::string_view code);

// UUIDv7: 48-bit millisecond timestamp then random bits, so ids sort by creation time
// (they insert ~8x faster into SQLite than random v4, docs/toolchain.md). Time and randomness are
// passed in so the function stays pure.
std::string make_uuid_v7(TimeMs now, std::mt19937_64& rng);
// The controller's ids (prompts, alerts): seeded from a counter the state carries, so a
// replay makes the same ids. Advances `seed`.
inline std::string next_uuid_v7(std::uint64_t& seed, TimeMs now) {
    std::mt19937_64 rng(seed++);
    return make_uuid_v7(now, rng);
}

}  // namespace storeq
