#pragma once
/// Where a ground-sensor or camera detection is, for the rules. A camera that cannot range
/// (too low to measure a depression angle, no rangefinder) reports a bearing only: the target is
/// somewhere on a ray from the camera. Placing it at the camera, as picket once did, puts every
/// such detection in the wrong place; instead, in order of preference, it is placed
///   1. where its ray crosses the ray of another camera that saw something of the same class
///      (or of an unknown one) at the same time, at a range each camera's measured depression
///      angle allows (when it measured one): a person and a vehicle are two things, and two rays
///      in front of two cameras meet somewhere whatever they saw;
///   2. at the point of the ray nearest a ground sensor that fired on it recently (the sensor
///      is within `ugs_m` of the ray);
///   3. where the ray meets the border line or the zone the rule watches (the caller asks per
///      rule: watched_point), the first meeting within kMaxCameraRayM;
///   4. else at the camera, flagged as unplaced.
/// Steps 3 and 4 do not fix where the target is (PlacedDetection::fixed): such a bearing is a
/// finding only of a track that explains it (the rule engine's on_detection).
/// Nothing here reads a clock: detections carry their times. Not thread-safe (the rules' thread).
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/geodetic.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"

namespace picket::rules {

/// How far a camera ray is followed (m): beyond any day/night camera's detection range.
inline constexpr double kMaxCameraRayM = 20'000;

/// A camera's depression angle below the horizontal, to judge a range by (a target's foot at
/// range r over a curved, refracting earth: geo::depression_to_ground_rad).
struct Depression {
    double height_m{0};
    double angle_rad{0};
    double sigma_rad{0};  ///< 0: not measured
    /// Whether a target at `range_m` fits the measured angle within 3 sigma (always, when
    /// nothing was measured).
    [[nodiscard]] bool allows(double range_m) const;
    /// Whether the angle says how far along the ray the target is: the ground ranges at one
    /// sigma steeper and one sigma shallower are both known and differ by less than the range
    /// itself. A 3 m camera's frame ranged at 1,150 m from 0.15 +- 0.1 deg is anywhere from
    /// 690 m to 3.5 km: no better than a bearing. (False when nothing was measured.)
    [[nodiscard]] bool fixes_range() const;
    /// Half the spread of the ground ranges at one sigma steeper and one sigma shallower: how far
    /// off along the ray the range it gives may be (nullopt when either is unknown).
    [[nodiscard]] std::optional<double> range_sigma_m() const;
};

struct PlacedDetection {
    enum class How : std::uint8_t {
        position,         ///< the sensor measured a position (UGS, ranging camera, radar)
        cameras_crossed,  ///< two cameras' bearings crossed
        ground_sensor,    ///< nearest a ground sensor that fired
        watched,          ///< where the ray meets the watched line or zone
        camera_site,      ///< nothing better: at the camera
    };
    LatLon where;
    How how{How::position};
    bool bearing_only{false};
    /// A camera's position ranged from its depression angle: what it measured were angles, and
    /// `site`, `bearing_deg` and `depression` say them. Its range is the noisy part (the error
    /// grows as the range squared: a 3 m camera put walkers 2 km out at 1.1 km), so a track
    /// explains it by the angles, as it does a bearing (RuleEngine's track_explaining).
    bool camera_ranged{false};
    LatLon site;            ///< bearing only or camera-ranged: the camera
    double bearing_deg{0};  ///< bearing only or camera-ranged: the ray (true north, clockwise)
    Depression depression;  ///< the camera's depression angle, if it measured one
    double sigma_bearing_rad{0};  ///< bearing only or camera-ranged: the azimuth's noise
    /// Whether what the camera measured fixes where the target is along its ray: ranged by an
    /// angle that says its range (Depression::fixes_range), or a bearing crossed with another
    /// camera's or placed by a ground sensor. A bearing placed only where its ray meets the
    /// watched line or zone (or not at all) does not, nor does a frame ranged from an angle
    /// whose noise spans more than its range: it is a bearing with a guess attached.
    [[nodiscard]] bool fixed() const {
        if (camera_ranged) return depression.fixes_range();
        return !bearing_only || how == How::cameras_crossed || how == How::ground_sensor;
    }
    TargetClass target_class{TargetClass::unknown};
};

/// Two classified detections (or a detection and a track) can be of one target unless both
/// classes are known and differ.
bool same_thing_possible(TargetClass a, TargetClass b);

class DetectionPlacer {
public:
    /// Remembers a detection (bearings, ground sensor fixes) for the ones that follow, and
    /// places it by what it measured and what was remembered (steps 1, 2, 4 above).
    PlacedDetection place(const Measurement& m);

    /// The window within which two cameras' bearings count as the same moment.
    static constexpr Duration kBearingWindow = Duration::from_seconds(3);
    /// How long a ground sensor's fix helps place a bearing, and how close to the ray it must be.
    static constexpr Duration kGroundWindow = Duration::from_seconds(60);
    static constexpr double kGroundNearRayM = 150;

private:
    struct Bearing {
        FeedIndex feed;
        Timestamp at;
        LatLon site;
        double bearing_deg;
        TargetClass target_class;
        Depression depression;
    };
    struct GroundFix {
        Timestamp at;
        LatLon where;
    };
    void forget_before(Timestamp t);

    std::deque<Bearing> bearings_;
    std::deque<GroundFix> ground_;
};

/// The point at distance `along_m` on the ray from `site` at `bearing_deg`.
LatLon point_on_ray(LatLon site, double bearing_deg, double along_m);
/// Distance along the ray to the point nearest `p`, and the distance across from it (m), in a
/// local plane at the site (good to well under 1 % within kMaxCameraRayM).
struct RayOffset {
    double along_m;
    double across_m;
};
RayOffset ray_offset(LatLon site, double bearing_deg, LatLon p);
/// Where two rays cross (both in front of their sites, within kMaxCameraRayM), if they do.
std::optional<LatLon> rays_crossing(LatLon site_a, double bearing_a_deg, LatLon site_b,
                                    double bearing_b_deg);

}  // namespace picket::rules
