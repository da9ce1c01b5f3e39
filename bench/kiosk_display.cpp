// Kiosk display (issue 4, Performance), all on the real storeq-kiosk binary with the
// software renderer, 1024x600, feedback screen shown, connected to a test broker:
// - idle CPU over N s (default 10), event-driven loop, under Xvfb (X11) and under SDL's
//   dummy driver, beside a 60 fps redraw loop of the same screen (this program re-run as
//   --redraw-loop: SdlPlatform + KioskApp, render + present every 16.7 ms) under Xvfb,
//   each read from /proc/<pid>/stat (utime + stime). Target: under 1% of one core.
// - peak RSS (VmHWM from /proc/<pid>/status at the end of the idle run), beside a bare SDL
//   window + software renderer (kiosk-bench-bare-window). Target: under 40 MB.
// - start to first frame: exec to the return of the second SDL_RenderPresent (the first
//   frame only lays ImGui windows out; the second is the one a user sees), beside exec to
//   the bare window's first present; median of 5 runs each. Target: under 100 ms. Timed
//   by an LD_PRELOAD probe (kiosk_present_probe.cpp): no hook in the kiosk.
//   storeq-bench-kiosk_display [IDLE_SECONDS]
#include <SDL.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/kiosk_app.hpp"
#include "app/kiosk_args.hpp"
#include "app/kiosk_setup.hpp"
#include "app/sdl_platform.hpp"
#include "bench_util.hpp"
#include "child_process.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::bench;
using storeq::test::ChildProcess;
using storeq::test::TempDir;
using storeq::test::wait_until;

namespace {

constexpr int kWidth = 1024;
constexpr int kHeight = 600;
constexpr int kStartRuns = 5;
constexpr double kTargetIdlePercent = 1.0;
constexpr double kTargetRssMb = 40.0;
constexpr double kTargetFirstFrameMs = 100.0;

// ---- the baseline child: the same screen redrawn at 60 fps --------------------------

class DiscardingPublisher final : public kiosk::CommandPublisher {
public:
    void publish(const kiosk::Command&) override {}
};

int redraw_loop(const std::vector<std::string>& kiosk_args) {
    auto options = kiosk::parse_kiosk_args(kiosk_args);
    if (!options) return 2;
    auto config = kiosk::load_kiosk_config(*options);
    if (!config) return 2;
    kiosk::PlatformOptions platform_options;
    platform_options.width = options->width;
    platform_options.height = options->height;
    platform_options.software = true;
    auto platform = kiosk::SdlPlatform::create(platform_options);
    if (!platform) {
        std::fprintf(stderr, "redraw loop: %s\n", platform.error().to_string().c_str());
        return 1;
    }
    DiscardingPublisher publisher;
    kiosk::KioskApp app(*config, **platform, publisher);
    using Clock = std::chrono::steady_clock;
    const auto period = std::chrono::microseconds(16667);
    auto next = Clock::now();
    long frames = 0;
    for (bool quit = false; !quit;) {
        SDL_Event event;
        while (SDL_PollEvent(&event)) {
            if (event.type == SDL_QUIT) quit = true;
            else (*platform)->process_event(event);
        }
        app.apply_pending();
        app.render_frame();
        (*platform)->present();
        ++frames;
        next += period;
        const auto now = Clock::now();
        if (next < now) next = now;  // a slow frame: no catching up
        std::this_thread::sleep_until(next);
    }
    std::printf("frames %ld\n", frames);
    return 0;
}

// ---- /proc readers -----------------------------------------------------------------

// utime + stime of a process, in seconds.
double cpu_seconds(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const auto paren = text.rfind(')');
    if (paren == std::string::npos) return -1;
    std::istringstream fields(text.substr(paren + 2));  // field 3 (state) onwards
    std::vector<std::string> values;
    for (std::string value; fields >> value;) values.push_back(value);
    if (values.size() < 13) return -1;
    const double ticks = std::stod(values[11]) + std::stod(values[12]);  // fields 14, 15
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// A "VmHWM:  1234 kB" style line of /proc/<pid>/status, in MB.
double status_mb(pid_t pid, const std::string& key) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024.0;
    }
    return -1;
}

// Percent of one core used by `pid` over `seconds` of wall time.
double cpu_percent_over(pid_t pid, double seconds) {
    const double cpu0 = cpu_seconds(pid), t0 = now_us();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double cpu1 = cpu_seconds(pid), t1 = now_us();
    return 100.0 * (cpu1 - cpu0) / ((t1 - t0) / 1e6);
}

// Present times the probe logged (CLOCK_MONOTONIC, in us: the clock of now_us()).
std::vector<double> presents_us(const std::string& path) {
    std::ifstream file(path);
    std::vector<double> times;
    for (long long ns; file >> ns;) times.push_back(static_cast<double>(ns) / 1000.0);
    return times;
}

