#pragma once
/// A target's motion, precomputed: a piecewise-linear path in the scenario's local ENU plane,
/// knot by knot. Waypoint legs, holds and loiter wanders all become knots up front, so the state
/// at any time is a binary search and a lerp: no stepping, no accumulated error, and every
/// sensor model can ask about any instant in any order.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <vector>

#include "geo/local_frame.hpp"
#include "sim/scenario.hpp"

namespace picket::sim {

/// What the target is doing on a segment (drives AIS navigational status and truth events).
enum class Activity : std::uint8_t { transit, hold, loiter };

struct Knot {
    double t_s{0};
    Eigen::Vector2d en{0, 0};              ///< east, north (m) in the scenario frame
    Activity activity{Activity::transit};  ///< activity on the segment that starts here
};

/// A target's kinematic state at one instant.
struct MotionState {
    Eigen::Vector2d en{0, 0};
    Eigen::Vector2d vel_mps{0, 0};  ///< east, north
    Activity activity{Activity::transit};
};

class Trajectory {
public:
    Trajectory() = default;
    /// Builds the knots for `target` in `frame`; loiter wanders draw from `seed`.
    Trajectory(const TargetSpec& target, const geo::LocalFrame& frame, std::uint64_t seed);

    [[nodiscard]] double start_s() const { return knots_.empty() ? 0 : knots_.front().t_s; }
    [[nodiscard]] double end_s() const { return knots_.empty() ? 0 : knots_.back().t_s; }
    [[nodiscard]] bool active(double t_s) const {
        return !knots_.empty() && t_s >= start_s() && t_s <= end_s();
    }
    /// State at t (clamped to the path's ends when outside it).
    [[nodiscard]] MotionState at(double t_s) const;
    [[nodiscard]] const std::vector<Knot>& knots() const { return knots_; }

    /// Time intervals spent in one activity, merged, in order (for truth events).
    struct Interval {
        double begin_s;
        double end_s;
        Eigen::Vector2d where;  ///< position at the interval's start
    };
    [[nodiscard]] std::vector<Interval> intervals(Activity activity) const;

private:
    std::vector<Knot> knots_;
};

}  // namespace picket::sim
