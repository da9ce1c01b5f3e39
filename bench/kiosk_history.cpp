// Kiosk outbox with 30 days of history (issue 10, Performance). A feedback kiosk keeps
// every receipted response for `history = 30d` (docs/kiosk.md "Outbox"); a busy one holds
// ~30,000 rows. Measured, each beside an empty outbox in the same run:
// - the outbox's size on disk (database + WAL + shm) with ROWS receipted history rows of
//   realistic feedback, written through the real Outbox API (one add and one receipt per
//   response, as a kiosk does, ts spread over 30 days and receipted ~2 s later), and the
//   bytes per row;
// - the real storeq-kiosk binary (--role feedback --software 1024x600, SDL's dummy
//   driver, a test broker) started on each outbox: VmRSS and VmHWM from /proc/<pid>/status
//   once it is up and its first history check (a second after start) has run, and the
//   time from exec to its "running as" log line (the outbox is opened before it); median
//   of 3 starts, alternating;
// - the history trim: OLD_ROWS more rows receipted 31-32 days ago are added to the big
//   outbox; how many are left after the kiosk's first check (expected 0), and how many of
//   the ROWS within 30 days are kept.
//   storeq-bench-kiosk_history [ROWS [OLD_ROWS]]
//
// The outbox runs synchronous=FULL: an fsync per add and per receipt (~1 ms here), which
// for 60,000 commits would take the whole time budget. While this program writes the
// history, its own fdatasync calls (SQLite's only sync call) return at once; the file's
// content is the same, only the wait for the disk is skipped. Nothing else is affected:
// the kiosk is another process, and syncs are real again before it starts.
#include <unistd.h>
#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/feedback_outbox.hpp"
#include "app/outbox.hpp"
#include "bench_util.hpp"
#include "child_process.hpp"
#include "storeq/codec.hpp"
#include "storeq/ids.hpp"
#include "storeq/sqlite_db.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::bench;
using namespace storeq::kiosk;
using storeq::test::ChildProcess;
using storeq::test::TempDir;
using storeq::test::wait_until;

namespace {
std::atomic<bool> g_skip_sync{false};
}  // namespace

// Interposes libc's fdatasync for this process only (see the top of the file).
extern "C" int fdatasync(int fd) noexcept {
    if (g_skip_sync.load()) return 0;
    using Fn = int (*)(int);
    static const Fn real = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "fdatasync"));
    return real ? real(fd) : ::fsync(fd);
}

