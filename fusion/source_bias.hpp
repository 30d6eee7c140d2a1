#pragma once
/// Per-source translation bias (a sector's radar mis-registered by 150 m east): estimated from
/// the differences of associated pairs of tracks, then taken off before association and fusion.
/// Biases are relative (only differences between sources are observable), so one source is the
/// reference with bias 0: the configured one, else the lowest feed index seen in any pair.
/// The pairwise mean differences dᵢⱼ (exponentially forgotten over `window` samples) are solved
/// by weighted least squares: min Σ wᵢⱼ |bᵢ − bⱼ − dᵢⱼ|², b_ref = 0.
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "core/ids.hpp"

namespace picket::fusion {

struct BiasConfig {
    bool enabled{true};
    std::uint32_t min_pairs{20};  ///< samples of a pair of sources before it counts
    std::uint32_t window{500};    ///< samples: the mean forgets at 1/window per sample after
    std::optional<FeedIndex> reference;
    double max_bias_m{2000};  ///< a larger solution is refused (kept at the previous one)
};

class SourceBias {
public:
    explicit SourceBias(BiasConfig config = {}) : config_(config) {}

    /// One associated pair at a common time: position of source `a`'s track minus source `b`'s,
    /// both uncorrected (m, east/north of the regional plane).
    void add_pair(FeedIndex a, FeedIndex b, const Eigen::Vector2d& a_minus_b);
    /// Re-solves the biases from the pairwise means (cheap: one small linear system).
    void solve();
    /// The bias of `source` (what to subtract from its positions); zero when unknown.
    [[nodiscard]] Eigen::Vector2d bias(FeedIndex source) const;
    [[nodiscard]] const std::map<FeedIndex, Eigen::Vector2d>& biases() const { return bias_; }

private:
    struct PairMean {
        Eigen::Vector2d mean = Eigen::Vector2d::Zero();  ///< of (lower index − higher index)
        std::uint64_t count{0};
    };
    BiasConfig config_;
    std::map<std::pair<FeedIndex, FeedIndex>, PairMean> pairs_;
    std::map<FeedIndex, Eigen::Vector2d> bias_;
};

}  // namespace picket::fusion
