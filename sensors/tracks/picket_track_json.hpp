#pragma once
/// One `track` Feature of picket's track stream (docs/protocol.md) -> SourceTrack. Shared by the
/// live stream and its snapshot, which carry the same Feature.
#include <nlohmann/json_fwd.hpp>

#include <string>

#include "core/expected.hpp"
#include "core/source_track.hpp"

namespace picket::sensors {

/// What to assume when the Feature does not say (a picket from before "cov" and "feeds").
struct SourceTrackDefaults {
    double sigma_velocity_mps{2.0};  ///< with `sigma_m` when there is no "cov"
    std::string feed_id;             ///< the sensor named when there is no "feeds"
};

/// Reasons: "missing_field", "bad_value" (a time, a number out of range, not finite),
/// "bad_covariance" (not symmetric positive definite).
Expected<SourceTrack, DecodeError> source_track_from_feature(const nlohmann::json& feature,
                                                             const SourceTrackDefaults& defaults);

/// True when `cov` is finite, symmetric and positive definite (a Cholesky factor exists).
bool valid_covariance(const Eigen::Matrix4d& cov);

}  // namespace picket::sensors
