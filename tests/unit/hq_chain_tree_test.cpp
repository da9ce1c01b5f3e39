// The chain tree file (hq/core chain_tree.hpp): good trees, and bad lines named by number.
#include <catch2/catch.hpp>

#include "storeq/hq/chain_tree.hpp"

using namespace storeq;
using namespace storeq::hq;

TEST_CASE("hq chain tree: regions, stores and zones, with a default zone") {
    auto tree = parse_chain_tree(
        "# the chain\n"
        "region north = s001, s002\n"
        "region south = s003   # one store\n"
        "\n"
        "zone s003 = Europe/London\n"
        "zone default = Europe/Amsterdam\n");
    REQUIRE(tree);
    CHECK(tree->regions == std::vector<std::string>{"north", "south"});
    REQUIRE(tree->stores.size() == 3);
    CHECK(tree->stores.at("s001") == ChainStore{"s001", "north", "Europe/Amsterdam"});
    CHECK(tree->stores.at("s003") == ChainStore{"s003", "south", "Europe/London"});
    CHECK(tree->default_zone == "Europe/Amsterdam");
    CHECK(tree->find("s002") != nullptr);
    CHECK(tree->find("s999") == nullptr);
}

TEST_CASE("hq chain tree: a bad line is an error naming its number and what is wrong") {
    struct Case {
        const char* text;
        const char* where;
        const char* says;
    };
    const Case cases[] = {
        {"region north = s001\nstores s002\n", "line 2", "expected"},
        {"region north = s001\nshop x = s002\n", "line 2", "unknown keyword 'shop'"},
        {"region north = s001, s001\n", "line 1", "already in region 'north'"},
        {"region north = s001\nregion south = s001\n", "line 2", "already in region 'north'"},
        {"region north = s001\nregion north = s002\n", "line 2", "listed twice"},
        {"region north =\n", "line 1", "lists no store"},
        {"region north = s001, s/02\n", "line 1", "'s/02' is not an id"},
        {"region north = s001\nzone s001 = Not A Zone\n", "line 2", "not a time zone name"},
        {"region north = s001\nzone s001 = UTC\nzone s001 = UTC\n", "line 3", "given twice"},
        {"region north = s001\nzone s002 = UTC\n", "line 2", "which no region lists"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto tree = parse_chain_tree(c.text);
        REQUIRE_FALSE(tree);
        CHECK(tree.error().where == c.where);
        CHECK_THAT(tree.error().what, Catch::Contains(c.says));
    }
}

TEST_CASE("hq chain tree: a store without a zone and no default, and an empty tree, are errors") {
    auto no_zone = parse_chain_tree("region north = s001\n");
    REQUIRE_FALSE(no_zone);
    CHECK_THAT(no_zone.error().what, Catch::Contains("s001") && Catch::Contains("zone default"));
    auto empty = parse_chain_tree("# nothing\n");
    REQUIRE_FALSE(empty);
    CHECK_THAT(empty.error().what, Catch::Contains("no store"));
}
