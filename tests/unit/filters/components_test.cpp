// Building blocks: chi-square gates, optimal assignment, JPDA marginals, motion and measurement
// models, the Kalman/EKF/UKF updates and the grid convergence.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>

#include "filters/assignment.hpp"
#include "filters/chi_square.hpp"
#include "filters/frame_geometry.hpp"
#include "filters/jpda.hpp"
#include "filters/motion_models.hpp"
#include "filters/observation.hpp"
#include "filters/track_filter.hpp"
#include "geo/local_frame.hpp"

using namespace picket;
using namespace picket::filters;

TEST_CASE("chi-square quantiles match published tables") {
    // Values from standard chi-square tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    CHECK(chi_square_quantile(0.95, 1) == Approx(3.841).epsilon(1e-3));
    CHECK(chi_square_quantile(0.99, 2) == Approx(9.210).epsilon(1e-3));
    CHECK(chi_square_quantile(0.95, 3) == Approx(7.815).epsilon(1e-3));
    CHECK(chi_square_quantile(0.999, 4) == Approx(18.467).epsilon(1e-3));
    CHECK(chi_square_cdf(chi_square_quantile(0.9973, 2), 2) == Approx(0.9973).epsilon(1e-9));
}

TEST_CASE("assignment is optimal: compared with enumeration of all permutations") {
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(0, 100);
    AssignmentScratch s;
    for (int trial = 0; trial < 200; ++trial) {
        const int rows = 1 + static_cast<int>(gen() % 5);
        const int cols = rows + static_cast<int>(gen() % 3);
        std::vector<double> c(static_cast<std::size_t>(rows * cols));
        for (double& x : c) x = std::floor(u(gen));
        std::vector<int> r2c(static_cast<std::size_t>(rows));
        const double got = solve_assignment(rows, cols, c.data(), r2c.data(), s);
        // Brute force over column permutations.
        std::vector<int> perm(static_cast<std::size_t>(cols));
        std::iota(perm.begin(), perm.end(), 0);
        double best = 1e300;
        do {
            double t = 0;
            for (int r = 0; r < rows; ++r) t += c[static_cast<std::size_t>(r * cols + perm[static_cast<std::size_t>(r)])];
            best = std::min(best, t);
        } while (std::next_permutation(perm.begin(), perm.end()));
        REQUIRE(got == Approx(best));
        std::vector<int> sorted = r2c;
        std::sort(sorted.begin(), sorted.end());
        CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    }
}

TEST_CASE("assignment of a tall matrix leaves rows unassigned") {
    AssignmentScratch s;
    std::vector<int> r2c;
    const std::vector<double> c{5, 1, 2, 9, 0, 7};  // 3 rows x 2 cols
    const double total = solve_assignment_any(3, 2, c.data(), r2c, s);
    CHECK(total == Approx(1.0));  // row0->col1 (1) + row2->col0 (0)
    CHECK(r2c == std::vector<int>{1, -1, 0});
}

TEST_CASE("JPDA marginals match the hand-enumerated joint events") {
    // Two tracks, one measurement in both gates. Events: {none, none}: m^2,
    // {t0 <- z}: L0 m, {t1 <- z}: L1 m.
    const double m = 0.1;
    const double L0 = 3;
    const double L1 = 1;
    std::vector<double> beta;
    REQUIRE(jpda_marginals(2, 1, {L0, L1}, m, beta));
    const double total = m * m + L0 * m + L1 * m;
    CHECK(beta[0] == Approx(L0 * m / total));
    CHECK(beta[1] == Approx((m * m + L1 * m) / total));  // track 0 gets nothing
    CHECK(beta[2] == Approx(L1 * m / total));
    CHECK(beta[3] == Approx((m * m + L0 * m) / total));
}

