// The standing GateIndex (small batches among many tracks) against its references: the index
// itself against a scan of every envelope, and the tracker using it against the tracker gating
// every batch through PreGate (mode `off`), on a mixed stream that changes tracks in every way
// the index must follow.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>

#include "eval/batch_tracking.hpp"
#include "eval/scene.hpp"
#include "filters/associator.hpp"
#include "filters/gate_index.hpp"
#include "filters/tracker.hpp"

using namespace picket;
using namespace picket::filters;

TEST_CASE(
    "GateIndex finds every envelope that holds a plot, through sets, touches and compaction") {
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> pos(-30000, 30000);
    std::uniform_real_distribution<double> u(0, 1);
    auto random_envelope = [&] {
        const double k = u(gen);
        const double r = k < 0.05   ? -1               // dead
                         : k < 0.08 ? 200000 * u(gen)  // over too many cells
                         : k < 0.09 ? std::nan("")     // not finite
                                    : 20 + 3000 * u(gen);
        return GateEnvelope{pos(gen), pos(gen), r};
    };
    GateIndex index(2000);
    index.start_epoch(GateEpoch{});
    std::vector<GateEnvelope> model;
    for (int step = 0; step < 4000; ++step) {
        const double op = u(gen);
        if (op < 0.5 || model.empty()) {  // a new track
            model.push_back(random_envelope());
            index.set(static_cast<std::uint32_t>(model.size() - 1), model.back());
        } else if (op < 0.9) {  // a track changed
            const auto i = static_cast<std::uint32_t>(gen() % model.size());
            model[i] = random_envelope();
            index.set(i, model[i]);
        } else if (op < 0.92) {  // tracks dropped (the tracker's compaction)
            std::vector<std::int64_t> to(model.size(), -1);
            std::vector<GateEnvelope> kept;
            for (std::size_t i = 0; i < model.size(); ++i) {
                if (u(gen) < 0.2) continue;
                to[i] = static_cast<std::int64_t>(kept.size());
                kept.push_back(model[i]);
            }
            model = kept;
            index.compact(to);
        }
        REQUIRE(index.size() == model.size());
        if (step % 10 != 0) continue;
        for (int k = 0; k < 20; ++k) {
            const GateEnvelope& near = model[gen() % model.size()];
            const Eigen::Vector2d z = k % 2 ? Eigen::Vector2d(pos(gen), pos(gen))
                                            : Eigen::Vector2d(near.e + 500 * (u(gen) - 0.5),
                                                              near.n + 500 * (u(gen) - 0.5));
            std::vector<std::uint32_t> found;
            index.candidates(z, [&](std::uint32_t i) { found.push_back(i); });
            std::sort(found.begin(), found.end());
            CHECK(std::adjacent_find(found.begin(), found.end()) == found.end());  // each once
            // Every envelope that holds z is found (NaN ones always: the exact test decides), no
            // dead one ever.
            std::size_t missed = 0;
            std::size_t dead_found = 0;
            for (std::uint32_t i = 0; i < model.size(); ++i) {
                const GateEnvelope& v = model[i];
                const double d2 = (z - Eigen::Vector2d(v.e, v.n)).squaredNorm();
                const bool holds = (v.r >= 0 && d2 <= v.r * v.r) || std::isnan(v.r);
                const bool is_found = std::binary_search(found.begin(), found.end(), i);
                missed += holds && !is_found;
                dead_found += v.r < 0 && is_found;
            }
            CHECK(missed == 0);
            CHECK(dead_found == 0);
        }
    }
}

