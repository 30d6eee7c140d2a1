#include "fusion/source_bias.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <vector>

namespace picket::fusion {

void SourceBias::add_pair(FeedIndex a, FeedIndex b, const Eigen::Vector2d& a_minus_b) {
    if (!config_.enabled || a == b) return;
    const bool swap = b < a;
    PairMean& p = pairs_[swap ? std::pair{b, a} : std::pair{a, b}];
    ++p.count;
    const double alpha =
        1.0 / static_cast<double>(std::min<std::uint64_t>(p.count, config_.window));
    p.mean += alpha * ((swap ? -a_minus_b : a_minus_b) - p.mean);
}

void SourceBias::solve() {
    if (!config_.enabled) return;
    // The sources that have enough pairs, and which one is the reference.
    std::vector<FeedIndex> sources;
    for (const auto& [key, p] : pairs_) {
        if (p.count < config_.min_pairs) continue;
        sources.push_back(key.first);
        sources.push_back(key.second);
    }
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    if (sources.size() < 2) return;
    FeedIndex ref = sources.front();
    if (config_.reference && std::binary_search(sources.begin(), sources.end(), *config_.reference))
        ref = *config_.reference;
    // Unknowns: every source but the reference. Normal equations of Σ w |bᵢ − bⱼ − dᵢⱼ|².
    std::vector<FeedIndex> unknown;
    for (FeedIndex s : sources)
        if (s != ref) unknown.push_back(s);
    const auto slot = [&](FeedIndex s) -> int {
        const auto it = std::lower_bound(unknown.begin(), unknown.end(), s);
        return it != unknown.end() && *it == s ? static_cast<int>(it - unknown.begin()) : -1;
    };
    const int n = static_cast<int>(unknown.size());
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
    Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(n, 2);
    for (const auto& [key, p] : pairs_) {
        if (p.count < config_.min_pairs) continue;
        const double w = static_cast<double>(std::min<std::uint64_t>(p.count, config_.window));
        const int i = slot(key.first), j = slot(key.second);  // d = b_first − b_second
        if (i >= 0) {
            A(i, i) += w;
            rhs.row(i) += w * p.mean.transpose();
        }
        if (j >= 0) {
            A(j, j) += w;
            rhs.row(j) -= w * p.mean.transpose();
        }
        if (i >= 0 && j >= 0) {
            A(i, j) -= w;
            A(j, i) -= w;
        }
    }
    // A source joined to the reference by no chain of pairs has a zero row: it stays unbiased.
    for (int i = 0; i < n; ++i)
        if (A(i, i) == 0) A(i, i) = 1;
    const Eigen::MatrixXd b = A.ldlt().solve(rhs);
    if (!b.allFinite()) return;
    bias_[ref] = Eigen::Vector2d::Zero();
    for (int i = 0; i < n; ++i) {
        const Eigen::Vector2d v = b.row(i).transpose();
        if (v.norm() <= config_.max_bias_m) bias_[unknown[static_cast<std::size_t>(i)]] = v;
    }
}

Eigen::Vector2d SourceBias::bias(FeedIndex source) const {
    const auto it = bias_.find(source);
    return it == bias_.end() ? Eigen::Vector2d::Zero() : it->second;
}

}  // namespace picket::fusion
