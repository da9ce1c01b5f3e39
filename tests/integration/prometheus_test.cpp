// metrics_listen against the real controller, a real broker, Debian's promtool and a real
// Prometheus: the scrape is valid text format 0.0.4 by promtool's own check (and lint), and
// a Prometheus started here scrapes it, so a PromQL query returns the queue length a
// device published with mosquitto_pub.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "skip_test.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
// One HTTP/1.1 GET on loopback; the whole answer (headers and body), empty when refused.
std::string http_get(int port, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        char chunk[4096];
        for (ssize_t n; (n = ::recv(fd, chunk, sizeof chunk, 0)) > 0;) answer.append(chunk, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

std::string body_of(const std::string& answer) {
    const auto at = answer.find("\r\n\r\n");
    return at == std::string::npos ? "" : answer.substr(at + 4);
}

std::string find_program(const std::string& name) {
    for (const char* dir : {"/usr/bin/", "/usr/local/bin/", "/bin/"})
        if (::access((std::string(dir) + name).c_str(), X_OK) == 0) return std::string(dir) + name;
    return "";
}

std::string url_encoded(const std::string& text) {
    std::string out;
    char hex[4];
    for (unsigned char ch : text) {
        if (std::isalnum(ch) || ch == '_' || ch == '-' || ch == '.') out += static_cast<char>(ch);
        else {
            std::snprintf(hex, sizeof hex, "%%%02X", ch);
            out += hex;
        }
    }
    return out;
}
}  // namespace

TEST_CASE("metrics_listen: promtool accepts the scrape and a real Prometheus reads the lane's queue length",
          "[prometheus]") {
    const std::string prometheus = find_program("prometheus");
    const std::string promtool = find_program("promtool");
    if (prometheus.empty() || promtool.empty())
        skip_test("Debian's prometheus package is not installed (scripts/deps installs it)");

    const int metrics_port = find_free_port();
    StoreFixtureOptions options;
    options.store = "s1";
    options.tills = "1-3";
    options.config_text = "tills = 1-3\nkiosks = 1\nmetrics_listen = 127.0.0.1:" + std::to_string(metrics_port) + "\n";
    StoreFixture store(options);
    const std::string root = store.topic_root();

    // Till 2 open with 4 in its lane, as a lane display or sensor says it (mosquitto_pub),
    // a stored response, a rejected message and a kiosk's backlog: every family has a sample.
    auto mosquitto_pub = [&](const std::string& topic, const std::string& payload, bool retain) {
        std::vector<std::string> argv{"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(store.broker.port()),
                                      "-q", "1", "-t", topic, "-m", payload};
        if (retain) argv.push_back("-r");
        ChildProcess pub(argv, store.dir.file("mosquitto_pub.log"));
        REQUIRE(pub.wait_exit(10'000) == 0);
    };
    mosquitto_pub(root + "lane/2/state", lane_open_payload(true), true);
    mosquitto_pub(root + "lane/2/queue", count_payload(4, 1), true);
    mosquitto_pub(root + "lane/1/queue", "{\"count\":\"many\"}", false);
    Feedback feedback;
    feedback.id = "0192f3a4-7b1c-7d2e-9f00-1a2b3c4d5e6f";
    feedback.ts = wall_clock_ms();
    feedback.scale = Scale::smiley4;
    feedback.score = 3;
    mosquitto_pub(root + "kiosk/exit-1/feedback", encode(feedback), false);
    Status kiosk_status;
    kiosk_status.online = true;
    kiosk_status.kind = DeviceKind::kiosk;
    kiosk_status.version = "0.1.0";
    kiosk_status.ts = wall_clock_ms();
    kiosk_status.backlog = 5;
    mosquitto_pub(root + "device/exit-1/status", encode(kiosk_status), false);

    std::string scrape;
    REQUIRE(wait_until(
        [&] {
            scrape = http_get(metrics_port, "/metrics");
            return body_of(scrape).find("storeq_lane_queue_length{lane=\"2\"} 4\n") != std::string::npos &&
                   body_of(scrape).find("storeq_feedback_total{scale=\"smiley4\",score=\"3\"} 1\n") != std::string::npos &&
                   body_of(scrape).find("storeq_kiosk_outbox_backlog{kiosk=\"exit-1\"} 5\n") != std::string::npos;
        },
        15'000));
    const std::string text = body_of(scrape);
    CHECK_THAT(scrape, Catch::StartsWith("HTTP/1.1 200 OK\r\n") &&
                           Catch::Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    CHECK_THAT(text, Catch::Contains("storeq_lane_waiting{lane=\"2\"} 3\n") &&
                         Catch::Contains("storeq_lane_open{lane=\"2\"} 1\n") &&
                         Catch::Contains("storeq_lane_open{lane=\"3\"} 0\n") &&
                         Catch::Contains("storeq_messages_rejected_total{reason=\"queue: count\"} 1\n") &&
                         Catch::Contains("storeq_build_info{version=\"") &&
                         Catch::Contains("storeq_commit_duration_seconds_bucket{le=\"+Inf\"}") &&
                         Catch::Contains("storeq_rule_step_duration_seconds_count "));
    // Till 3 has no count: no queue length is made up for it.
    CHECK(text.find("storeq_lane_queue_length{lane=\"3\"}") == std::string::npos);
    CHECK_THAT(http_get(metrics_port, "/"), Catch::StartsWith("HTTP/1.1 404"));
    write_text_file(store.dir.file("scrape.txt"), text);
    std::printf("---- GET /metrics (%zu bytes) ----\n%s", text.size(), text.c_str());

    // promtool's check: the format, and its lint of names, units and help.
    ChildProcess check({"/bin/sh", "-c", promtool + " check metrics < " + store.dir.file("scrape.txt")},
                       store.dir.file("promtool.log"));
    const auto checked = check.wait_exit(30'000);
    INFO(check.log_text());
    CHECK(checked == 0);

    // A real Prometheus, on a free port with a data directory of its own, scraping every second.
    const int prometheus_port = find_free_port();
    write_text_file(store.dir.file("prometheus.yml"),
                    "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: storeq\n    static_configs:\n"
                    "      - targets: ['127.0.0.1:" + std::to_string(metrics_port) + "']\n");
    ChildProcess server({prometheus, "--config.file=" + store.dir.file("prometheus.yml"),
                         "--storage.tsdb.path=" + store.dir.file("prometheus-data"),
                         "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                        store.dir.file("prometheus.log"));
    const std::string query = "/api/v1/query?query=" + url_encoded("storeq_lane_queue_length{lane=\"2\"}");
    nlohmann::json answer;
    const bool scraped = wait_until(
        [&] {
            const std::string body = body_of(http_get(prometheus_port, query));
            answer = nlohmann::json::parse(body, nullptr, false);
            return answer.is_object() && answer.value("status", "") == "success" &&
                   !answer["data"]["result"].empty();
        },
        60'000);
    INFO(server.log_text());
    REQUIRE(scraped);
    std::printf("---- GET %s ----\n%s\n", query.c_str(), answer.dump().c_str());
    const auto& result = answer["data"]["result"][0];
    CHECK(result["metric"]["lane"] == "2");
    CHECK(result["metric"]["job"] == "storeq");
    CHECK(result["value"][1] == "4");

    // A new count reaches the query on the next scrapes.
    mosquitto_pub(root + "lane/2/queue", count_payload(1, 2), true);
    CHECK(wait_until(
        [&] {
            const auto later = nlohmann::json::parse(body_of(http_get(prometheus_port, query)), nullptr, false);
            return later.is_object() && !later["data"]["result"].empty() && later["data"]["result"][0]["value"][1] == "1";
        },
        30'000));
    server.kill(SIGTERM);
    (void)server.wait_exit(10'000);
}