namespace {

struct MixedStream {
    std::vector<std::vector<Measurement>> batches;
    /// Before batch k: operator commands (class set by hand) and AIS static data.
    std::vector<std::vector<std::pair<int, std::uint32_t>>> commands;  // (0: class, 1: ship type)
};

/// A radar scene of `targets` boats cut into batches of every size (whole scans, sectors, single
/// plots, with a time spread), some a scan late; AIS position reports from a third of the boats
/// as one-report batches (their static data changing the class later); camera bearings.
MixedStream mixed_stream(int targets, std::uint64_t seed, const Tracker& frame_of) {
    eval::CvSceneConfig sc;
    sc.targets = targets;
    sc.duration_s = 60;
    sc.scan_s = 2;
    sc.pd = 0.9;
    sc.clutter_per_scan = 0.3 * targets;
    sc.seed = seed;
    const eval::Scene scene = eval::make_cv_scene(sc);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0, 1);
    const auto& frame = frame_of.frame();
    auto at = [](double t) {
        return Timestamp{eval::kBatchEpochNs + Duration::from_seconds(t).ns};
    };
    auto plot = [&](double t, double x, double y) {
        Measurement m;
        m.feed = 0;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PositionZ{frame.to_latlon({x, y}), Eigen::Matrix2d::Identity() * 400.0};
        return m;
    };
    MixedStream out;
    std::vector<Measurement> held;  // a sector delivered a scan late
    for (std::size_t b = 0; b < scene.detections.size();) {
        const double t = scene.detections[b].t_s;
        std::size_t e = b;
        while (e < scene.detections.size() && scene.detections[e].t_s == t) ++e;
        std::vector<Measurement> scan;
        for (std::size_t k = b; k < e; ++k)
            scan.push_back(plot(t, scene.detections[k].x_m, scene.detections[k].y_m));
        b = e;
        if (!held.empty()) {
            out.batches.push_back(held);
            held.clear();
        }
        if (u(gen) < 0.25) {
            out.batches.push_back(scan);  // a whole scan: PreGate's grid
        } else {
            for (std::size_t k = 0; k < scan.size();) {
                const std::size_t n = std::min(scan.size() - k, 1 + gen() % 40);
                std::vector<Measurement> sector(scan.begin() + static_cast<std::ptrdiff_t>(k),
                                                scan.begin() + static_cast<std::ptrdiff_t>(k + n));
                // A sector sweeps: its plots are up to 0.4 s apart.
                for (std::size_t q = 0; q < sector.size(); ++q)
                    sector[q].observed = sector[q].received =
                        at(t + 0.4 * static_cast<double>(q) / static_cast<double>(sector.size()));
                if (held.empty() && u(gen) < 0.05)
                    held = sector;
                else
                    out.batches.push_back(sector);
                k += n;
            }
        }
        // AIS from every third boat, half a second after the scan; bearings from a camera.
        for (const eval::TruthPoint& p : scene.truth) {
            if (p.t_s != t) continue;
            if (p.truth_id % 3 == 0) {
                Measurement m = plot(t + 0.5, p.x_m + 10 * (u(gen) - 0.5), p.y_m);
                m.feed = 1;
                m.sensor = SensorKind::ais;
                m.mmsi = 200000000u + static_cast<Mmsi>(p.truth_id);
                m.z = PositionZ{frame.to_latlon({p.x_m, p.y_m}), Eigen::Matrix2d::Identity() * 100};
                out.batches.push_back({m});
            } else if (p.truth_id % 17 == 1 && u(gen) < 0.3) {
                Measurement m;
                m.feed = 2;
                m.sensor = SensorKind::camera;
                m.observed = m.received = at(t + 0.7);
                m.z = BearingZ{SensorSite{frame.to_latlon({0, 0}), 20, 0},
                               std::atan2(p.x_m, p.y_m),
                               0.01,
                               {},
                               {}};
                out.batches.push_back({m});
            }
        }
        while (out.commands.size() < out.batches.size()) out.commands.emplace_back();
        // Now and then an operator classifies a track, or AIS static data names a ship type.
        if (u(gen) < 0.3) out.commands.back().emplace_back(0, static_cast<std::uint32_t>(gen()));
        if (u(gen) < 0.5)
            out.commands.back().emplace_back(
                1,
                static_cast<std::uint32_t>(3 * (gen() % static_cast<std::uint64_t>(targets / 3))));
    }
    out.commands.resize(out.batches.size());
    return out;
}

