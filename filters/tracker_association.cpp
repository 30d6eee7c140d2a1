// Pre-gate, gate, clusters and GNN / JPDA association of one batch.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "filters/chi_square.hpp"
#include "filters/frame_geometry.hpp"
#include "filters/jpda.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

// ---------------------------------------------------------------------------------------------
// Association

const Tracker::PredEntry* Tracker::prior_for(std::size_t i, Timestamp t) {
    const std::int32_t slot = pred_slot_[i];
    if (slot >= 0 && preds_[static_cast<std::size_t>(slot)].t == t)
        return &preds_[static_cast<std::size_t>(slot)];
    const TrackState& s = states_[i];
    const bool in_sequence = t >= s.t;
    // Out of sequence for this track: the state at t is rebuilt from its buffer.
    if (!in_sequence && !(t >= s.anchor_t && public_[i].born <= t)) return nullptr;
    // Built in place: a PredEntry (a filter and its combined estimate, ~800 bytes) is not
    // worth copying.
    PredEntry& e = preds_.emplace_back();
    e.t = t;
    if (in_sequence) {
        e.f = s.filter;
        e.f.predict((t - s.t).seconds(), settings_for(s));
    } else {
        Timestamp t0;
        e.f = replay(s, t, t0);
        e.f.predict((t - t0).seconds(), settings_for(s));
    }
    e.g = e.f.combined();
    pred_slot_[i] = static_cast<std::int32_t>(preds_.size() - 1);
    return &e;
}

