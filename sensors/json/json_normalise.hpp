#pragma once
/// Normalisers: parsed JSON detections -> picket Measurements (SI units, radians, covariance).
/// Pure functions of (message, feed parameters, receive time); the clock checks are the feed
/// decoder's job.
#include "core/measurement.hpp"
#include "sensors/feed_decoder.hpp"
#include "sensors/json/json_detections.hpp"

namespace picket::sensors::json {

// Noise defaults when neither the message nor the feed config gives one (1σ).
inline constexpr double kDefaultPlotSigmaRangeM = 25.0;
inline constexpr double kDefaultPlotSigmaBearingDeg = 0.3;
inline constexpr double kDefaultCameraSigmaAzimuthDeg = 0.5;
inline constexpr double kDefaultCameraSigmaElevationDeg = 0.2;
inline constexpr double kDefaultCameraSigmaPositionM = 15.0;
inline constexpr double kDefaultUgsSectorDeg = 60.0;
/// A camera's depression angle is a ground range only when an angle one sigma shallower would
/// still meet the ground (below the horizon, geo/ground_range.hpp) within kMaxGroundRangeM: the
/// range's one-sigma interval is bounded. Else the detection is a bearing (with its elevation).
/// The floor is set by the horizon and the angle's noise, not by a fixed angle: a fixed 0.5 deg
/// floor kept only the frames whose noise pushed a 0.47 deg target over it, all of them short
/// (a tower's walkers placed 270 m short on average, docs/sim.md). Any floor on a measured angle
/// keeps the steeper of the frames of a target near it (biased short); this one is as low as a
/// range can go, where targets are near the horizon, mostly beyond a camera's reach. (Two sigma
/// was tried: a pickup 2.7 km from a 15 m camera, 0.33 deg down, sat on that floor and its
/// first ranged frames were 400 m short.)
inline constexpr double kGroundRangeFloorSigmas = 1.0;
/// Ground ranges beyond this stay bearing-only (a camera's analytics do not see further).
inline constexpr double kMaxGroundRangeM = 20'000.0;

/// PolarZ from the feed's site; velocity from speed/course; track_id -> source_object_id.
Measurement plot_to_measurement(const JsonPlot& plot, const FeedParams& params, Timestamp received);

/// Geolocated -> PositionZ; azimuth + range -> PositionZ; azimuth + depression with a known
/// camera height -> PositionZ at the ground range where the ray meets a curved, refracting
/// earth (geo/ground_range.hpp), when the angle is far enough below the horizon for its noise
/// (kGroundRangeFloorSigmas); otherwise BearingZ.
Measurement camera_to_measurement(const CameraDetection& d, const FeedParams& params,
                                  Timestamp received);

/// PositionZ centred on the sensor with the covariance of a uniform disc of radius R (σ = R/2
/// per axis); with a bearing, the centroid and covariance of the uniform circular sector.
Measurement ugs_to_measurement(const UgsEvent& e, const FeedParams& params, Timestamp received);

/// Mean offset along the bearing and east/north covariance of a uniform sector of radius R and
/// full width `sector_deg` (360 gives the disc). Exposed for tests.
struct SectorMoments {
    double mean_offset_m{0};
    double var_along_m2{0};
    double var_across_m2{0};
};
SectorMoments uniform_sector_moments(double radius_m, double sector_deg);

}  // namespace picket::sensors::json
