// The tracker end to end on small multi-sensor scenes: radar plots (polar, from a site away from
// the frame origin), AIS identity, dark targets, spoofing, out-of-sequence data, cameras,
// ground sensors, track life cycle and determinism.
#include <Eigen/Cholesky>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/camera_frames.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

struct World {
    LatLon origin{43.5, 7.5};
    geo::LocalFrame frame{origin};
    SensorSite radar_site{};
    SensorSite camera_site{};
    std::mt19937_64 gen{42};
    std::normal_distribution<double> unit{0, 1};
    double sigma_r = 15;
    double sigma_b = 0.15 * kDeg;

    World() {
        radar_site.position = frame.to_latlon({30000, 20000});  // 36 km from the origin
        camera_site.position = frame.to_latlon({-5000, 5000});
    }

    // Range and true bearing computed on the ellipsoid, independently of the tracker's frame.
    Measurement radar(const Eigen::Vector2d& en, double t) {
        const LatLon p = frame.to_latlon(en);
        Measurement m;
        m.feed = 1;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PolarZ{radar_site,
                     geo::geodesic_distance_m(radar_site.position, p) + sigma_r * unit(gen),
                     geo::geodesic_bearing_deg(radar_site.position, p) * kDeg + sigma_b * unit(gen),
                     sigma_r, sigma_b};
        return m;
    }
    Measurement ais(Mmsi mmsi, const Eigen::Vector2d& en, const Eigen::Vector2d& v, double t) {
        const LatLon p0 = frame.to_latlon(en);
        const LatLon p1 = frame.to_latlon(en + v);
        const double sog = geo::geodesic_distance_m(p0, p1);
        const double cog = geo::geodesic_bearing_deg(p0, p1) * kDeg;
        Measurement m;
        m.feed = 0;
        m.sensor = SensorKind::ais;
        m.observed = m.received = at(t);
        m.z = PositionZ{frame.to_latlon(en + Eigen::Vector2d(5 * unit(gen), 5 * unit(gen))),
                        Eigen::Matrix2d::Identity() * 100};
        m.velocity =
            VelocityZ{sog * std::sin(cog), sog * std::cos(cog), Eigen::Matrix2d::Identity() * 0.25};
        m.mmsi = mmsi;
        return m;
    }
    Measurement camera(const Eigen::Vector2d& en, double t, TargetClass c, float conf) {
        const LatLon p = frame.to_latlon(en);
        Measurement m;
        m.feed = 2;
        m.sensor = SensorKind::camera;
        m.observed = m.received = at(t);
        m.z = BearingZ{camera_site, geo::geodesic_bearing_deg(camera_site.position, p) * kDeg,
                       0.2 * kDeg, std::nullopt, std::nullopt};
        m.target_class = c;
        m.class_confidence = conf;
        return m;
    }
    [[nodiscard]] Eigen::Vector2d en(const Track& t) const { return frame.to_en(t.position); }
};

TrackerConfig config_for(const World& w, const std::string& filter = "imm") {
    TrackerConfig c;
    c.origin = w.origin;
    c.filter = filter;
    return c;
}

const Track* find_mmsi(const Tracker& tr, Mmsi m) {
    for (const Track& t : tr.tracks())
        if (t.identity && t.identity->mmsi == m) return &t;
    return nullptr;
}

std::vector<const Track*> confirmed(const Tracker& tr) {
    std::vector<const Track*> out;
    for (const Track& t : tr.tracks())
        if (t.status != TrackStatus::tentative) out.push_back(&t);
    return out;
}

}  // namespace

TEST_CASE("radar plots from a site far from the origin: every filter converges on the target") {
    for (const char* f : {"kf", "ekf", "ukf", "imm"}) {
        World w;
        Tracker tr(config_for(w, f));
        const Eigen::Vector2d p0(20000, 32000);
        const Eigen::Vector2d v(-6, 4);
        for (int k = 0; k <= 40; ++k) {
            const double t = 2.0 * k;
            const Measurement m = w.radar(p0 + v * t, t);
            tr.process({&m, 1});
        }
        const auto c = confirmed(tr);
        REQUIRE(c.size() == 1);
        const Eigen::Vector2d err = w.en(*c[0]) - (p0 + v * 80.0);
        const double sigma = std::sqrt(c[0]->cov(0, 0) + c[0]->cov(1, 1));
        INFO(f << " error " << err.norm() << " m, 1-sigma " << sigma << " m");
        // Without the meridian-convergence correction the bias here would be ~0.16 deg * 15 km = 40
        // m.
        CHECK(err.norm() < 3 * sigma);
        CHECK(err.norm() < 40);
        CHECK(std::hypot(c[0]->east_mps - v(0), c[0]->north_mps - v(1)) < 1.5);
        CHECK(c[0]->dark());
        CHECK(c[0]->seen_by.has(SensorKind::radar));
    }
}

