#pragma once
/// Hot standby (docs/deployment.md, "Hot standby"): the primary sends every record it records, as
/// it records it, to a standby `picket serve --standby`, which feeds them to its own engine (as
/// `picket replay` does, its outputs muted) and acks the last record it applied. One ZeroMQ
/// connection: the primary binds a ROUTER at `standby.endpoint`, the standby connects a DEALER.
///
///   primary -> standby   "records" | u64 epoch | u64 first_seq | i64 primary_now_ns | bytes
///                                  | u64 stored_seq | u64 start_alert_id
///                        "heartbeat" | u64 epoch | u64 last_seq | i64 primary_now_ns
///                                    | u64 stored_seq | u64 start_alert_id  (idle, 200 ms)
///                        "too-late" | u64 epoch | u64 oldest_seq_kept      (cannot resend)
///   standby -> primary   "ack" | u64 applied_seq        (after each batch, and every 200 ms)
///                        "resend" | u64 applied_seq     (hello, or a gap: what follows, again)
///
/// Records are numbered from 1 in the order the primary recorded them. The primary keeps what
/// the standby has not acked (bounded), so a standby that (re)connects or sees a gap asks again
/// from the last record it applied ("ack" doubles as "send me what follows"). Both sides run on
/// their server's fusion thread; nothing here is thread-safe.
///
/// `stored_seq`: the last record whose effects (alerts, actions) the primary's store has
/// committed. A standby sharing the primary's store keeps what its engine produced after it,
/// to write at takeover what the primary may not have committed (src/persist/standby_writes.hpp).
///
/// `start_alert_id`: the alert id the primary's engine started from (restored from its store). A
/// standby whose engine started from another (it restored a store the primary had written to
/// since it started: a standby started after the primary raised alerts, on a shared store) would
/// give the primary's ids to other alerts: it is out of sync and never takes over. 0: not told.
///
/// `epoch` is drawn at random by each primary process: a standby that hears a new one (the
/// primary restarted on its own store while the standby still held the old picture) is out of
/// sync, stops acking and never takes over.
#include <zmq.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "src/record/record_buffer.hpp"

namespace picket::standby {

using SteadyTime = std::chrono::steady_clock::time_point;

inline constexpr auto kHeartbeat = std::chrono::milliseconds(200);

/// The primary's side: the records go out, the acks come back.
class PrimaryLink {
public:
    /// Binds a ROUTER at `endpoint` (throws std::runtime_error with the endpoint on failure).
    /// `lease`: a standby not heard from for this long is gone (publishing stops waiting for it).
    PrimaryLink(zmq::context_t& ctx, const std::string& endpoint, std::chrono::milliseconds lease,
                std::size_t max_kept_bytes = std::size_t{256} << 20);

    /// The alert id this primary's engine started from (sent with every message).
    void set_start_alert_id(std::uint64_t id) { start_alert_id_ = id; }
    /// Every record the server records is appended here too (ServerPersistence's tap).
    record::RecordBuffer& tap() { return pending_; }
    /// The sequence number of the last record appended (0 before the first).
    [[nodiscard]] std::uint64_t last_seq() const { return sent_seq_ + pending_.records(); }

    /// End of a fusion wake-up: sends what was appended as one batch (or a heartbeat when
    /// nothing was for kHeartbeat), with `stored_seq` (the last record whose effects the store
    /// committed).
    void flush(Timestamp primary_now, SteadyTime now, std::uint64_t stored_seq = 0);
    /// Reads the acks that arrived (call when socket() is readable).
    void read(SteadyTime now);

    /// A standby acked within the lease: publishing an alert waits for its ack.
    [[nodiscard]] bool attached(SteadyTime now) const;
    [[nodiscard]] std::uint64_t acked() const { return acked_; }
    [[nodiscard]] zmq::socket_t& socket() { return socket_; }
    [[nodiscard]] std::uint64_t batches_sent() const { return batches_sent_; }

private:
    struct Batch {
        std::uint64_t first_seq;
        std::uint64_t count;
        std::string bytes;
    };
    void send_batch(const Batch& b, Timestamp primary_now);
    void send_heartbeat(Timestamp primary_now);
    void resend_from(std::uint64_t applied, Timestamp primary_now);
    void forget_acked();

    zmq::socket_t socket_;
    std::chrono::milliseconds lease_;
    std::size_t max_kept_bytes_;
    record::RecordBuffer pending_;
    std::uint64_t sent_seq_{0};  ///< records already put in a batch
    std::deque<Batch> kept_;     ///< batches not yet acked, oldest first
    std::size_t kept_bytes_{0};
    std::string peer_;  ///< the standby's routing id (the last one heard)
    std::uint64_t acked_{0};
    std::optional<SteadyTime> heard_;
    SteadyTime last_sent_{};
    Timestamp last_now_{};
    std::uint64_t stored_seq_{0};
    std::uint64_t start_alert_id_{0};
    std::uint64_t batches_sent_{0};
    std::uint64_t epoch_;
};

/// The standby's side: applies the primary's records in order and watches the lease.
class StandbyFollower {
public:
    /// `apply(type, feed, time, payload)`: one record, in the primary's order.
    using Apply = std::function<void(record::RecordType, FeedIndex, Timestamp, std::string_view)>;

    StandbyFollower(zmq::context_t& ctx, const std::string& endpoint,
                    std::chrono::milliseconds lease, Apply apply);

    /// The alert id this standby's engine started from: a primary that started from another is
    /// not followed (out of sync). 0: not checked.
    void expect_start_alert_id(std::uint64_t id) { start_alert_id_ = id; }
    /// Reads what arrived (call when socket() is readable) and acks it.
    void read(SteadyTime now);
    /// Acks every kHeartbeat even when idle (the primary's lease on us).
    void tick(SteadyTime now);

    /// Nothing from the primary for the lease, after it was heard from: take over.
    [[nodiscard]] bool primary_lost(SteadyTime now) const;
    /// Every record from 1 on was applied, without a gap the primary could not fill, all from
    /// one primary process.
    [[nodiscard]] bool in_sync() const { return in_sync_; }
    [[nodiscard]] std::uint64_t applied() const { return applied_; }
    /// The last record whose effects the primary said its store committed.
    [[nodiscard]] std::uint64_t stored() const { return stored_; }
    /// The primary's clock now, estimated from its last message (for taking over its clock).
    [[nodiscard]] std::optional<Timestamp> primary_clock(SteadyTime now, double speed) const;
    [[nodiscard]] zmq::socket_t& socket() { return socket_; }

private:
    void ack(SteadyTime now);
    /// Asks the primary to send again what follows the last record applied (a gap).
    void ask_again(SteadyTime now);

    zmq::socket_t socket_;
    std::chrono::milliseconds lease_;
    Apply apply_;
    std::uint64_t applied_{0};
    std::uint64_t stored_{0};
    std::uint64_t start_alert_id_{0};
    bool in_sync_{true};
    std::optional<SteadyTime> heard_;
    std::optional<std::uint64_t> epoch_;  ///< the primary's, from its first message
    Timestamp primary_now_{};             ///< the primary's clock in its last message
    SteadyTime last_ack_{};
    SteadyTime last_resend_{};
};

}  // namespace picket::standby
