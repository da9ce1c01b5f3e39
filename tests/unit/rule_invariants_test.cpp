// Generated store days checked against the rule's invariants: never two live prompts for
// one demand, every prompt ends, escalation never early, no prompt without a breach, and
// restarts (state cut down to what the database restores) change none of that.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "storeq/controller/step.hpp"

using namespace storeq;
using namespace storeq::controller;

TEST_CASE("random noisy store traffic keeps the rule's invariants") {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        INFO("seed " << seed);
        std::mt19937_64 rng(seed);
        Config config;
        config.tills = {1, 2, 3, 4};
        State state = initial_state(config, seed);
        TimeMs now = 5'000'000;
        std::map<std::string, Prompt> first_seen;
        std::set<std::string> ended;
        auto feed = [&](const Event& e) {
            auto r = step(std::move(state), e, config, now);
            state = std::move(r.state);
            for (const auto& c : r.commands) {
                const auto* p = std::get_if<PublishPrompt>(&c);
                if (!p) continue;
                const Prompt& prompt = p->prompt;
                REQUIRE_FALSE(ended.count(prompt.id));  // nothing happens to an ended prompt
                if (p->transition == "raised") {
                    first_seen[prompt.id] = prompt;
                    if (prompt.reason) {
                        // It was raised for a lane that really breaches.
                        REQUIRE(is_breaching(state.lanes.at(prompt.reason->lane), config, now));
                    }
                }
                if (p->transition == "escalated" && prompt.state == PromptState::open)
                    REQUIRE(now - prompt.raised >= config.claim_timeout);
                if (is_final(prompt.state)) ended.insert(prompt.id);
            }
            // Never two live prompts of one kind for one demand.
            std::set<std::pair<int, int>> demands;
            for (const auto& [id, live] : state.live) {
                if (live.demand_lane == 0) continue;
                REQUIRE(demands.insert({live.demand_lane, static_cast<int>(live.prompt.action)}).second);
            }
        };
        std::map<int, std::int64_t> seq;
        int restarts = 0;
        for (int i = 0; i < 3000; ++i) {
            now += std::uniform_int_distribution<int>(50, 700)(rng);
            const int lane = std::uniform_int_distribution<int>(1, 4)(rng);
            const int what = std::uniform_int_distribution<int>(0, 99)(rng);
            if (what < 70) {
                // Counts flickering between 2 and 3, sometimes falling to 0..1.
                const int count = what < 60 ? 2 + (what % 2) : what % 2;
                feed(QueueCountReceived{lane, QueueCount{count, now, CountSource::sensor, ++seq[lane]}});
            } else if (what < 80) {
                feed(LaneStateReceived{lane, LaneState{what % 2 == 0, now, std::nullopt}});
            } else if (what == 88) {
                // A restart: only what the database restores survives (lane open/closed
                // and the live prompts, ControllerStore::restore); counts come back later.
                State restarted = initial_state(config, seed * 1000 + static_cast<std::uint64_t>(i));
                for (auto& [number, restored_lane] : restarted.lanes) restored_lane.open = state.lanes.at(number).open;
                for (const auto& [id, live] : state.live) {
                    LivePrompt restored;
                    restored.prompt = live.prompt;
                    restored.demand_lane = live.demand_lane;
                    restored.claimed_at = live.claimed_at;
                    restarted.live.emplace(id, restored);
                }
                state = std::move(restarted);
                ++restarts;
            } else if (what < 88 && !state.live.empty()) {
                auto it = state.live.begin();
                std::advance(it, std::uniform_int_distribution<std::size_t>(0, state.live.size() - 1)(rng));
                feed(ClaimReceived{it->first, Claim{"staff-" + std::to_string(what), now, std::nullopt}});
            } else {
                feed(TimePassed{});
            }
        }
        // Close the day: queues empty, every till closes, time runs on: every prompt ends.
        for (int lane = 1; lane <= 4; ++lane) feed(QueueCountReceived{lane, QueueCount{0, now, CountSource::sensor, ++seq[lane]}});
        for (int lane = 1; lane <= 4; ++lane) feed(LaneStateReceived{lane, LaneState{false, now, std::nullopt}});
        for (int i = 0; i < 400; ++i) {
            now += 1'000;
            feed(TimePassed{});
        }
        CHECK(state.live.empty());
        CHECK(ended.size() == first_seen.size());
        CHECK(first_seen.size() > 5);  // the generated day really exercised the rule
        CHECK(restarts > 5);
    }
}
