#pragma once
/// The fusion thread's side of persistence in `picket serve`: what it records, stores and
/// holds back, in one place, so that src/server.cpp only says when. Owns the persistence stage
/// (the thread that writes the recording and the store), the output gate (what waits for it),
/// the track decimator and the history writer (track history's thread). Fusion thread only,
/// except stats() and status_json().
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/alert.hpp"
#include "core/track.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/persist/history_writer.hpp"
#include "src/persist/output_gate.hpp"
#include "src/persist/persistence_stage.hpp"
#include "src/persist/standby_writes.hpp"
#include "src/persist/track_decimator.hpp"
#include "src/record/record_buffer.hpp"
#include "src/record/recorder.hpp"

namespace picket::persist {

/// Everything /metrics and the health status say about persistence.
struct PersistenceReport {
    PersistenceStats stage;
    HistoryWriter::Stats history;
    std::uint64_t history_updates{0};  ///< track updates the decimator saw
    std::uint64_t history_kept{0};     ///< of which kept as history
    std::size_t held{0};               ///< messages waiting behind an alert not yet stored
    std::uint64_t held_dropped{0};     ///< track messages dropped while held
    [[nodiscard]] bool degraded() const {
        return stage.degraded() || history.dropped > 0 || held_dropped > 0;
    }
};

struct PersistenceSettings {
    PersistenceOptions stage;
    HistoryOptions history;
    DecimationConfig decimation;
};

class ServerPersistence {
public:
    /// Any of `store`, `recorder`, `history` may be null (not configured).
    ServerPersistence(std::unique_ptr<outputs::Store> store,
                      std::unique_ptr<record::Recorder> recorder,
                      std::unique_ptr<outputs::HistoryStore> history,
                      const PersistenceSettings& settings);

    void start() {
        stage_.start();
        history_.start();
    }
    /// Writes everything handed over and joins the threads (after the fusion loop has ended).
    void stop() {
        end_of_wakeup();
        stage_.stop();
        history_.stop();
    }

    // --- inputs ------------------------------------------------------------------------------
    void record(record::RecordType type, FeedIndex feed, Timestamp t, std::string_view payload) {
        stage_.record(type, feed, t, payload);
        if (tap_) tap_->append(type, feed, t, payload);
    }
    /// Every record from now on is appended to `copy` too (the hot standby's link).
    void tap_records(record::RecordBuffer* copy) { tap_ = copy; }

    // --- operator commands: the recording holds a command before the store holds its effects --
    /// Records the command and asks for the recording to reach the OS before anything the
    /// command changes is committed.
    void begin_command(Timestamp now, const std::string& user, const std::string& json);
    /// Stores the action; everything published from now on (the reply first) waits for it.
    void end_command(Timestamp now, std::string user, std::string json, std::string reply);

    // --- outputs -----------------------------------------------------------------------------
    /// An alert (new or changed) about to be published: handed over now; the publishing from
    /// here on waits until the store has it.
    void alert(const Alert& alert);
    /// Tracks that changed: the decimator picks what becomes track history.
    void tracks_changed(std::span<const Track> tracks);
    /// The tick: the last updates of quiet tracks become history too.
    void on_tick(Timestamp now);
    /// End of a fusion loop wake-up: hand over what accumulated (records, history).
    void end_of_wakeup();

    /// Sends now when nothing waits for the store, else keeps `send` until it may go.
    /// `make_held` builds the owning closure only when needed.
    template <class Now, class Later>
    void emit(Now&& send_now, Later&& make_held, bool droppable) {
        if (gate_.open()) {
            send_now();
        } else {
            gate_.hold(make_held(), droppable);
        }
    }

