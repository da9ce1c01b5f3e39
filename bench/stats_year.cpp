// Stats over a year of one busy store: every stats document computed from the rollup
// tables, beside the same figures computed straight from the raw tables, in the same run.
// Target (issue 5): every document in under 50 ms from the rollups; the controller's
// minute (rolling up a minute of new rows, then every document) too. The store is in
// Europe/Amsterdam (its local days, the two change days included), read from the box's
// tz database.
//   storeq-bench-stats_year [DAYS] [SAMPLE_EVERY_S]   (defaults 365, 13: ~1M feedback, ~10M samples)
#include <cstdlib>
#include <random>

#include "bench_util.hpp"
#include "controller_store.hpp"
#include "local_time.hpp"
#include "stats_documents.hpp"
#include "stats_store.hpp"
#include "storeq/sqlite_db.hpp"
#include "temp_dir.hpp"

using namespace storeq;
using namespace storeq::controller;
using namespace storeq::bench;

namespace {
constexpr int kLanes = 8;
constexpr TimeMs kS = 1000;

struct Sizes {
    std::int64_t samples = 0, feedback = 0, lane_states = 0, prompts = 0;
};

// One store day: tills 1-7 open 08:00-22:00, till 8 16:00-20:00; a count from every open
// till every `every_s`; an answer about every 18 s; about 30 prompts.
Expected<void> generate_day(Database& db, TimeMs day, int every_s, std::mt19937_64& rng, Sizes& sizes) {
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    auto sample = db.prepare("INSERT INTO queue_samples(lane, count, ts, received, source, seq) VALUES(?,?,?,?,'sensor',?)");
    auto state = db.prepare("INSERT INTO lane_states(lane, open, ts, received, by) VALUES(?,?,?,?,NULL)");
    auto feedback = db.prepare(
        "INSERT INTO feedback(id, kiosk, ts, received, scale, score, reason, ui, locale, misuse) VALUES(?,'exit-1',?,?,?,?,?,'none','nl',?)");
    auto prompt = db.prepare(
        "INSERT INTO prompts(id, action, till, state, level, demand_lane, raised, updated, claimed_by, claimed_at, payload) "
        "VALUES(?, 'open_till', 5, ?, 1, 1, ?, ?, 'anna', ?, '{}')");
    if (!sample) return sample.error();
    if (!state) return state.error();
    if (!feedback) return feedback.error();
    if (!prompt) return prompt.error();
    static std::int64_t seq = 0, ids = 0;
    const char* reasons[] = {"staff", "queue", "price", "clean", "choice", "fresh"};
    int count[kLanes + 1] = {};
    bool open[kLanes + 1] = {};
    for (TimeMs t = day + 8 * 3600 * kS; t < day + 22 * 3600 * kS; t += every_s * kS) {
        for (int lane = 1; lane <= kLanes; ++lane) {
            const bool want = lane < kLanes || (t >= day + 16 * 3600 * kS && t < day + 20 * 3600 * kS);
            if (want != open[lane]) {
                open[lane] = want;
                state->bind(1, lane).bind(2, want ? 1 : 0).bind(3, t).bind(4, t);
                if (auto ran = state->run(); !ran) return ran.error();
                ++sizes.lane_states;
            }
            if (!open[lane]) continue;
            count[lane] = std::clamp(count[lane] + static_cast<int>(rng() % 3) - 1, 0, 6);
            sample->bind(1, lane).bind(2, count[lane]).bind(3, t).bind(4, t + 3).bind(5, ++seq);
            if (auto ran = sample->run(); !ran) return ran.error();
            ++sizes.samples;
        }
        // An answer about every 18 s: p = every_s / 18.
        if (static_cast<int>(rng() % 1800) < every_s * 100) {
            char id[64];
            std::snprintf(id, sizeof id, "%08llx-0000-7000-8000-%012lld", static_cast<unsigned long long>(t / 1000),
                          static_cast<long long>(++ids));
            const bool nps = rng() % 5 == 0;
            feedback->bind(1, id).bind(2, t).bind(3, t + 50).bind(4, nps ? "nps" : "smiley4");
            feedback->bind(5, static_cast<int>(rng() % (nps ? 11 : 4)));
            if (rng() % 2) feedback->bind(6, reasons[rng() % 6]);
            else feedback->bind_null(6);
            feedback->bind(7, rng() % 50 == 0 ? 1 : 0);
            if (auto ran = feedback->run(); !ran) return ran.error();
            ++sizes.feedback;
        }
    }
    for (int lane = 1; lane <= kLanes; ++lane) {  // closing time
        if (!open[lane]) continue;
        const TimeMs t = day + 22 * 3600 * kS;
        state->bind(1, lane).bind(2, 0).bind(3, t).bind(4, t);
        if (auto ran = state->run(); !ran) return ran.error();
        ++sizes.lane_states;
    }
    for (int i = 0; i < 30; ++i) {
        const TimeMs raised = day + 8 * 3600 * kS + static_cast<TimeMs>(rng() % (14 * 3600)) * kS;
        const bool fulfilled = rng() % 5 != 0;
        prompt->bind(1, "p" + std::to_string(++ids)).bind(2, fulfilled ? "fulfilled" : "cancelled").bind(3, raised);
        prompt->bind(4, raised + static_cast<TimeMs>(20 + rng() % 150) * kS).bind(5, raised + static_cast<TimeMs>(5 + rng() % 40) * kS);
        if (auto ran = prompt->run(); !ran) return ran.error();
        ++sizes.prompts;
    }
    return tx.commit();
}

// Every document at `now`, from buckets loaded by `load`; returns the payloads.
template <class Load>
std::vector<StatsDocument> documents(Load load, const SweepCarry& live, const Config& config, TimeMs now,
                                     const TimeZone& zone) {
    const StatsWindows windows = StatsWindows::at(now, zone);
    auto data = load(windows.earliest(), windows.tomorrow);
    if (!data) {
        std::fprintf(stderr, "stats: %s\n", data.error().to_string().c_str());
        std::exit(1);
    }
    return stats_documents(*data, live, config, windows);
}

double median_ms(int runs, const std::function<void()>& work, const std::function<void()>& before = [] {}) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        before();  // untimed
        const double start = now_us();
        work();
        ms.push_back((now_us() - start) / 1000.0);
    }
    return percentile(ms, 50);
}

