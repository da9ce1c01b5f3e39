#pragma once
// The simulated store: shoppers arrive (Poisson), join the shortest open lane, are served
// (exponential service time) and some give feedback at the exit; simulated staff answer
// the controller's prompts. Pure: time comes in through advance(now), randomness from the
// seed, and what the store would publish comes out as events. No MQTT, no clock.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::sim {

// Shoppers come in at the door and reach the tills a shopping trip later (issue 14). With
// doors, `arrivals_per_minute` is the door's base rate, shaped by the day (day_shape.hpp),
// and the store publishes door counts and the tills' POS served counts.
struct DoorSettings {
    double shopping_minutes = 15;  // mean time from the door to the tills (gamma, shape 4)
    double buyer_share = 0.9;      // share of shoppers who pay at a till
    TimeMs count_interval = 60'000;
    bool day_shape = true;         // false: the base rate all day
    double day_noise = 0.08;       // each day's level varies by this (log-normal sigma)
    bool pos = true;               // publish lane/{n}/served
    int utc_offset_s = 0;          // the shape's local time = UTC + this
};

struct StoreSettings {
    std::vector<int> tills{1, 2, 3, 4};  // in the order the store opens them
    int open_at_start = 1;
    int initial_queue = 0;  // shoppers already queued at the open tills at the start
    double arrivals_per_minute = 12;
    double mean_service_s = 15;
    double feedback_share = 0.4;
    // The satisfaction model: a served shopper's face (smiley4) is drawn from
    // kBaseFaceChances, with the best face's chance lowered by this much for each minute
    // the shopper stood with more than one customer in front (the promise broken for them),
    // the other faces taking its share in proportion. 0: waiting changes nothing.
    double best_face_drop = 0.10;
    std::optional<DoorSettings> doors;  // none: shoppers appear at the tills (Poisson)
    // Staff: from claiming an open_till (or prepare_till) to the till open. A cashier
    // filling shelves needs minutes; the default is a cashier standing by.
    TimeMs open_walk_min = 8'000;
    TimeMs open_walk_max = 25'000;
    // First queue-count seq; 0: the start time. The shell passes the wall clock, so a
    // restarted simulator's samples are never taken for older ones, whatever its clock.
    std::int64_t first_seq = 0;
};

// The kiosk's default follow-up chips (assets/kiosk/kiosk.conf.example) with their English
// labels (assets/kiosk/lang/en.json, "reason.<code>"; tests/integration/sim_test.cpp
// checks they agree): simulated shoppers tap these.
struct ReasonChip {
    const char* code;
    const char* label;
};
inline constexpr std::array<ReasonChip, 6> kPositiveReasons{{{"staff", "Friendly staff"},
                                                             {"speed", "Quick checkout"},
                                                             {"clean", "Clean store"},
                                                             {"fresh", "Fresh food"},
                                                             {"prices", "Prices"},
                                                             {"other", "Something else"}}};
inline constexpr std::array<ReasonChip, 6> kNegativeReasons{{{"queue", "Waiting time"},
                                                             {"stock", "Out of stock"},
                                                             {"unfriendly", "Staff"},
                                                             {"dirty", "Cleanliness"},
                                                             {"expensive", "Prices"},
                                                             {"other", "Something else"}}};

// The faces' chances (worst .. best) of a shopper who never had more than one in front.
inline constexpr std::array<double, 4> kBaseFaceChances{0.05, 0.10, 0.30, 0.55};
// The chances of a shopper who stood `over_one_in_front` with two or more ahead.
std::array<double, 4> face_chances(TimeMs over_one_in_front, double best_face_drop);

// --- what the store publishes ----------------------------------------------------------
struct QueueCountPublished {
    int lane = 0;
    QueueCount sample;
};
struct LaneStatePublished {
    int lane = 0;
    LaneState state;
};
struct ClaimPublished {
    std::string prompt_id;
    PromptAction action = PromptAction::open_till;
    int till = 0;
    Claim claim;
};
struct FeedbackPublished {
    std::string kiosk;  // exit-1 or exit-2
    Feedback feedback;
    int lane = 0;        // where the shopper paid
    TimeMs waited = 0;   // from joining the lane until served
};
// Not published: staff sent a waiting shopper to a free till (balance prompt).
struct ShopperMoved {
    int from = 0;
    int to = 0;
};
struct DoorCountPublished {
    int door = 1;
    DoorCount count;
};
struct ServedPublished {
    int lane = 0;
    LaneServed served;
};
using StoreEvent = std::variant<QueueCountPublished, LaneStatePublished, ClaimPublished, FeedbackPublished,
                                ShopperMoved, DoorCountPublished, ServedPublished>;

// What the run did, for the closing summary.
struct PromptTally {
    int seen = 0;
    int claimed = 0;
    std::map<PromptState, int> ended;  // final state -> count
};
struct StoreStats {
    int arrived = 0;
    int served = 0;
    int turned_away = 0;  // arrived while no till was open
    int entered = 0;      // through the door (with doors)
    TimeMs total_wait = 0;  // from joining a line until reaching the till, served shoppers
    TimeMs max_wait = 0;
    // Served shoppers who stood with more than one customer in front, and for how long in all.
    int over_one_in_front = 0;
    TimeMs total_over_one_in_front = 0;
    // Shoppers at a till (the one paying included, as a lane sensor counts them), summed
    // over the time each till is open: queued_ms / open_ms is the time-weighted mean
    // count per open till, what `storeq-controller report` calls avg_queue.
    double queued_ms = 0;
    double open_ms = 0;
    std::map<int, int> feedback_by_score;
    std::map<PromptAction, PromptTally> prompts;
};