TEST_CASE("AIS attaches identity, the radar-only vessel stays dark, static data fills the name") {
    World w;
    Tracker tr(config_for(w));
    const Eigen::Vector2d a0(10000, 10000), b0(14000, 9000), va(5, 1), vb(-3, 4);
    for (int k = 0; k <= 30; ++k) {
        const double t = 2.0 * k;
        std::vector<Measurement> scan{w.radar(a0 + va * t, t), w.radar(b0 + vb * t, t)};
        tr.process(scan);
        if (k % 3 == 0) {
            const Measurement m = w.ais(111, a0 + va * (t + 1), va, t + 1);
            tr.process({&m, 1});
        }
    }
    tr.update_identity(Identity{111, "ALPHA", "AB12", 0, 31, 20, 6});
    REQUIRE(confirmed(tr).size() == 2);
    const Track* a = find_mmsi(tr, 111);
    REQUIRE(a != nullptr);
    CHECK(a->identity->name == "ALPHA");
    CHECK_FALSE(a->dark());
    CHECK(a->last_ais.has_value());
    CHECK(a->seen_by.has(SensorKind::ais));
    CHECK(a->seen_by.has(SensorKind::radar));
    CHECK(a->target_class == TargetClass::vessel);
    CHECK((w.en(*a) - (a0 + va * 60.0)).norm() < 60);
    int dark = 0;
    for (const Track* t : confirmed(tr)) dark += t->dark() ? 1 : 0;
    CHECK(dark == 1);
    CHECK(tr.counters().initiated == 2);
}

TEST_CASE("crossing vessels keep their identities through the crossing") {
    World w;
    Tracker tr(config_for(w));
    // Both reach (800, 0) at t = 100 s.
    const Eigen::Vector2d a0(0, 0), va(8, 0), b0(800, -800), vb(0, 8);
    int checked = 0;
    for (int k = 0; k <= 100; ++k) {
        const double t = 2.0 * k;
        std::vector<Measurement> scan{w.radar(a0 + va * t, t), w.radar(b0 + vb * t, t)};
        tr.process(scan);
        if (k % 3 == 0) {
            std::vector<Measurement> ais{w.ais(111, a0 + va * (t + 1), va, t + 1)};
            tr.process(ais);
            ais = {w.ais(222, b0 + vb * (t + 1.5), vb, t + 1.5)};
            tr.process(ais);
        }
        const Track* a = find_mmsi(tr, 111);
        const Track* b = find_mmsi(tr, 222);
        if (k > 5) {
            REQUIRE(a != nullptr);
            REQUIRE(b != nullptr);
            CHECK(a->id != b->id);
            CHECK((w.en(*a) - (a0 + va * t)).norm() < 150);
            CHECK((w.en(*b) - (b0 + vb * t)).norm() < 150);
            ++checked;
        }
    }
    CHECK(checked > 90);
    CHECK(confirmed(tr).size() == 2);
}

TEST_CASE(
    "AIS far from the radar track it claims is flagged as a spoof; the track follows the radar") {
    World w;
    Tracker tr(config_for(w));
    const Eigen::Vector2d a0(10000, 10000), va(5, 1);
    for (int k = 0; k <= 60; ++k) {
        const double t = 2.0 * k;
        const Measurement r = w.radar(a0 + va * t, t);
        tr.process({&r, 1});
        if (k % 3 == 0) {
            Eigen::Vector2d claimed = a0 + va * (t + 1);
            if (t >= 80) claimed += Eigen::Vector2d(0, 5000);  // the transponder starts lying
            const Measurement m = w.ais(111, claimed, va, t + 1);
            tr.process({&m, 1});
        }
    }
    const auto anomalies = tr.take_anomalies();
    REQUIRE(anomalies.size() == 1);
    CHECK(anomalies[0].mmsi == 111);
    CHECK(anomalies[0].reason == AnomalyReason::position_disagrees_with_track);
    CHECK(anomalies[0].deviation_m > 1000);
    const Track* a = find_mmsi(tr, 111);
    REQUIRE(a != nullptr);
    CHECK(a->spoof_suspect);
    CHECK((w.en(*a) - (a0 + va * 120.0)).norm() < 60);
    CHECK(confirmed(tr).size() == 1);       // the lie does not spawn a ghost track
    CHECK(tr.counters().spoof_flags == 7);  // every lying report (t = 81, 87, ..., 117) is refused
}

