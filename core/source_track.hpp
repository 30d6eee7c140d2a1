#pragma once
/// Another tracking system's track, as a regional server receives it (a sector picket's track
/// stream, a neighbour's ASTERIX CAT062): an estimate with its covariance, not a measurement.
/// The track-to-track fusion (fusion/) associates and fuses these; docs/tracking.md, "Track-to-
/// track fusion".
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/track.hpp"

namespace picket {

struct SourceTrack {
    std::uint64_t id{0};  ///< the source's own track id (a picket track id, a CAT062 number)
    Timestamp time;       ///< when the estimate is valid (the source's last update)
    LatLon position;
    double east_mps{0};
    double north_mps{0};
    /// Covariance of (east, north, v_east, v_north) at `position` (m, m/s).
    Eigen::Matrix4d cov = Eigen::Matrix4d::Identity();
    TrackStatus status{TrackStatus::confirmed};
    std::optional<Identity> identity;
    std::optional<Timestamp> last_ais;
    TargetClass target_class{TargetClass::unknown};
    SensorMask seen_by;
    /// The sensors that fed it, by their names (feed ids, global across sites by convention;
    /// docs/deployment.md). Two source tracks that share one are not independent: the fusion
    /// never counts a sensor twice. A source that does not say gets its own feed id.
    std::vector<std::string> sensors;
};

/// A regional track's lineage (track-to-track fusion, fusion/): the source tracks it fuses now and
/// the sensors behind them. Shared and immutable: the output stage keeps a pointer.
struct TrackLineage {
    struct Source {
        FeedIndex feed{0};    ///< the `tracks` feed (a sector server, a CAT062 system)
        std::uint64_t id{0};  ///< that source's track id
        bool operator==(const Source&) const = default;
    };
    std::vector<Source> sources;       ///< in (feed, id) order
    std::vector<std::string> sensors;  ///< sorted, unique
    bool operator==(const TrackLineage&) const = default;
};

/// What a published track says about where it came from (docs/protocol.md: "feeds", "sources"),
/// kept beside the Track: `feeds`, bit i for the server's feed i < 64 whose messages updated it;
/// `lineage` for a regional track.
struct TrackOrigin {
    std::uint64_t feeds{0};
    std::shared_ptr<const TrackLineage> lineage;
};

}  // namespace picket