/// "" when both pictures are the same to the bit (the same plots in the same order through the
/// same filters), else the first difference.
std::string first_difference(const std::vector<Track>& a, const std::vector<Track>& b) {
    if (a.size() != b.size())
        return "track count " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const bool same = a[i].id == b[i].id && a[i].status == b[i].status &&
                          a[i].target_class == b[i].target_class &&
                          a[i].position == b[i].position && a[i].east_mps == b[i].east_mps &&
                          a[i].north_mps == b[i].north_mps;
        if (!same) return "track #" + std::to_string(i) + " id " + std::to_string(a[i].id);
    }
    return "";
}

void apply_commands(Tracker& tr, const std::vector<std::pair<int, std::uint32_t>>& cmds) {
    for (const auto& [kind, v] : cmds) {
        if (kind == 0) {
            if (tr.tracks().empty()) continue;
            tr.set_class(tr.tracks()[v % tr.tracks().size()].id, TargetClass::person);
        } else {
            Identity id{200000000u + v};
            id.ship_type = static_cast<std::uint8_t>(std::array{30, 37, 40, 60, 70}[v % 5]);
            tr.update_identity(id);
        }
    }
}

}  // namespace

TEST_CASE("Small batches through the standing gate index give the reference tracker's tracks") {
    using Mode = TrackerConfig::GateIndexMode;
    for (const std::uint64_t seed : {3u, 4u}) {
        CAPTURE(seed);
        TrackerConfig cfg;
        cfg.gate_index = Mode::off;
        Tracker reference(cfg);
        cfg.gate_index = Mode::check;
        Tracker checked(cfg);
        cfg.gate_index = Mode::automatic;
        Tracker automatic(cfg);
        const MixedStream s = mixed_stream(600, seed, reference);
        for (std::size_t k = 0; k < s.batches.size(); ++k) {
            for (Tracker* tr : {&reference, &checked, &automatic}) {
                apply_commands(*tr, s.commands[k]);
                tr->process(s.batches[k]);
            }
            for (const Tracker* tr : {&checked, &automatic}) {
                CAPTURE(k);
                REQUIRE(first_difference(reference.tracks(), tr->tracks()) == "");
            }
        }
        // The index did the gating (not PreGate behind its back), across epochs, and never
        // missed a candidate the reference had.
        // (AIS reports of a vessel already tracked are bound by MMSI, not gated.)
        std::size_t small_radar = 0;
        for (const auto& b : s.batches)
            small_radar += b[0].sensor == SensorKind::radar && b.size() < kGridMinPlots;
        const auto& st = checked.gate_index_stats();
        CHECK(st.mismatches == 0);
        CHECK(st.batches >= small_radar);
        CHECK(st.epochs >= 10);
        CHECK(automatic.gate_index_stats().batches >= small_radar * 9 / 10);
        CHECK(reference.gate_index_stats().batches == 0);
        CHECK(reference.tracks().size() > 600);  // past kGateIndexMinTracks: `automatic` used it
    }
}

TEST_CASE("Clusters of a few pairs among many tracks are the clusters of every track numbered") {
    // cluster_pairs numbers every track when the pairs are many, only the paired tracks when
    // they are few (an AIS sentence among 80,000 tracks): the same pairs must get the same
    // clusters, in the same order, either way.
    std::mt19937_64 gen(5);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<GatedPair> pairs;
        const std::size_t n = 1 + gen() % 30;
        for (std::size_t k = 0; k < n; ++k)
            pairs.push_back(GatedPair{static_cast<std::uint32_t>(gen() % 100),
                                      static_cast<std::uint32_t>(gen() % 12), 1.0, 1.0, 0});
        std::vector<GatedPair> dense = pairs;
        cluster_pairs(dense, 100, 12);     // 100 <= 8 x pairs for most trials: every track a node
        cluster_pairs(pairs, 100000, 12);  // only the paired tracks are nodes
        REQUIRE(dense.size() == pairs.size());
        for (std::size_t k = 0; k < pairs.size(); ++k) {
            CAPTURE(trial, k);
            REQUIRE(dense[k].track == pairs[k].track);
            REQUIRE(dense[k].meas == pairs[k].meas);
            REQUIRE(dense[k].root == pairs[k].root);
        }
    }
}
