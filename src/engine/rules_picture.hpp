#pragma once
/// The rules' copy of the track picture for a cycle that runs in parts (issue 18).
///
/// A rules cycle in parts must see the tracks as they were at its tick while messages keep
/// changing the tracker between the parts, so each tick hands the rules a copy of the picture.
/// A fresh copy costs the whole picture every tick: 7.8-10.2 ms of the fusion thread at 50,000
/// tracks (docs/benchmarks.md), most of them unchanged since the last tick. This class keeps the
/// last copy and brings it up to date from the ids the tracker reported changed or deleted since
/// (`note`): deletions removed, changed tracks copied, new ones inserted in id order. When most of
/// the picture changed (10,000 tracks at 20,000 reports a second) a fresh copy is cheaper and is
/// taken. `refresh_reference` is the plain fresh copy; both leave `copy` equal to `live`.
#include <cstddef>
#include <vector>

#include "core/track.hpp"

namespace picket::server {

class RulesPicture {
public:
    /// What one step of the tracker changed (Tracker::take_changes), in any order, repeats allowed.
    void note(const std::vector<TrackId>& updated, const std::vector<TrackId>& deleted);

    /// Makes `copy` equal to `live` (both in TrackId order). `copy` must be what the previous
    /// refresh left, or empty; every change to `live` since must have been noted.
    void refresh(std::vector<Track>& copy, const std::vector<Track>& live);

    /// The plain version: a fresh copy of the whole picture (forgets what was noted).
    void refresh_reference(std::vector<Track>& copy, const std::vector<Track>& live);

    /// The last copy is gone or will not be refreshed (a cycle that did not use it): notes are
    /// ignored and the next refresh copies afresh. Keeps the notes bounded when no cycle refreshes.
    void discard();

    /// Whether the last refresh took a fresh copy (for the test that both paths are exercised).
    [[nodiscard]] bool last_was_full() const { return last_full_; }

private:
    void forget();

    std::vector<TrackId> updated_;
    std::vector<TrackId> deleted_;
    bool last_full_{true};
    bool stale_{true};  ///< no copy to refresh yet
};

}  // namespace picket::server
