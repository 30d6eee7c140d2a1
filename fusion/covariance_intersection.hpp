#pragma once
/// Covariance intersection (Julier & Uhlmann 1997): fuses estimates whose cross-correlation is
/// unknown (two sectors' tracks share process noise, and perhaps a sensor) into one that is
/// never over-confident, whatever that correlation is:
///     P⁻¹ = Σ ωᵢ Pᵢ⁻¹,   P⁻¹ x = Σ ωᵢ Pᵢ⁻¹ xᵢ,   ωᵢ ≥ 0, Σ ωᵢ = 1.
/// Any weights give a consistent result; they only decide how tight it is. `fast_ci` takes the
/// closed-form trace weights (Niehsen 2002, "Information fusion based on fast covariance
/// intersection filtering": ωᵢ ∝ 1 / tr Pᵢ), no search, the same result on every machine;
/// `optimal_ci` is the plain reference: the weight of two estimates that minimises det P,
/// found by golden-section search. docs/tracking.md says why the fast one is used.
#include <Eigen/Core>
#include <span>
#include <vector>

namespace picket::fusion {

struct Estimate {
    Eigen::Vector4d x = Eigen::Vector4d::Zero();  ///< east, north (m), v_east, v_north (m/s)
    Eigen::Matrix4d P = Eigen::Matrix4d::Identity();
};

/// The trace weights ωᵢ = (1 / tr Pᵢ) / Σⱼ (1 / tr Pⱼ).
std::vector<double> fast_ci_weights(std::span<const Estimate> in);
/// CI with the given weights (sizes equal, weights summing to 1).
Estimate ci_with_weights(std::span<const Estimate> in, std::span<const double> weights);
/// CI with the trace weights. One estimate: returned as it is.
Estimate fast_ci(std::span<const Estimate> in);
/// Reference: CI of two estimates with the ω in [0, 1] that minimises det P (golden section
/// to 1e-6). Slow; for tests.
Estimate optimal_ci(const Estimate& a, const Estimate& b, double* omega = nullptr);

}  // namespace picket::fusion
