#pragma once
// What leaves a store for head office (docs/chain.md, docs/protocol.md "Head office"):
// the controller's outbound log, one sequence per store, published in batches on
// storeq/v1/{store}/hq/outbound and acknowledged by storeq-hq on storeq/v1/{store}/hq/ack.
// The one definition both the producer (controller/app/outbound_*.cpp) and the consumer
// (hq/) use. Pure: JSON text in and out, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storeq/controller/feedback_stats.hpp"
#include "storeq/controller/lane_stats.hpp"
#include "storeq/expected.hpp"
#include "storeq/protocol.hpp"

namespace storeq::chain {

using controller::FeedbackTally;
using controller::LaneTotals;

// A stored feedback, as the store holds it. counted_at: the instant its figures count it
// at (FEEDBACK_COUNTED_AT, controller/app/stats_store.cpp), so head office files it under
// the same hour as the store does.
struct FeedbackEntry {
    std::string id, kiosk;
    TimeMs ts = 0, received = 0, counted_at = 0;
    Scale scale = Scale::smiley4;
    int score = 0;
    std::optional<std::string> reason;
    bool misuse = false;
    bool clock_suspect = false;
    // Its shopper probably queued in a breach (queued_in_breach, controller step.hpp), as
    // the store judged it; none: not known (also from a store before this field).
    std::optional<bool> after_breach;
    bool operator==(const FeedbackEntry&) const = default;
};

// A prompt after one of its transitions: its whole latest row (head office keeps the
// newest by `updated`, so a re-sent older transition never moves it back).
struct PromptEntry {
    std::string id;
    PromptAction action = PromptAction::open_till;
    int till = 0;
    PromptState state = PromptState::open;
    int level = 1;
    TimeMs raised = 0, updated = 0;
    std::optional<std::string> claimed_by;
    std::optional<TimeMs> claimed_at;
    bool operator==(const PromptEntry&) const = default;
};

// A till opened or closed (controller receive time).
struct LaneEntry {
    int lane = 0;
    bool open = false;
    TimeMs at = 0;
    bool operator==(const LaneEntry&) const = default;
};

// One closed hour of the store's rollup, whole (not a delta): every lane's totals and the
// feedback tally of the local hour starting at `hour` (UTC ms). Sent when the hour closes,
// and again whole if a late row changes it (a kiosk's outbox emptied the next day): head
// office replaces the hour it has by the one with the higher seq.
struct HourEntry {
    TimeMs hour = 0;
    std::vector<std::pair<int, LaneTotals>> lanes;  // by lane number, ascending
    FeedbackTally feedback;
    bool operator==(const HourEntry&) const = default;
};

using EntryBody = std::variant<FeedbackEntry, PromptEntry, LaneEntry, HourEntry>;

struct Entry {
    std::int64_t seq = 0;  // 1, 2, 3 ... per store, with no gaps in what the store wrote
    EntryBody body;
    bool operator==(const Entry&) const = default;
};

// One MQTT message: consecutive entries of one store (QoS 1, not retained).
struct Batch {
    std::string store;
    std::string zone;  // the store's IANA time zone, as recorded with its data
    std::vector<Entry> entries;  // ascending seq
    bool operator==(const Batch&) const = default;
};

// Head office has committed every entry up to and including `seq` (retained, QoS 1).
struct Ack {
    std::int64_t seq = 0;
    bool operator==(const Ack&) const = default;
};

// Entries are stored in the outbound log as their JSON body (entry_json), batches are
// made by joining stored bodies (batch_json), so a re-send costs no re-encoding.
std::string entry_json(const EntryBody& body);
std::string batch_json(std::string_view store, std::string_view zone,
                       const std::vector<std::pair<std::int64_t, std::string>>& seq_and_entry_json);
std::string encode(const Batch& batch);
std::string encode(const Ack& ack);

// Bad input is a value: the error names the field.
Expected<Batch> decode_batch(std::string_view payload);
Expected<Ack> decode_ack(std::string_view payload);

// Topics. Head office's chain documents live outside any store's tree.
std::string outbound_topic(std::string_view store);  // storeq/v1/{store}/hq/outbound
std::string ack_topic(std::string_view store);       // storeq/v1/{store}/hq/ack
inline constexpr std::string_view kOutboundFilter = "storeq/v1/+/hq/outbound";
std::string chain_document_topic(std::string_view view);  // storeq/chain/v1/{view}
// The store of an outbound topic, or an error naming what is wrong.
Expected<std::string> store_of_outbound_topic(std::string_view topic);

// Largest batch a store sends in one message (entries); a batch is also cut at ~48 KB, under
// the 64 KiB max_packet_size the store broker sets (systemd/mosquitto-storeq.conf).
inline constexpr std::size_t kMaxBatchEntries = 200;
inline constexpr std::size_t kMaxBatchBytes = 48 * 1024;

}  // namespace storeq::chain
