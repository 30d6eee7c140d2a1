#pragma once
/// Unattended ground sensors (seismic): the model behind "ugs-json" feeds.
#include <Eigen/Core>
#include <vector>

#include "sim/sim_random.hpp"
#include "sim/sim_world.hpp"

namespace picket::sim {

/// A ground sensor: polled each second; fires when a person or vehicle enters its radius
/// (probability pd, re-armed every `rearm_s` while the target stays), plus Poisson false
/// alarms at `false_alarm_per_hour`. One "ugs-json" line per event.
class UgsModel final : public SensorModel {
public:
    UgsModel(const UgsSpec& spec, const SimWorld& world);
    [[nodiscard]] double next_s() const override { return next_s_; }
    void step(std::vector<SimMessage>& out) override;

private:
    const UgsSpec spec_;
    const SimWorld& world_;
    Eigen::Vector2d site_en_;
    Rng rng_;
    double next_s_{0};
    std::vector<std::size_t> land_targets_;
    std::vector<double> last_try_s_;  ///< per land target; -inf when outside
    std::uint64_t event_id_{0};
};

}  // namespace picket::sim