void Tracker::associate_and_update(std::span<const Measurement> batch,
                                   std::vector<Prepared>& prep) {
    const std::size_t N = states_.size();
    const std::size_t M = prep.size();
    if (M == 0) return;
    pred_slot_.assign(N, -1);
    preds_.clear();
    preds_.reserve(std::min<std::size_t>(N, 4 * M + 16));
    Timestamp tmin = prep[0].t;
    Timestamp tmax = prep[0].t;
    double sig_max = 0;
    for (const Prepared& p : prep) {
        tmin = std::min(tmin, p.t);
        tmax = std::max(tmax, p.t);
        if (p.has_position) sig_max = std::max(sig_max, p.sigma_m);
    }
    const double spread = (tmax - tmin).seconds();
    // Pre-gate circle of each track at tmax: conservative (trace bounds the largest eigenvalue).
    using Geo = GateCircle;
    circles_.resize(N);
    std::vector<Geo>& geo = circles_;
    // The grid costs a sort of every track's cells; a linear pre-gate costs N x M circle tests of
    // a few flops each. Below ~100 plots (a radar sector, an AIS sentence) the linear pass wins,
    // even at 10,000 tracks; whole scans (batch mode, large sectors) use the grid.
    const bool use_grid = M >= 128 && N >= 64;
    // The linear scan reads the circles as flat arrays of centres and squared radii (the bound's,
    // for an inexact circle; -1 for a dead track), filled here in the same pass.
    if (!use_grid) {
        gate_e_.resize(N);
        gate_n_.resize(N);
        gate_r2_.resize(N);
    }
    for (std::size_t i = 0; i < N; ++i) {
        const TrackState& s = states_[i];
        if (s.dead) {
            geo[i] = {0, 0, -1, 0, 0, 0, true};
            if (!use_grid) gate_r2_[i] = -1.0;
            continue;
        }
        const double dt = (tmax - s.t).seconds();
        const double adt = std::abs(dt) + spread;
        const double q = settings_for(s).noise.accel_sigma_mps2;
        const double qq = std::max(
            q * q, cfg_.imm_turn_noise.accel_sigma_mps2 * cfg_.imm_turn_noise.accel_sigma_mps2);
        const double var =
            s.pos_var + s.vel_var * adt * adt + qq * adt * adt * adt + sig_max * sig_max;
        const double base = std::sqrt(init_gate_[2] * var) * 1.2;
        Geo& g = geo[i];
        g = {s.xs(0) + s.xs(2) * dt, s.xs(1) + s.xs(3) * dt, 0, base, s.xs(2), s.xs(3), true};
        // The radius is base + speed * spread + 1. A batch of one time (an AIS sentence, a camera
        // frame) has no drift: speed * 0 is exactly 0 for a finite speed. Otherwise the speed is
        // bounded by |ve| + |vn| (scaled up past any rounding of hypot): every sum and product
        // below rounds monotonically, so the bound's radius is >= the exact one, and a plot
        // outside it is outside the exact circle too.
        if (!std::isfinite(g.ve) || !std::isfinite(g.vn)) {
            g.r = base + std::hypot(g.ve, g.vn) * spread + 1.0;
        } else if (spread == 0) {
            g.r = base + 0.0 + 1.0;
        } else {
            const double speed_bound = (std::abs(g.ve) + std::abs(g.vn)) * (1 + 1e-9);
            g.r = base + speed_bound * spread + 1.0;
            g.exact = false;
        }
        if (!use_grid) {
            gate_e_[i] = g.e;
            gate_n_[i] = g.n;
            gate_r2_[i] = g.r * g.r;
        }
    }
    auto within = [spread](const Eigen::Vector2d& z, Geo& g) {
        const double de = z(0) - g.e;
        const double dn = z(1) - g.n;
        const double d2 = de * de + dn * dn;
        if (g.exact) return d2 <= g.r * g.r;
        if (d2 > g.r * g.r) return false;  // outside the bound (NaN bounds fall through)
        g.r = g.base + std::hypot(g.ve, g.vn) * spread + 1.0;
        g.exact = true;
        return d2 <= g.r * g.r;
    };

    std::vector<Pair> pairs;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_gated;  // (meas, confirmed track)
    auto consider = [&](std::size_t i, std::uint32_t j) {
        const Prepared& p = prep[j];
        const Measurement& m = batch[p.index];
        const TrackState& s = states_[i];
        if (s.dead) return;
        if (m.mmsi && s.mmsi && *s.mmsi != *m.mmsi) return;  // two transponders, two vessels
        // One plot per target per look: a track that took a plot of this look already (from an
        // earlier batch: cameras send one detection per message) cannot have made this one.
        if (m.sensor != SensorKind::ais && took_same_look(s, m.feed, p.t)) return;
        const PredEntry* pe = prior_for(i, p.t);
        if (pe == nullptr) return;
        const InnovationScore in = innovation_score(pe->g, p.obs);
        if (!in.ok) return;
        const int dof = obs_dim(p.obs.kind);
        // A plot just outside a confirmed track's gate may be that target's: it must not start a
        // duplicate track, so initiation is suppressed in a wider gate (unless the track took
        // another plot of this batch: see the initiation pass below).
        if (public_[i].status != TrackStatus::tentative &&
            in.d2 <= init_gate_[static_cast<std::size_t>(dof)])
            wide_gated.emplace_back(j, static_cast<std::uint32_t>(i));
        if (in.d2 > gate_[static_cast<std::size_t>(dof)]) return;
        pairs.push_back(Pair{static_cast<std::uint32_t>(i), j, in.d2, in.log_det_S, 0});
    };

    std::vector<std::uint32_t> wide;
    if (use_grid) {
        const double cell = cfg_.grid_cell_m;
        grid_.clear();
        for (std::size_t i = 0; i < N; ++i) {
            const Geo& g = geo[i];
            if (g.r < 0) continue;
            const auto x0 = static_cast<std::int64_t>(std::floor((g.e - g.r) / cell));
            const auto x1 = static_cast<std::int64_t>(std::floor((g.e + g.r) / cell));
            const auto y0 = static_cast<std::int64_t>(std::floor((g.n - g.r) / cell));
            const auto y1 = static_cast<std::int64_t>(std::floor((g.n + g.r) / cell));
            if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) {
                wide.push_back(static_cast<std::uint32_t>(i));
                continue;
            }
            for (std::int64_t x = x0; x <= x1; ++x)
                for (std::int64_t y = y0; y <= y1; ++y)
                    grid_.emplace_back((x << 32) ^ (y & 0xffffffffLL),
                                       static_cast<std::uint32_t>(i));
        }
        std::sort(grid_.begin(), grid_.end());
        for (std::uint32_t j = 0; j < M; ++j) {
            const Prepared& p = prep[j];
            if (!p.has_position) {
                for (std::size_t i = 0; i < N; ++i) consider(i, j);
                continue;
            }
            const std::int64_t key = cell_key(p.pos_en(0), p.pos_en(1), cell);
            auto lo = grid_.begin() + static_cast<std::ptrdiff_t>(first_at_or_after(grid_, key));
            for (auto it = lo; it != grid_.end() && it->first == key; ++it) {
                Geo& g = geo[it->second];
                if (within(p.pos_en, g)) consider(it->second, j);
            }
            for (std::uint32_t i : wide) {
                Geo& g = geo[i];
                if (within(p.pos_en, g)) consider(i, j);
            }
        }
    } else {
        // A one-plot batch (an AIS sentence) tests every track: the test runs first on the flat
        // arrays, a few flops per track on contiguous data. A plot outside that radius is outside
        // the circle `within` would test; the rest go through `within`, which decides as before.
        for (std::uint32_t j = 0; j < M; ++j) {
            const Prepared& p = prep[j];
            if (!p.has_position) {
                for (std::size_t i = 0; i < N; ++i) {
                    if (!(geo[i].r < 0)) consider(i, j);
                }
                continue;
            }
            const double pe = p.pos_en(0);
            const double pn = p.pos_en(1);
            const double* ge = gate_e_.data();
            const double* gn = gate_n_.data();
            const double* gr2 = gate_r2_.data();
            // Branch-free in blocks: each track's index is written and kept (the count advances)
            // only when the plot may be inside; nearly every track is far, so a branch per track
            // would be the cost. Kept in ascending order, as a plain loop would visit them.
            constexpr std::size_t kBlock = 256;
            std::array<std::uint32_t, kBlock> near;
            for (std::size_t i0 = 0; i0 < N; i0 += kBlock) {
                const std::size_t i1 = std::min(N, i0 + kBlock);
                std::size_t n_near = 0;
                for (std::size_t i = i0; i < i1; ++i) {
                    const double de = pe - ge[i];
                    const double dn = pn - gn[i];
                    near[n_near] = static_cast<std::uint32_t>(i);
                    n_near +=
                        !(de * de + dn * dn > gr2[i]);  // NaN kept, as before: `within` decides
                }
                for (std::size_t k = 0; k < n_near; ++k) {
                    const std::uint32_t i = near[k];
                    Geo& g = geo[i];
                    if (g.r < 0 || !within(p.pos_en, g)) continue;
                    consider(i, j);
                }
            }
        }
    }

    // Clusters: connected components of the gating graph (tracks 0..N-1, measurements N..N+M-1).
    UnionFind uf;
    uf.reset(N + M);
    for (const Pair& pr : pairs) uf.unite(pr.track, static_cast<std::uint32_t>(N + pr.meas));
    for (Pair& pr : pairs) pr.root = uf.find(pr.track);
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
        if (a.root != b.root) return a.root < b.root;
        if (a.track != b.track) return a.track < b.track;
        return a.meas < b.meas;
    });

    std::vector<char> assigned(M, 0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> matches;  // (track, meas)
    std::vector<std::uint32_t> ct;
    std::vector<std::uint32_t> cm;
    std::vector<double> cost;
    std::vector<int> row_to_col;
    std::vector<double> lr;
    std::vector<double> beta;
    const double two_pi_log = std::log(kTwoPi);
    const double log_pd_over_lambda =
        std::log(cfg_.detection_probability / std::max(cfg_.clutter_density_per_m2, 1e-30));

    auto gnn = [&](std::size_t b, std::size_t e) {
        if (ct.size() == 1 && cm.size() == 1) {
            matches.emplace_back(ct[0], cm[0]);
            return;
        }
        const int T = static_cast<int>(ct.size());
        const int Mc = static_cast<int>(cm.size());
        const int cols = Mc + T;
        cost.assign(static_cast<std::size_t>(T * cols), kForbiddenCost);
        for (std::size_t k = b; k < e; ++k) {
            const int r = static_cast<int>(std::lower_bound(ct.begin(), ct.end(), pairs[k].track) -
                                           ct.begin());
            const int c = static_cast<int>(std::lower_bound(cm.begin(), cm.end(), pairs[k].meas) -
                                           cm.begin());
            // Negative log-likelihood ratio of "track r made measurement c" against "c is a false
            // alarm or a new target": d2 + ln|2 pi S| - 2 ln(Pd / lambda). Plain d2 would let a
            // young track with a wide covariance steal the plot of an established one.
            const int dim = obs_dim(prep[pairs[k].meas].obs.kind);
            cost[static_cast<std::size_t>(r * cols + c)] =
                pairs[k].d2 + pairs[k].log_det_S + dim * two_pi_log - 2 * log_pd_over_lambda;
        }
        const double miss = -2 * std::log(1 - cfg_.detection_probability * cfg_.gate_probability);
        for (int r = 0; r < T; ++r) cost[static_cast<std::size_t>(r * cols + Mc + r)] = miss;
        row_to_col.assign(static_cast<std::size_t>(T), -1);
        solve_assignment(T, cols, cost.data(), row_to_col.data(), assign_scratch_);
        for (int r = 0; r < T; ++r) {
            const int c = row_to_col[static_cast<std::size_t>(r)];
            if (c >= 0 && c < Mc && cost[static_cast<std::size_t>(r * cols + c)] < kForbiddenCost)
                matches.emplace_back(ct[static_cast<std::size_t>(r)],
                                     cm[static_cast<std::size_t>(c)]);
        }
    };

    // JPDA on one cluster; returns false when it must fall back to GNN.
    auto jpda = [&](std::size_t b, std::size_t e) -> bool {
        const int T = static_cast<int>(ct.size());
        const int Mc = static_cast<int>(cm.size());
        if (T > 12) return false;
        const ObsKind k0 = prep[cm[0]].obs.kind;
        for (std::uint32_t j : cm) {
            if (prep[j].obs.kind != k0) return false;
        }
        for (std::uint32_t i : ct) {
            for (std::uint32_t j : cm) {
                if (prep[j].t < states_[i].t) return false;  // out-of-sequence data: use GNN
            }
        }
        lr.assign(static_cast<std::size_t>(T * Mc), 0.0);
        const double lambda = std::max(cfg_.clutter_density_per_m2, 1e-30);
        for (std::size_t k = b; k < e; ++k) {
            const int r = static_cast<int>(std::lower_bound(ct.begin(), ct.end(), pairs[k].track) -
                                           ct.begin());
            const int c = static_cast<int>(std::lower_bound(cm.begin(), cm.end(), pairs[k].meas) -
                                           cm.begin());
            const int dim = obs_dim(k0);
            const double l = std::exp(-0.5 * (pairs[k].d2 + pairs[k].log_det_S + dim * two_pi_log));
            lr[static_cast<std::size_t>(r * Mc + c)] =
                std::max(cfg_.detection_probability * l / lambda, 1e-300);
        }
        const double miss = 1 - cfg_.detection_probability * cfg_.gate_probability;
        if (!jpda_marginals(T, Mc, lr, miss, beta)) return false;
        for (int r = 0; r < T; ++r) {
            const std::size_t i = ct[static_cast<std::size_t>(r)];
            std::array<Observation, 16> obs;
            std::array<double, 16> bs{};
            int n = 0;
            int best = -1;
            double best_b = 0;
            Timestamp t_upd = states_[i].t;
            for (int c = 0; c < Mc && n < 16; ++c) {
                const double bb = beta[static_cast<std::size_t>(r * (Mc + 1) + c)];
                if (lr[static_cast<std::size_t>(r * Mc + c)] <= 0 || bb < 1e-9) continue;
                const Prepared& p = prep[cm[static_cast<std::size_t>(c)]];
                obs[static_cast<std::size_t>(n)] = p.obs;
                bs[static_cast<std::size_t>(n)] = bb;
                ++n;
                t_upd = std::max(t_upd, p.t);
                if (bb > best_b) {
                    best_b = bb;
                    best = c;
                }
            }
            if (n == 0 || best < 0) continue;
            const double beta0 = beta[static_cast<std::size_t>(r * (Mc + 1) + Mc)];
            TrackFilter f = states_[i].filter;
            f.predict((t_upd - states_[i].t).seconds(), settings_for(states_[i]));
            if (!f.pda_update(obs.data(), bs.data(), n, beta0)) {
                ++counters_.numeric_rejects;
                continue;
            }
            const std::uint32_t jb = cm[static_cast<std::size_t>(best)];
            assigned[jb] = 1;
            if (1 - beta0 >= 0.5) {
                Prepared pb = prep[jb];
                pb.t = t_upd;
                apply_update(i, batch[prep[jb].index], pb, f);
            } else {
                states_[i].filter = f;
                states_[i].t = t_upd;
                refresh_summary(states_[i]);
                mark_stale(i);
            }
            // A PDA update is not one measurement: restart the re-processing buffer here.
            states_[i].anchor = states_[i].filter;
            states_[i].anchor_t = states_[i].t;
            states_[i].hist.clear();
        }
        for (std::uint32_t j : cm) assigned[j] = 1;
        return true;
    };

    for (std::size_t b = 0; b < pairs.size();) {
        std::size_t e = b;
        ct.clear();
        cm.clear();
        while (e < pairs.size() && pairs[e].root == pairs[b].root) {
            if (ct.empty() || ct.back() != pairs[e].track) ct.push_back(pairs[e].track);
            cm.push_back(pairs[e].meas);
            ++e;
        }
        std::sort(cm.begin(), cm.end());
        cm.erase(std::unique(cm.begin(), cm.end()), cm.end());
        if (!jpda_ || !jpda(b, e)) gnn(b, e);
        b = e;
    }

    took_plot_.assign(N, 0);
    std::vector<char>& took_plot = took_plot_;
    for (const auto& [i, j] : matches) {
        const Prepared& p = prep[j];
        const PredEntry* pe = prior_for(i, p.t);
        if (pe == nullptr) continue;
        TrackFilter upd = pe->f;
        if (!upd.update(p.obs, kind_)) {
            ++counters_.numeric_rejects;
            continue;
        }
        assigned[j] = 1;
        took_plot[i] = 1;
        apply_update(i, batch[p.index], p, upd);
    }
    // A sensor returns one plot per target per look. A confirmed track that took a plot of this
    // look (in this batch or an earlier one) has had its return, so another plot in its wide
    // gate, resolved from it, is another object (a skiff lying 300 m off a ship, inside the ship
    // track's wide gate at 20 km range; a second walker 80 m behind the first) and may start a
    // track; near a track that took none, the plot may be its own, just outside the gate. Two plots
    // of one look closer than the sensor's own noise are one object's split return.
    auto resolved = [&](const Prepared& p, const TrackState& s) {
        if (!p.has_position) return false;
        const Eigen::Vector2d d = p.pos_en - s.xs.head<2>();
        return d.dot(p.pos_cov.ldlt().solve(d)) > resolved_d2_;
    };
    std::vector<char> gated_by_confirmed(M, 0);
    for (const auto& [j, i] : wide_gated) {
        const Measurement& m = batch[prep[j].index];
        const bool had_its_plot = took_plot[i] || took_same_look(states_[i], m.feed, prep[j].t);
        if (!had_its_plot || !resolved(prep[j], states_[i])) gated_by_confirmed[j] = 1;
    }

    for (std::uint32_t j = 0; j < M; ++j) {
        if (assigned[j]) continue;
        const Prepared& p = prep[j];
        const Measurement& m = batch[p.index];
        if (gated_by_confirmed[j] || !p.has_position ||
            !cfg_.can_initiate[static_cast<std::size_t>(m.sensor)]) {
            ++counters_.gated_out;
            continue;
        }
        initiate(m, p);
    }
}

}  // namespace picket::filters