TEST_CASE("an AIS-only vessel that jumps is flagged and re-started at the report") {
    World w;
    Tracker tr(config_for(w));
    for (int k = 0; k < 10; ++k) {
        Eigen::Vector2d p(1000 + 50.0 * k, 0);
        if (k >= 6) p += Eigen::Vector2d(20000, 0);
        const Measurement m = w.ais(333, p, {5, 0}, 10.0 * k);
        tr.process({&m, 1});
    }
    const auto an = tr.take_anomalies();
    REQUIRE(an.size() == 1);
    CHECK(an[0].reason == AnomalyReason::position_jump);
    REQUIRE(tr.tracks().size() == 1);
    CHECK(tr.tracks()[0].ais_jump);
    CHECK((w.en(tr.tracks()[0]) - Eigen::Vector2d(21450, 0)).norm() < 50);
}

TEST_CASE(
    "out-of-sequence AIS within the window gives the in-order result; older data is dropped") {
    World w1;
    World w2;  // same seed: identical measurements
    Tracker in_order(config_for(w1));
    Tracker late(config_for(w2));
    const Eigen::Vector2d a0(10000, 10000), va(5, 1);
    std::vector<Measurement> held;
    for (int k = 0; k <= 40; ++k) {
        const double t = 2.0 * k;
        const Measurement r1 = w1.radar(a0 + va * t, t);
        const Measurement r2 = w2.radar(a0 + va * t, t);
        in_order.process({&r1, 1});
        late.process({&r2, 1});
        // The second tracker receives each AIS report after the next radar scan.
        if (!held.empty()) {
            late.process(held);
            held.clear();
        }
        if (k % 3 == 0) {
            const Measurement m1 = w1.ais(111, a0 + va * (t + 1), va, t + 1);
            const Measurement m2 = w2.ais(111, a0 + va * (t + 1), va, t + 1);
            in_order.process({&m1, 1});
            held.push_back(m2);
        }
    }
    late.process(held);
    // Flush: the in-order tracker already used it at once; give both the same final state.
    REQUIRE(in_order.tracks().size() == 1);
    REQUIRE(late.tracks().size() == 1);
    CHECK(late.counters().late_used > 5);
    CHECK(in_order.counters().late_used == 0);
    const Track& a = in_order.tracks()[0];
    const Track& b = late.tracks()[0];
    CHECK(std::abs(a.position.lat_deg - b.position.lat_deg) < 1e-9);
    CHECK(std::abs(a.position.lon_deg - b.position.lon_deg) < 1e-9);
    CHECK(std::abs(a.east_mps - b.east_mps) < 1e-6);
    CHECK(b.identity.has_value());
    // 10 s late with a 5 s window: counted and dropped, the track is unchanged.
    const Track before = late.tracks()[0];
    const Measurement old = w2.ais(111, a0 + va * 70.0, va, 70.0);
    late.process({&old, 1});
    CHECK(late.counters().late_dropped == 1);
    CHECK(late.tracks()[0].position == before.position);
}

TEST_CASE("same input, bit-identical tracks") {
    auto run = [] {
        World w;
        Tracker tr(config_for(w));
        const Eigen::Vector2d a0(0, 0), va(8, 0), b0(800, -800), vb(0, 8);
        for (int k = 0; k <= 60; ++k) {
            const double t = 2.0 * k;
            std::vector<Measurement> scan{
                w.radar(a0 + va * t, t), w.radar(b0 + vb * t, t),
                w.radar(Eigen::Vector2d(3000 + 500 * w.unit(w.gen), 0), t)};
            tr.process(scan);
            if (k % 3 == 0) {
                const Measurement m = w.ais(111, a0 + va * (t + 1), va, t + 1);
                tr.process({&m, 1});
            }
        }
        return tr.tracks();
    };
    const std::vector<Track> a = run();
    const std::vector<Track> b = run();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].id == b[i].id);
        CHECK(a[i].position == b[i].position);  // exact
        CHECK(a[i].east_mps == b[i].east_mps);
        CHECK(a[i].cov == b[i].cov);
        CHECK(a[i].status == b[i].status);
    }
}

