#pragma once
// The chain documents dashboards read (docs/hq.md "Chain documents"): views `today` and
// `28d`, published retained on storeq/chain/v1/{view} after commits.
#include <string>
#include <utility>
#include <vector>

#include "hq_store.hpp"
#include "tree_file.hpp"

namespace storeq::hq {

// (topic, payload) of every view, as of `now` (today: the head office zone's date).
Expected<std::vector<std::pair<std::string, std::string>>> chain_documents(HqStore& store, const LoadedTree& tree,
                                                                           TimeMs now);

}  // namespace storeq::hq
