// libFuzzer target for everything that parses bytes from the network: the JSON codec
// and the topic parser. Beyond "never crashes, never leaks, no undefined behaviour"
// (ASan/UBSan), it checks a property: whatever a decoder accepts, encoding it and
// decoding again gives the same message (nothing the controller stores is lost or
// changed by a round trip).
//
// Input: the first byte picks the decoder, the rest is the payload or topic. The seeds
// (tests/hostile/) are whole payloads; their first byte picks the decoder at random.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

namespace {

// Fixed "now" (2025-11-22): time bounds are checked the same way on every run.
constexpr storeq::TimeMs kNow = 1'763'806'530'123;

[[noreturn]] void fail(const char* what, std::string_view input) {
    std::fprintf(stderr, "codec_fuzz: %s for input of %zu bytes\n", what, input.size());
    std::abort();
}

template <class Decode>
void round_trip(const char* name, std::string_view payload, Decode decode) {
    auto first = decode(payload);
    if (!first) {
        if (first.error().what.empty()) fail(name, payload);  // every rejection says why
        return;
    }
    const std::string encoded = storeq::encode(*first);
    auto second = decode(encoded);
    if (!second) fail(name, payload);
    if (!(*second == *first)) fail(name, payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    using namespace storeq;
    switch (data[0] % 9) {
        case 0: round_trip("feedback round trip", input, [](std::string_view p) { return decode_feedback(p, kNow); }); break;
        case 1: round_trip("queue round trip", input, [](std::string_view p) { return decode_queue_count(p, kNow); }); break;
        case 2: round_trip("lane state round trip", input, [](std::string_view p) { return decode_lane_state(p, kNow); }); break;
        case 3: round_trip("prompt round trip", input, [](std::string_view p) { return decode_prompt(p); }); break;
        case 4: round_trip("claim round trip", input, [](std::string_view p) { return decode_claim(p, kNow); }); break;
        case 5: round_trip("status round trip", input, [](std::string_view p) { return decode_status(p, kNow); }); break;
        case 6: round_trip("wait round trip", input, [](std::string_view p) { return decode_wait_estimate(p); }); break;
        case 7: round_trip("clock round trip", input, [](std::string_view p) { return decode_clock_tick(p); }); break;
        case 8: {
            auto topic = parse_topic(input);
            if (!topic) break;
            // A topic the parser accepts is one the builder makes again, byte for byte.
            if (topic_name(*topic) != input) fail("topic round trip", input);
            break;
        }
    }
    return 0;
}