// What a busy minute stores ending at `until`: a count from each of the 8 tills every 2 s
// (240 samples), 3 answers, one till opening or closing.
Expected<void> store_minute(Database& db, TimeMs until, int minute, std::mt19937_64& rng) {
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    auto sample = db.prepare("INSERT INTO queue_samples(lane, count, ts, received, source, seq) VALUES(?,?,?,?,'sensor',?)");
    auto state = db.prepare("INSERT INTO lane_states(lane, open, ts, received, by) VALUES(?,?,?,?,NULL)");
    auto feedback = db.prepare(
        "INSERT INTO feedback(id, kiosk, ts, received, scale, score, reason, ui, locale, misuse) VALUES(?,'exit-1',?,?,'smiley4',?,NULL,'none','nl',0)");
    if (!sample) return sample.error();
    if (!state) return state.error();
    if (!feedback) return feedback.error();
    static std::int64_t seq = 1'000'000'000;
    const TimeMs from = until - 60 * kS;
    state->bind(1, minute % kLanes + 1).bind(2, minute % 2 == 0 ? 1 : 0).bind(3, from).bind(4, from);
    if (auto ran = state->run(); !ran) return ran.error();
    for (TimeMs t = from; t < until; t += 2 * kS)
        for (int lane = 1; lane <= kLanes; ++lane) {
            sample->bind(1, lane).bind(2, static_cast<int>(rng() % 5)).bind(3, t).bind(4, t + 3).bind(5, ++seq);
            if (auto ran = sample->run(); !ran) return ran.error();
        }
    for (int i = 0; i < 3; ++i) {
        char id[64];
        std::snprintf(id, sizeof id, "ffffffff-0000-7000-8000-%012lld", static_cast<long long>(++seq % 1'000'000'000'000));
        feedback->bind(1, id).bind(2, from + i * 20 * kS).bind(3, from + i * 20 * kS + 50).bind(4, static_cast<int>(rng() % 4));
        if (auto ran = feedback->run(); !ran) return ran.error();
    }
    return tx.commit();
}
}  // namespace

