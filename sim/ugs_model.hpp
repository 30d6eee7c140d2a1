#pragma once
/// Unattended ground sensors (seismic): the model behind "ugs-json" feeds.
#include <Eigen/Core>
#include <vector>

#include "sim/sim_random.hpp"
#include "sim/sim_world.hpp"

namespace picket::sim {

/// A ground sensor: polled each second; fires when a person or vehicle enters its radius
/// (probability pd, re-armed every `rearm_s` while the target stays), plus Poisson false
/// alarms at `false_alarm_per_hour`. One "ugs-json" line per event. Every firing of the run is
/// drawn when the model is made, so the truth knows which targets the sensor did detect
/// (detection_times): a walker 20 s inside its radius is tried once or twice at pd 0.85, and
/// one the sensor never fired on is no detection anyone could alert (Gulf of Honduras seed 61).
class UgsModel final : public SensorModel {
public:
    UgsModel(const UgsSpec& spec, const SimWorld& world);
    [[nodiscard]] double next_s() const override;
    void step(std::vector<SimMessage>& out) override;
    /// When the sensor fired on target `target` (scenario seconds, ascending).
    [[nodiscard]] std::vector<double> detection_times(std::size_t target) const;

private:
    struct Firing {
        double t_s;
        std::size_t target;  ///< kFalseAlarm: no target
        TargetClass target_class;
        double confidence;
    };
    static constexpr std::size_t kFalseAlarm = static_cast<std::size_t>(-1);
    /// Polls the sensor each second of the run, in the order the feed emits.
    void draw_firings();

    const UgsSpec spec_;
    const SimWorld& world_;
    std::vector<Firing> firings_;
    std::size_t next_{0};
    std::uint64_t event_id_{0};
};

}  // namespace picket::sim