TEST_CASE("CT model: zero turn rate is CV, a quarter period turns the velocity by 90 degrees") {
    StateVec x;
    x << 0, 0, 10, 0, 0;
    const StateVec straight = ct_step(x, 5);
    CHECK(straight(0) == Approx(50));
    CHECK(straight(1) == Approx(0).margin(1e-12));
    x(4) = std::numbers::pi / 20;  // 90 degrees in 10 s, counter-clockwise
    const StateVec q = ct_step(x, 10);
    CHECK(q(2) == Approx(0).margin(1e-9));
    CHECK(q(3) == Approx(10));
    const double r = 10 / x(4);  // radius
    CHECK(q(0) == Approx(r));
    CHECK(q(1) == Approx(r));
}

TEST_CASE("CT Jacobian matches numerical differentiation, including near zero turn rate") {
    for (double w : {0.1, 1e-9, -0.05}) {
        StateVec x;
        x << 100, -50, 7, 3, w;
        const Transition t = transition(x, MotionModel::ct, ProcessNoise{}, 3.0);
        for (int j = 0; j < kStateDim; ++j) {
            const double h = 1e-6;
            StateVec xp = x;
            StateVec xm = x;
            xp(j) += h;
            xm(j) -= h;
            const StateVec d = (ct_step(xp, 3.0) - ct_step(xm, 3.0)) / (2 * h);
            for (int i = 0; i < kStateDim; ++i) CHECK(t.F(i, j) == Approx(d(i)).margin(1e-5));
        }
    }
}

TEST_CASE("process noise is the exact CWNA discretisation") {
    const Transition t = transition(StateVec::Zero(), MotionModel::cv, ProcessNoise{2.0, 0}, 3.0);
    // q = 4: Q = 4 [9, 4.5; 4.5, 3] per axis.
    CHECK(t.Q(0, 0) == Approx(36));
    CHECK(t.Q(0, 2) == Approx(18));
    CHECK(t.Q(2, 2) == Approx(12));
    CHECK(t.Q(0, 1) == 0);
}

TEST_CASE("Kalman update of a position equals the scalar textbook result") {
    Gaussian g;
    g.x << 0, 0, 1, 1, 0;
    g.P = StateMat::Identity() * 100;
    Observation o;
    o.kind = ObsKind::position;
    o.z = Eigen::Vector2d(10, -10);
    o.R = Eigen::Matrix2d::Identity() * 25;
    const Innovation in = innovate(g, o);
    REQUIRE(in.ok);
    CHECK(in.d2 == Approx(200.0 / 125.0));
    REQUIRE(ekf_update(g, o, in));
    // K = 100 / 125 = 0.8 per axis; P = 0.2 * 100 = 20.
    CHECK(g.x(0) == Approx(8));
    CHECK(g.x(1) == Approx(-8));
    CHECK(g.P(0, 0) == Approx(20));
    CHECK(g.P(2, 2) == Approx(100));  // velocity uncorrelated: untouched
}

TEST_CASE("polar Jacobian matches numerical differentiation; UKF agrees with EKF at long range") {
    Gaussian g;
    g.x << 3000, 4000, 5, -2, 0;
    g.P = StateMat::Identity() * 400;
    Observation o;
    o.kind = ObsKind::polar;
    o.site_en = Eigen::Vector2d(100, -200);
    o.z = observe(g.x, o);
    o.z(0) += 30;
    o.z(1) += 0.004;
    o.R = Eigen::Vector2d(15 * 15, 0.003 * 0.003).asDiagonal();
    const ObsJac H = observe_jacobian(g.x, o);
    for (int j = 0; j < 2; ++j) {
        StateVec xp = g.x;
        StateVec xm = g.x;
        xp(j) += 1e-4;
        xm(j) -= 1e-4;
        const ObsVec d = (observe(xp, o) - observe(xm, o)) / 2e-4;
        CHECK(H(0, j) == Approx(d(0)).margin(1e-8));
        CHECK(H(1, j) == Approx(d(1)).margin(1e-8));
    }
    Gaussian e = g;
    Gaussian u = g;
    REQUIRE(ekf_update(e, o, innovate(e, o)));
    REQUIRE(ukf_update(u, o));
    CHECK((e.x - u.x).head<2>().norm() < 2.0);
    CHECK(std::abs(e.P(0, 0) - u.P(0, 0)) < 0.05 * e.P(0, 0));
}