namespace {

constexpr const char* kStore = "bench";
constexpr const char* kKiosk = "exit-1";
constexpr TimeMs kDayMs = 24LL * 3600 * 1000;
constexpr TimeMs kHistoryMs = 30 * kDayMs;  // the default `history`
constexpr int kStartRuns = 3;
constexpr double kTargetRssMb = 40.0;  // issue 4: kiosk peak RSS

TimeMs wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// A response as the example kiosk.conf would give it: smiley4, six reasons a side, four
// languages, a few misuse presses.
Feedback make_feedback(std::mt19937_64& rng, TimeMs ts) {
    static const char* kPositive[] = {"staff", "speed", "clean", "fresh", "prices", "other"};
    static const char* kNegative[] = {"queue", "stock", "unfriendly", "dirty", "expensive", "other"};
    static const char* kLocales[] = {"nl", "nl", "nl", "nl", "nl", "nl", "nl", "en", "en", "de", "fr"};
    std::uniform_int_distribution<int> percent(0, 99);
    Feedback f;
    f.ts = ts;
    f.id = make_uuid_v7(ts, rng);
    f.scale = Scale::smiley4;
    const int s = percent(rng);
    f.score = s < 10 ? 0 : s < 25 ? 1 : s < 60 ? 2 : 3;
    f.locale = kLocales[std::uniform_int_distribution<int>(0, 10)(rng)];
    if (percent(rng) < 3) {
        f.misuse = true;  // too soon after the previous press: no follow-up
        f.ui = FollowUp::none;
        return f;
    }
    const int u = percent(rng);
    if (u < 50) {
        f.ui = FollowUp::complete;
        f.reason = (f.score <= 1 ? kNegative : kPositive)[std::uniform_int_distribution<int>(0, 5)(rng)];
    } else {
        f.ui = u < 75 ? FollowUp::timeout : FollowUp::skip;
    }
    return f;
}

std::uintmax_t file_bytes(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

struct Sizes {
    std::uintmax_t db = 0, wal = 0, shm = 0;
    std::uintmax_t total() const { return db + wal + shm; }
};

Sizes sizes_of(const std::string& path) { return {file_bytes(path), file_bytes(path + "-wal"), file_bytes(path + "-shm")}; }

double mb(std::uintmax_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// Receipted rows with ts evenly in [from, to), each receipted 0.3..3 s after its ts, one
// receipt per response (the controller receipts each kiosk's ids per durable commit; a
// kiosk's answers come seconds apart, so one id each). Returns the payload bytes written.
std::uintmax_t write_history(Outbox& outbox, std::mt19937_64& rng, int rows, TimeMs from, TimeMs to,
                             std::int64_t& commit) {
    static const std::string kDb = "0190b3f2-6a41-7c3e-9d21-5f8e2a7c4b10";
    std::uniform_int_distribution<TimeMs> delay(300, 3000);
    std::uintmax_t payload_bytes = 0;
    for (int i = 0; i < rows; ++i) {
        const TimeMs ts = from + (to - from) * i / rows;
        const Feedback feedback = make_feedback(rng, ts);
        payload_bytes += encode(feedback).size();
        if (auto added = outbox.add(feedback); !added) {
            std::fprintf(stderr, "add: %s\n", added.error().to_string().c_str());
            return 0;
        }
        Receipt receipt{kDb, ++commit, {feedback.id}};
        if (auto marked = outbox.mark_receipted(receipt, ts + delay(rng)); !marked) {
            std::fprintf(stderr, "receipt: %s\n", marked.error().to_string().c_str());
            return 0;
        }
    }
    return payload_bytes;
}

std::int64_t count(const std::string& path, const std::string& sql) {
    auto db = Database::open(path);
    if (!db) return -1;
    auto statement = db->prepare(sql);
    if (!statement) return -1;
    auto row = statement->step();
    return row && *row ? statement->column_int64(0) : -1;
}

// A "VmHWM:  1234 kB" line of /proc/<pid>/status, in MB.
double status_mb(pid_t pid, const std::string& key) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024.0;
    }
    return -1;
}

// The wall time (ms) of the first log line holding `text`, from its "2026-12-02T14:27:00.123Z"
// stamp; 0 if there is none.
TimeMs log_time(const std::string& log, const std::string& text) {
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        if (line.find(text) == std::string::npos) continue;
        std::tm t{};
        int millis = 0;
        if (std::sscanf(line.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min,
                        &t.tm_sec, &millis) != 7)
            continue;
        t.tm_year -= 1900;
        t.tm_mon -= 1;
        return static_cast<TimeMs>(::timegm(&t)) * 1000 + millis;
    }
    return 0;
}

struct KioskRun {
    double rss_mb = -1;
    double hwm_mb = -1;
    TimeMs start_ms = -1;  // exec to "running as"
    TimeMs trim_ms = -1;   // exec to "left the history" (only when something was deleted)
    Sizes files;           // the outbox on disk while the kiosk runs, after its check
};

// Starts the kiosk on `outbox`, waits for "running as" and its first history check (the
// timer's first tick, a second after start; `expect_trim`: until it logged the deletion),
// reads its memory, stops it.
KioskRun run_kiosk(const test::TestBroker& broker, const TempDir& dir, const std::string& outbox, bool expect_trim,
                   const std::string& name) {
    const std::vector<std::string> argv{STOREQ_BINARY_DIR "/bin/storeq-kiosk", "--role", "feedback", "--broker",
                                        broker.address(), "--store", kStore, "--id", kKiosk, "--outbox", outbox,
                                        "--software", "--width", "1024", "--height", "600"};
    KioskRun run;
    const TimeMs exec_ms = wall_ms();
    ChildProcess child(argv, dir.file(name + ".log"), {{"SDL_VIDEODRIVER", "dummy"}});
    TimeMs up_ms = 0;
    if (!wait_until([&] { return (up_ms = log_time(child.log_text(), "running as")) != 0 || !child.running(); }, 15000) ||
        up_ms == 0) {
        std::fprintf(stderr, "%s did not start:\n%s\n", name.c_str(), child.log_text().c_str());
        return run;
    }
    run.start_ms = up_ms - exec_ms;
    // The first tick comes a second after the link started (just before "running as").
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    if (expect_trim) {
        TimeMs trimmed = 0;
        wait_until([&] { return (trimmed = log_time(child.log_text(), "left the history")) != 0; }, 10000);
        if (trimmed) run.trim_ms = trimmed - exec_ms;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    run.rss_mb = status_mb(child.pid(), "VmRSS");
    run.hwm_mb = status_mb(child.pid(), "VmHWM");
    run.files = sizes_of(outbox);
    child.kill(SIGTERM);
    if (!child.wait_exit(5000)) {
        child.kill(SIGKILL);
        child.wait_exit(5000);
    }
    return run;
}

// One row of the scripts/bench table with a free "met?" cell ("-": report only).
void print_report_row(const std::string& name, const std::string& measured, const std::string& baseline, double ratio,
                      const std::string& target, const std::string& met) {
    std::printf("| %-34s | %-22s | %-22s | %6.2fx | %-28s | %-4s |\n", name.c_str(), measured.c_str(),
                baseline.c_str(), ratio, target.c_str(), met.c_str());
    std::fflush(stdout);
}

double median(std::vector<double> values) { return percentile(std::move(values), 50); }

}  // namespace