// ---- Xvfb on a free display -----------------------------------------------------------

class Xvfb {
public:
    explicit Xvfb(const TempDir& dir)
        : process_({"Xvfb", "-displayfd", "1", "-screen", "0", std::to_string(kWidth) + "x" + std::to_string(kHeight) + "x24",
                    "-nolisten", "tcp", "-noreset"},
                   dir.file("xvfb.log")) {
        // -displayfd writes the display number it took, alone on a line, once it is ready.
        wait_until([&] {
            std::istringstream log(process_.log_text());
            for (std::string line; std::getline(log, line);) {
                if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) display_ = ":" + line;
            }
            return !display_.empty() || !process_.running();
        }, 10000);
        if (display_.empty()) throw std::runtime_error("Xvfb did not start:\n" + process_.log_text());
    }
    const std::string& display() const { return display_; }

private:
    ChildProcess process_;
    std::string display_;
};

struct Setup {
    test::TestBroker broker;
    TempDir dir{"storeq-bench-kiosk"};
    Xvfb xvfb{dir};
    int runs = 0;

    std::vector<std::string> kiosk_args() const {
        return {"--role", "feedback", "--broker", broker.address(), "--store", "bench", "--id", "exit-1",
                "--outbox", dir.file("outbox.db"), "--software", "--width", std::to_string(kWidth),
                "--height", std::to_string(kHeight)};
    }
    // x11 under our Xvfb, or SDL's dummy driver; the probe logs presents to `present_log`.
    std::map<std::string, std::string> env(bool x11, const std::string& present_log) const {
        std::map<std::string, std::string> e{{"LD_PRELOAD", STOREQ_BENCH_PRESENT_PROBE},
                                             {"STOREQ_BENCH_PRESENT_LOG", present_log}};
        if (x11) {
            e["SDL_VIDEODRIVER"] = "x11";
            e["DISPLAY"] = xvfb.display();
        } else {
            e["SDL_VIDEODRIVER"] = "dummy";
        }
        return e;
    }
    // A fresh log file name per process.
    std::string next_log() { return dir.file("presents-" + std::to_string(++runs) + ".log"); }
};

