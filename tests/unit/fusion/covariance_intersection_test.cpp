// Covariance intersection: the fast (trace-weight) CI is consistent whatever the two inputs'
// correlation, and close to the plain reference (the det-minimising weight).
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <random>

#include "fusion/covariance_intersection.hpp"

using namespace picket::fusion;

namespace {

Eigen::Matrix4d random_spd(std::mt19937& rng) {
    std::normal_distribution<double> n(0, 1);
    Eigen::Matrix4d A;
    for (int i = 0; i < 16; ++i) A(i / 4, i % 4) = n(rng);
    Eigen::Vector4d scale(400, 400, 1, 1);  // ~20 m and ~1 m/s
    const Eigen::Matrix4d S = scale.cwiseSqrt().asDiagonal();
    return S * (A * A.transpose() + 0.2 * Eigen::Matrix4d::Identity()) * S;
}

double min_eigen(const Eigen::Matrix4d& m) {
    return Eigen::SelfAdjointEigenSolver<Eigen::Matrix4d>(0.5 * (m + m.transpose()))
        .eigenvalues()
        .minCoeff();
}

/// The true error covariance of CI's estimate when the inputs' errors have cross-covariance
/// `P12`: x = K1 x1 + K2 x2 with Kᵢ = P ωᵢ Pᵢ⁻¹.
Eigen::Matrix4d actual_error(const Estimate& a, const Estimate& b, const Eigen::Matrix4d& P12,
                             double w, const Estimate& fused) {
    const Eigen::Matrix4d K1 = fused.P * w * a.P.inverse();
    const Eigen::Matrix4d K2 = fused.P * (1 - w) * b.P.inverse();
    return K1 * a.P * K1.transpose() + K2 * b.P * K2.transpose() + K1 * P12 * K2.transpose() +
           K2 * P12.transpose() * K1.transpose();
}

}  // namespace

TEST_CASE("fast CI is never over-confident, whatever the correlation", "[fusion][ci]") {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
        Estimate a{Eigen::Vector4d::Zero(), random_spd(rng)};
        Estimate b{Eigen::Vector4d::Zero(), random_spd(rng)};
        const Estimate both[2] = {a, b};
        const auto w = fast_ci_weights(both);
        const Estimate f = fast_ci(both);
        // Cross-covariances from none to as strong as the inputs allow: ρ · A^½ Bᵀ^½.
        const Eigen::Matrix4d La = a.P.llt().matrixL(), Lb = b.P.llt().matrixL();
        for (double rho : {0.0, 0.5, 0.9, 1.0, -0.7}) {
            const Eigen::Matrix4d P12 = rho * La * Lb.transpose();
            const Eigen::Matrix4d err = actual_error(a, b, P12, w[0], f);
            INFO("trial " << trial << " rho " << rho);
            CHECK(min_eigen(f.P - err) > -1e-6 * f.P.trace());
        }
    }
}

TEST_CASE("fast CI agrees with the reference CI", "[fusion][ci]") {
    std::mt19937 rng(11);
    SECTION("equal covariances: both return that covariance (any weight is optimal)") {
        Estimate a{Eigen::Vector4d(1, 2, 3, 4), random_spd(rng)};
        Estimate b = a;
        b.x = Eigen::Vector4d(3, 2, 1, 0);
        const Estimate ref = optimal_ci(a, b);
        const Estimate both[2] = {a, b};
        const Estimate fast = fast_ci(both);
        CHECK((ref.P - a.P).norm() < 1e-6 * a.P.norm());
        CHECK((fast.P - a.P).norm() < 1e-6 * a.P.norm());
        CHECK((fast.x - Eigen::Vector4d(2, 2, 2, 2)).norm() < 1e-9);  // equal weights
    }
    SECTION("one estimate inside the other: the reference keeps the inner one, fast CI nearly") {
        Estimate a{Eigen::Vector4d::Zero(), random_spd(rng)};
        Estimate b{Eigen::Vector4d::Zero(), 25 * a.P};
        double omega = 0;
        const Estimate ref = optimal_ci(a, b, &omega);
        const Estimate both[2] = {a, b};
        CHECK(omega == Approx(1).margin(1e-3));
        CHECK((ref.P - a.P).norm() < 1e-3 * a.P.norm());
        CHECK(fast_ci(both).P.determinant() < 1.3 * a.P.determinant());
    }
    SECTION("random inputs: the fast determinant within 2.5x of the optimum, never below it") {
        double worst = 1;
        for (int trial = 0; trial < 200; ++trial) {
            Estimate a{Eigen::Vector4d::Zero(), random_spd(rng)};
            Estimate b{Eigen::Vector4d::Zero(), random_spd(rng)};
            const Estimate both[2] = {a, b};
            const double fast = fast_ci(both).P.determinant();
            const double best = optimal_ci(a, b).P.determinant();
            CHECK(fast >= best * (1 - 1e-6));
            worst = std::max(worst, fast / best);
        }
        CHECK(worst < 2.5);
    }
    SECTION("one input comes back unchanged") {
        Estimate a{Eigen::Vector4d(5, 6, 7, 8), random_spd(rng)};
        const Estimate one[1] = {a};
        CHECK(fast_ci(one).x == a.x);
        CHECK(fast_ci(one).P == a.P);
    }
}