    // --- the hot standby (src/standby) ---------------------------------------------------------
    /// Everything emitted from now on (the alert or reply first) also waits for the standby's
    /// ack of record `seq`.
    /// Call before alert() or end_command(): with store_after_standby, their store writes wait
    /// for that ack too.
    void hold_for_standby(std::uint64_t seq);
    void standby_acked(std::uint64_t seq);
    void standby_lost();
    /// A primary whose standby shares its store (PostgreSQL): alerts and actions go to the
    /// store only once the standby acked the record that produced them, so the store never
    /// holds an effect the standby's engine lacks (docs/deployment.md, "Hot standby on a
    /// shared PostgreSQL store"). The cost: one link round trip before the commit.
    void store_after_standby() { store_after_standby_ = true; }
    /// Primary, end of a wake-up (after end_of_wakeup()): every record up to `seq` has been
    /// handed over with its effects.
    void records_handed_over_through(std::uint64_t seq);
    /// Primary: the last record whose effects (alerts, actions) the store has committed.
    [[nodiscard]] std::uint64_t records_stored_through();

    // --- a hot standby whose store is the primary's (PostgreSQL; standby_writes.hpp) ---------
    /// While following: nothing goes to the store (alerts, actions, track history); alert
    /// versions and actions are kept until the primary says it committed them.
    void withhold_store_writes() { withheld_ = std::make_unique<StandbyWrites>(); }
    [[nodiscard]] bool withholding() const { return withheld_ != nullptr; }
    /// The primary's record the engine is applying now (what it produces carries this number).
    void applying_record(std::uint64_t seq) { applying_ = seq; }
    /// The primary committed the effects of every record up to `seq`.
    void primary_stored_through(std::uint64_t seq) {
        if (withheld_) withheld_->stored_through(seq);
    }
    /// Takeover: what the primary may not have committed (after record `stored_seq`) goes to
    /// `write_missing` on the persistence thread, before anything this server raises from now
    /// on; then the store is written as by any server. Returns the ticket that confirms it.
    using WriteMissing = std::function<void(outputs::Store&, const StandbyWrites::Left&)>;
    std::uint64_t take_over_store(std::uint64_t stored_seq, WriteMissing write_missing);
    /// The highest ticket committed (take_over_store's). Any thread.
    [[nodiscard]] std::uint64_t confirmed() const { return stage_.confirmed(); }

    /// Readable when the persistence thread committed something; then call on_wake().
    [[nodiscard]] int wake_fd() const { return stage_.wake_fd(); }
    void on_wake();

    [[nodiscard]] bool recording() const { return stage_.recording(); }
    [[nodiscard]] bool storing() const { return stage_.storing(); }
    /// Fusion thread (the gate and the decimator are its own).
    [[nodiscard]] PersistenceReport report() const;
    [[nodiscard]] const OutputGate& gate() const { return gate_; }
    /// {"database":…,"recording":…,"degraded":…, counters…}: the health status' part. Fusion
    /// thread.
    [[nodiscard]] std::string status_json() const;

private:
    PersistenceStage stage_;
    HistoryWriter history_;
    bool keep_history_{false};
    OutputGate gate_;
    TrackDecimator decimator_;
    std::vector<outputs::TrackPoint> points_;  ///< decimated, not yet handed to history_
    std::uint64_t gate_dropped_warned_{0};
    record::RecordBuffer* tap_{nullptr};
    // Primary with a standby: which ticket carries the effects of which records.
    struct HandedOver {
        std::uint64_t ticket;
        std::uint64_t seq;
    };
    /// Hands the batch over, unless it waits for the standby's ack (store_after_standby):
    /// then the ticket it will get.
    std::uint64_t hand_over();
    bool store_after_standby_{false};
    std::uint64_t store_waits_for_{0};  ///< the standby's ack the batch waits for (0: none)
    std::uint64_t standby_acked_{0};
    std::deque<HandedOver> handed_over_;
    std::uint64_t stored_through_{0};
    // A standby on the primary's store: what it withholds while following.
    std::unique_ptr<StandbyWrites> withheld_;
    std::uint64_t applying_{0};
};

}  // namespace picket::persist
