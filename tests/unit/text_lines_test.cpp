// The one reader of line-oriented files (store config, kiosk config, credentials, scripts).
#include <catch2/catch.hpp>

#include "storeq/text_lines.hpp"

using namespace storeq;

TEST_CASE("comments and blank lines are skipped and every line keeps its number") {
    const std::string text = "# store 12\n\n  tills = 1-6   # the exit first\r\n\t\ndwell=3s";
    auto lines = content_lines(text);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].number == 3);
    CHECK(lines[0].text == "tills = 1-6");
    CHECK(lines[1].number == 5);
    CHECK(lines[1].text == "dwell=3s");
}

TEST_CASE("settings split at the first equals sign and a line without one is named") {
    auto settings = parse_settings("username = exit-1\npassword = a=b=c\n");
    REQUIRE(settings);
    REQUIRE(settings->size() == 2);
    CHECK((*settings)[1].key == "password");
    CHECK((*settings)[1].value == "a=b=c");
    CHECK((*settings)[1].where() == "line 2");
    auto broken = parse_settings("tills = 1-4\n\ndwell 3s\n");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().where == "line 3");
}
