// Measurement preparation: a sensor's measurement in the tracker's local plane.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "filters/frame_geometry.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

bool Tracker::depression_ranged(const PositionZ& pz) const {
    if (!pz.ranged_from || kind_ == FilterKind::kf) return false;
    const DepressionRanging& rf = *pz.ranged_from;
    return rf.height_m > 0 && std::isfinite(rf.height_m) && rf.sigma_depression_rad > 0 &&
           std::isfinite(rf.sigma_depression_rad) && rf.sigma_bearing_rad > 0 &&
           std::isfinite(rf.sigma_bearing_rad);
}

void Tracker::prepare_start_velocity(const Measurement& m, const Eigen::Matrix2d& rot,
                                     Prepared& p) {
    p.has_start_velocity = false;
    if (!m.velocity || !m.velocity->cov_m2ps2.allFinite() ||
        m.velocity->cov_m2ps2.determinant() <= 0 || !std::isfinite(m.velocity->east_mps) ||
        !std::isfinite(m.velocity->north_mps))
        return;
    p.vel_en = rot * Eigen::Vector2d(m.velocity->east_mps, m.velocity->north_mps);
    const Eigen::Matrix2d vc = rot * m.velocity->cov_m2ps2 * rot.transpose();
    p.vel_cov = 0.5 * (vc + vc.transpose());
    p.has_start_velocity = true;
}

bool Tracker::prepare(const Measurement& m, std::uint32_t index, Prepared& p) const {
    p.index = index;
    p.t = m.observed;
    p.has_position = false;
    p.has_velocity = false;
    p.has_start_velocity = false;
    if (const auto* pz = std::get_if<PositionZ>(&m.z)) {
        p.pos_en = frame_.to_en(pz->where);
        const Eigen::Matrix2d rot =
            true_to_grid_rotation(grid_convergence_rad(cfg_.origin, pz->where));
        p.pos_cov = rot * pz->cov_en_m2 * rot.transpose();
        p.pos_cov = (0.5 * (p.pos_cov + p.pos_cov.transpose())).eval();
        if (!p.pos_en.allFinite() || !p.pos_cov.allFinite() || p.pos_cov(0, 0) <= 0 ||
            p.pos_cov.determinant() <= 0)
            return false;
        p.has_position = true;
        prepare_start_velocity(m, rot, p);
        if (p.has_start_velocity) {
            p.obs.kind = ObsKind::position_velocity;
            p.obs.z.resize(4);
            p.obs.z << p.pos_en, p.vel_en;
            p.obs.R = ObsMat::Zero(4, 4);
            p.obs.R.topLeftCorner(2, 2) = p.pos_cov;
            p.obs.R.bottomRightCorner(2, 2) = p.vel_cov;
            p.has_velocity = true;
        } else if (depression_ranged(*pz)) {
            // A camera's range from its depression angle: fused as the two angles it was
            // measured in (ObsKind::bearing_depression: the same noise for every frame, the
            // geometry at the range the track expects), the frame's position only to start a
            // track and to pre-gate.
            const DepressionRanging& rf = *pz->ranged_from;
            p.obs.kind = ObsKind::bearing_depression;
            p.obs.site_en = frame_.to_en(rf.lens);
            p.obs.lens_height_m = rf.height_m;
            StateVec at = StateVec::Zero();
            at.head<2>() = p.pos_en;
            p.obs.z = observe(at, p.obs);
            p.obs.R = Eigen::Vector2d(rf.sigma_bearing_rad * rf.sigma_bearing_rad,
                                      rf.sigma_depression_rad * rf.sigma_depression_rad)
                          .asDiagonal();
            if (!p.obs.z.allFinite() || !p.obs.site_en.allFinite()) return false;
        } else {
            p.obs.kind = ObsKind::position;
            p.obs.z = p.pos_en;
            p.obs.R = p.pos_cov;
        }
        p.sigma_m = std::sqrt(p.pos_cov.trace());
        return true;
    }
    if (const auto* pz = std::get_if<PolarZ>(&m.z)) {
        if (!std::isfinite(pz->range_m) || !std::isfinite(pz->bearing_rad) || pz->range_m < 0 ||
            !(pz->sigma_range_m > 0) || !(pz->sigma_bearing_rad > 0) ||
            !std::isfinite(pz->sigma_range_m) || !std::isfinite(pz->sigma_bearing_rad))
            return false;
        const Eigen::Vector2d site = frame_.to_en(pz->site.position);
        const double beta =
            wrap_pi(pz->bearing_rad + grid_convergence_rad(cfg_.origin, pz->site.position));
        const double r = pz->range_m;
        const double sb = std::sin(beta);
        const double cb = std::cos(beta);
        p.pos_en = site + r * Eigen::Vector2d(sb, cb);
        Eigen::Matrix2d J;
        J << sb, r * cb, cb, -r * sb;
        const Eigen::Matrix2d Rp = Eigen::Vector2d(pz->sigma_range_m * pz->sigma_range_m,
                                                   pz->sigma_bearing_rad * pz->sigma_bearing_rad)
                                       .asDiagonal();
        p.pos_cov = J * Rp * J.transpose();
        p.pos_cov = (0.5 * (p.pos_cov + p.pos_cov.transpose())).eval();
        if (p.pos_cov.determinant() <= 0) p.pos_cov += Eigen::Matrix2d::Identity() * 1e-6;
        p.has_position = true;
        p.sigma_m = std::max(pz->sigma_range_m, r * pz->sigma_bearing_rad);
        // A radar's or ARPA's tracked velocity (I048/200, TTM speed/course) starts the track: a
        // fast target is then gated from its second look (with the wide prior, an airliner 1 km
        // on at the next sweep of an en-route radar stayed tentative).
        // Turned to the grid at the plot, not at the site: 60 km away north differs by ~0.16 deg,
        // 0.6 m/s across an airliner's 230 m/s.
        if (m.velocity)
            prepare_start_velocity(m,
                                   true_to_grid_rotation(grid_convergence_rad(
                                       cfg_.origin, frame_.to_latlon(p.pos_en))),
                                   p);
        if (kind_ == FilterKind::kf) {
            // "kf": the classical converted-measurement Kalman filter.
            p.obs.kind = ObsKind::position;
            p.obs.z = p.pos_en;
            p.obs.R = p.pos_cov;
        } else {
            p.obs.kind = ObsKind::polar;
            p.obs.z.resize(2);
            p.obs.z << r, beta;
            p.obs.R = Rp;
            p.obs.site_en = site;
        }
        return p.pos_en.allFinite();
    }
    const auto& bz = std::get<BearingZ>(m.z);
    if (!std::isfinite(bz.bearing_rad) || !(bz.sigma_bearing_rad > 0) ||
        !std::isfinite(bz.sigma_bearing_rad))
        return false;
    p.obs.kind = ObsKind::bearing;
    p.obs.site_en = frame_.to_en(bz.site.position);
    p.obs.z.resize(1);
    p.obs.z << wrap_pi(bz.bearing_rad + grid_convergence_rad(cfg_.origin, bz.site.position));
    p.obs.R.resize(1, 1);
    p.obs.R << bz.sigma_bearing_rad * bz.sigma_bearing_rad;
    p.sigma_m = 0;
    return p.obs.site_en.allFinite();
}

}  // namespace picket::filters
