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
/// Below this depression a camera's ground range is too uncertain to be a position.
inline constexpr double kMinDepressionDeg = 0.5;
/// Ground ranges beyond this stay bearing-only (flat-ground assumption breaks down).
inline constexpr double kMaxGroundRangeM = 20'000.0;

/// PolarZ from the feed's site; velocity from speed/course; track_id -> source_object_id.
Measurement plot_to_measurement(const JsonPlot& plot, const FeedParams& params, Timestamp received);

/// Geolocated -> PositionZ; azimuth + range -> PositionZ; azimuth + depression with a known
/// camera height -> PositionZ at ground range h / tan(depression); otherwise BearingZ.
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
