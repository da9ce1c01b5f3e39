#include "durable_step.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "storeq/codec.hpp"
#include "storeq/topics.hpp"

namespace storeq::controller {
namespace {
constexpr const char* kLog = "controller";
// What a failed transaction may hold back for the next one. Past it the oldest inputs are
// dropped (and counted): a database that fails for that long has the watchdog restart us.
constexpr std::size_t kMaxHeldInputs = 10'000;

std::string describe(const Prompt& p) {
    // The last 8 hex digits: the first ones of a UUIDv7 are its time, alike for prompts
    // raised close together.
    std::string text = std::string(to_string(p.action)) + " " + p.id.substr(p.id.size() - 8) + " " +
                       std::string(to_string(p.state));
    if (p.till) text += " till=" + std::to_string(p.till);
    if (p.reason) text += " lane=" + std::to_string(p.reason->lane) + " waiting=" + std::to_string(p.reason->waiting);
    text += " level=" + std::to_string(p.level);
    if (p.claimed_by) text += " by=" + *p.claimed_by;
    return text;
}
}  // namespace

DurableStep::DurableStep(std::string store, ControllerStore store_db, IntakeJournal journal, State initial)
    : store_id_(std::move(store)),
      store_(std::move(store_db)),
      journal_(std::move(journal)),
      state_(std::move(initial)),
      journal_backlog_(!journal_.empty()) {}

Expected<void> DurableStep::restore(TimeMs now, bool record_start) {
    auto mark = store_.durable_mark(now);
    if (!mark) return mark.error();
    mark_ = *mark;
    committed_mark_ = mark_.commit;
    if (record_start)
        if (auto started = store_.record_start(now); !started) return started.error();
    if (auto restored = store_.restore(state_); !restored) return restored;
    return store_.restore_alerts(state_, now);
}

bool DurableStep::begin(TimeMs now, const Config& config) {
    tx_.emplace(store_.database());
    if (!tx_->begun()) {
        write_failed("starting a transaction", tx_->begun().error(), now);
        begin_error_ = tx_->begun().error();
        tx_.reset();
        write_error_.reset();
        return false;
    }
    state_before_tx_ = state_;
    auto held = std::exchange(retry_, {});
    for (const auto& h : held) apply(h.input, h.at, config, true);
    return true;
}

void DurableStep::add(const Input& input, TimeMs now, const Config& config) {
    const bool is_feedback = std::holds_alternative<FeedbackArrived>(input);
    if (!tx_ && !begin(now, config)) {
        // Feedback is in the journal (until a replay); the rest waits here.
        if (is_feedback) journal_backlog_ = true;
        else if (retry_.size() < kMaxHeldInputs) retry_.push_back({input, now});
        else if (!is_feedback) ++inputs_dropped_;
        return;
    }
    apply(input, now, config, !is_feedback);
}

void DurableStep::add_time_passing(TimeMs now, const Config& config) {
    if (!tx_ && !begin(now, config)) return;
    step_event(TimePassed{}, now, config);
}

void DurableStep::replay_journal(TimeMs now, const Config& config) {
    if (journal_.empty()) return;
    if (!tx_ && !begin(now, config)) return;
    auto journalled = journal_.read_all();
    if (!journalled) return write_failed("reading the intake journal", journalled.error(), now);
    // Ids already stored are ignored by the feedback table: replaying twice is harmless.
    for (const auto& message : *journalled) {
        auto input = decode_input(message, store_id_, "", now);
        if (std::holds_alternative<FeedbackArrived>(input)) apply(input, now, config, false);
    }
    journal_backlog_ = false;
}

void DurableStep::apply(const Input& input, TimeMs now, const Config& config, bool keep_for_retry) {
    if (keep_for_retry) inputs_in_tx_.push_back({input, now});
    ++pending_rows_;
    if (const auto* f = std::get_if<FeedbackArrived>(&input)) {
        std::optional<TimeMs> kiosk_offset;
        if (auto it = kiosk_clock_offsets_.find(f->kiosk); it != kiosk_clock_offsets_.end()) kiosk_offset = it->second;
        const FeedbackTiming timing = feedback_timing(f->feedback.ts, now, kiosk_offset);
        // Judged now, at the response's own time: a late one (a kiosk's outbox after a
        // network cut) against the breaches the rule remembers from then.
        const TimeMs counted_at = feedback_counted_at(f->feedback.ts, now, timing);
        const auto after_breach = queued_in_breach(state_, counted_at, now, config);
        auto inserted = store_.insert_feedback(f->kiosk, f->feedback, now, timing, after_breach);
        if (!inserted) return write_failed("storing feedback", inserted.error(), now);
        // Stored now or before: either way the kiosk may let go of it once this is durable.
        receipts_in_tx_[f->kiosk].push_back(f->feedback.id);
        if (*inserted) {
            // New answers only (a replay or a resend is not a second answer) reach the alert rules.
            step_event(FeedbackTaken{f->feedback, counted_at}, now, config);
            ++tally_in_tx_.feedback[{std::string(to_string(f->feedback.scale)), f->feedback.score}];
            if (f->feedback.misuse) ++tally_in_tx_.feedback_misuse;
        }
        if (*inserted)
            log(LogLevel::debug, kLog,
                "feedback from " + f->kiosk + ": " + std::string(to_string(f->feedback.scale)) + " score " +
                    std::to_string(f->feedback.score) + (f->feedback.misuse ? " (misuse)" : ""));
        if (*inserted && timing.clock_suspect && log_limit_.count("kiosk clock off", now)) {
            const double days =
                static_cast<double>(timing.clock_offset ? -*timing.clock_offset : f->feedback.ts - now) / 86'400'000.0;
            char off[32];
            const double size = days < 0 ? -days : days;
            if (size >= 1) std::snprintf(off, sizeof off, "%.1f days %s", size, days < 0 ? "behind" : "ahead");
            else std::snprintf(off, sizeof off, "%.0f min %s", size * 1440, days < 0 ? "behind" : "ahead");
            log_warn(kLog, "feedback from " + f->kiosk + " with its clock " + off +
                               ": stored, flagged clock_suspect, counted " +
                               (timing.clock_offset ? "at its time by our clock (" : "at its arrival (") +
                               std::to_string(log_limit_.by_reason().at("kiosk clock off")) + " so far)");
        }
    } else if (const auto* q = std::get_if<QueueCountReceived>(&input)) {
        // The rule first: a sample older than its source's last (a lower seq) is counted
        // in the status and not stored, so the stats read what the rule used.
        const std::int64_t stale_before = state_.stale_samples;
        step_event(*q, now, config);
        if (state_.stale_samples != stale_before) return;
        if (storage_failing_) ++samples_not_stored_;
        else if (auto stored = store_.insert_queue_sample(q->lane, q->sample, now); !stored)
            write_failed("storing a queue sample", stored.error(), now);
    } else if (const auto* l = std::get_if<LaneStateReceived>(&input)) {
        if (auto stored = store_.insert_lane_state(l->lane, l->lane_state, now); !stored)
            write_failed("storing a lane state", stored.error(), now);
        if (state_.lanes.count(l->lane) && state_.lanes.at(l->lane).open != l->lane_state.open)
            log_info(kLog, "till " + std::to_string(l->lane) + (l->lane_state.open ? " opened" : " closed"));
        step_event(*l, now, config);
    } else if (const auto* c = std::get_if<ClaimReceived>(&input)) {
        step_event(*c, now, config);
    } else if (const auto* k = std::get_if<KioskStatusSeen>(&input)) {
        step_event(k->status, now, config);
    } else if (const auto* a = std::get_if<AlertAnswerReceived>(&input)) {
        step_event(*a, now, config);
    } else if (const auto* h = std::get_if<HeadOfficeSeen>(&input)) {
        step_event(*h, now, config);
    } else if (const auto* d = std::get_if<DoorCountReceived>(&input)) {
        if (auto stored = store_.insert_door_count(d->door, d->count, now); !stored)
            write_failed("storing a door count", stored.error(), now);
        step_event(*d, now, config);
    } else if (const auto* sv = std::get_if<ServedReceived>(&input)) {
        if (auto stored = store_.insert_served(sv->lane, sv->served, now); !stored)
            write_failed("storing a served count", stored.error(), now);
        step_event(*sv, now, config);
    } else if (const auto* r = std::get_if<RetainedPromptSeen>(&input)) {
        // A prompt that ended but is still retained on the broker (a broker that crashed
        // before it saved the clearing): cleared, so no device shows it again.
        if (!state_.live.count(r->prompt_id)) {
            effects_.push_back({prompt_topic(store_id_, r->prompt_id), ""});
            if (log_limit_.count("ghost prompt cleared", now))
                log_info(kLog, "cleared retained prompt " + r->prompt_id + ", which is not live (" +
                                   std::to_string(log_limit_.by_reason().at("ghost prompt cleared")) + " so far)");
        }
    }
}

void DurableStep::step_event(const Event& event, TimeMs now, const Config& config) {
    const auto started = std::chrono::steady_clock::now();
    auto result = step(std::move(state_), event, config, now);
    rule_step_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    state_ = std::move(result.state);
    for (const auto& command : result.commands) execute(command, now);
}

void DurableStep::execute(const Command& command, TimeMs now) {
    if (const auto* note = std::get_if<Note>(&command)) {
        if (log_limit_.count(note->reason, now))
            log_info(kLog, note->text + " (" + note->reason + ": " +
                               std::to_string(log_limit_.by_reason().at(note->reason)) + " so far; logged once a minute)");
        return;
    }
    if (const auto* wait = std::get_if<PublishWait>(&command)) {
        effects_.push_back({wait_topic(store_id_, wait->estimate.lane), encode(wait->estimate)});
        return;
    }
    if (const auto* forecast = std::get_if<PublishForecast>(&command)) {
        effects_.push_back({forecast_topic(store_id_), encode(forecast->forecast)});
        return;
    }
    if (const auto* minute = std::get_if<RecordMinute>(&command)) {
        if (auto stored = store_.record_minute(*minute); !stored)
            write_failed("storing a forecast minute", stored.error(), now);
        return;
    }
    if (const auto* alert = std::get_if<PublishAlert>(&command)) {
        if (auto saved = store_.save_alert(alert->alert, alert->transition, now); !saved)
            write_failed("storing an alert", saved.error(), now);
        log_info(kLog, "alert " + alert->transition + ": " + alert->alert.rule +
                           (alert->alert.subject.empty() ? "" : " " + alert->alert.subject) + " figure " +
                           std::to_string(alert->alert.figure) + " n " + std::to_string(alert->alert.n) +
                           (alert->alert.acknowledged_by && alert->transition == "acknowledged"
                                ? " by " + *alert->alert.acknowledged_by
                                : ""));
        const std::string topic = alert_topic(store_id_, alert->alert.id);
        effects_.push_back({topic, encode(alert->alert)});
        if (alert->alert.state == AlertState::closed) effects_.push_back({topic, ""});  // clears the retained alert
        return;
    }
    const auto& publish = std::get<PublishPrompt>(command);
    LivePrompt live;
    if (auto it = state_.live.find(publish.prompt.id); it != state_.live.end()) live = it->second;
    live.prompt = publish.prompt;
    if (auto saved = store_.save_prompt(live, publish.transition, now); !saved)
        write_failed("storing a prompt", saved.error(), now);
    log_info(kLog, "prompt " + publish.transition + ": " + describe(publish.prompt));
    const std::string action(to_string(publish.prompt.action));
    if (publish.transition == "raised") ++tally_in_tx_.prompts_raised[action];
    if (is_final(publish.prompt.state)) ++tally_in_tx_.prompts_ended[{action, std::string(to_string(publish.prompt.state))}];
    const std::string topic = prompt_topic(store_id_, publish.prompt.id);
    effects_.push_back({topic, encode(publish.prompt)});
    if (is_final(publish.prompt.state)) effects_.push_back({topic, ""});  // clears the retained prompt
}

void DurableStep::write_failed(const char* doing, const Error& error, TimeMs now) {
    if (!write_error_) write_error_ = Error{doing, error.to_string()};
    if (log_limit_.count(doing, now))
        log_error(kLog, std::string(doing) + " failed: " + error.to_string() + " (" +
                            std::to_string(log_limit_.by_reason().at(doing)) + " times so far; logged once a minute)");
}

DurableStep::Unsynced DurableStep::take_unsynced() {
    return Unsynced{committed_mark_, std::exchange(unsynced_receipts_, {})};
}

std::vector<OutgoingMessage> DurableStep::synced(Unsynced batch, const Expected<void>& synced, TimeMs now) {
    std::vector<OutgoingMessage> out;
    if (!synced) {
        write_failed("syncing feedback to disk", synced.error(), now);
        write_error_.reset();  // nothing of an open transaction is lost: only the receipts wait
        for (auto& [kiosk, ids] : batch.ids) {
            auto& waiting = unsynced_receipts_[kiosk];
            waiting.insert(waiting.begin(), ids.begin(), ids.end());
        }
        return out;
    }
    mark_.commit = std::max(mark_.commit, batch.commit);
    for (auto& [kiosk, ids] : batch.ids) {
        for (std::size_t from = 0; from < ids.size(); from += kMaxReceiptIds) {
            Receipt receipt{mark_.db, batch.commit, {}};
            const std::size_t to = std::min(ids.size(), from + kMaxReceiptIds);
            receipt.ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(from), ids.begin() + static_cast<std::ptrdiff_t>(to));
            out.push_back({receipt_topic(store_id_, kiosk), encode(receipt), false});
        }
    }
    return out;
}

