#pragma once
/// Set distances between a truth set X and an estimate set Y of 2-D points.
///
/// OSPA: Schuhmacher, Vo & Vo, "A consistent metric for performance evaluation of multi-object
/// filters", IEEE TSP 56(8), 2008:
///   d = ( (min_pi sum_i min(c, |x_i - y_pi(i)|)^p + c^p (n - m)) / n )^(1/p),  n = max, m = min.
/// GOSPA with alpha = 2: Rahmathullah, Garcia-Fernandez & Svensson, "Generalized optimal
/// sub-pattern assignment metric", FUSION 2017, Prop. 1:
///   d = ( min_gamma sum_{(i,j) in gamma} |x_i - y_j|^p + c^p/2 (|X| + |Y| - 2|gamma|) )^(1/p)
/// over assignments gamma of pairs closer than c; it splits into localisation, missed (c^p/2
/// per unassigned truth) and false (c^p/2 per unassigned estimate).
#include <Eigen/Core>
#include <vector>

namespace picket::eval {

struct GospaResult {
    double distance{0};      ///< the GOSPA value (metres for p = 1)
    double localisation{0};  ///< sum of |x - y|^p over assigned pairs (before the 1/p root)
    double missed{0};        ///< c^p / 2 * missed_count
    double false_{0};        ///< c^p / 2 * false_count
    int missed_count{0};
    int false_count{0};
    /// For each truth, the index of its estimate or -1 (pairs at distance < c only).
    std::vector<int> truth_to_estimate;
};

double ospa(const std::vector<Eigen::Vector2d>& X, const std::vector<Eigen::Vector2d>& Y, double c,
            double p);
GospaResult gospa(const std::vector<Eigen::Vector2d>& X, const std::vector<Eigen::Vector2d>& Y,
                  double c, double p);

}  // namespace picket::eval
