#include "storeq/hq/chain_tree.hpp"

#include <algorithm>
#include <set>

#include "storeq/controller/time_zone.hpp"

namespace storeq::hq {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// Store and region ids go into MQTT topics and SQL parameters: the same letters a store
// id may have in the store's own topics.
bool is_id(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

}  // namespace

const ChainStore* ChainTree::find(std::string_view store) const {
    auto it = stores.find(std::string(store));
    return it == stores.end() ? nullptr : &it->second;
}

Expected<ChainTree> parse_chain_tree(std::string_view text) {
    ChainTree tree;
    std::map<std::string, std::string> zones;  // store (or "default") -> zone
    std::map<std::string, int> zone_line;
    int number = 0;
    auto error = [&](const std::string& what) { return Error{"line " + std::to_string(number), what}; };
    while (!text.empty()) {
        ++number;
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = trim(line);
        if (line.empty()) continue;
        const auto space = line.find_first_of(" \t");
        const auto equals = line.find('=');
        if (space == std::string_view::npos || equals == std::string_view::npos || equals < space)
            return error("expected 'region NAME = STORE, STORE' or 'zone STORE = ZONE', not '" + std::string(line) + "'");
        const std::string_view keyword = line.substr(0, space);
        const std::string name(trim(line.substr(space, equals - space)));
        const std::string_view value = trim(line.substr(equals + 1));
        if (keyword == "region") {
            if (!is_id(name)) return error("region name '" + name + "' is not an id (letters, digits, '-', '_')");
            if (std::find(tree.regions.begin(), tree.regions.end(), name) != tree.regions.end())
                return error("region '" + name + "' is listed twice");
            if (value.empty()) return error("region '" + name + "' lists no store");
            tree.regions.push_back(name);
            std::string_view rest = value;
            while (true) {
                const auto comma = rest.find(',');
                const std::string store(trim(rest.substr(0, comma)));
                if (!is_id(store)) return error("store '" + store + "' is not an id (letters, digits, '-', '_')");
                if (store == "default") return error("'default' is not a store id (it names the default zone)");
                if (auto seen = tree.stores.find(store); seen != tree.stores.end())
                    return error("store '" + store + "' is already in region '" + seen->second.region + "'");
                tree.stores[store] = ChainStore{store, name, {}};
                if (comma == std::string_view::npos) break;
                rest = rest.substr(comma + 1);
            }
        } else if (keyword == "zone") {
            if (name != "default" && !is_id(name)) return error("store '" + name + "' is not an id");
            if (!controller::is_zone_name(value))
                return error("'" + std::string(value) + "' is not a time zone name (like Europe/Amsterdam)");
            if (zones.count(name)) return error("zone of '" + name + "' is given twice");
            zones[name] = std::string(value);
            zone_line[name] = number;
        } else {
            return error("unknown keyword '" + std::string(keyword) + "' (region or zone)");
        }
    }
    for (const auto& [store, zone] : zones) {
        if (store != "default" && !tree.stores.count(store)) {
            number = zone_line[store];
            return error("zone for store '" + store + "', which no region lists");
        }
    }
    for (auto& [id, store] : tree.stores) {
        if (auto own = zones.find(id); own != zones.end()) store.zone = own->second;
        else if (auto fallback = zones.find("default"); fallback != zones.end()) store.zone = fallback->second;
        else return Error{"zone", "store '" + id + "' has no zone and there is no 'zone default = ...' line"};
    }
    if (auto fallback = zones.find("default"); fallback != zones.end()) tree.default_zone = fallback->second;
    if (tree.stores.empty()) return Error{"tree", "lists no store (add 'region NAME = STORE, ...')"};
    return tree;
}

}  // namespace storeq::hq
