#pragma once
/// A rotating surface radar: per scan, each target in range and above the radar horizon is
/// detected with the Swerling 1 probability of radar_detection.hpp, measured in range and
/// bearing with Gaussian noise at the instant the beam passes it, plus uniform clutter. Output
/// per scan: a CAT034 north marker (with the rotation period) and one CAT048 data block per
/// sector that has plots, sent when the beam leaves the sector; or, for format "json-plot",
/// the sector's plots as JSON lines.
#include <Eigen/Core>
#include <vector>

#include "sim/radar_detection.hpp"
#include "sim/sim_random.hpp"
#include "sim/sim_world.hpp"

namespace picket::sim {

/// One plot before encoding (kept for tests and statistics).
struct RadarPlot {
    double time_s{0};
    double range_m{0};
    double bearing_deg{0};
    std::uint32_t truth_id{0};  ///< 0 for clutter
};

class RadarModel final : public SensorModel {
public:
    RadarModel(const RadarSpec& spec, const SimWorld& world);

    [[nodiscard]] double next_s() const override { return next_scan_s_; }
    void step(std::vector<SimMessage>& out) override;

    /// The plots of one scan starting at `scan_start_s` (advances the random stream).
    std::vector<RadarPlot> scan(double scan_start_s);
    [[nodiscard]] const RadarDetectionModel& detection() const { return detection_; }

private:
    [[nodiscard]] std::string encode_sector(const std::vector<RadarPlot>& plots) const;
    [[nodiscard]] std::string encode_north_marker(double t_s) const;

    const RadarSpec spec_;
    const SimWorld& world_;
    RadarDetectionModel detection_;
    Eigen::Vector2d site_en_;
    Rng rng_;
    double next_scan_s_{0};
};

}  // namespace picket::sim
