// storeq-kiosk's command line: what it accepts and what it refuses (main exits 2 on these).
#include <catch2/catch.hpp>

#include "app/kiosk_args.hpp"

using namespace storeq::kiosk;

namespace {

std::vector<std::string> words(std::initializer_list<const char*> list) { return {list.begin(), list.end()}; }

}  // namespace

TEST_CASE("the lane role takes its till and store and device and broker", "[kiosk-args]") {
    auto options = parse_kiosk_args(
        words({"--role", "lane", "--broker", "127.0.0.1:1884", "--store", "store-1", "--id", "lane-4", "--till", "4"}));
    REQUIRE(options.has_value());
    CHECK(options->config.role == Role::lane);
    CHECK(options->config.till == 4);
    CHECK(options->config.store == "store-1");
    CHECK(options->config.device == "lane-4");
    CHECK(options->broker_host == "127.0.0.1");
    CHECK(options->broker_port == 1884);
    CHECK(options->width == 1024);
    CHECK(options->height == 600);
    CHECK_FALSE(options->screenshot);
}

TEST_CASE("a screenshot needs no broker", "[kiosk-args]") {
    auto options = parse_kiosk_args(words({"--role", "feedback", "--store", "s1", "--id", "exit-1", "--screenshot",
                                           "out.png", "--width", "800", "--height", "480"}));
    REQUIRE(options.has_value());
    CHECK(options->screenshot == std::optional<std::string>("out.png"));
    CHECK(options->width == 800);
    CHECK(options->height == 480);
}

TEST_CASE("bad command lines are refused with the option named", "[kiosk-args]") {
    struct Case {
        std::vector<std::string> args;
        std::string option;
    };
    const std::vector<Case> cases = {
        {words({"--store", "s", "--id", "d", "--broker", "h:1"}), "--role"},
        {words({"--role", "kiosk", "--store", "s", "--id", "d", "--broker", "h:1"}), "--role"},
        {words({"--role", "lane", "--store", "s", "--id", "d", "--broker", "h:1"}), "--till"},
        {words({"--role", "lane", "--store", "s", "--id", "d", "--broker", "h:1", "--till", "0"}), "--till"},
        {words({"--role", "lane", "--store", "s", "--id", "d", "--broker", "h:1", "--till", "4x"}), "--till"},
        {words({"--role", "feedback", "--store", "S!", "--id", "d", "--broker", "h:1"}), "--store"},
        {words({"--role", "feedback", "--store", "s", "--broker", "h:1"}), "--id"},
        {words({"--role", "feedback", "--store", "s", "--id", "d"}), "--broker"},
        {words({"--role", "feedback", "--store", "s", "--id", "d", "--broker", "nohost"}), "--broker"},
        {words({"--role", "feedback", "--store", "s", "--id", "d", "--broker", "h:70000"}), "--broker"},
        {words({"--role", "feedback", "--store", "s", "--id", "d", "--broker", "h:1", "--width", "10"}), "--width"},
        {words({"--role", "feedback", "--store", "s", "--id", "d", "--broker", "h:1", "--colour"}), "--colour"},
        {words({"--role"}), "--role"},
    };
    for (const auto& c : cases) {
        INFO("args ending " << c.args.back());
        auto options = parse_kiosk_args(c.args);
        REQUIRE_FALSE(options.has_value());
        CHECK(options.error().where == c.option);
    }
}