TEST_CASE(
    "life cycle in looks: confirmed, coasting, deleted after as many looks at 1, 4 and 12 s") {
    // Target A is plotted on every sweep for 8 sweeps and then vanishes; the radar goes on
    // sweeping (target B, 20 km away, keeps it sending). A must coast and then go after the same
    // number of missed looks whatever the antenna period, with no setting changed.
    std::vector<std::pair<int, int>> outcome;
    for (const double period : {1.0, 4.0, 12.0}) {
        CAPTURE(period);
        World w;
        TrackerConfig cfg = config_for(w, "kf");
        Tracker tr(cfg);
        const Eigen::Vector2d a0(5000, 5000), va(3, 3), b0(-15000, 5000), vb(-2, 1);
        int sweep = 0;
        auto scan = [&](bool with_a) {
            const double t = period * sweep++;
            std::vector<Measurement> batch;
            if (with_a) batch.push_back(w.radar(a0 + va * t, t));
            // B later in the sweep, within the latency window of A's plot (the batch's newest
            // time is the clock: a plot 6 s older than it would be dropped as late).
            batch.push_back(w.radar(b0 + vb * t, t + 0.3 * period));
            tr.process(batch);
        };
        for (int k = 0; k < 8; ++k) scan(true);
        REQUIRE(tr.tracks().size() == 2);
        const TrackId id = tr.tracks()[0].id;
        CHECK(tr.tracks()[0].status == TrackStatus::confirmed);
        auto ch = tr.take_changes();
        CHECK(std::find(ch.updated.begin(), ch.updated.end(), id) != ch.updated.end());
        CHECK(tr.take_changes().updated.empty());
        int coast_after = -1;
        int gone_after = -1;
        for (int k = 1; k <= 30 && gone_after < 0; ++k) {
            scan(false);
            const auto it = std::find_if(tr.tracks().begin(), tr.tracks().end(),
                                         [&](const Track& t) { return t.id == id; });
            if (it == tr.tracks().end()) {
                gone_after = k;
            } else if (coast_after < 0 && it->status == TrackStatus::coasting) {
                coast_after = k;
                const auto changed = tr.take_changes().updated;
                CHECK(std::find(changed.begin(), changed.end(), id) != changed.end());
                CHECK(tr.set_label(id, "watch"));
                CHECK(tr.set_standing(id, Standing::suspect));
            }
        }
        // Pd about 0.9 (the prior: too few looks to learn another) and a lifetime a little
        // above the prior's 500 looks (no track has ended yet): three or four misses in a row
        // make A more likely gone than there (coasting), about seven more than 10^4 to 1
        // (deleted).
        CHECK(coast_after >= 3);
        CHECK(coast_after <= 4);
        CHECK(gone_after >= 6);
        CHECK(gone_after <= 8);
        outcome.emplace_back(coast_after, gone_after);
        CHECK(tr.take_changes().deleted == std::vector<TrackId>{id});
        CHECK_FALSE(tr.set_label(id, "gone"));
        CHECK(tr.counters().deleted == 1);
        REQUIRE(tr.tracks().size() == 1);
        CHECK(tr.tracks()[0].status == TrackStatus::confirmed);  // B, seen on every sweep
    }
    CHECK(outcome[1] == outcome[0]);
    CHECK(outcome[2] == outcome[0]);
}

TEST_CASE("a silent feed looks at nothing: its tracks are kept until max_coast") {
    World w;
    TrackerConfig cfg = config_for(w, "kf");
    cfg.max_coast_s = 120;
    Tracker tr(cfg);
    const Eigen::Vector2d a0(5000, 5000), va(3, 3);
    for (int k = 0; k <= 5; ++k) {
        const Measurement m = w.radar(a0 + va * (4.0 * k), 4.0 * k);
        tr.process({&m, 1});
    }
    REQUIRE(tr.tracks().size() == 1);
    CHECK(tr.tracks()[0].status == TrackStatus::confirmed);
    tr.advance(at(20 + 100));
    REQUIRE(tr.tracks().size() == 1);
    tr.advance(at(20 + 121));
    CHECK(tr.tracks().empty());
}

TEST_CASE("cameras confirm and classify radar tracks but do not start tracks") {
    World w;
    Tracker tr(config_for(w));
    const Measurement lone = w.camera({0, 9000}, 0, TargetClass::person, 0.9F);
    tr.process({&lone, 1});
    CHECK(tr.tracks().empty());
    CHECK(tr.counters().gated_out == 1);
    const Eigen::Vector2d p0(-4000, 9000), v(1, 0);
    for (int k = 0; k <= 10; ++k) {
        const double t = 2.0 * k;
        const Measurement r = w.radar(p0 + v * t, t);
        tr.process({&r, 1});
        const Measurement c = w.camera(p0 + v * (t + 1), t + 1, TargetClass::person, 0.9F);
        tr.process({&c, 1});
    }
    REQUIRE(tr.tracks().size() == 1);
    CHECK(tr.tracks()[0].seen_by.has(SensorKind::camera));
    CHECK(tr.tracks()[0].target_class == TargetClass::person);
}

