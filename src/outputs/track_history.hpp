#pragma once
/// Track history on disk: one SQLite file per UTC day, `<directory>/track-points-YYYY-MM-DD.db`,
/// each holding one append-only table `track_points` (columns as TrackPoint; rows in the order
/// written, which is time order).
///
/// Why day files rather than a table in the alert store (issue #18):
///   - retention is a file deletion, instant at any size, instead of a DELETE of millions of
///     rows that would hold the database's write lock for seconds;
///   - history has its own write lock and its own WAL, so its commits and checkpoints never
///     delay an alert's commit in the store;
///   - rows are appended (no per-track index kept up to date on every insert), so a transaction
///     writes a few pages, not one random page per row.
/// A query for a time window scans the day files it covers; a day at 10,000 tracks with the
/// default decimation is ~1 GB (docs/outputs.md).
///
/// A point whose time is not after the last one written for its track (by this object) is
/// skipped: calling save() every cycle with coasting tracks stores nothing new.
///
/// `directory` ":memory:" keeps the days in memory (tests). Not thread-safe: one thread at a
/// time. SQLite errors throw std::runtime_error with the SQLite message.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "src/outputs/store.hpp"
#include "src/outputs/track_point.hpp"

namespace picket::outputs::sqlite {
class Statement;
}

namespace picket::outputs {

class TrackHistory final : public HistoryStore {
public:
    struct Options {
        bool read_only{false};  ///< for `picket export`: never creates or writes a file
    };
    explicit TrackHistory(std::string directory) : TrackHistory(std::move(directory), Options{}) {}
    TrackHistory(std::string directory, Options options);
    ~TrackHistory() override;
    TrackHistory(const TrackHistory&) = delete;
    TrackHistory& operator=(const TrackHistory&) = delete;

    /// Appends the points, one transaction per day file touched. Deleted tracks are skipped.
    void save(std::span<const TrackPoint> points) override;
    /// Points in [from, to], ordered by track id then time.
    [[nodiscard]] std::vector<TrackPoint> between(Timestamp from, Timestamp to) const override;
    /// Deletes every point before `cutoff`: whole day files, then rows of the cutoff's own day.
    /// Returns the number of points removed.
    std::int64_t prune_before(Timestamp cutoff) override;
    /// Days held (UTC day number since 1970), oldest first.
    [[nodiscard]] std::vector<std::int64_t> days() const;
    /// Bytes on disk (day files, their WAL), 0 in memory.
    [[nodiscard]] std::uint64_t disk_bytes() const override;
    [[nodiscard]] const std::string& directory() const { return dir_; }

    /// "track-points-2026-11-25.db" for a UTC day number.
    static std::string day_file_name(std::int64_t day);

private:
    class Day;
    Day* day(std::int64_t number, bool create) const;
    void close_all_but(std::int64_t keep) const;

    std::string dir_;
    Options options_;
    bool in_memory_{false};
    mutable std::map<std::int64_t, std::unique_ptr<Day>> open_;  ///< by UTC day number
    std::unordered_map<TrackId, std::int64_t> last_written_ns_;
    int saves_since_sweep_{0};
};

/// A track point from the current row of a query whose columns are, in order: track_id,
/// time_ns, lat, lon, east_mps, north_mps, sigma_m, status, class, standing, mmsi, name, label
/// (the day files' and the legacy track_points table's).
TrackPoint track_point_from_row(const sqlite::Statement& row);
/// Orders points by track, then time (stable: equal times keep their order).
void sort_by_track_and_time(std::vector<TrackPoint>& points);

}  // namespace picket::outputs