TEST_CASE("bearing wrap-around: a target due north, bearings either side of 0") {
    Gaussian g;
    g.x << 0, 1000, 0, 0, 0;
    g.P = StateMat::Identity() * 100;
    Observation o;
    o.kind = ObsKind::bearing;
    o.z.resize(1);
    o.z << 2 * std::numbers::pi - 0.001;  // just west of north
    o.R.resize(1, 1);
    o.R << 1e-6;
    const Innovation in = innovate(g, o);
    CHECK(in.nu(0) == Approx(-0.001).margin(1e-12));
}

TEST_CASE("covariance stays symmetric positive definite under extreme updates; NaN is refused") {
    Gaussian g;
    g.P = StateMat::Identity() * 1e8;
    Observation o;
    o.kind = ObsKind::position;
    o.z = Eigen::Vector2d(1, 1);
    o.R = Eigen::Matrix2d::Identity() * 1e-6;
    for (int i = 0; i < 100; ++i) {
        REQUIRE(ekf_update(g, o, innovate(g, o)));
        predict(g, MotionModel::cv, ProcessNoise{1e-3, 0}, 1e-3);
    }
    CHECK((g.P - g.P.transpose()).norm() == 0);
    Eigen::SelfAdjointEigenSolver<StateMat> es(g.P);
    CHECK(es.eigenvalues().minCoeff() > 0);
    const Gaussian before = g;
    o.z(0) = std::nan("");
    CHECK_FALSE(ekf_update(g, o, innovate(g, o)));
    CHECK(g.x == before.x);
    CHECK_FALSE(ukf_update(g, o));
}

TEST_CASE("IMM moves probability to the turn mode while the target turns") {
    Gaussian g;
    g.x << 0, 0, 10, 0, 0;
    g.P = StateMat::Identity();
    g.P(4, 4) = 0.01;
    FilterSettings fs;
    TrackFilter f(g, FilterKind::imm);
    StateVec truth;
    truth << 0, 0, 10, 0, 0;
    std::mt19937_64 gen(3);
    std::normal_distribution<double> n(0, 5);
    double straight = 0;
    double turning = 0;
    for (int k = 0; k < 40; ++k) {
        if (k == 20) truth(4) = 0.2;  // 11.5 deg/s: 2 m/s^2 of centripetal acceleration
        truth = ct_step(truth, 1.0);
        f.predict(1.0, fs);
        Observation o;
        o.kind = ObsKind::position;
        o.z = Eigen::Vector2d(truth(0) + n(gen), truth(1) + n(gen));
        o.R = Eigen::Matrix2d::Identity() * 25;
        REQUIRE(f.update(o, FilterKind::imm));
        CHECK(f.mode_probability(0) + f.mode_probability(1) == Approx(1.0));
        if (k >= 10 && k < 20) straight += f.mode_probability(1) / 10;
        if (k >= 25) turning += f.mode_probability(1) / 15;
    }
    CHECK(straight < 0.3);
    CHECK(turning > 0.6);
    CHECK(f.combined().x(4) == Approx(0.2).margin(0.05));
}

TEST_CASE("grid convergence matches a geodesic north step through the local frame") {
    const LatLon origin{43.5, 7.5};
    const geo::LocalFrame frame(origin);
    for (LatLon p : {LatLon{43.5, 7.5}, LatLon{43.9, 8.8}, LatLon{42.7, 6.1}, LatLon{44.2, 7.5}}) {
        const LatLon north = geo::geodesic_destination(p, 0.0, 100.0);
        const Eigen::Vector2d d = frame.to_en(north) - frame.to_en(p);
        const double expected = std::atan2(d(0), d(1));
        CHECK(grid_convergence_rad(origin, p) == Approx(expected).margin(2e-6));
    }
}
