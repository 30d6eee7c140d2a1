#pragma once
/// What every sensor model of a run shares, read-only: the clock origin, the local frame, the
/// targets and their precomputed paths. Built once by the Simulator.
#include <string>
#include <vector>

#include "core/time.hpp"
#include "geo/local_frame.hpp"
#include "sim/scenario.hpp"
#include "sim/trajectory.hpp"

namespace picket::sim {

/// One ZeroMQ message on one feed: an AIS sentence group, one ASTERIX datagram (a radar sector
/// or a north marker), a JSON line (camera, UGS) or the JSON plot lines of a radar sector.
struct SimMessage {
    std::string feed_id;
    std::string endpoint;
    Timestamp time;  ///< when a real sensor would have sent it
    std::string bytes;
};

struct SimWorld {
    Timestamp start;
    double duration_s{0};
    std::uint64_t seed{0};
    geo::LocalFrame frame{LatLon{}};
    std::vector<TargetSpec> targets;  ///< truth id = index + 1
    std::vector<Trajectory> paths;    ///< same order

    [[nodiscard]] Timestamp time_at(double t_s) const {
        return start + Duration::from_seconds(t_s);
    }
};

/// A sensor model: a schedule of steps, each producing zero or more messages whose times are
/// at or after the step's own time (a radar scan computed at its start emits sector datagrams
/// later in the scan). The Simulator merges models by next_s(), ties broken by model order.
class SensorModel {
public:
    virtual ~SensorModel() = default;
    /// Scenario time (s) of the next step; +infinity when the model is finished.
    [[nodiscard]] virtual double next_s() const = 0;
    virtual void step(std::vector<SimMessage>& out) = 0;
};

}  // namespace picket::sim
