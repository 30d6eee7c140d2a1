#include "filters/chi_square.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace picket::filters {

double chi_square_cdf(double x, int dof) {
    if (x <= 0) return 0;
    const double h = x / 2;
    // Closed forms of the regularised lower incomplete gamma P(k/2, x/2).
    switch (dof) {
        case 1:
            return std::erf(std::sqrt(h));
        case 2:
            return 1 - std::exp(-h);
        case 3:
            return std::erf(std::sqrt(h)) - std::sqrt(2 * x / std::numbers::pi) * std::exp(-h);
        case 4:
            return 1 - std::exp(-h) * (1 + h);
        default:
            throw std::invalid_argument("chi_square_cdf: dof must be 1..4");
    }
}

double chi_square_quantile(double p, int dof) {
    if (!(p > 0 && p < 1)) throw std::invalid_argument("chi_square_quantile: p must be in (0,1)");
    double lo = 0;
    double hi = 1;
    while (chi_square_cdf(hi, dof) < p) hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (chi_square_cdf(mid, dof) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

}  // namespace picket::filters
