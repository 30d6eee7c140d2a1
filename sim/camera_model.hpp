#pragma once
/// A camera with video analytics: every frame, each target within range and inside the field
/// of view is detected with probability pd and reported as a bearing (σ from the spec) with a
/// depression angle from the lens height, a class (right with probability class_accuracy) and
/// a stable per-object id. One "camera-json" line per detection. (Ground sensors: ugs_model.hpp.)
#include <Eigen/Core>
#include <vector>

#include "sim/sim_random.hpp"
#include "sim/sim_world.hpp"

namespace picket::sim {

class CameraModel final : public SensorModel {
public:
    CameraModel(const CameraSpec& spec, const SimWorld& world);
    [[nodiscard]] double next_s() const override { return next_s_; }
    void step(std::vector<SimMessage>& out) override;

private:
    const CameraSpec spec_;
    const SimWorld& world_;
    Eigen::Vector2d site_en_;
    Rng rng_;
    double next_s_{0};
};

}  // namespace picket::sim
