#pragma once
// `storeq-hq report`: the chain figures from PostgreSQL's hourly mirror.
#include <string>
#include <vector>

#include "hq_store.hpp"
#include "storeq/hq/chain_report.hpp"
#include "tree_file.hpp"

namespace storeq::hq {

// Every store of the tree, with its buckets over `days` and the period before it.
Expected<std::vector<StoreStats>> load_chain_stats(HqStore& store, const LoadedTree& tree, const DayRange& days);

int run_report(const std::vector<std::string>& args);

}  // namespace storeq::hq