int main(int argc, char** argv) {
    const int days = argc > 1 ? std::atoi(argv[1]) : 365;
    const int every_s = argc > 2 ? std::atoi(argv[2]) : 13;
    test::TempDir dir{"storeq-bench-stats"};
    const std::string path = dir.file("year.db");
    auto store = ControllerStore::open(path);
    if (!store) return std::fprintf(stderr, "%s\n", store.error().to_string().c_str()), 1;
    Database& db = store->database();

    auto zone = load_time_zone("Europe/Amsterdam");
    if (!zone) return std::fprintf(stderr, "%s\n", zone.error().to_string().c_str()), 1;
    const TimeMs first_day = local_day_start(*zone, 1'735'732'800'000);  // 2025-01-01 (local)
    std::mt19937_64 rng(365);
    Sizes sizes;
    double start = now_us();
    TimeMs day = first_day;
    for (int i = 0; i < days; ++i, day = add_local_days(*zone, day, 1))
        if (auto made = generate_day(db, day, every_s, rng, sizes); !made)
            return std::fprintf(stderr, "generate: %s\n", made.error().to_string().c_str()), 1;
    const double generate_s = (now_us() - start) / 1e6;
    const TimeMs last_day = add_local_days(*zone, day, -1);
    const TimeMs now = last_day + 22 * 3600 * kS + 60 * kS;  // 22:01 on the last day, just after closing
    std::printf("# a year of one store: %d days, %lld queue samples, %lld feedback, %lld lane states, %lld prompts "
                "(generated in %.1f s)\n",
                days, static_cast<long long>(sizes.samples), static_cast<long long>(sizes.feedback),
                static_cast<long long>(sizes.lane_states), static_cast<long long>(sizes.prompts), generate_s);

    const Config config;
    StatsStore stats(db);
    start = now_us();
    auto delta = stats.pending(now, config, *zone);
    if (!delta || !stats.apply(*delta)) return std::fprintf(stderr, "first rollup failed\n"), 1;
    std::printf("# first rollup of everything: %.1f s (once, on upgrade; then a minute at a time)\n", (now_us() - start) / 1e6);
    const SweepCarry live = delta->carry;

    std::vector<StatsDocument> from_rollups, from_raw;
    const double rollup_ms = median_ms(5, [&] {
        from_rollups = documents([&](TimeMs f, TimeMs t) { return stats.load(f, t); }, live, config, now, *zone);
    });
    const double raw_ms = median_ms(3, [&] {
        from_raw = documents([&](TimeMs f, TimeMs t) { return stats.load_raw(f, t, config, *zone); }, live, config, now, *zone);
    });
    bool same = from_rollups.size() == from_raw.size();
    for (std::size_t i = 0; same && i < from_rollups.size(); ++i) {
        same = from_rollups[i].payload == from_raw[i].payload;
        if (!same) {
            const auto& a = from_rollups[i].payload;
            const auto& b = from_raw[i].payload;
            std::size_t at = 0;
            while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
            const std::size_t from = at > 300 ? at - 300 : 0;
            std::printf("# stats/%s differs at byte %zu:\n#  rollups: %s\n#  raw:     %s\n", from_rollups[i].view.c_str(), at,
                        a.substr(from, 400).c_str(), b.substr(from, 400).c_str());
        }
    }
    std::size_t largest = 0;
    for (const auto& d : from_rollups) largest = std::max(largest, d.payload.size());

    // The controller's minute: a minute of new rows stored (untimed: the intake's work),
    // then the timed rollup of those rows and every document, as StatsPublisher does.
    TimeMs minute_now = now;
    int minute = 0;
    bool minute_failed = false;
    const double minute_ms = median_ms(
        9,
        [&] {
            auto fresh = stats.pending(minute_now, config, *zone);
            if (!fresh || !stats.apply(*fresh)) {
                minute_failed = true;
                return;
            }
            from_rollups = documents([&](TimeMs f, TimeMs t) { return stats.load(f, t); }, fresh->carry, config,
                                     minute_now, *zone);
        },
        [&] {
            minute_now += 60 * kS;
            if (!store_minute(db, minute_now, ++minute, rng)) minute_failed = true;
        });
    if (minute_failed) return std::fprintf(stderr, "the minute's rollup failed\n"), 1;

    std::printf("# documents equal from rollups and from raw rows: %s; largest document %zu bytes\n", same ? "yes" : "NO", largest);
    print_row("all 4 stats documents, year of data", format("%.1f ms (rollups)", rollup_ms), format("raw rows %.0f ms", raw_ms),
              raw_ms / rollup_ms, "< 50 ms, same figures", rollup_ms < 50 && same);
    print_row("refresh of a minute's rows + documents (1/min)", format("%.1f ms", minute_ms), format("raw rows %.0f ms", raw_ms),
              raw_ms / minute_ms, "< 50 ms", minute_ms < 50);
    return same ? 0 : 1;
}