struct LaneView {
    int number = 0;
    bool open = false;
    bool closing = false;
    int count = 0;
};

// How a prompt message relates to what the store already saw of it.
enum class PromptNews { none, first_seen, changed };

class StoreModel {
public:
    StoreModel(StoreSettings settings, TimeMs start, std::uint64_t seed);

    // Runs the store up to `now` (which never goes backwards) and returns what it publishes,
    // in time order. The first call also announces every till's state and count.
    std::vector<StoreEvent> advance(TimeMs now);

    // A prompt as the controller published it (retained clears are not prompts). Staff
    // react to open prompts they have not handled yet.
    PromptNews observe_prompt(const Prompt& prompt, TimeMs now);

    const StoreStats& stats() const { return stats_; }
    std::vector<LaneView> lanes() const;

    // Automatic feeds repeat their count this often; the controller treats 60 s of silence
    // as a broken sensor.
    static constexpr TimeMs kHeartbeat = 10'000;

private:
    struct Shopper {
        TimeMs joined = 0;
        std::optional<TimeMs> service_started;  // set when this shopper reaches the till
        std::optional<TimeMs> service_ends;
        std::optional<TimeMs> service_ms;  // drawn at the door (with doors): the same shopper in every run
        std::optional<TimeMs> one_in_front_at;  // from then on at most one customer was ahead
    };
    struct Lane {
        int number = 0;
        bool open = false;
        bool closing = false;  // staff close it once the last shopper has paid
        std::deque<Shopper> shoppers;
        std::optional<int> published_count;
        TimeMs published_at = 0;
        int served_in_interval = 0;
    };
    enum class TaskKind { claim, open_till, close_till, balance };
    struct StaffTask {
        TimeMs due = 0;
        TaskKind kind = TaskKind::claim;
        std::string prompt_id;
        int staff = 0;
    };
    struct SeenPrompt {
        Prompt last;
        bool claimed_counted = false;
    };

    void start(TimeMs now);
    void account_until(TimeMs at);
    std::optional<TimeMs> next_due() const;
    void run_next(TimeMs at);
    void arrive(TimeMs at, std::optional<TimeMs> service_ms = std::nullopt);
    void enter(TimeMs at);
    double door_rate_per_ms(TimeMs at);
    double max_door_rate_per_ms() const;
    void publish_door(TimeMs now);
    void finish_service(Lane& lane, TimeMs at);
    void run_staff_task(const StaffTask& task, TimeMs at);
    void join(Lane& lane, Shopper shopper, TimeMs at);
    void serve_head(Lane& lane, TimeMs at);
    void set_open(Lane& lane, bool open, TimeMs at, const std::string& by);
    void move_to_new_till(Lane& target, TimeMs at);
    bool move_one(Lane& from, Lane& to, TimeMs at);
    void give_feedback(const Lane& lane, TimeMs waited, TimeMs over_one_in_front, TimeMs at);
    void publish_counts(TimeMs now);
    bool prompt_still_wanted(const std::string& prompt_id) const;

    Lane* lane(int number);
    Lane* shortest_open_lane();
    Lane* longest_lane_except(int number);
    TimeMs exponential_ms(double mean_ms);
    TimeMs uniform_ms(TimeMs min, TimeMs max);
    bool chance(double p);

    StoreSettings settings_;
    std::mt19937_64 rng_;
    // With doors, who comes in, when, how long they shop and how long they take at the till
    // come from a stream of their own: two runs with the same seed meet the same shoppers
    // whatever the staff and the controller do (the forecast bench's A/B depends on it).
    std::mt19937_64 shopper_rng_;
    std::vector<Lane> lanes_;  // in opening order
    std::vector<StaffTask> tasks_;
    std::map<std::string, SeenPrompt> prompts_;
    std::vector<StoreEvent> out_;
    StoreStats stats_;
    TimeMs now_ = 0;
    TimeMs accounted_to_ = 0;
    TimeMs next_arrival_ = 0;
    // With doors: the next candidate door entry (thinned), shoppers on their way to the
    // tills (a min-heap of arrival times), the door count of the current interval.
    TimeMs next_entry_ = 0;
    struct OnTheWay {
        TimeMs at = 0;
        TimeMs service_ms = 0;
        bool operator>(const OnTheWay& other) const { return at > other.at; }
    };
    std::vector<OnTheWay> to_tills_;  // a min-heap by arrival at the tills
    int entered_in_interval_ = 0;
    TimeMs interval_start_ = 0;
    std::map<TimeMs, double> day_level_;  // by local day: that day's noise factor
    std::int64_t next_seq_ = 0;
    int next_staff_ = 1;
    bool started_ = false;
};

}  // namespace storeq::sim
