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
#include "filters/history_buffer.hpp"
#include "filters/jpda.hpp"
#include "filters/motion_models.hpp"
#include "filters/observation.hpp"
#include "filters/track_filter.hpp"
#include "filters/tracker_internal.hpp"
#include "geo/ground_range.hpp"
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
            for (int r = 0; r < rows; ++r)
                t += c[static_cast<std::size_t>(r * cols + perm[static_cast<std::size_t>(r)])];
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

TEST_CASE("a camera's bearing and depression: h is the ground geometry, H its derivative") {
    // geo/ground_range.hpp gives the depression of a target's foot over the curved earth; the
    // Jacobian's depression row is its slope along the ground towards the target.
    Gaussian g;
    g.x << 1800, -2200, -6, 5, 0;
    g.P = StateMat::Identity() * 900;
    Observation o;
    o.kind = ObsKind::bearing_depression;
    o.site_en = Eigen::Vector2d(-300, 400);
    o.lens_height_m = 15;
    const ObsVec h = observe(g.x, o);
    const double range = (g.x.head<2>() - o.site_en).norm();
    CHECK(h(1) == Approx(geo::depression_to_ground_rad(15, range)).epsilon(1e-12));
    CHECK(*geo::ground_range_from_depression(15, h(1)) == Approx(range).epsilon(1e-9));
    // Central differences over half a metre: the forward geometry's 1 - cos(d / R) is only
    // good to ~1e-9 m near the camera, so a millimetre step would difference its rounding.
    const ObsJac H = observe_jacobian(g.x, o);
    for (int j = 0; j < 2; ++j) {
        StateVec xp = g.x;
        StateVec xm = g.x;
        xp(j) += 0.5;
        xm(j) -= 0.5;
        const ObsVec d = (observe(xp, o) - observe(xm, o)) / 1.0;
        CHECK(H(0, j) == Approx(d(0)).margin(1e-10));
        CHECK(H(1, j) == Approx(d(1)).epsilon(1e-5));
    }
    // The slope itself, against a difference of the forward geometry, near and far.
    for (double r : {50.0, 800.0, 2800.0, 12000.0}) {
        const double step = 1e-4 * r;
        const double numeric = (geo::depression_to_ground_rad(15, r + step) -
                                geo::depression_to_ground_rad(15, r - step)) /
                               (2 * step);
        CHECK(geo::depression_slope_rad_per_m(15, r) == Approx(numeric).epsilon(1e-5));
    }
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

namespace {

// A random SPD covariance with a spread of scales (metres, m/s, rad/s).
StateMat random_covariance(std::mt19937& gen) {
    std::normal_distribution<double> n01(0, 1);
    StateMat A;
    for (int r = 0; r < kStateDim; ++r)
        for (int c = 0; c < kStateDim; ++c) A(r, c) = n01(gen);
    const Eigen::Matrix<double, kStateDim, 1> scale(50, 50, 3, 3, 0.02);
    const StateMat P =
        scale.asDiagonal() * (A * A.transpose() + StateMat::Identity()) * scale.asDiagonal();
    return 0.5 * (P + P.transpose());
}

// The textbook EKF on dense dynamic matrices: the reference for the fixed-size kernels.
struct DenseResult {
    Gaussian g;
    double d2;
    double log_det_S;
};
DenseResult dense_ekf(const Gaussian& g, const Observation& o) {
    const Eigen::MatrixXd H = observe_jacobian(g.x, o);
    Eigen::VectorXd nu = o.z - observe(g.x, o);
    if (o.kind == ObsKind::polar) nu(1) = wrap_pi(nu(1));
    if (o.kind == ObsKind::bearing || o.kind == ObsKind::bearing_depression) nu(0) = wrap_pi(nu(0));
    const Eigen::MatrixXd R = o.R;
    const Eigen::MatrixXd S = H * g.P * H.transpose() + R;
    const Eigen::MatrixXd K = g.P * H.transpose() * S.inverse();
    const Eigen::MatrixXd IKH = Eigen::MatrixXd::Identity(kStateDim, kStateDim) - K * H;
    DenseResult out;
    out.g.x = g.x + K * nu;
    out.g.P = IKH * g.P * IKH.transpose() + K * R * K.transpose();
    out.d2 = nu.dot(S.inverse() * nu);
    out.log_det_S = std::log(S.determinant());
    return out;
}

}  // namespace

TEST_CASE("fixed-size EKF kernels equal the dense textbook EKF for every observation kind") {
    std::mt19937 gen(11);
    std::normal_distribution<double> n01(0, 1);
    for (int trial = 0; trial < 200; ++trial) {
        Gaussian g;
        g.x << 2000 * n01(gen), 2000 * n01(gen), 5 * n01(gen), 5 * n01(gen), 0.01 * n01(gen);
        g.P = random_covariance(gen);
        Observation o;
        o.kind = static_cast<ObsKind>(trial % 5);
        o.site_en = Eigen::Vector2d(8000 * n01(gen), 8000 * n01(gen));
        o.lens_height_m = 5 + 30 * std::abs(n01(gen));
        const ObsVec h = observe(g.x, o);
        o.z = h;
        for (int i = 0; i < o.z.size(); ++i) {
            const bool angle = (o.kind == ObsKind::polar && i == 1) || o.kind == ObsKind::bearing ||
                               o.kind == ObsKind::bearing_depression;
            o.z(i) += (angle ? (i == 1 ? 0.001 : 0.01) : 20) * n01(gen);
        }
        const int d = obs_dim(o.kind);
        Eigen::MatrixXd B = Eigen::MatrixXd::Random(d, d);
        Eigen::MatrixXd R = B * B.transpose() + Eigen::MatrixXd::Identity(d, d);
        if (o.kind == ObsKind::polar) R = Eigen::Vector2d(100, 1e-4).asDiagonal();
        if (o.kind == ObsKind::bearing) R = Eigen::MatrixXd::Constant(1, 1, 1e-4);
        if (o.kind == ObsKind::bearing_depression) R = Eigen::Vector2d(1e-4, 1e-6).asDiagonal();
        o.R = R;
        INFO("trial " << trial << " kind " << static_cast<int>(o.kind));

        const DenseResult ref = dense_ekf(g, o);
        const InnovationScore score = innovation_score(g, o);
        const Innovation in = innovate(g, o);
        REQUIRE(score.ok);
        REQUIRE(in.ok);
        CHECK(score.d2 == Approx(ref.d2).epsilon(1e-9));
        CHECK(score.log_det_S == Approx(ref.log_det_S).epsilon(1e-9));
        CHECK(in.d2 == score.d2);
        CHECK(in.log_det_S == score.log_det_S);

        Gaussian fused = g;
        const InnovationScore fs = ekf_innovate_update(fused, o);
        REQUIRE(fs.ok);
        Gaussian split = g;
        REQUIRE(ekf_update(split, o, in));
        const double p_scale = ref.g.P.cwiseAbs().maxCoeff();
        CHECK((fused.x - ref.g.x).cwiseAbs().maxCoeff() <
              1e-9 * (1 + ref.g.x.cwiseAbs().maxCoeff()));
        CHECK((fused.P - ref.g.P).cwiseAbs().maxCoeff() < 1e-9 * p_scale);
        CHECK((split.x - fused.x).cwiseAbs().maxCoeff() <
              1e-9 * (1 + fused.x.cwiseAbs().maxCoeff()));
        CHECK((split.P - fused.P).cwiseAbs().maxCoeff() < 1e-9 * p_scale);
        CHECK(fused.P == fused.P.transpose());
    }
}

TEST_CASE("predict equals F P F^T + Q with the full transition matrix, CV and CT") {
    std::mt19937 gen(5);
    std::normal_distribution<double> n01(0, 1);
    for (int trial = 0; trial < 100; ++trial) {
        Gaussian g;
        // Turn rates from exactly zero (the small-turn series) to 0.1 rad/s.
        const double w = trial % 5 == 0 ? 0.0 : 0.05 * n01(gen);
        g.x << 100 * n01(gen), 100 * n01(gen), 5 * n01(gen), 5 * n01(gen), w;
        g.P = random_covariance(gen);
        const MotionModel model = trial % 2 == 0 ? MotionModel::cv : MotionModel::ct;
        const ProcessNoise noise{0.7, 0.01};
        const double dt = 0.1 + 4 * std::abs(n01(gen));
        const Transition t = transition(g.x, model, noise, dt);
        const StateMat expected = t.F * g.P * t.F.transpose() + t.Q;
        const StateVec expected_x =
            model == MotionModel::cv ? StateVec(t.F * g.x) : ct_step(g.x, dt);
        predict(g, model, noise, dt);
        INFO("trial " << trial);
        CHECK((g.P - expected).cwiseAbs().maxCoeff() < 1e-10 * expected.cwiseAbs().maxCoeff());
        CHECK((g.x - expected_x).cwiseAbs().maxCoeff() < 1e-9);
        CHECK(g.P == g.P.transpose());
    }
}

TEST_CASE("HistoryBuffer behaves as a vector under inserts and front trims") {
    std::mt19937 gen(3);
    HistoryBuffer<int> buf;
    std::vector<int> model;
    std::size_t most = 0;  // the most items held at once
    for (int step = 0; step < 5000; ++step) {
        const int op = static_cast<int>(gen() % 10);
        if (op < 6 || model.empty()) {
            // Mostly appends, sometimes an insertion before later items (out-of-sequence data).
            const std::size_t k = op < 5 ? model.size() : gen() % (model.size() + 1);
            const int v = static_cast<int>(gen() % 1000);
            REQUIRE(buf.emplace(k, v) == k);
            model.insert(model.begin() + static_cast<std::ptrdiff_t>(k), v);
        } else if (op < 9) {
            const std::size_t n = gen() % (model.size() + 1);
            buf.drop_front(n);
            model.erase(model.begin(), model.begin() + static_cast<std::ptrdiff_t>(n));
        } else {
            buf.clear();
            model.clear();
        }
        REQUIRE(buf.size() == model.size());
        for (std::size_t i = 0; i < model.size(); ++i) REQUIRE(buf[i] == model[i]);
        if (!model.empty()) REQUIRE(buf.back() == model.back());
        most = std::max(most, model.size());
        // The ring grows by half only when full: never past 1.5 x the most it held.
        REQUIRE(buf.capacity() >= buf.size());
        REQUIRE(buf.capacity() <= std::max<std::size_t>(1, most + most / 2));
    }
}

TEST_CASE("HistoryBuffer: a steady stream trimmed before each append needs its window's slots") {
    // A track seen every 2 s with a 5 s window keeps 3 updates: 3 slots, wrapped round, whatever
    // the stream's length.
    HistoryBuffer<int> buf;
    for (int t = 0; t < 1000; t += 2) {
        std::size_t drop = 0;
        while (drop < buf.size() && buf[drop] < t - 5) ++drop;
        buf.drop_front(drop);
        buf.emplace(buf.size(), t);
        REQUIRE(buf.back() == t);
        REQUIRE(buf[0] == std::max(0, t - 4));
    }
    CHECK(buf.size() == 3);
    CHECK(buf.capacity() == 3);
}

TEST_CASE("first_at_or_after finds what std::lower_bound finds, duplicates and misses included") {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 2000; ++trial) {
        std::vector<std::pair<std::int64_t, std::uint32_t>> cells(rng() % 40);
        for (auto& c : cells)
            c = {static_cast<std::int64_t>(rng() % 25) - 12, static_cast<std::uint32_t>(rng())};
        std::sort(cells.begin(), cells.end());
        for (std::int64_t key = -14; key <= 14; ++key) {
            const auto expected =
                std::lower_bound(cells.begin(), cells.end(), std::make_pair(key, std::uint32_t{0}));
            REQUIRE(picket::filters::detail::first_at_or_after(cells, key) ==
                    static_cast<std::size_t>(expected - cells.begin()));
        }
    }
}
