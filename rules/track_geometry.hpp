#pragma once
/// Per-track cache of "where is this track relative to each zone and line the rules use".
///
/// Why: a zone or line query costs microseconds, and 10,000 tracks times a dozen rules every
/// second would spend the whole cycle budget on geometry. The distance d from a point to a
/// boundary is a safe radius: anywhere within d of that point is on the same side, and at least
/// d - moved from the boundary (triangle inequality). So the cache keeps, per target, the answer
/// at an anchor point and recomputes only when the track has moved further than the anchor's
/// distance, or when a caller needs a distance more exact than that lower bound.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/geodetic.hpp"
#include "rules/rule_book.hpp"

namespace picket::rules {

/// A zone or a line the rules ask about.
struct GeoTarget {
    bool is_line{false};
    ZoneRef zone;         ///< when !is_line
    std::size_t line{0};  ///< when is_line
};

/// An upper bound on the geodesic distance between two nearby points (m), from an
/// equirectangular approximation with a safety factor. Cheap: no trigonometry beyond one cos.
double approx_distance_upper_m(LatLon a, LatLon b);

struct TargetFix {
    LatLon anchor;
    double dist_m{0};    ///< distance from anchor to the boundary / line
    double cos_lat{1};   ///< cos of the lowest |latitude| the cache can be used at (see at())
    bool inside{false};  ///< anchor inside the zone (always false for lines)
    bool valid{false};
};

/// What the cache knows at a point: which side, and bounds on the distance to the edge
/// (lb == ub when exact).
struct Where {
    bool inside{false};
    double dist_lb_m{0};
    double dist_ub_m{0};
    [[nodiscard]] bool exact() const { return dist_lb_m == dist_ub_m; }
};

class TrackGeometry {
public:
    TrackGeometry(const RuleBook& book, const std::vector<GeoTarget>& targets)
        : book_(&book), targets_(&targets) {}

    /// Side and distance bounds of `p` for target `t`; queries the geometry only when the cached
    /// answer cannot decide the side.
    Where at(std::vector<TargetFix>& cache, std::size_t t, LatLon p);
    /// Whether the distance is below `threshold_m`, refining `w` with a query only when the
    /// bounds straddle the threshold.
    bool below(std::vector<TargetFix>& cache, std::size_t t, LatLon p, Where& w,
               double threshold_m);
    /// The exact side and distance at `p` (a query unless the cache is anchored at `p`).
    Where exact(std::vector<TargetFix>& cache, std::size_t t, LatLon p);
    /// The exact distance from `p` to target `t` (a query; no cache read or changed): for a point
    /// that is not a track's position.
    [[nodiscard]] double distance_m(std::size_t t, LatLon p);
    /// Lower bound on the distance from `p` to target `t` without any query (0 when unknown).
    [[nodiscard]] double lower_bound_m(const std::vector<TargetFix>& cache, std::size_t t,
                                       LatLon p) const;

    [[nodiscard]] std::uint64_t queries() const { return queries_; }

    /// Builds every target's distance index now: a refresh asks each target for its distance,
    /// so the first cycle would otherwise build them all between two messages (issue 18: a
    /// 93 ms rules part after every start of the server on the Timor layer).
    void prepare() const;

private:
    void refresh(TargetFix& fix, std::size_t t, LatLon p);
    static double moved_upper_m(const TargetFix& fix, LatLon p);

    const RuleBook* book_;
    const std::vector<GeoTarget>* targets_;
    std::uint64_t queries_{0};
};

}  // namespace picket::rules