TEST_CASE("ground sensors start tracks on land (2 of 4) as persons; bad input never enters") {
    World w;
    Tracker tr(config_for(w));
    for (int k = 0; k < 2; ++k) {
        Measurement m;
        m.feed = 3;
        m.sensor = SensorKind::ugs;
        m.observed = m.received = at(5.0 * k);
        m.z = PositionZ{w.frame.to_latlon({-8000 + 5.0 * k, -3000}),
                        Eigen::Matrix2d::Identity() * 900};
        tr.process({&m, 1});
    }
    REQUIRE(tr.tracks().size() == 1);
    CHECK(tr.tracks()[0].status == TrackStatus::confirmed);
    CHECK(tr.tracks()[0].target_class == TargetClass::person);
    Measurement bad = w.radar({100, 100}, 20);
    std::get<PolarZ>(bad.z).range_m = std::nan("");
    Measurement bad2 = w.radar({100, 100}, 20);
    std::get<PolarZ>(bad2.z).sigma_bearing_rad = 0;
    Measurement bad3;
    bad3.observed = at(20);
    bad3.z = PositionZ{LatLon{43.5, 7.5}, Eigen::Matrix2d::Zero()};
    const std::vector<Measurement> batch{bad, bad2, bad3};
    tr.process(batch);
    CHECK(tr.counters().invalid == 3);
    for (const Track& t : tr.tracks()) {
        CHECK(std::isfinite(t.position.lat_deg));
        CHECK(t.cov.allFinite());
    }
}

TEST_CASE("a ground sensor's track takes no plot its person could not have reached") {
    // Issue 14: a ground sensor's false alarm started a person track, and a radar clutter plot
    // 3 km away 91 s later confirmed it (36 m/s: shown at 70 kn, and raised an approach). The
    // tentative track's velocity is still its 10 m/s prior, so its chi-square gate had grown to
    // hold the plot; a person cannot have gone there. A plot a person could have reached (400 m
    // at a jog) is still the track's.
    auto run = [](double plot_distance_m, const TrackerConfig* cfg_override) {
        World w;
        Tracker tr(cfg_override ? *cfg_override : config_for(w));
        Measurement ugs;
        ugs.feed = 3;
        ugs.sensor = SensorKind::ugs;
        ugs.observed = ugs.received = at(0);
        const Eigen::Vector2d sensor(-8000, -3000);
        ugs.z = PositionZ{w.frame.to_latlon(sensor), Eigen::Matrix2d::Identity() * 625};  // 50 m
        tr.process({&ugs, 1});
        REQUIRE(tr.tracks().size() == 1);
        const TrackId ugs_track = tr.tracks()[0].id;
        CHECK(tr.tracks()[0].target_class == TargetClass::person);
        const Measurement plot = w.radar(sensor + Eigen::Vector2d(0, plot_distance_m), 91);
        tr.process({&plot, 1});
        const Track* t = nullptr;
        for (const Track& k : tr.tracks())
            if (k.id == ugs_track) t = &k;
        return std::pair{t ? w.en(*t) - sensor : Eigen::Vector2d(NAN, NAN), tr.tracks().size()};
    };
    SECTION("3 km in 91 s: not the person's, a track of its own") {
        const auto [moved, tracks] = run(3000, nullptr);
        CHECK(tracks == 2);
        CHECK(moved.norm() < 100);  // the person's track did not jump to the plot
        // The gate that is the regression: without the speed bound the plot is inside the
        // tentative track's chi-square gate, and the track jumps towards it.
        World w;
        TrackerConfig unbounded = config_for(w);
        unbounded.class_max_speed_mps.fill(0);
        unbounded.class_init_speed_sigma_mps.fill(0);  // a person's spread alone also keeps it out
        const auto [moved_unbounded, tracks_unbounded] = run(3000, &unbounded);
        CHECK(tracks_unbounded == 1);
        CHECK(moved_unbounded.norm() > 1000);
    }
    SECTION("400 m in 91 s: the person's") {
        const auto [moved, tracks] = run(400, nullptr);
        CHECK(tracks == 1);
        CHECK(moved.norm() > 200);
    }
}

