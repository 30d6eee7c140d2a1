#include "filters/pre_gate.hpp"

namespace picket::filters {

double PreGate::exact_radius(const GateDisc& d) const { return gate_disc_radius(d, spread_s_); }

void PreGate::build(double spread_s, std::size_t plots, double cell_m) {
    spread_s_ = spread_s;
    cell_m_ = cell_m;
    const std::size_t n = discs_.size();
    use_grid_ = plots >= kGridMinPlots && n >= kGridMinTracks;
    e_.resize(n);
    n_.resize(n);
    r2_.resize(n);
    r_.resize(n);
    exact_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const GateDisc& d = discs_[i];
        e_[i] = d.e;
        n_[i] = d.n;
        if (d.base < 0) {
            r2_[i] = -1.0;
            r_[i] = -1.0;
            exact_[i] = 1;
            continue;
        }
        // The radius is base + speed x spread + 1. A batch of one time (an AIS sentence, a camera
        // frame) has no drift: speed x 0 is exactly 0 for a finite speed. Otherwise the speed is
        // bounded by |ve| + |vn| (scaled up past any rounding of hypot): every sum and product
        // rounds monotonically, so the bound's radius is >= the exact one, and a plot outside
        // it is outside the exact disc too. The exact radius (a hypot) is computed only for
        // plots inside the bound.
        double r = 0;
        if (!std::isfinite(d.ve) || !std::isfinite(d.vn)) {
            r = exact_radius(d);
            exact_[i] = 1;
        } else if (spread_s == 0) {
            r = d.base + 0.0 + 1.0;
            exact_[i] = 1;
        } else {
            const double speed_bound = (std::abs(d.ve) + std::abs(d.vn)) * (1 + 1e-9);
            r = d.base + speed_bound * spread_s + 1.0;
            exact_[i] = 0;
        }
        r2_[i] = r * r;
        r_[i] = r;
    }
    grid_.clear();
    wide_.clear();
    if (!use_grid_) return;
    for (std::size_t i = 0; i < n; ++i) {
        if (r_[i] < 0) continue;
        const double r = r_[i];
        const GateDisc& d = discs_[i];
        const auto x0 = static_cast<std::int64_t>(std::floor((d.e - r) / cell_m));
        const auto x1 = static_cast<std::int64_t>(std::floor((d.e + r) / cell_m));
        const auto y0 = static_cast<std::int64_t>(std::floor((d.n - r) / cell_m));
        const auto y1 = static_cast<std::int64_t>(std::floor((d.n + r) / cell_m));
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > kMaxCellsPerDisc) {
            wide_.push_back(static_cast<std::uint32_t>(i));
            continue;
        }
        for (std::int64_t x = x0; x <= x1; ++x)
            for (std::int64_t y = y0; y <= y1; ++y)
                grid_.emplace_back((x << 32) ^ (y & 0xffffffffLL), static_cast<std::uint32_t>(i));
    }
    std::sort(grid_.begin(), grid_.end());
}

bool PreGate::within(const Eigen::Vector2d& z, std::size_t i) {
    const double de = z(0) - e_[i];
    const double dn = z(1) - n_[i];
    const double d2 = de * de + dn * dn;
    if (exact_[i]) return d2 <= r2_[i];
    if (d2 > r2_[i]) return false;  // outside the bound (NaN bounds fall through)
    const double r = exact_radius(discs_[i]);
    r2_[i] = r * r;
    exact_[i] = 1;
    return d2 <= r2_[i];
}

void PreGate::candidates_reference(const Eigen::Vector2d& z,
                                   std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::size_t i = 0; i < discs_.size(); ++i) {
        const GateDisc& d = discs_[i];
        if (d.base < 0) continue;
        const double r = exact_radius(d);
        const double de = z(0) - d.e;
        const double dn = z(1) - d.n;
        if (de * de + dn * dn <= r * r) out.push_back(static_cast<std::uint32_t>(i));
    }
}

}  // namespace picket::filters