Expected<std::vector<OutgoingMessage>> DurableStep::commit(TimeMs now, const Config&) {
    if (!tx_ && begin_error_) return *std::exchange(begin_error_, std::nullopt);
    if (!tx_) return std::exchange(effects_, {});
    const bool changed = pending_rows_ > 0 || !effects_.empty();
    // Feedback in this transaction: it also counts the durable commit its receipts will
    // name, so one fsync of the WAL makes both the rows and that count durable together.
    std::int64_t counted = committed_mark_;
    if (!write_error_ && !receipts_in_tx_.empty()) {
        if (auto bumped = store_.count_durable_commit(); bumped) counted = *bumped;
        else write_failed("counting a durable commit", bumped.error(), now);
    }
    const auto started = std::chrono::steady_clock::now();
    Expected<void> done = write_error_ ? Expected<void>(*write_error_) : tx_->commit();
    if (!write_error_)
        commit_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    tx_.reset();  // rolls back what did not commit
    pending_rows_ = 0;
    write_error_.reset();
    if (!done) {
        if (log_limit_.count("committing", now))
            log_error(kLog, "committing failed: " + done.error().to_string() + " (" +
                                std::to_string(log_limit_.by_reason().at("committing")) +
                                " times so far; the transaction's inputs are tried again)");
        state_ = std::move(state_before_tx_);
        effects_.clear();
        tally_in_tx_ = {};
        receipts_in_tx_.clear();  // its feedback is in the journal: stored and receipted later
        for (auto& held : inputs_in_tx_) {
            if (retry_.size() < kMaxHeldInputs) retry_.push_back(std::move(held));
            else ++inputs_dropped_;
        }
        inputs_in_tx_.clear();
        journal_backlog_ = !journal_.empty();
        return done.error();
    }
    if (changed) ++changes_;
    tally_.add(std::exchange(tally_in_tx_, {}));
    inputs_in_tx_.clear();
    if (!journal_backlog_ && !journal_.empty()) {
        if (auto cleared = journal_.clear(); !cleared && log_limit_.count("emptying the intake journal", now))
            log_error(kLog, "emptying the intake journal failed: " + cleared.error().to_string());
    }
    committed_mark_ = counted;
    for (auto& [kiosk, ids] : std::exchange(receipts_in_tx_, {})) {
        auto& waiting = unsynced_receipts_[kiosk];
        waiting.insert(waiting.end(), ids.begin(), ids.end());
    }
    return std::exchange(effects_, {});
}

}  // namespace storeq::controller
