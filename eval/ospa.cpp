#include "eval/ospa.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "filters/assignment.hpp"

namespace picket::eval {
namespace {
void check(double c, double p) {
    if (!(c > 0) || !(p >= 1)) throw std::invalid_argument("OSPA/GOSPA need c > 0 and p >= 1");
}
}  // namespace

double ospa(const std::vector<Eigen::Vector2d>& X, const std::vector<Eigen::Vector2d>& Y, double c,
            double p) {
    check(c, p);
    const std::size_t nx = X.size();
    const std::size_t ny = Y.size();
    if (nx == 0 && ny == 0) return 0;
    if (nx == 0 || ny == 0) return c;
    const double cp = std::pow(c, p);
    std::vector<double> cost(nx * ny);
    for (std::size_t i = 0; i < nx; ++i)
        for (std::size_t j = 0; j < ny; ++j)
            cost[i * ny + j] = std::min(std::pow((X[i] - Y[j]).norm(), p), cp);
    filters::AssignmentScratch s;
    std::vector<int> r2c;
    const double total = filters::solve_assignment_any(static_cast<int>(nx), static_cast<int>(ny),
                                                       cost.data(), r2c, s);
    const std::size_t n = std::max(nx, ny);
    const std::size_t m = std::min(nx, ny);
    return std::pow((total + cp * static_cast<double>(n - m)) / static_cast<double>(n), 1.0 / p);
}

GospaResult gospa(const std::vector<Eigen::Vector2d>& X, const std::vector<Eigen::Vector2d>& Y,
                  double c, double p) {
    check(c, p);
    GospaResult r;
    const std::size_t nx = X.size();
    const std::size_t ny = Y.size();
    const double cp = std::pow(c, p);
    r.truth_to_estimate.assign(nx, -1);
    if (nx > 0 && ny > 0) {
        // Leaving a pair unassigned costs c^p/2 + c^p/2 = c^p, so capping each pair at c^p and
        // solving the rectangular problem gives the GOSPA assignment.
        std::vector<double> cost(nx * ny);
        for (std::size_t i = 0; i < nx; ++i)
            for (std::size_t j = 0; j < ny; ++j)
                cost[i * ny + j] = std::min(std::pow((X[i] - Y[j]).norm(), p), cp);
        filters::AssignmentScratch s;
        std::vector<int> r2c;
        filters::solve_assignment_any(static_cast<int>(nx), static_cast<int>(ny), cost.data(), r2c,
                                      s);
        for (std::size_t i = 0; i < nx; ++i) {
            const int j = r2c[i];
            if (j < 0) continue;
            const double d = (X[i] - Y[static_cast<std::size_t>(j)]).norm();
            if (d < c) {
                r.truth_to_estimate[i] = j;
                r.localisation += std::pow(d, p);
            }
        }
    }
    int assigned = 0;
    for (int j : r.truth_to_estimate) assigned += j >= 0 ? 1 : 0;
    r.missed_count = static_cast<int>(nx) - assigned;
    r.false_count = static_cast<int>(ny) - assigned;
    r.missed = cp / 2 * r.missed_count;
    r.false_ = cp / 2 * r.false_count;
    r.distance = std::pow(r.localisation + r.missed + r.false_, 1.0 / p);
    return r;
}

}  // namespace picket::eval
