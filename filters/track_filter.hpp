#pragma once
/// The estimator inside one track: a single-model KF/EKF/UKF or a two-mode IMM
/// (constant velocity + coordinated turn), all on the shared 5-state (filters/state.hpp).
///
/// IMM: Blom & Bar-Shalom, "The interacting multiple model algorithm for systems with Markovian
/// switching coefficients", IEEE TAC 33(8), 1988. Mixing and prediction are done together in
/// `predict`; `update` reweights the modes by their measurement likelihoods. The Markov switching
/// probabilities depend on dt through the modes' mean sojourn times: p_stay = exp(-dt / tau).
#include <array>
#include <cstdint>

#include "filters/motion_models.hpp"
#include "filters/observation.hpp"
#include "filters/state.hpp"

namespace picket::filters {

enum class FilterKind : std::uint8_t { kf, ekf, ukf, imm };

/// What the filter needs to know beyond the state: process noise and IMM switching.
struct FilterSettings {
    FilterKind kind{FilterKind::imm};
    ProcessNoise noise;                  ///< CV mode (and the only mode outside the IMM)
    ProcessNoise turn_noise{0.1, 0.02};  ///< CT mode of the IMM
    double cv_sojourn_s{30.0};           ///< mean time the target keeps going straight
    double ct_sojourn_s{15.0};           ///< mean duration of a turn
};

class TrackFilter {
public:
    TrackFilter() = default;
    /// Starts from one Gaussian (all modes equal; the IMM starts 90% CV / 10% CT).
    TrackFilter(const Gaussian& init, FilterKind kind);

    /// Mixes (IMM) and predicts over dt seconds (dt >= 0).
    void predict(double dt_s, const FilterSettings& s);
    /// Updates with one observation; returns false (state unchanged) on a numerical failure.
    bool update(const Observation& obs, FilterKind kind);
    /// JPDA/PDA update with several weighted observations of one kind from one sensor.
    bool pda_update(const Observation* obs, const double* betas, int count, double beta0);

    /// The moment-matched estimate (the single mode outside the IMM).
    [[nodiscard]] Gaussian combined() const;
    [[nodiscard]] int mode_count() const { return modes_n_; }
    [[nodiscard]] double mode_probability(int i) const { return mu_[static_cast<std::size_t>(i)]; }
    [[nodiscard]] const Gaussian& mode(int i) const { return modes_[static_cast<std::size_t>(i)]; }

private:
    std::array<Gaussian, 2> modes_{};
    std::array<double, 2> mu_{1.0, 0.0};
    int modes_n_{1};
};

}  // namespace picket::filters