TEST_CASE("two ground sensors' false alarms a minute apart do not make a person") {
    // Issue 14, demo seed 41: ugs-oecusse-2 sent a false alarm, ugs-oecusse-1 (550 m east) another
    // 57 s later. The first started a person track whose velocity spread was a boat's 10 m/s, so
    // the second (9.7 m/s away) was inside its gate, confirmed it, and a "dark" person raised an
    // approach and a dark target 1.4 km from anyone. A person's track starts with a person's
    // spread (class_init_speed_sigma_mps); a walker reaching the second sensor is still its own.
    auto run = [](double dt_s, const TrackerConfig* cfg_override) {
        World w;
        Tracker tr(cfg_override ? *cfg_override : config_for(w));
        auto event = [&](Eigen::Vector2d where, double t, FeedIndex feed) {
            Measurement m;
            m.feed = feed;
            m.sensor = SensorKind::ugs;
            m.observed = m.received = at(t);
            m.z = PositionZ{w.frame.to_latlon(where), Eigen::Matrix2d::Identity() * 625};  // 50 m
            tr.process({&m, 1});
        };
        event({-8000, -3000}, 0, 3);
        event({-7450, -3000}, dt_s, 4);
        int confirmed = 0;
        for (const Track& t : tr.tracks()) confirmed += t.status == TrackStatus::confirmed;
        return std::pair{tr.tracks().size(), confirmed};
    };
    SECTION("550 m in 57 s: two unconfirmed tracks") {
        const auto [tracks, confirmed] = run(57, nullptr);
        CHECK(tracks == 2);
        CHECK(confirmed == 0);
        // The regression: with a boat's spread for every new track the two are one person.
        World w;
        TrackerConfig boat_spread = config_for(w);
        boat_spread.class_init_speed_sigma_mps.fill(0);
        const auto [tracks_old, confirmed_old] = run(57, &boat_spread);
        CHECK(tracks_old == 1);
        CHECK(confirmed_old == 1);
    }
    SECTION("550 m in 390 s (a walk, 1.4 m/s): one confirmed person") {
        const auto [tracks, confirmed] = run(390, nullptr);
        CHECK(tracks == 1);
        CHECK(confirmed == 1);
    }
}

TEST_CASE("a camera's ranged frames are fused as angles: the track is not pulled short") {
    // Issue 14: a 15 m camera ranges a vehicle 2.8 km out from a 0.32 deg depression measured to
    // 0.05 deg (16 % of range per frame). As positions, each frame's range noise was |dr/de|
    // sigma_e at its own range, about r^2: a frame whose noise made it short weighed more, and
    // the Gulf of Honduras pickup's track sat 140-400 m short, so its approach was raised 44 s
    // early. Fused as (bearing, depression) every frame weighs the same. The same frames as
    // plain positions (no DepressionRanging) are the old behaviour, kept here as the contrast.
    const double height = 15, sigma_e = 0.05 * kDeg, sigma_e_reported = 0.1 * kDeg;
    const double sigma_az = 0.3 * kDeg;
    const CameraNoise noise{height, sigma_e, sigma_e_reported, sigma_az};
    auto mean_range_error = [&](bool as_angles, std::uint64_t seed) {
        World w;
        TrackerConfig cfg = config_for(w);
        cfg.can_initiate[static_cast<std::size_t>(SensorKind::camera)] = true;
        cfg.life.confirm_m_of_n[static_cast<std::size_t>(SensorKind::camera)] = {2, 3};
        Tracker tr(cfg);
        std::mt19937_64 gen(seed);
        std::normal_distribution<double> unit(0, 1);
        const Eigen::Vector2d lens = w.frame.to_en(w.camera_site.position);
        const Eigen::Vector2d start = lens + Eigen::Vector2d(300, -2800);
        const Eigen::Vector2d v = (lens - start).normalized() * 8.0;  // driving at the camera
        double sum = 0;
        int n = 0;
        for (int k = 0; k < 120; ++k) {
            const double t = 1.5 * k;
            const Eigen::Vector2d truth = start + v * t;
            const Eigen::Vector2d d = truth - lens;
            Measurement m = ranged_camera_frame(w.frame, lens, w.camera_site.position, noise, truth,
                                                at(t), gen, unit, as_angles);
            m.target_class = TargetClass::vehicle;
            m.source_object_id = 7;
            tr.process({&m, 1});
            if (k < 20 || tr.tracks().size() != 1) continue;  // after the first 30 s, settled
            const Track& track = tr.tracks()[0];
            if (track.status == TrackStatus::tentative) continue;
            sum += (w.en(track) - lens).norm() - d.norm();
            ++n;
        }
        REQUIRE(n > 60);
        return sum / n;
    };
    double angles = 0, positions = 0;
    for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
        angles += mean_range_error(true, seed) / 5;
        positions += mean_range_error(false, seed) / 5;
    }
    // Measured: +49 m as angles (the EKF's linearisation of a ~1/r angle leaves it a little
    // long), -170 m as positions.
    INFO("mean range error: as angles " << angles << " m, as positions " << positions << " m");
    CHECK(std::abs(angles) < 70);
    CHECK(positions < -120);  // the weighting bias the angles remove
    CHECK(std::abs(angles) < 0.5 * std::abs(positions));
}

