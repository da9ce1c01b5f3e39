#include "storeq/hq/sequencer.hpp"

#include <algorithm>

namespace storeq::hq {

void Sequencer::set_committed(const std::string& store, std::int64_t seq) {
    Stream& s = streams_[store];
    if (seq > s.committed) s.committed = seq;
}

std::int64_t Sequencer::committed(const std::string& store) const {
    auto it = streams_.find(store);
    return it == streams_.end() ? 0 : it->second.committed;
}

OfferCounts Sequencer::offer(const chain::Batch& batch) {
    OfferCounts counts;
    Stream& s = streams_[batch.store];
    s.zone = batch.zone;
    for (const chain::Entry& entry : batch.entries) {
        if (entry.seq < s.next() || s.held.count(entry.seq)) {
            ++counts.duplicates;
            continue;
        }
        if (s.ready.size() + s.held.size() >= max_) {
            ++counts.dropped;
            continue;
        }
        ++counts.accepted;
        if (entry.seq == s.next()) s.ready.push_back(entry);
        else s.held.emplace(entry.seq, entry);
        // A gap just filled: what was held behind it follows.
        for (auto it = s.held.begin(); it != s.held.end() && it->first == s.next(); it = s.held.erase(it))
            s.ready.push_back(std::move(it->second));
    }
    return counts;
}

std::map<std::string, StoreReady> Sequencer::ready() const {
    std::map<std::string, StoreReady> out;
    for (const auto& [store, s] : streams_)
        if (!s.ready.empty()) out[store] = StoreReady{s.zone, s.committed + 1, s.ready};
    return out;
}

std::map<std::string, StoreReady> Sequencer::ready(std::size_t max_entries) {
    std::size_t stores = 0;
    for (const auto& [store, s] : streams_) stores += s.ready.empty() ? 0 : 1;
    std::map<std::string, StoreReady> out;
    if (stores == 0 || max_entries == 0) return out;
    const std::size_t share = std::max<std::size_t>(chain::kMaxBatchEntries, max_entries / stores);
    std::size_t left = max_entries;
    // Round the ring once, from the store after the last one taken.
    auto start = streams_.upper_bound(last_taken_);
    for (std::size_t i = 0; i < streams_.size() && left > 0; ++i, ++start) {
        if (start == streams_.end()) start = streams_.begin();
        const auto& [store, s] = *start;
        if (s.ready.empty()) continue;
        const std::size_t n = std::min({s.ready.size(), share, left});
        out[store] = StoreReady{s.zone, s.committed + 1,
                                std::vector<chain::Entry>(s.ready.begin(), s.ready.begin() + static_cast<std::ptrdiff_t>(n))};
        left -= n;
        last_taken_ = store;
    }
    return out;
}

std::size_t Sequencer::ready_count() const {
    std::size_t n = 0;
    for (const auto& [store, s] : streams_) n += s.ready.size();
    return n;
}

void Sequencer::committed_up_to(const std::string& store, std::int64_t seq) {
    Stream& s = streams_[store];
    if (seq <= s.committed) return;
    const auto done = static_cast<std::size_t>(std::min<std::int64_t>(seq - s.committed, static_cast<std::int64_t>(s.ready.size())));
    s.ready.erase(s.ready.begin(), s.ready.begin() + static_cast<std::ptrdiff_t>(done));
    s.committed = seq;
    // Held entries at or below the new cursor came another way: they are duplicates now.
    while (!s.held.empty() && s.held.begin()->first <= s.committed) s.held.erase(s.held.begin());
}

std::size_t Sequencer::held_count(const std::string& store) const {
    auto it = streams_.find(store);
    return it == streams_.end() ? 0 : it->second.held.size();
}

}  // namespace storeq::hq
