#include "tree_file.hpp"

#include <fstream>
#include <sstream>

#include "local_time.hpp"

namespace storeq::hq {

Expected<LoadedTree> load_tree_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path, "cannot be read"};
    std::ostringstream text;
    text << in.rdbuf();
    auto tree = parse_chain_tree(text.str());
    if (!tree) return Error{path, tree.error().to_string()};
    LoadedTree loaded{*tree, {}, controller::utc_zone()};
    std::map<std::string, controller::TimeZone> by_name;
    for (const auto& [id, store] : tree->stores) {
        if (!by_name.count(store.zone)) {
            auto zone = controller::load_time_zone(store.zone);
            if (!zone) return Error{path, "zone of store '" + id + "': " + zone.error().to_string()};
            by_name.emplace(store.zone, *zone);
        }
        loaded.zones.emplace(id, by_name.at(store.zone));
    }
    if (!tree->default_zone.empty()) {
        auto zone = controller::load_time_zone(tree->default_zone);
        if (!zone) return Error{path, "zone default: " + zone.error().to_string()};
        loaded.head_office_zone = *zone;
    }
    return loaded;
}

}  // namespace storeq::hq
