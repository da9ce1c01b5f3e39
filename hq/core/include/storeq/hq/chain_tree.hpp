#pragma once
// Head office's chain tree: which stores there are, the region each belongs to, and each
// store's time zone (docs/hq.md "The chain tree"). Pure: text in, tree or Error out.
//
//   # comment
//   region north = s001, s002
//   zone s001 = Europe/Amsterdam
//   zone default = Europe/Amsterdam
//
// A store is in exactly one region; a store without its own `zone` line takes `zone
// default`, and a tree that leaves a store with neither is an Error.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storeq/expected.hpp"

namespace storeq::hq {

struct ChainStore {
    std::string id;
    std::string region;
    std::string zone;  // IANA name
    bool operator==(const ChainStore&) const = default;
};

struct ChainTree {
    std::map<std::string, ChainStore> stores;  // by store id
    std::vector<std::string> regions;          // in the order the file lists them
    std::string default_zone;                  // `zone default = ...`, or empty

    const ChainStore* find(std::string_view store) const;
    bool operator==(const ChainTree&) const = default;
};

// Errors read "line N: what is wrong" (where = "line N").
Expected<ChainTree> parse_chain_tree(std::string_view text);

}  // namespace storeq::hq
