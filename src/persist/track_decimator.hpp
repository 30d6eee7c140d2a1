#pragma once
/// Which track updates become track history (issue #18: a year of history must fit on a disk).
/// A track updated every 0.5 s by AIS would store 172,800 rows a day; what an analyst needs is
/// its path. A point is kept when
///   - the track is new to the history, or its status, class, standing, MMSI, name or label
///     changed (what the operator saw changed);
///   - it is `interval` since the last point kept (a heartbeat: at least one point a minute by
///     default, so a window query always finds the track);
///   - the position is more than `position_m` off where the last kept point's velocity would
///     have put it (dead reckoning: straight legs cost nothing, turns and speed changes show);
///   - the course turned more than `course_deg` (above `kMinCourseSpeed`), or the speed
///     changed more than `speed_mps`, since the last kept point.
/// The last update of a track that goes quiet (deleted, or no update for `quiet`) is kept too,
/// so a trail ends where the track was last seen.
///
/// With `interval` zero every update is kept (the behaviour before #18). Fusion thread only: a
/// hash lookup and a few multiplications per update, and per tick a scan of one time per track
/// (the tick is on the fusion thread's critical path: the sweep over every track's two points,
/// hashed, took ~1.4 ms at 10,000 tracks; the scan of a flat array of due times ~0.05 ms).
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/track.hpp"
#include "src/outputs/track_point.hpp"

namespace picket::persist {

struct DecimationConfig {
    Duration interval{Duration::from_seconds(60)};
    double position_m{100};
    double course_deg{15};
    double speed_mps{1.0};
    Duration quiet{Duration::from_seconds(30)};
};

class TrackDecimator {
public:
    explicit TrackDecimator(DecimationConfig config) : config_(config) {}

    /// One changed track: appends its point to `out` when it is kept.
    void update(const Track& track, std::vector<outputs::TrackPoint>& out);
    /// Once per tick: keeps the last update of tracks quiet for `quiet`, forgets tracks gone.
    /// Looks only at the tracks whose due time has come.
    void on_tick(Timestamp now, std::vector<outputs::TrackPoint>& out);
    /// The same as on_tick by visiting every track (the reference the tests compare with).
    void on_tick_reference(Timestamp now, std::vector<outputs::TrackPoint>& out);

    [[nodiscard]] std::size_t tracked() const { return states_.size(); }
    [[nodiscard]] std::uint64_t updates() const { return updates_; }
    [[nodiscard]] std::uint64_t kept() const { return kept_; }

    /// Below this speed (m/s) a course is noise: not compared.
    static constexpr double kMinCourseSpeed = 2.0;

private:
    struct State {
        TrackId id{0};
        outputs::TrackPoint kept;    ///< the last point written
        outputs::TrackPoint latest;  ///< the last update, when not written
        bool pending{false};         ///< latest is newer than kept
    };
    [[nodiscard]] bool worth_keeping(const State& s, const Track& t) const;
    /// When the tick has something to do for this track: write its pending point, or forget it.
    [[nodiscard]] Timestamp due(const State& s) const;
    /// The tick's work for one track; false when the track is forgotten (slot removed).
    bool sweep(std::size_t slot, Timestamp now, std::vector<outputs::TrackPoint>& out);
    void remove(std::size_t slot);

    DecimationConfig config_;
    std::unordered_map<TrackId, std::uint32_t> slot_of_;
    std::vector<State> states_;
    std::vector<std::int64_t> due_ns_;  ///< due(states_[i]), apart for a cache-friendly scan
    std::uint64_t updates_{0};
    std::uint64_t kept_{0};
};

}  // namespace picket::persist
