#pragma once
// The chain tree file read from disk, and every store's zone table loaded from the tz
// database (the same load_time_zone the store's controller uses).
#include <map>
#include <string>

#include "storeq/controller/time_zone.hpp"
#include "storeq/hq/chain_tree.hpp"

namespace storeq::hq {

struct LoadedTree {
    ChainTree tree;
    std::map<std::string, controller::TimeZone> zones;  // by store
    controller::TimeZone head_office_zone;               // `zone default`, else UTC: what "today" is
};

// An Error reads "FILE: line N: what is wrong" or names the zone that cannot be loaded.
Expected<LoadedTree> load_tree_file(const std::string& path);

}  // namespace storeq::hq