std::vector<std::string> with_program(std::string program, const std::vector<std::string>& args) {
    std::vector<std::string> argv{std::move(program)};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

struct IdleRun {
    double cpu_percent = -1;
    double hwm_mb = -1;
    double rss_mb = -1;
    long frames = -1;  // redraw loop only: frames drawn over `alive_s`
    double alive_s = 0;
};

// Starts a program, waits until it has presented `settle_presents` frames plus one second,
// then measures its CPU over `seconds` and its peak RSS.
IdleRun measure_idle(Setup& setup, const std::vector<std::string>& argv, bool x11, int settle_presents, double seconds,
                     const std::string& name) {
    const std::string log = setup.next_log();
    const double spawned_us = now_us();
    ChildProcess child(argv, setup.dir.file(name + ".log"), setup.env(x11, log));
    IdleRun run;
    if (!wait_until([&] { return presents_us(log).size() >= static_cast<std::size_t>(settle_presents) || !child.running(); },
                    15000) ||
        !child.running()) {
        std::fprintf(stderr, "%s did not start:\n%s\n", name.c_str(), child.log_text().c_str());
        return run;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
    run.cpu_percent = cpu_percent_over(child.pid(), seconds);
    run.hwm_mb = status_mb(child.pid(), "VmHWM");
    run.rss_mb = status_mb(child.pid(), "VmRSS");
    run.alive_s = (now_us() - spawned_us) / 1e6;
    child.kill(SIGTERM);
    child.wait_exit(5000);
    std::istringstream out(child.log_text());
    for (std::string line; std::getline(out, line);) {
        if (line.rfind("frames ", 0) == 0) run.frames = std::stol(line.substr(7));
    }
    return run;
}

// Exec to each of the first `n` presents, in ms; empty if they never came.
std::vector<double> start_to_presents_ms(Setup& setup, const std::vector<std::string>& argv, std::size_t n,
                                         const std::string& name) {
    const std::string log = setup.next_log();
    const double exec_us = now_us();
    ChildProcess child(argv, setup.dir.file(name + ".log"), setup.env(true, log));
    const bool presented = wait_until([&] { return presents_us(log).size() >= n || !child.running(); }, 15000);
    const auto times = presents_us(log);
    child.kill(SIGTERM);
    child.wait_exit(5000);
    if (!presented || times.size() < n) {
        std::fprintf(stderr, "%s presented no frame:\n%s\n", name.c_str(), child.log_text().c_str());
        return {};
    }
    std::vector<double> ms;
    for (std::size_t i = 0; i < n; ++i) ms.push_back((times[i] - exec_us) / 1000.0);
    return ms;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--redraw-loop")
        return redraw_loop(std::vector<std::string>(argv + 2, argv + argc));
    const double idle_seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
    const std::string kiosk = STOREQ_BINARY_DIR "/bin/storeq-kiosk";
    const std::string bare = STOREQ_BINARY_DIR "/bin/kiosk-bench-bare-window";

    Setup setup;
    const std::vector<std::string> args = setup.kiosk_args();
    const auto kiosk_argv = with_program(kiosk, args);
    std::vector<std::string> loop_argv{std::filesystem::read_symlink("/proc/self/exe").string(), "--redraw-loop"};
    loop_argv.insert(loop_argv.end(), args.begin(), args.end());
    const std::vector<std::string> bare_argv{bare, std::to_string(kWidth), std::to_string(kHeight)};

    // Start to first frame first, while nothing else runs: kiosk and bare window alternate.
    std::vector<double> kiosk_first, kiosk_second, bare_first;
    for (int i = 0; i < kStartRuns; ++i) {
        const auto k = start_to_presents_ms(setup, kiosk_argv, 2, "kiosk-start");
        kiosk_first.push_back(k.empty() ? -1 : k[0]);
        kiosk_second.push_back(k.empty() ? -1 : k[1]);
        const auto b = start_to_presents_ms(setup, bare_argv, 1, "bare-start");
        bare_first.push_back(b.empty() ? -1 : b[0]);
    }

    // Idle: the kiosk draws 3 frames after start, then waits for input.
    const IdleRun idle_x11 = measure_idle(setup, kiosk_argv, true, 3, idle_seconds, "kiosk-idle-x11");
    const IdleRun idle_dummy = measure_idle(setup, kiosk_argv, false, 3, idle_seconds, "kiosk-idle-dummy");
    const IdleRun loop_x11 = measure_idle(setup, loop_argv, true, 3, idle_seconds, "redraw-loop-x11");
    const IdleRun bare_idle = measure_idle(setup, bare_argv, true, 1, 2.0, "bare-idle");

    std::printf("# kiosk display: storeq-kiosk --role feedback --software %dx%d, test broker; Xvfb %s; idle %.0f s\n",
                kWidth, kHeight, setup.xvfb.display().c_str(), idle_seconds);
    std::printf("# redraw loop: %ld frames in %.1f s = %.1f fps\n", loop_x11.frames, loop_x11.alive_s,
                static_cast<double>(loop_x11.frames) / loop_x11.alive_s);
    std::printf("# RSS now: kiosk x11 %.1f MB, kiosk dummy %.1f MB (peak %.1f MB), bare window %.1f MB\n",
                idle_x11.rss_mb, idle_dummy.rss_mb, idle_dummy.hwm_mb, bare_idle.rss_mb);
    std::printf("# start to 1st present (layout frame): kiosk median %.1f ms; 2nd present %.1f ms\n",
                percentile(kiosk_first, 50), percentile(kiosk_second, 50));

    print_row("kiosk idle CPU, Xvfb (x11)", format("%.2f%% of a core", idle_x11.cpu_percent),
              format("60 fps loop %.1f%%", loop_x11.cpu_percent), idle_x11.cpu_percent / loop_x11.cpu_percent,
              "< 1% of one core", idle_x11.cpu_percent >= 0 && idle_x11.cpu_percent < kTargetIdlePercent);
    print_row("kiosk idle CPU, SDL dummy (tests)", format("%.2f%% of a core", idle_dummy.cpu_percent),
              format("60 fps loop %.1f%%", loop_x11.cpu_percent), idle_dummy.cpu_percent / loop_x11.cpu_percent,
              "< 1% of one core", idle_dummy.cpu_percent >= 0 && idle_dummy.cpu_percent < kTargetIdlePercent);
    print_row("kiosk peak RSS, software, x11", format("%.1f MB", idle_x11.hwm_mb),
              format("bare SDL window %.1f MB", bare_idle.hwm_mb), idle_x11.hwm_mb / bare_idle.hwm_mb, "< 40 MB",
              idle_x11.hwm_mb > 0 && idle_x11.hwm_mb < kTargetRssMb);
    const double kiosk_ms = percentile(kiosk_second, 50), bare_ms = percentile(bare_first, 50);
    print_row("kiosk start to first frame, x11", format("%.1f ms", kiosk_ms), format("bare SDL window %.1f ms", bare_ms),
              kiosk_ms / bare_ms, "< 100 ms", kiosk_ms > 0 && kiosk_ms < kTargetFirstFrameMs);
    return idle_x11.cpu_percent >= 0 && idle_dummy.cpu_percent >= 0 && loop_x11.cpu_percent >= 0 && kiosk_ms > 0 ? 0 : 1;
}
