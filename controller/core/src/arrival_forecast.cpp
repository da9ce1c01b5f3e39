#include "storeq/controller/arrival_forecast.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>

// How the forecast learns (docs/forecast.md has the user's view):
//
// Profile. Door entries per minute for each 15-minute slot of the week. Each finished
// minute with a door report folds into its slot. The slot's "week value" is the mean of
// the minutes of that slot seen in that week (its occurrence, which starts at the
// minute's UTC time minus its minute within the slot: a new week is recognised by time,
// never by counting minutes). Weeks weigh equally up to 4 (weight 1/k for the k-th week),
// then an exponential moving average with weight 1/4 follows a store that changes. A
// minute inside an occurrence already begun moves the profile by w·(x - mean_before)/n,
// which is exactly the change of w·(week mean): the earlier minutes of the occurrence are
// all in `recent` (180 min > 15), so no extra state is needed.
//
// Today against the usual. The profile of a slot seen today already holds today's minutes
// (weight 1/k). Comparing today with it would pull the level towards 1 (after 3 weeks a
// day 1.5x busier would read 1.33), so the "usual" of a slot seen today is the profile
// with today's part taken out again: p_before = (p - w·today_mean) / (1 - w), exact since
// today's minutes of the slot are in `recent`.
//
// Lag and buyer share are learned on the first minute of each new slot occurrence (every
// 15 minutes of data, whatever gaps), from the last kRecentMinutes minutes:
// - lag: both series are linearly detrended (a morning ramp would otherwise correlate
//   with itself at every lag and the peak would be anywhere), then the Pearson correlation
//   of door[i] with tills[i+L] is computed for L = 0..60 over the minutes where both were
//   reported (at least 60 pairs). "Varies enough": per series at least 90 reported minutes,
//   a mean of at least 0.1 per minute, and a detrended variance of at least 1.5x the mean.
//   A steady store's counts are Poisson, variance ≈ mean (dispersion 1): only a store that
//   varies more than chance carries a pattern whose shift can be seen. The best lag must
//   correlate at r >= 0.3. It is refined by a parabola through its neighbours (a fraction
//   of a minute) and folded in: lag = 3/4 lag + 1/4 estimate.
// - buyer share: till arrivals / door entries over the window, aligned by the (rounded)
//   lag so the people counted at the tills are those counted at the door; at least 30
//   door entries; folded like the lag (weight 1/4), clamped to [0.2, 1.5].
namespace storeq::controller {
namespace {

constexpr TimeMs kMinuteMs = 60'000;
// Times outside ±2^52 ms (±142,000 years) are nonsense: such a minute is ignored, and the
// arithmetic on times below can never overflow.
constexpr TimeMs kSaneTime = TimeMs{1} << 52;
constexpr int kMaxLag = 60;
constexpr double kWeekEmaWeight = 0.25;
constexpr int kEqualWeeks = 4;
constexpr double kLagEmaWeight = 0.25;
constexpr double kShareEmaWeight = 0.25;
constexpr double kMinShare = 0.2;
constexpr double kMaxShare = 1.5;
constexpr int kLevelMinutes = 30;
constexpr double kMinLevel = 0.5;
constexpr double kMaxLevel = 2.0;
// The level is (observed + k) / (expected + k) with k = 5 people: a quiet half hour with a
// handful of people either way says little, and this keeps 2 people against 1 expected
// from reading as "twice as busy". With 300 expected it changes the level by under 2%.
constexpr double kLevelPriorPeople = 5;
constexpr int kMinSeriesMinutes = 90;
constexpr int kMinPairs = 60;
constexpr double kMinMeanPerMinute = 0.1;
constexpr double kMinDispersion = 1.5;
constexpr double kMinCorrelation = 0.3;
constexpr double kMinShareDoorEntries = 30;

bool sane_time(TimeMs t) { return t > -kSaneTime && t < kSaneTime; }

int wrap_minute_of_week(long long m) {
    m %= kMinutesPerWeek;
    if (m < 0) m += kMinutesPerWeek;
    return static_cast<int>(m);
}

TimeMs floor_minute(TimeMs t) {
    TimeMs q = t / kMinuteMs;
    if (t % kMinuteMs < 0) --q;
    return q * kMinuteMs;
}

double count_of(int n) { return n > 0 ? static_cast<double>(n) : 0.0; }

double finite_or(double x, double fallback) { return std::isfinite(x) ? x : fallback; }

// The UTC start of the slot occurrence a minute belongs to: one value per slot per week.
TimeMs occurrence_start(TimeMs minute_start, int minute_of_week) {
    return minute_start - static_cast<TimeMs>(wrap_minute_of_week(minute_of_week) % kSlotMinutes) * kMinuteMs;
}
TimeMs occurrence_start(const MinuteCounts& m) { return occurrence_start(m.minute_start, m.minute_of_week); }

int slot_of(int minute_of_week) { return wrap_minute_of_week(minute_of_week) / kSlotMinutes; }

double week_weight(int weeks) { return weeks <= kEqualWeeks ? 1.0 / std::max(weeks, 1) : kWeekEmaWeight; }

double clamp_share(double share) { return std::clamp(finite_or(share, 1.0), kMinShare, kMaxShare); }
double clamp_lag(double lag) { return std::clamp(finite_or(lag, kDefaultLagMinutes), 0.0, double{kMaxLag}); }

// The door minutes of one slot occurrence held in `recent`: their sum and number.
struct OccurrenceSoFar {
    double sum = 0;
    int minutes = 0;
};
OccurrenceSoFar occurrence_so_far(const std::deque<MinuteCounts>& recent, TimeMs occurrence) {
    OccurrenceSoFar so_far;
    for (const auto& r : recent) {
        if (!r.door_reported || !sane_time(r.minute_start) || occurrence_start(r) != occurrence) continue;
        so_far.sum += count_of(r.door_entries);
        ++so_far.minutes;
    }
    return so_far;
}

void fold_into_profile(ArrivalModel& model, const MinuteCounts& m) {
    const auto slot = static_cast<std::size_t>(slot_of(m.minute_of_week));
    const OccurrenceSoFar before = occurrence_so_far(model.recent, occurrence_start(m));
    int& weeks = model.weeks_seen[slot];
    double& profile = model.profile[slot];
    weeks = std::max(weeks, 0);
    if (!std::isfinite(profile) || profile < 0) profile = 0;
    const double x = count_of(m.door_entries);
    if (before.minutes == 0) {
        // The first minute of this slot this week: a new week for the slot.
        if (weeks < INT_MAX) ++weeks;
        const double w = week_weight(weeks);
        profile = (1 - w) * profile + w * x;
    } else {
        // One more minute of this week's occurrence: the week's mean moves by
        // (x - mean_before) / n, the profile by w times that.
        const double w = week_weight(std::max(weeks, 1));
        const double n = before.minutes + 1;
        profile += w * (x - before.sum / before.minutes) / n;
    }
    if (!std::isfinite(profile) || profile < 0) profile = std::max(0.0, finite_or(profile, 0.0));
}

// The recent window as a minute grid, oldest first, ending at the newest minute.
struct Series {
    std::array<double, kRecentMinutes> value{};
    std::array<bool, kRecentMinutes> present{};
};

// Removes the least-squares line through the present points; false if too few points,
// too few people or too little variation (see the top of the file).
bool detrend_and_check(Series& s) {
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < kRecentMinutes; ++i) {
        if (!s.present[i]) continue;
        const double x = i, y = s.value[i];
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    if (n < kMinSeriesMinutes) return false;
    const double mean = sy / n;
    if (!(mean >= kMinMeanPerMinute) || !std::isfinite(mean)) return false;
    const double mx = sx / n;
    const double vx = sxx / n - mx * mx;
    const double slope = vx > 0 ? (sxy / n - mx * mean) / vx : 0.0;
    double residual_sq = 0;
    for (int i = 0; i < kRecentMinutes; ++i) {
        if (!s.present[i]) continue;
        s.value[i] -= mean + slope * (i - mx);
        residual_sq += s.value[i] * s.value[i];
    }
    const double variance = residual_sq / n;
    return std::isfinite(variance) && variance >= kMinDispersion * mean;
}

// Pearson correlation of door[i] and tills[i + lag] over the minutes both were reported;
// NaN when there are too few pairs or no variation.
double correlation_at(const Series& door, const Series& tills, int lag) {
    double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i + lag < kRecentMinutes; ++i) {
        if (!door.present[i] || !tills.present[i + lag]) continue;
        const double x = door.value[i], y = tills.value[i + lag];
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    if (n < kMinPairs) return std::nan("");
    const double vx = sxx / n - (sx / n) * (sx / n);
    const double vy = syy / n - (sy / n) * (sy / n);
    if (!(vx > 1e-12) || !(vy > 1e-12)) return std::nan("");
    const double r = (sxy / n - (sx / n) * (sy / n)) / std::sqrt(vx * vy);
    return std::isfinite(r) ? r : std::nan("");
}

void learn_lag_and_share(ArrivalModel& model) {
    if (model.recent.empty()) return;
    const TimeMs newest = model.recent.back().minute_start;
    Series door, tills;
    for (const auto& r : model.recent) {
        if (!sane_time(r.minute_start) || r.minute_start > newest) continue;
        const TimeMs back = (newest - r.minute_start) / kMinuteMs;
        if (back >= kRecentMinutes) continue;
        const auto i = static_cast<std::size_t>(kRecentMinutes - 1 - back);
        tills.value[i] = count_of(r.till_arrivals);
        tills.present[i] = true;
        if (r.door_reported) {
            door.value[i] = count_of(r.door_entries);
            door.present[i] = true;
        }
    }
    const Series raw_door = door, raw_tills = tills;

    if (detrend_and_check(door) && detrend_and_check(tills)) {
        std::array<double, kMaxLag + 1> r{};
        int best = -1;
        for (int lag = 0; lag <= kMaxLag; ++lag) {
            r[lag] = correlation_at(door, tills, lag);
            if (!std::isnan(r[lag]) && (best < 0 || r[lag] > r[best])) best = lag;
        }
        if (best >= 0 && r[best] >= kMinCorrelation) {
            double estimate = best;
            if (best > 0 && best < kMaxLag && !std::isnan(r[best - 1]) && !std::isnan(r[best + 1])) {
                const double curvature = r[best - 1] - 2 * r[best] + r[best + 1];
                if (curvature < 0) {
                    const double shift = 0.5 * (r[best - 1] - r[best + 1]) / curvature;
                    estimate += std::clamp(finite_or(shift, 0.0), -0.5, 0.5);
                }
            }
            model.lag_minutes = clamp_lag((1 - kLagEmaWeight) * clamp_lag(model.lag_minutes) + kLagEmaWeight * estimate);
        }
    }

    const int lag = static_cast<int>(std::lround(clamp_lag(model.lag_minutes)));
    double door_sum = 0, till_sum = 0;
    for (int i = 0; i + lag < kRecentMinutes; ++i) {
        if (!raw_door.present[i] || !raw_tills.present[i + lag]) continue;
        door_sum += raw_door.value[i];
        till_sum += raw_tills.value[i + lag];
    }
    if (door_sum >= kMinShareDoorEntries && std::isfinite(door_sum) && std::isfinite(till_sum)) {
        const double ratio = clamp_share(till_sum / door_sum);
        model.buyer_share = clamp_share((1 - kShareEmaWeight) * clamp_share(model.buyer_share) + kShareEmaWeight * ratio);
    }
}

}  // namespace

ArrivalModel learn_minute(ArrivalModel model, const MinuteCounts& minute) {
    if (!sane_time(minute.minute_start)) return model;
    MinuteCounts m = minute;
    m.minute_start = floor_minute(m.minute_start);
    m.minute_of_week = wrap_minute_of_week(m.minute_of_week);
    m.door_entries = std::max(m.door_entries, 0);
    m.till_arrivals = std::max(m.till_arrivals, 0);
    // A model from elsewhere (a restore) with the wrong sizes is repaired, never indexed out of range.
    if (model.profile.size() != static_cast<std::size_t>(kSlotsPerWeek)) model.profile.assign(kSlotsPerWeek, 0.0);
    if (model.weeks_seen.size() != static_cast<std::size_t>(kSlotsPerWeek)) model.weeks_seen.assign(kSlotsPerWeek, 0);
    // Out of order or a repeat: ignored (learning it would count a week twice).
    if (!model.recent.empty() && m.minute_start <= model.recent.back().minute_start) return model;
    const bool new_occurrence = model.recent.empty() || occurrence_start(model.recent.back()) != occurrence_start(m);

    if (m.door_reported) {
        fold_into_profile(model, m);
        if (model.door_minutes_seen <= 0) model.first_door_minute = m.minute_start;
        ++model.door_minutes_seen;
    }
    model.recent.push_back(m);
    const TimeMs oldest_kept = m.minute_start - static_cast<TimeMs>(kRecentMinutes - 1) * kMinuteMs;
    while (!model.recent.empty() && model.recent.front().minute_start < oldest_kept) model.recent.pop_front();

    if (new_occurrence) learn_lag_and_share(model);
    return model;
}

double door_history_days(const ArrivalModel& model, TimeMs now) {
    if (model.door_minutes_seen <= 0 || !sane_time(now) || !sane_time(model.first_door_minute)) return 0;
    const double days = static_cast<double>(now - model.first_door_minute) / (24.0 * 60 * kMinuteMs);
    return std::isfinite(days) ? std::max(0.0, days) : 0.0;
}

namespace {

// What the forecast knows of the minutes around `now`: minute k covers
// [now_minute + k min, now_minute + (k+1) min); k < 0 are finished minutes.
class Timeline {
public:
    Timeline(const ArrivalModel& model, TimeMs now, int minute_of_week_now)
        : model_(model), now_minute_(floor_minute(now)), mow_now_(wrap_minute_of_week(minute_of_week_now)),
          profile_ok_(model.profile.size() == static_cast<std::size_t>(kSlotsPerWeek) &&
                      model.weeks_seen.size() == static_cast<std::size_t>(kSlotsPerWeek)) {
        for (const auto& r : model.recent) {
            if (!r.door_reported || !sane_time(r.minute_start)) continue;
            const TimeMs offset = floor_minute(r.minute_start) - now_minute_;
            const TimeMs k = offset / kMinuteMs;
            if (k < -kRecentMinutes || k >= 0) continue;
            const auto i = static_cast<std::size_t>(k + kRecentMinutes);
            observed_[i] = count_of(r.door_entries);
            has_[i] = true;
        }
    }

