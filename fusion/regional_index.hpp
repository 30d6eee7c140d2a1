#pragma once
/// Where the fuser's regional tracks are, for association (fusion/track_fuser.hpp): a new
/// source track is compared with the regional tracks that can be within reach of it, not with
/// every one (at 4,000 regional tracks the full scan was most of the regional server's time,
/// docs/tracking.md). Exact: near() returns every track whose position *predicted to the query
/// time* is within the radius (a superset of them; the caller still measures each), because the
/// search is widened by the farthest any track can have moved since its own time (the fastest
/// track's speed × the largest time difference). Tracks far apart in time or fast make the
/// search wider, never wrong; when it would visit more cells than there are tracks, it returns
/// them all. The fuser keeps the plain full scan beside it (FuserConfig::indexed_association,
/// tested to agree).
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket::fusion {

class RegionalIndex {
public:
    /// `cell_m`: the grid's cell size (the usual search radius is a good one).
    explicit RegionalIndex(double cell_m);

    /// Track `id` is at `position` (regional plane, m) moving at `velocity` (m/s) at `time`.
    void put(TrackId id, const Eigen::Vector2d& position, const Eigen::Vector2d& velocity,
             Timestamp time);
    void remove(TrackId id);
    /// Every track that can be within `radius_m` of `position` at `time`, in id order.
    [[nodiscard]] std::vector<TrackId> near(const Eigen::Vector2d& position, Timestamp time,
                                            double radius_m) const;
    [[nodiscard]] std::size_t size() const { return entries_.size(); }

private:
    using Cell = std::int64_t;
    struct Entry {
        Cell cell;
        double speed;
        Timestamp time;
    };
    [[nodiscard]] std::int64_t coordinate(double metres) const;
    [[nodiscard]] static Cell cell_of(std::int64_t ix, std::int64_t iy) {
        return ix * 0x100000000LL + iy;  // |ix|, |iy| < 2^31 cells: any plane on Earth
    }

    double cell_m_;
    std::map<TrackId, Entry> entries_;
    std::unordered_map<Cell, std::vector<TrackId>> cells_;
    std::multiset<double> speeds_;
    std::multiset<Timestamp> times_;
};

}  // namespace picket::fusion
