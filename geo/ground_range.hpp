#pragma once
/// A camera's depression angle to a target on the ground and back, over a curved earth with
/// light bent by the air. A flat-earth h / tan(depression) ignores that the ground falls away
/// below the horizontal (d^2 / 2R: 0.5 m at 2.4 km, 8 m at 10 km), which at a shallow angle is
/// a large part of the angle: from 20 m at 10 km flat earth says 0.115 deg, the ground is at
/// 0.153 deg. Refraction bends the line of sight down and makes the earth look flatter; the
/// usual model is straight rays over a sphere of effective radius R / (1 - k), k the refraction
/// coefficient (0.13 for visible and infrared light near the ground, the standard surveying
/// value; radio's 4/3 earth is k = 0.25). Both directions are exact in that model (no
/// small-angle series), so the simulator's forward angle and the decoder's inverse agree.
/// Pure, header-only: used by the camera decoder (sensors/json), the rules' placement of
/// bearings (rules/detection_placement) and the simulator's camera (sim/camera_model).
#include <cmath>
#include <optional>

namespace picket::geo {

/// Mean earth radius (m) and the optical refraction coefficient near the ground.
inline constexpr double kEarthMeanRadiusM = 6'371'000.0;
inline constexpr double kOpticalRefractionK = 0.13;
/// The effective earth radius for a line of sight near the ground (m): ~7,323 km.
inline constexpr double kOpticalEarthRadiusM = kEarthMeanRadiusM / (1.0 - kOpticalRefractionK);

/// The angle below the horizontal (rad, > 0 looking down) at which a lens `height_m` above the
/// ground sees the foot of a target `ground_range_m` away along the ground.
inline double depression_to_ground_rad(double height_m, double ground_range_m,
                                       double earth_radius_m = kOpticalEarthRadiusM) {
    // Lens at (0, R + h); target at R (sin phi, cos phi), phi = d / R.
    const double phi = ground_range_m / earth_radius_m;
    return std::atan2(height_m + earth_radius_m * (1.0 - std::cos(phi)),
                      earth_radius_m * std::sin(phi));
}

/// d(depression)/d(ground range) (rad per m, < 0: farther is shallower) at `ground_range_m`: a
/// tracker's Jacobian of a camera's depression angle. e = atan2(A, B) with A = h + R (1 - cos φ),
/// B = R sin φ, φ = d / R, so de/dd = (R (1 - cos φ) - h cos φ) / (A² + B²), 1 - cos φ written
/// 2 sin²(φ/2) (no cancellation near the camera).
inline double depression_slope_rad_per_m(double height_m, double ground_range_m,
                                         double earth_radius_m = kOpticalEarthRadiusM) {
    const double phi = ground_range_m / earth_radius_m;
    const double s = std::sin(0.5 * phi);
    const double one_minus_cos = 2.0 * s * s;
    const double a = height_m + earth_radius_m * one_minus_cos;
    const double b = earth_radius_m * std::sin(phi);
    return (earth_radius_m * one_minus_cos - height_m * std::cos(phi)) / (a * a + b * b);
}

/// The depression of the horizon (rad) from `height_m`: a ray less steep meets no ground.
inline double horizon_dip_rad(double height_m, double earth_radius_m = kOpticalEarthRadiusM) {
    return std::acos(earth_radius_m / (earth_radius_m + height_m));
}

/// Where a ray `depression_rad` below the horizontal from a lens `height_m` up first meets the
/// ground, as a distance along the ground (m); nothing when it passes above the horizon.
inline std::optional<double> ground_range_from_depression(
    double height_m, double depression_rad, double earth_radius_m = kOpticalEarthRadiusM) {
    if (!(height_m > 0) || !(depression_rad > 0) || depression_rad > std::acos(-1.0) / 2)
        return std::nullopt;
    // Along the ray s from the lens: |(s cos e, R + h - s sin e)| = R, i.e.
    // s^2 - 2 b s + c = 0 with b = (R + h) sin e, c = 2 R h + h^2; the nearer root, written
    // c / (b + sqrt(b^2 - c)) so a steep ray (small s) loses no digits.
    const double b = (earth_radius_m + height_m) * std::sin(depression_rad);
    const double c = height_m * (2.0 * earth_radius_m + height_m);
    const double disc = b * b - c;
    if (disc < 0) return std::nullopt;
    const double s = c / (b + std::sqrt(disc));
    const double x = s * std::cos(depression_rad);
    const double y = earth_radius_m + height_m - s * std::sin(depression_rad);
    return earth_radius_m * std::atan2(x, y);
}

}  // namespace picket::geo