    bool observed(int k) const { return k >= -kRecentMinutes && k < 0 && has_[static_cast<std::size_t>(k + kRecentMinutes)]; }
    double observed_value(int k) const { return observed_[static_cast<std::size_t>(k + kRecentMinutes)]; }

    struct Usual {
        double per_min = 0;
        bool learned = false;  // seen on at least one earlier week
    };
    // The profile's door entries per minute for minute k, as it stood before this week's
    // occurrence of that slot (see the top of the file).
    Usual usual(int k) const {
        if (!profile_ok_) return {};
        const int mow = wrap_minute_of_week(static_cast<long long>(mow_now_) + k);
        const auto slot = static_cast<std::size_t>(mow / kSlotMinutes);
        int weeks = model_.weeks_seen[slot];
        double p = finite_or(model_.profile[slot], 0.0);
        const TimeMs start = now_minute_ + static_cast<TimeMs>(k) * kMinuteMs;
        const OccurrenceSoFar today = occurrence_so_far(model_.recent, occurrence_start(start, mow));
        if (today.minutes > 0) {
            if (weeks <= 1) return {};
            const double w = week_weight(weeks);
            p = (p - w * today.sum / today.minutes) / (1 - w);
            --weeks;
        }
        if (weeks <= 0) return {};
        return {std::max(0.0, finite_or(p, 0.0)), true};
    }

private:
    const ArrivalModel& model_;
    TimeMs now_minute_;
    int mow_now_;
    bool profile_ok_;
    std::array<double, kRecentMinutes> observed_{};
    std::array<bool, kRecentMinutes> has_{};
};

}  // namespace

ArrivalForecast forecast_arrivals(const ArrivalModel& model, TimeMs now, int minute_of_week_now) {
    ArrivalForecast f;
    f.lag_minutes = clamp_lag(model.lag_minutes);
    f.buyer_share = clamp_share(model.buyer_share);
    if (!sane_time(now)) return f;
    const Timeline timeline(model, now, minute_of_week_now);

    // Today against the usual: the last 30 minutes with a door report, in slots seen on an
    // earlier week.
    double observed_sum = 0, expected_sum = 0;
    bool compared = false;
    for (int k = -kLevelMinutes; k < 0; ++k) {
        if (!timeline.observed(k)) continue;
        const auto usual = timeline.usual(k);
        if (!usual.learned) continue;
        observed_sum += timeline.observed_value(k);
        expected_sum += usual.per_min;
        compared = true;
    }
    if (compared) {
        const double level = (observed_sum + kLevelPriorPeople) / (expected_sum + kLevelPriorPeople);
        f.level = std::clamp(finite_or(level, 1.0), kMinLevel, kMaxLevel);
    }

    // The door over the last 15 minutes, and what the profile expected for them.
    double door_sum = 0, usual_sum = 0;
    int door_minutes = 0, usual_minutes = 0;
    for (int k = -kSlotMinutes; k < 0; ++k) {
        if (timeline.observed(k)) {
            door_sum += timeline.observed_value(k);
            ++door_minutes;
        }
        const auto usual = timeline.usual(k);
        if (usual.learned) {
            usual_sum += usual.per_min;
            ++usual_minutes;
        }
    }
    f.door_per_min = door_minutes > 0 ? finite_or(door_sum / door_minutes, 0.0) : 0.0;
    f.usual_door_per_min = usual_minutes > 0 ? finite_or(usual_sum / usual_minutes, 0.0) : 0.0;
    // The recent door rate, for minutes neither observed nor in a learned slot: the last 15
    // minutes, or if the sensor was silent then, whatever of the last kRecentMinutes it reported.
    double recent_rate = f.door_per_min;
    if (door_minutes == 0) {
        double sum = 0;
        int minutes = 0;
        for (int k = -kRecentMinutes; k < 0; ++k) {
            if (!timeline.observed(k)) continue;
            sum += timeline.observed_value(k);
            ++minutes;
        }
        recent_rate = minutes > 0 ? finite_or(sum / minutes, 0.0) : 0.0;
    }

    const auto door_rate = [&](int k) {
        if (timeline.observed(k)) return timeline.observed_value(k);
        const auto usual = timeline.usual(k);
        return usual.learned ? usual.per_min * f.level : recent_rate;
    };
    // Customers at the tills in [now + h, now + h + 15) came in at the door in
    // [now + h - L, now + h + 15 - L): the door rate integrated over that window, minute by
    // minute with the fractions at its ends (the lag is not a whole number of minutes).
    const double into_minute = static_cast<double>(now - floor_minute(now)) / kMinuteMs;
    const auto tills_per_min = [&](int h) {
        const double from = into_minute + h - f.lag_minutes;
        const double to = from + kSlotMinutes;
        double people = 0;
        for (auto k = static_cast<int>(std::floor(from)); k < static_cast<int>(std::ceil(to)); ++k) {
            const double overlap = std::min(to, k + 1.0) - std::max(from, double(k));
            if (overlap > 0) people += overlap * door_rate(k);
        }
        return std::max(0.0, finite_or(people / kSlotMinutes * f.buyer_share, 0.0));
    };
    f.now_per_min = tills_per_min(0);
    f.in15_per_min = tills_per_min(kSlotMinutes);
    f.in30_per_min = tills_per_min(2 * kSlotMinutes);
    // The slots ahead: those of now, now + 15 min and now + 30 min, each seen on an earlier week.
    f.profile_learned = timeline.usual(0).learned && timeline.usual(kSlotMinutes).learned &&
                        timeline.usual(2 * kSlotMinutes).learned;
    return f;
}

}  // namespace storeq::controller
