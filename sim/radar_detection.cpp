#include "sim/radar_detection.hpp"

#include <algorithm>
#include <cmath>

namespace picket::sim {

double RadarDetectionModel::snr(double range_m, double rcs_m2) const {
    const double snr_ref = std::log(pfa) / std::log(pd_ref) - 1.0;
    const double r = std::max(range_m, 1.0);
    const double ratio = range_ref_m / r;
    return snr_ref * (rcs_m2 / rcs_ref_m2) * ratio * ratio * ratio * ratio;
}

double RadarDetectionModel::pd(double range_m, double rcs_m2) const {
    return std::pow(pfa, 1.0 / (1.0 + snr(range_m, rcs_m2)));
}

double radar_horizon_m(double antenna_height_m, double target_height_m) {
    return 4120.0 *
           (std::sqrt(std::max(antenna_height_m, 0.0)) + std::sqrt(std::max(target_height_m, 0.0)));
}

}  // namespace picket::sim