TEST_CASE("a one-off split return leaves one track") {
    // A radar return split in two plots 30 m apart in the first two sweeps (36 km out, well
    // within the radar's 94 m cross-range noise) starts two tracks on one target; from then on
    // one plot per sweep. The split looks keep the two from merging only while they are among
    // the tracks' last few updates (two plots of one look are two objects); one track remains.
    World w;
    Tracker tr(config_for(w, "kf"));
    const Eigen::Vector2d p0(2000, 2000), v(4, 0);
    for (int k = 0; k <= 12; ++k) {
        const double t = 2.0 * k;
        std::vector<Measurement> scan{w.radar(p0 + v * t, t)};
        if (k < 2) scan.push_back(w.radar(p0 + v * t + Eigen::Vector2d(0, 30), t));
        tr.process(scan);
    }
    CHECK(tr.counters().initiated >= 2);
    const auto c = confirmed(tr);
    REQUIRE(c.size() == 1);
    CHECK((w.en(*c[0]) - (p0 + v * 24.0)).norm() < 250);  // on the boat: 94 m cross-range noise
}

TEST_CASE("an AIS track and a radar track of one boat started in one batch are merged") {
    // The boat's first AIS report and first radar plot arrive in one batch: both are unassigned
    // and each starts a track. AIS is no look of the radar (one plot per object per sweep), so
    // the two never took different plots of one look: one target, merged, and the kept track
    // carries the MMSI. Also either side of the merge grid's row 0: the merge pass finds a
    // column's three neighbour cells with one search when their keys are consecutive; at row
    // index -1 / 0 they are not (the key wraps), and three searches are used.
    const double north = GENERATE(2000.0, -15.0);
    CAPTURE(north);
    World w;
    Tracker tr(config_for(w));
    const Mmsi boat = 227006760;
    const Eigen::Vector2d p0(1500, north), v(-3, 0.5);
    for (int k = 0; k <= 15; ++k) {
        const double t = 2.0 * k;
        std::vector<Measurement> batch{w.radar(p0 + v * t, t)};
        if (k % 5 == 0) batch.push_back(w.ais(boat, p0 + v * t, v, t));
        tr.process(batch);
    }
    CHECK(tr.counters().merged >= 1);
    const auto c = confirmed(tr);
    REQUIRE(c.size() == 1);
    REQUIRE(find_mmsi(tr, boat) == c[0]);
    CHECK((w.en(*c[0]) - (p0 + v * 30.0)).norm() < 60);
}

TEST_CASE("a dark skiff lying 300 m off an AIS ship, 36 km from the radar, keeps its own track") {
    // At 36 km a radar's 0.3 deg bearing noise is ~190 m across the beam, so the ship track's
    // wide gate covers the skiff's plots and the two tracks' covariances overlap; but every sweep
    // gives two plots (one per boat, each in its own batch as sectors arrive), so the skiff is
    // another object: it must neither be merged into the ship nor be kept from starting a track.
    World w;
    w.sigma_b = 0.3 * kDeg;
    Tracker tr(config_for(w));
    const Mmsi ship = 538009876;
    const Eigen::Vector2d ship_at(0, 0);
    const Eigen::Vector2d stop_at(210, 215);  // 300 m north-east of the ship
    const Eigen::Vector2d skiff_v(0, 12);     // 23 kn from the south
    const double arrive_s = 240;
    auto skiff_at = [&](double t) {
        return t < arrive_s ? Eigen::Vector2d(stop_at - skiff_v * (arrive_s - t)) : stop_at;
    };
    std::optional<TrackId> skiff_id;
    for (double t = 0; t <= 900; t += 4) {
        if (std::fmod(t, 180) == 0)
            tr.process(std::vector<Measurement>{w.ais(ship, ship_at, {0, 0}, t)});
        tr.process(std::vector<Measurement>{w.radar(ship_at, t)});
        tr.process(std::vector<Measurement>{w.radar(skiff_at(t), t + 0.01)});
        if (t == arrive_s) {  // confirmed on its way in: remember which track is the skiff's
            for (const Track* c : confirmed(tr))
                if (!c->identity && (w.en(*c) - skiff_at(t)).norm() < 150) skiff_id = c->id;
            REQUIRE(skiff_id);
        }
    }
    const auto c = confirmed(tr);
    REQUIRE(c.size() == 2);
    const Track* ship_track = find_mmsi(tr, ship);
    REQUIRE(ship_track != nullptr);
    CHECK((w.en(*ship_track) - ship_at).norm() < 60);
    const Track* skiff = c[0] == ship_track ? c[1] : c[0];
    CHECK(skiff->id == *skiff_id);  // the same track all the way: never merged, never restarted
    CHECK_FALSE(skiff->identity);
    CHECK((w.en(*skiff) - stop_at).norm() < 100);
}