int main(int argc, char** argv) {
    const int rows = argc > 1 ? std::atoi(argv[1]) : 30000;
    const int old_rows = argc > 2 ? std::atoi(argv[2]) : 1000;
    TempDir dir{"storeq-bench-kiosk-history"};
    const std::string empty_path = dir.file("empty.db");
    const std::string big_path = dir.file("history.db");
    const std::string copy_path = dir.file("history-copy.db");
    std::mt19937_64 rng(10);
    const TimeMs now = wall_ms();

    // ---- sizes ---------------------------------------------------------------------
    Sizes empty_open, empty_closed;
    {
        auto outbox = Outbox::open(empty_path);
        if (!outbox) return 1;
        empty_open = sizes_of(empty_path);
    }
    empty_closed = sizes_of(empty_path);

    Sizes big_open, big_closed;
    std::uintmax_t payload_bytes = 0;
    double write_s = 0;
    std::int64_t history = 0;
    std::int64_t commit = 0;
    g_skip_sync = true;
    {
        auto outbox = Outbox::open(big_path);
        if (!outbox) return 1;
        const double t0 = now_us();
        // The oldest 10 min back from 30 days, the newest a minute ago: none due for deletion.
        payload_bytes = write_history(*outbox, rng, rows, now - kHistoryMs + 10 * 60'000, now - 60'000, commit);
        write_s = (now_us() - t0) / 1e6;
        if (payload_bytes == 0) return 1;
        history = outbox->history();
        big_open = sizes_of(big_path);  // what a running kiosk holds: its WAL included
    }
    big_closed = sizes_of(big_path);  // the last close checkpoints and removes the WAL

    // A day's answers from before the 30 days: a kiosk that was switched off for a day.
    {
        auto outbox = Outbox::open(big_path);
        if (!outbox) return 1;
        if (write_history(*outbox, rng, old_rows, now - 32 * kDayMs, now - 31 * kDayMs, commit) == 0 && old_rows > 0)
            return 1;
    }
    g_skip_sync = false;
    const std::string old_sql = "SELECT COUNT(*) FROM outbox WHERE receipted_at < " + std::to_string(now - kHistoryMs);
    const std::string kept_sql = "SELECT COUNT(*) FROM outbox WHERE receipted_at >= " + std::to_string(now - kHistoryMs);
    const std::int64_t old_before = count(big_path, old_sql);

    // In-process, on a copy: Outbox::open and FeedbackOutbox's first tick (the trim), timed.
    std::filesystem::copy_file(big_path, copy_path);
    double open_big_ms = 0, open_empty_ms = 0, trim_ms = 0;
    std::int64_t old_after_tick = -1;
    {
        double t0 = now_us();
        auto empty = Outbox::open(empty_path);
        open_empty_ms = (now_us() - t0) / 1000.0;
        t0 = now_us();
        auto copy = Outbox::open(copy_path);
        open_big_ms = (now_us() - t0) / 1000.0;
        if (!empty || !copy) return 1;
        FeedbackOutbox outbox(std::move(copy.value()), [](const std::string&) -> Expected<int> { return 1; });
        t0 = now_us();
        outbox.tick();
        trim_ms = (now_us() - t0) / 1000.0;
    }
    old_after_tick = count(copy_path, old_sql);

    // ---- the kiosk binary ----------------------------------------------------------
    test::TestBroker broker;
    std::vector<KioskRun> empty_runs, big_runs;
    std::int64_t old_after = -1, kept_after = -1;
    for (int i = 0; i < kStartRuns; ++i) {
        empty_runs.push_back(run_kiosk(broker, dir, empty_path, false, "kiosk-empty-" + std::to_string(i)));
        big_runs.push_back(run_kiosk(broker, dir, big_path, i == 0, "kiosk-history-" + std::to_string(i)));
        if (i == 0) {  // after the kiosk's first history check
            old_after = count(big_path, old_sql);
            kept_after = count(big_path, kept_sql);
        }
    }
    const KioskRun& e = empty_runs.front();
    const KioskRun& b = big_runs.front();  // the one that trimmed
    std::vector<double> empty_start, big_start;
    for (const auto& r : empty_runs) empty_start.push_back(static_cast<double>(r.start_ms));
    for (const auto& r : big_runs) big_start.push_back(static_cast<double>(r.start_ms));

    std::printf("# kiosk history: %d receipted rows over 30 days written through Outbox::add + mark_receipted in %.1f s "
                "(fsync skipped while writing); outbox history %lld; payload %.0f B/row on average\n",
                rows, write_s, static_cast<long long>(history), static_cast<double>(payload_bytes) / rows);
    std::printf("# files: empty db %ju + wal %ju + shm %ju B open, db %ju B closed; %d rows: db %.2f MB + wal %.2f MB + "
                "shm %.2f MB open, db %.2f MB closed (WAL checkpointed and removed)\n",
                empty_open.db, empty_open.wal, empty_open.shm, empty_closed.db, rows, mb(big_open.db), mb(big_open.wal),
                mb(big_open.shm), mb(big_closed.db));
    std::printf("# while the kiosk ran on it (after its trim): db %.2f MB + wal %.2f MB + shm %.2f MB; empty: %.2f MB\n",
                mb(b.files.db), mb(b.files.wal), mb(b.files.shm), mb(e.files.total()));
    std::printf("# in-process: Outbox::open %.2f ms on %d+%d rows, %.2f ms empty; first FeedbackOutbox::tick (trim of "
                "%lld rows) %.1f ms, %lld older than 30 d left\n",
                open_big_ms, rows, old_rows, open_empty_ms, static_cast<long long>(old_before), trim_ms,
                static_cast<long long>(old_after_tick));
    for (int i = 0; i < kStartRuns; ++i) {
        std::printf("# kiosk start %d: empty VmRSS %.1f MB VmHWM %.1f MB, exec to running %lld ms; history VmRSS %.1f MB "
                    "VmHWM %.1f MB, exec to running %lld ms%s\n",
                    i + 1, empty_runs[i].rss_mb, empty_runs[i].hwm_mb, static_cast<long long>(empty_runs[i].start_ms),
                    big_runs[i].rss_mb, big_runs[i].hwm_mb, static_cast<long long>(big_runs[i].start_ms),
                    i == 0 ? (" (trim logged " + std::to_string(big_runs[i].trim_ms) + " ms after exec)").c_str() : "");
    }

    const auto per_row = static_cast<double>(big_closed.db - empty_closed.db) / rows;
    print_report_row(format("kiosk outbox, %.0f rows history", rows), format("%.2f MB (db+WAL)", mb(big_open.total())),
                     format("empty %.3f MB", mb(empty_open.total())),
                     static_cast<double>(big_open.total()) / static_cast<double>(empty_open.total()), "report only", "-");
    print_report_row("kiosk outbox, bytes per history row", format("%.0f B (db, closed)", per_row),
                     format("payload %.0f B", static_cast<double>(payload_bytes) / rows),
                     per_row / (static_cast<double>(payload_bytes) / rows), "report only", "-");
    print_report_row(format("kiosk VmRSS, %.0f rows history", rows), format("%.1f MB", b.rss_mb),
                     format("empty outbox %.1f MB", e.rss_mb), b.rss_mb / e.rss_mb, "report only", "-");
    print_report_row(format("kiosk VmHWM, %.0f rows history", rows), format("%.1f MB", b.hwm_mb),
                     format("empty outbox %.1f MB", e.hwm_mb), b.hwm_mb / e.hwm_mb, "< 40 MB (issue 4)",
                     b.hwm_mb > 0 && b.hwm_mb < kTargetRssMb ? "met" : "MISS");
    const double big_ms = median(big_start), empty_ms = median(empty_start);
    print_report_row(format("kiosk exec to running, %.0f rows", rows), format("%.0f ms", big_ms),
                     format("empty outbox %.0f ms", empty_ms), big_ms / empty_ms, "report only", "-");
    const bool trimmed = old_before == old_rows && old_after == 0 && kept_after == rows;
    print_report_row("history > 30 d left after 1st trim", format("%.0f rows", static_cast<double>(old_after)),
                     format("before %.0f rows", static_cast<double>(old_before)),
                     old_before > 0 ? static_cast<double>(old_after) / static_cast<double>(old_before) : 0,
                     format("0 left, %.0f kept", rows), trimmed ? "met" : "MISS");
    const bool ran = e.rss_mb > 0 && b.rss_mb > 0 && b.trim_ms > 0;
    return ran && trimmed ? 0 : 1;
}
