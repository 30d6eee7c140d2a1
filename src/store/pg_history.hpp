#pragma once
/// Track history in PostgreSQL: the table `track_points` partitioned by UTC day
/// (`track_points_YYYY_MM_DD`, created as days come), written with COPY, one transaction per
/// save(). Retention drops whole day partitions (instant at any size, no vacuum), and deletes
/// this server's rows of the cutoff's own day. Partitions hold every server's rows (a `site`
/// column tells them apart): the shortest retention among the servers sharing the database wins.
///
/// Its own connection: the history thread's commits never wait behind the alerts'.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "src/outputs/store.hpp"

namespace picket::store {

namespace pg {
class Connection;
}

class PgHistory final : public outputs::HistoryStore {
public:
    struct Options {
        int site{0};            ///< the server's number (pg_store.hpp)
        bool read_only{false};  ///< nothing created, read-only transactions (PgStore's)
    };
    PgHistory(const std::string& conninfo, Options options);
    ~PgHistory() override;
    PgHistory(const PgHistory&) = delete;
    PgHistory& operator=(const PgHistory&) = delete;

    void save(std::span<const outputs::TrackPoint> points) override;
    [[nodiscard]] std::vector<outputs::TrackPoint> between(Timestamp from,
                                                           Timestamp to) const override;
    std::int64_t prune_before(Timestamp cutoff) override;
    [[nodiscard]] std::uint64_t disk_bytes() const override;

    /// The day partitions that exist (UTC day numbers since 1970), oldest first.
    [[nodiscard]] std::vector<std::int64_t> days() const;
    /// "track_points_2026_12_07" for a UTC day number.
    static std::string partition_name(std::int64_t day);

private:
    void ensure_partition(std::int64_t day);

    Options options_;
    std::unique_ptr<pg::Connection> conn_;
    std::set<std::int64_t> partitions_;  ///< days known to have a partition
    std::unordered_map<TrackId, std::int64_t> last_written_ns_;
};

}  // namespace picket::store
