#include "src/persist/server_persistence.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "core/log.hpp"

namespace picket::persist {

ServerPersistence::ServerPersistence(std::unique_ptr<outputs::Store> store,
                                     std::unique_ptr<record::Recorder> recorder,
                                     std::unique_ptr<outputs::HistoryStore> history,
                                     const PersistenceSettings& settings)
    : stage_(std::move(store), std::move(recorder), settings.stage),
      history_(std::move(history), settings.history),
      keep_history_(history_.enabled()),
      decimator_(settings.decimation) {}

void ServerPersistence::begin_command(Timestamp now, const std::string& user,
                                      const std::string& json) {
    record(record::RecordType::command, 0, now, user + "\n" + json);
    // To the OS before the command's effects are committed: otherwise a kill -9 in between
    // could leave an acknowledgement in the database that the recording (and replay) never saw.
    stage_.flush_recording_before_next_commit();
}

void ServerPersistence::end_command(Timestamp now, std::string user, std::string json,
                                    std::string reply) {
    if (withheld_) {
        if (stage_.storing())
            withheld_->action(applying_,
                              {0, now, std::move(user), std::move(json), std::move(reply)});
        return;
    }
    stage_.record_action(now, std::move(user), std::move(json), std::move(reply));
    gate_.hold_until(hand_over());
}

void ServerPersistence::alert(const Alert& alert) {
    if (!stage_.storing()) return;
    if (withheld_) {
        withheld_->alert(applying_, alert);
        return;
    }
    stage_.save_alert(alert);
    gate_.hold_until(hand_over());
}

void ServerPersistence::tracks_changed(std::span<const Track> tracks) {
    if (!keep_history_ || withheld_) return;  // the primary writes the shared history
    for (const Track& t : tracks) decimator_.update(t, points_);
}

void ServerPersistence::on_tick(Timestamp now) {
    if (keep_history_ && !withheld_) decimator_.on_tick(now, points_);
}

void ServerPersistence::end_of_wakeup() {
    hand_over();
    if (!points_.empty()) history_.push(points_);
}

void ServerPersistence::on_wake() {
    stage_.read_wake();
    gate_.release(stage_.confirmed());
    if (gate_.dropped() > gate_dropped_warned_) {
        log::warn("persistence: " + std::to_string(gate_.dropped() - gate_dropped_warned_) +
                  " track messages dropped while publishing waited for the store");
        gate_dropped_warned_ = gate_.dropped();
    }
}

std::uint64_t ServerPersistence::hand_over() {
    if (store_waits_for_ > standby_acked_) return stage_.next_ticket();
    store_waits_for_ = 0;
    return stage_.hand_over();
}

void ServerPersistence::hold_for_standby(std::uint64_t seq) {
    gate_.hold_until_acked(seq);
    if (store_after_standby_ && seq > store_waits_for_) store_waits_for_ = seq;
}

void ServerPersistence::standby_acked(std::uint64_t seq) {
    if (seq > standby_acked_) standby_acked_ = seq;
    gate_.release_acked(seq);
    if (store_waits_for_ != 0 && standby_acked_ >= store_waits_for_) hand_over();
}

void ServerPersistence::standby_lost() {
    gate_.stop_waiting_for_acks();
    // Publishing no longer waits for it, nor does the store.
    standby_acked_ = std::max(standby_acked_, store_waits_for_);
    if (store_waits_for_ != 0) hand_over();
}

void ServerPersistence::records_handed_over_through(std::uint64_t seq) {
    if (!handed_over_.empty() && handed_over_.back().seq >= seq) return;
    // end_of_wakeup() handed over the last batch (or keeps it for the standby's ack): this is
    // its ticket.
    handed_over_.push_back({stage_.next_ticket(), seq});
}

std::uint64_t ServerPersistence::records_stored_through() {
    const std::uint64_t confirmed = stage_.confirmed();
    while (!handed_over_.empty() && handed_over_.front().ticket <= confirmed) {
        stored_through_ = handed_over_.front().seq;
        handed_over_.pop_front();
    }
    return stored_through_;
}

std::uint64_t ServerPersistence::take_over_store(std::uint64_t stored_seq,
                                                 WriteMissing write_missing) {
    if (!withheld_) return stage_.confirmed();
    withheld_->stored_through(stored_seq);
    auto left = std::make_shared<const StandbyWrites::Left>(withheld_->take());
    withheld_.reset();
    stage_.run_on_store(
        [left, write = std::move(write_missing)](outputs::Store& s) { write(s, *left); });
    const std::uint64_t ticket = stage_.hand_over();
    gate_.hold_until(ticket);  // nothing is published before the store is this server's
    return ticket;
}

PersistenceReport ServerPersistence::report() const {
    PersistenceReport r;
    r.stage = stage_.stats();
    r.history = history_.stats();
    r.history_updates = decimator_.updates();
    r.history_kept = decimator_.kept();
    r.held = gate_.held();
    r.held_dropped = gate_.dropped();
    return r;
}

std::string ServerPersistence::status_json() const {
    const PersistenceReport r = report();
    const PersistenceStats& s = r.stage;
    const HistoryWriter::Stats& h = r.history;
    std::string out;
    JsonWriter w(out);
    w.begin_object()
        .field("database", stage_.storing())
        .field("recording", stage_.recording())
        .field("history", keep_history_)
        .field("degraded", r.degraded());
    w.field("unconfirmed", s.handed_over - s.confirmed)
        .field("held_messages", static_cast<std::uint64_t>(gate_.held()))
        .field("held_dropped", gate_.dropped())
        .field("recording_backlog_bytes", s.recording_backlog_bytes)
        .field("history_backlog", h.backlog)
        .field("alerts_saved", s.alerts_saved)
        .field("actions_saved", s.actions_saved)
        .field("history_saved", h.saved)
        .field("history_dropped", h.dropped)
        .field("history_disk_bytes", h.disk_bytes)
        .field("history_updates", r.history_updates)
        .field("history_kept", r.history_kept)
        .field("records_written", s.records_written)
        .field("records_dropped", s.records_dropped)
        .field("store_errors", s.store_errors)
        .field("last_commit_ms", s.last_commit_ms, 3)
        .field("max_commit_ms", s.max_commit_ms, 3);
    w.end_object();
    return out;
}

}  // namespace picket::persist
