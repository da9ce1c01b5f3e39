// A feedback kiosk without its screen, for the power-cut test
// (tests/integration/power_cut_test.cpp): the real MqttLink and SQLite Outbox of
// storeq-kiosk, given the responses of a plan file one after another, as shoppers would.
//
//   storeq_powercut_kiosk --broker HOST:PORT --store S --id K --outbox FILE
//                         --plan FILE --given FILE [--pace-ms N] [--no-outbox-sync]
//
// --plan: one response a line, "id ts score" (written by the test, outside the cut).
// --given: how far this kiosk got: the index of each response given, one a line, fsynced
//   after each, so a restarted kiosk (after a power cut) goes on with the next one. A
//   response counts as given once the kiosk holds it on disk: the outbox writes with
//   synchronous=NORMAL (no fsync per row), so unless --no-outbox-sync the driver fsyncs
//   the outbox's WAL after each response, as a kiosk whose own disk survives the cut
//   (the delivery guarantee's premise, docs/reliability.md). A response whose tap was
//   not yet on disk when the power went is given again, as the shopper would press again.
// Runs until killed; prints "given N" after each response and "all given" at the end.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/mqtt_link.hpp"
#include "app/outbox.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {

struct Options {
    std::string host;
    int port = 0;
    std::string store, id, outbox, plan, given;
    int pace_ms = 5;
    bool outbox_sync = true;
};

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (arg == "--broker") {
            const std::string b = value();
            const auto colon = b.rfind(':');
            if (colon == std::string::npos) return false;
            o.host = b.substr(0, colon);
            o.port = std::stoi(b.substr(colon + 1));
        } else if (arg == "--store") {
            o.store = value();
        } else if (arg == "--id") {
            o.id = value();
        } else if (arg == "--outbox") {
            o.outbox = value();
        } else if (arg == "--plan") {
            o.plan = value();
        } else if (arg == "--given") {
            o.given = value();
        } else if (arg == "--pace-ms") {
            o.pace_ms = std::stoi(value());
        } else if (arg == "--no-outbox-sync") {
            o.outbox_sync = false;
        } else {
            return false;
        }
    }
    return o.port > 0 && !o.store.empty() && !o.id.empty() && !o.outbox.empty() && !o.plan.empty() &&
           !o.given.empty();
}

// Complete lines only: a power cut may leave half a line (it was never fsynced anyway).
std::size_t count_given(const std::string& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    return lines;
}

bool fsync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        std::cerr << "usage: storeq_powercut_kiosk --broker HOST:PORT --store S --id K --outbox FILE --plan FILE "
                     "--given FILE [--pace-ms N] [--no-outbox-sync]\n";
        return 2;
    }
    std::vector<Feedback> plan;
    {
        std::ifstream in(o.plan);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            Feedback f;
            fields >> f.id >> f.ts >> f.score;
            if (!fields) continue;
            f.locale = "nl";
            plan.push_back(f);
        }
    }
    auto outbox = Outbox::open(o.outbox);
    if (!outbox) {
        std::cerr << outbox.error().to_string() << "\n";
        return 1;
    }
    KioskConfig config;
    config.role = Role::feedback;
    config.store = o.store;
    config.device = o.id;
    // The shortest the kiosk allows: a broker that lost its queue in the cut costs 5 s, not 60.
    config.receipt_timeout_ms = 5000;
    MqttLink link(config, o.host, o.port, std::move(outbox.value()));
    if (auto started = link.start([](Event) {}); !started) {
        std::cerr << started.error().to_string() << "\n";
        return 1;
    }
    std::size_t next = count_given(o.given);
    std::cout << "start: " << next << " of " << plan.size() << " given before" << std::endl;
    const int log = ::open(o.given.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) {
        std::perror("open --given");
        return 1;
    }
    for (; next < plan.size(); ++next) {
        link.publish(PublishFeedback{plan[next]});
        if (o.outbox_sync && !fsync_path(o.outbox + "-wal")) {
            std::cerr << "fsync " << o.outbox << "-wal failed\n";
            return 1;
        }
        const std::string line = std::to_string(next) + "\n";
        if (::write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(log) != 0) {
            std::perror("write --given");
            return 1;
        }
        if (o.pace_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.pace_ms));
    }
    std::cout << "all given" << std::endl;
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
}
