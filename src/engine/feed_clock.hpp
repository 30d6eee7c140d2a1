#pragma once
/// One feed's clock, judged against the server's. The server's clock (the receive time of each
/// message) is "now"; a measurement's own time is the feed's claim about when it was observed,
/// and no single claim may move "now" or date a track in the future (issue 12):
///
/// - the feed's offset (configured, or learned from its recent messages) is taken off first;
/// - a time more than `max_skew` after its receive time is rejected (`clock_ahead`), more than
///   `max_skew + expected_latency` before it too (`clock_behind`);
/// - a time ahead of its receive time by more than `tolerance` (a sensor cannot observe after the
///   server received the report) is clamped to the receive time: the report is current, only its
///   stamp is wrong, so it is fused at the best time known;
/// - the feed's offset is measured all the time (median over its last messages of the freshest
///   time in each minus the receive time), so a feed whose clock runs off is flagged (`ahead` /
///   `behind`) even while every record of it is rejected; a single message never moves the median.
///
/// Pure and deterministic: driven only by recorded times, so replay learns the same offsets.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.hpp"

namespace picket::server {

struct FeedClockConfig {
    enum class Offset { none, fixed, learn };
    /// Beyond this from the receive time (after the offset), a time is not believed: rejected.
    Duration max_skew{Duration::from_seconds(30)};
    /// How far a healthy feed's clock may disagree with the server's: times further ahead are
    /// clamped to the receive time, and a measured offset beyond it flags the clock `ahead`.
    Duration tolerance{Duration::from_seconds(2)};
    /// How late the feed's data is by nature (satellite AIS: minutes): moves the `clock_behind`
    /// limit and the `behind` flag back by this much.
    Duration expected_latency{};
    /// Data older than this behind the receive time cannot be fused (the tracker's latency
    /// window): a measured offset beyond it (plus expected_latency) flags the clock `behind`.
    Duration late_after{Duration::from_seconds(5)};
    Offset offset_mode{Offset::none};
    Duration offset{};  ///< Offset::fixed: the feed's clock minus the server's
    /// Radar, camera and UGS stamp with one clock, so a step back is worth reporting; AIS times
    /// are each vessel's own, and interleave.
    bool check_backwards{true};
};

/// ok: within tolerance, nothing taken off; corrected: an offset of more than the tolerance is
/// taken off and what is left is within it; ahead / behind: off by more, not (or badly) corrected.
enum class ClockStatus { ok, corrected, ahead, behind };
std::string_view to_string(ClockStatus s);

class FeedClock {
public:
    enum class Verdict { ok, clamped, ahead, behind };
    struct Judgement {
        Verdict verdict{Verdict::ok};
        Timestamp observed;        ///< corrected (and clamped) time to fuse at
        bool stepped_back{false};  ///< earlier than the feed's newest by more than 5 s
    };

    FeedClock() = default;
    explicit FeedClock(FeedClockConfig config);

    /// One measurement of a message received at `received`.
    Judgement judge(Timestamp observed, Timestamp received);
    /// A time that is only reported, not fused (an anomaly's): corrected, and the receive time
    /// when it is not believable.
    [[nodiscard]] Timestamp bound(Timestamp observed, Timestamp received) const;
    /// Closes a message: its freshest raw offset joins the window. Returns true when the status
    /// changed (so the change can be announced once).
    bool end_message();

    [[nodiscard]] ClockStatus status() const { return status_; }
    /// The offset taken off every time (configured, learned, or zero).
    [[nodiscard]] Duration applied_offset() const { return applied_; }
    /// The measured offset (raw, before correction); none until a few messages have been seen.
    [[nodiscard]] std::optional<Duration> measured_offset() const { return measured_; }
    [[nodiscard]] const FeedClockConfig& config() const { return cfg_; }
    /// "none", "configured" or "learned".
    [[nodiscard]] std::string_view offset_source() const;

    static constexpr std::size_t kWindow = 31;     ///< messages in the median
    static constexpr std::size_t kMinSamples = 5;  ///< before the first estimate

private:
    void estimate();
    void update_status();

    FeedClockConfig cfg_;
    // Samples: per message, the freshest raw (observed - received), in a ring.
    std::array<std::int64_t, kWindow> ring_{};
    std::size_t count_{0};
    std::size_t next_{0};
    std::size_t since_estimate_{0};
    std::optional<std::int64_t> message_max_;
    std::optional<Duration> measured_;
    Duration applied_{};
    bool learned_engaged_{false};
    ClockStatus status_{ClockStatus::ok};
    Timestamp newest_{};
    bool has_newest_{false};
};

}  // namespace picket::server