TEST_CASE("two people 36 m apart in one camera's frames get two tracks") {
    // A camera on a mast geolocates each person (range from depression: ~90 m along the line of
    // sight, ~8 m across it) and sends one detection per message. The second person, 36 m
    // (4.5 sigma) across the line of sight from the first, is resolved in every frame, yet
    // inside the first track's wide initiation gate; the first person's
    // track has already taken its detection of that frame, so the second detection is another
    // object and must start its own track (not be fused into the first, nor suppressed by it).
    World w;
    TrackerConfig cfg = config_for(w);
    cfg.can_initiate[static_cast<std::size_t>(SensorKind::camera)] = true;
    cfg.life.confirm_m_of_n[static_cast<std::size_t>(SensorKind::camera)] = {2, 3};
    Tracker tr(cfg);
    const Eigen::Vector2d cam = w.frame.to_en(w.camera_site.position);
    const Eigen::Vector2d los = Eigen::Vector2d(1, -1).normalized();  // camera -> people
    const Eigen::Vector2d across(los.y(), -los.x());
    const Eigen::Matrix2d R =
        los * los.transpose() * 90.0 * 90.0 + across * across.transpose() * 8.0 * 8.0;
    const Eigen::LLT<Eigen::Matrix2d> noise(R);
    auto detection = [&](const Eigen::Vector2d& en, double t) {
        const Eigen::Vector2d e = noise.matrixL() * Eigen::Vector2d(w.unit(w.gen), w.unit(w.gen));
        Measurement m;
        m.feed = 2;
        m.sensor = SensorKind::camera;
        m.observed = m.received = at(t);
        m.z = PositionZ{w.frame.to_latlon(en + e), R};
        m.target_class = TargetClass::person;
        m.class_confidence = 0.9F;
        return m;
    };
    const Eigen::Vector2d walk = -1.3 * los;  // towards the camera
    const Eigen::Vector2d first0 = cam + 1200 * los;
    const Eigen::Vector2d second0 = first0 + 36 * across;
    for (double t = 0; t <= 120; t += 1) {
        tr.process(std::vector<Measurement>{detection(first0 + walk * t, t)});
        if (t >= 20) tr.process(std::vector<Measurement>{detection(second0 + walk * t, t)});
    }
    const auto c = confirmed(tr);
    REQUIRE(c.size() == 2);
    const Eigen::Vector2d a = w.en(*c[0]), b = w.en(*c[1]);
    const Eigen::Vector2d first = first0 + walk * 120, second = second0 + walk * 120;
    const bool straight =
        (a - first).norm() + (b - second).norm() < (a - second).norm() + (b - first).norm();
    CHECK(((straight ? a : b) - first).dot(across) < 25);    // each track on its own person,
    CHECK(((straight ? b : a) - second).dot(across) > -25);  // judged across the line of sight
}

TEST_CASE("a feed's stated scan period is kept per feed; nonsense periods are ignored") {
    World w;
    Tracker tr(config_for(w));
    CHECK_FALSE(tr.scan_period(3).has_value());
    tr.set_scan_period(3, 7.6);
    tr.set_scan_period(3, 0);
    tr.set_scan_period(3, -1);
    tr.set_scan_period(3, std::numeric_limits<double>::quiet_NaN());
    tr.set_scan_period(4, std::numeric_limits<double>::infinity());
    REQUIRE(tr.scan_period(3).has_value());
    CHECK(*tr.scan_period(3) == 7.6);
    CHECK_FALSE(tr.scan_period(4).has_value());
}
