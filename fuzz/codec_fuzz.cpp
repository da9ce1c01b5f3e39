// libFuzzer target for everything that parses bytes from the network: the JSON codec
// and the topic parser. Beyond "never crashes, never leaks, no undefined behaviour"
// (ASan/UBSan), it checks a property: whatever a decoder accepts, encoding it and
// decoding again gives the same message (nothing the controller stores is lost or
// changed by a round trip).
//
// Input: the first byte picks the decoder, the rest is the payload or topic. The seeds
// (tests/hostile/) are whole payloads; their first byte picks the decoder at random.
//
// Every message kind's decoder is here, the clock tick included, and the clock tick also
// the way `--clock sim` uses it: the input "tick\x1emessage" is a clock tick, bounded as
// the controller bounds it (sim_clock.hpp), whose time then is the `now` every
// time-bounded decoder judges the message by (a tick of INT64_MAX once made `now + 24 h`
// overflow there: issue 9, defect 8). fuzz/seeds/ starts it on such inputs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sim_clock.hpp"
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

// The time-bounded decoders, all of them, at the given `now`.
void decode_at(std::string_view payload, storeq::TimeMs now) {
    using namespace storeq;
    round_trip("feedback at tick", payload, [now](std::string_view p) { return decode_feedback(p, now); });
    round_trip("queue at tick", payload, [now](std::string_view p) { return decode_queue_count(p, now); });
    round_trip("lane state at tick", payload, [now](std::string_view p) { return decode_lane_state(p, now); });
    round_trip("claim at tick", payload, [now](std::string_view p) { return decode_claim(p, now); });
    round_trip("status at tick", payload, [now](std::string_view p) { return decode_status(p, now); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    using namespace storeq;
    switch (data[0] % 12) {
        case 0: round_trip("feedback round trip", input, [](std::string_view p) { return decode_feedback(p, kNow); }); break;
        case 1: round_trip("queue round trip", input, [](std::string_view p) { return decode_queue_count(p, kNow); }); break;
        case 2: round_trip("lane state round trip", input, [](std::string_view p) { return decode_lane_state(p, kNow); }); break;
        case 3: round_trip("prompt round trip", input, [](std::string_view p) { return decode_prompt(p); }); break;
        case 4: round_trip("claim round trip", input, [](std::string_view p) { return decode_claim(p, kNow); }); break;
        case 5: round_trip("status round trip", input, [](std::string_view p) { return decode_status(p, kNow); }); break;
        case 6: round_trip("wait round trip", input, [](std::string_view p) { return decode_wait_estimate(p); }); break;
        case 7: round_trip("clock round trip", input, [](std::string_view p) { return decode_clock_tick(p); }); break;
        case 10: round_trip("receipt round trip", input, [](std::string_view p) { return decode_receipt(p); }); break;
        case 11: round_trip("durable round trip", input, [](std::string_view p) { return decode_durable(p); }); break;
        case 8: {
            auto topic = parse_topic(input);
            if (!topic) break;
            // A topic the parser accepts is one the builder makes again, byte for byte.
            if (topic_name(*topic) != input) fail("topic round trip", input);
            break;
        }
        case 9: {  // "tick\x1emessage": the simulated clock, then a message judged by its time
            const auto separator = input.find('\x1e');
            const std::string_view tick_payload = input.substr(0, separator);
            const std::string_view message =
                separator == std::string_view::npos ? std::string_view() : input.substr(separator + 1);
            auto tick = decode_clock_tick(tick_payload);
            if (!tick) break;
            const auto now = storeq::controller::sim_time_after_tick(kNow, *tick);
            if (!now) break;  // refused, as the controller refuses it
            decode_at(message, *now);
            break;
        }
    }
    return 0;
}
