#include "filters/multi_scan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include "filters/assignment.hpp"

namespace picket::filters {
namespace {

const double kLogTwoPi = std::log(2 * std::numbers::pi);
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

/// A score as an assignment cost: -infinity (a tail its head cannot have made) is forbidden.
double cost_of(double score) { return std::isfinite(score) ? -score : kForbiddenCost; }

double total(int n, std::span<const double> score, const std::vector<int>& tail_of) {
    double s = 0;
    for (int k = 0; k < n; ++k)
        s += score[static_cast<std::size_t>(k * n + tail_of[static_cast<std::size_t>(k)])];
    return s;
}

}  // namespace

double tail_log_likelihood(TrackFilter head, Timestamp t0, std::span<const TailPlot> tail,
                           const FilterSettings& fs, FilterKind kind, TrackFilter* end,
                           Timestamp* end_t) {
    double ll = 0;
    Timestamp t = t0;
    for (const TailPlot& p : tail) {
        head.predict(std::max(0.0, (p.t - t).seconds()), fs);
        t = std::max(t, p.t);
        const InnovationScore in = innovation_score(head.combined(), p.obs);
        if (!in.ok || !head.update(p.obs, kind)) {
            ll = kMinusInf;
            break;
        }
        ll += -0.5 * (in.d2 + in.log_det_S + obs_dim(p.obs.kind) * kLogTwoPi);
    }
    if (end != nullptr) *end = head;
    if (end_t != nullptr) *end_t = t;
    return ll;
}

double best_exchange(int n, std::span<const double> score, std::vector<int>& tail_of) {
    std::vector<double> cost(static_cast<std::size_t>(n * n));
    for (std::size_t k = 0; k < cost.size(); ++k) cost[k] = cost_of(score[k]);
    tail_of.assign(static_cast<std::size_t>(n), -1);
    AssignmentScratch scratch;
    solve_assignment(n, n, cost.data(), tail_of.data(), scratch);
    return total(n, score, tail_of);
}

double best_exchange_reference(int n, std::span<const double> score, std::vector<int>& tail_of) {
    std::vector<int> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), 0);
    double best = kMinusInf;
    tail_of = perm;
    do {
        const double s = total(n, score, perm);
        if (s > best) {
            best = s;
            tail_of = perm;
        }
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

}  // namespace picket::filters
