// The regional picture from several sources' tracks: association, one regional track per
// target with a stable id and its sources listed, no sensor counted twice, bias taken off,
// duplicates merged, identities respected, sources' ends and pictures followed.
#include <catch2/catch.hpp>

#include <Eigen/LU>
#include <random>

#include "fusion/track_fuser.hpp"
#include "geo/local_frame.hpp"

using namespace picket;
using namespace picket::fusion;

namespace {

const LatLon kOrigin{-8.5, 125.5};

Timestamp at(double s) { return Timestamp{} + Duration::from_seconds(1'800'000'000 + s); }

struct Maker {
    geo::LocalFrame frame{kOrigin};
    SourceTrack operator()(std::uint64_t id, double t, double e, double n,
                           std::vector<std::string> sensors, double sigma = 20, double ve = 5,
                           double vn = 0) const {
        SourceTrack s;
        s.id = id;
        s.time = at(t);
        s.position = frame.to_latlon({e, n});
        s.east_mps = ve;
        s.north_mps = vn;
        s.cov = Eigen::Vector4d(sigma * sigma, sigma * sigma, 1, 1).asDiagonal();
        s.sensors = std::move(sensors);
        return s;
    }
    [[nodiscard]] Eigen::Vector2d en(const Track& t) const { return frame.to_en(t.position); }
};

FuserConfig config() {
    FuserConfig c;
    c.origin = kOrigin;
    return c;
}

}  // namespace

TEST_CASE("two sectors' tracks of one target are one regional track", "[fusion][fuser]") {
    Maker make;
    TrackFuser f(config());
    f.on_track(0, make(12, 0, 1000, 0, {"radar-a"}));
    f.on_track(1, make(40, 0, 1030, 10, {"radar-b"}));
    REQUIRE(f.tracks().size() == 1);
    const Track& t = f.tracks()[0];
    const auto lineage = f.lineage(t.id);
    REQUIRE(lineage);
    CHECK(lineage->sources == std::vector<TrackLineage::Source>{{0, 12}, {1, 40}});
    CHECK(lineage->sensors == std::vector<std::string>{"radar-a", "radar-b"});
    const Eigen::Vector2d p = make.en(t);
    CHECK(p.x() == Approx(1015).margin(0.5));
    // Covariance intersection of two equal covariances is that covariance: with their
    // correlation unknown, two looks at one target may be one look twice.
    CHECK(t.cov(0, 0) == Approx(400 + 1e-9).epsilon(1e-6));
    CHECK(f.regional_of(1, 40) == t.id);

    SECTION("updates keep the regional id; its members' ends keep it until the last") {
        const TrackId id = t.id;
        for (int k = 1; k <= 10; ++k) {
            f.on_track(0, make(12, k, 1000 + 5 * k, 0, {"radar-a"}));
            f.on_track(1, make(40, k, 1030 + 5 * k, 10, {"radar-b"}));
        }
        REQUIRE(f.tracks().size() == 1);
        CHECK(f.tracks()[0].id == id);
        f.take_changes();
        f.on_ended(0, 12);
        REQUIRE(f.tracks().size() == 1);
        CHECK(f.lineage(f.tracks()[0].id)->sources.size() == 1);
        f.on_ended(1, 40);
        CHECK(f.tracks().empty());
        CHECK(f.take_changes().deleted == std::vector<TrackId>{id});
    }
    SECTION("a snapshot without the track ends it") {
        const std::uint64_t live[] = {99};
        f.on_picture(1, live);
        REQUIRE(f.tracks().size() == 1);
        CHECK(f.lineage(f.tracks()[0].id)->sources.size() == 1);
    }
}

TEST_CASE("a sensor that reaches two sectors is counted once", "[fusion][fuser]") {
    Maker make;
    SECTION("the same sensors behind both: the estimate is the tighter track, not tighter still") {
        TrackFuser f(config());
        f.on_track(0, make(1, 0, 0, 0, {"ais-coast", "radar-cape"}, 20));
        f.on_track(1, make(7, 0, 5, 0, {"ais-coast", "radar-cape"}, 25));
        REQUIRE(f.tracks().size() == 1);
        CHECK(f.tracks()[0].cov(0, 0) == Approx(400));
        CHECK(make.en(f.tracks()[0]).x() == Approx(0).margin(0.01));
        CHECK(f.counters().redundant > 0);
    }
    SECTION("one sector's sensors are a subset of the other's: the superset alone") {
        TrackFuser f(config());
        f.on_track(0, make(1, 0, 0, 0, {"radar-cape"}, 15));
        f.on_track(1, make(7, 0, 5, 0, {"ais-coast", "radar-cape"}, 25));
        REQUIRE(f.tracks().size() == 1);
        CHECK(f.tracks()[0].cov(0, 0) == Approx(625));
    }
    SECTION("disjoint sensors: fused, tighter than either") {
        // Two radars looking from different sides: each is good across its beam, poor along it.
        TrackFuser f(config());
        auto a = make(1, 0, 0, 0, {"radar-cape"});
        a.cov.topLeftCorner<2, 2>() = Eigen::Vector2d(400, 2500).asDiagonal();
        auto b = make(7, 0, 5, 0, {"radar-bay"});
        b.cov.topLeftCorner<2, 2>() = Eigen::Vector2d(2500, 400).asDiagonal();
        f.on_track(0, a);
        f.on_track(1, b);
        REQUIRE(f.tracks().size() == 1);
        const double det = f.tracks()[0].cov.topLeftCorner<2, 2>().determinant();
        CHECK(det < 0.5 * 400 * 2500);
        CHECK(f.counters().redundant == 0);
    }
}

TEST_CASE("different MMSIs never fuse; the same MMSI fuses beyond the gate", "[fusion][fuser]") {
    Maker make;
    TrackFuser f(config());
    auto a = make(1, 0, 0, 0, {"ais-a"});
    a.identity = Identity{111111111};
    auto b = make(2, 0, 10, 0, {"ais-b"});
    b.identity = Identity{222222222};
    f.on_track(0, a);
    f.on_track(1, b);
    CHECK(f.tracks().size() == 2);
    auto c = make(3, 0, 900, 0, {"radar-c"});  // 900 m off: outside any gate
    c.identity = Identity{111111111};
    f.on_track(2, c);
    CHECK(f.tracks().size() == 2);
    CHECK(f.regional_of(2, 3) == f.regional_of(0, 1));
}

TEST_CASE("a source's translation bias is estimated and taken off", "[fusion][fuser][bias]") {
    Maker make;
    TrackFuser f(config());
    std::mt19937 rng(5);
    std::normal_distribution<double> noise(0, 10);
    const Eigen::Vector2d offset(120, -60);  // source 1 is mis-registered
    // 30 targets in the overlap, 20 s of updates.
    for (int k = 0; k < 20; ++k) {
        for (int i = 0; i < 30; ++i) {
            const double e = 2000.0 * i + 5 * k, n = 500.0 * (i % 3);
            f.on_track(0, make(i, k, e + noise(rng), n + noise(rng), {"radar-a"}, 15));
            f.on_track(1, make(100 + i, k, e + offset.x() + noise(rng), n + offset.y() + noise(rng),
                               {"radar-b"}, 15));
        }
        f.advance(at(k));
    }
    CHECK(f.tracks().size() == 30);
    CHECK((f.bias().bias(1) - offset).norm() < 10);
    CHECK(f.bias().bias(0).norm() < 1e-9);
    // The fused positions sit on the reference source's frame, not halfway to the biased one.
    double worst = 0;
    for (const Track& t : f.tracks()) {
        const int i = static_cast<int>(f.lineage(t.id)->sources[0].id);
        const Eigen::Vector2d truth(2000.0 * i + 5 * 19, 500.0 * (i % 3));
        worst = std::max(worst, (make.en(t) - truth).norm());
    }
    CHECK(worst < 40);
}

TEST_CASE("regional duplicates become one; a member that leaves its target detaches",
          "[fusion][fuser]") {
    Maker make;
    TrackFuser f(config());
    f.on_track(0, make(1, 0, 0, 0, {"radar-a"}));
    f.on_track(1, make(2, 0, 1500, 0, {"radar-b"}));  // 1.5 km off: another target, for now
    REQUIRE(f.tracks().size() == 2);
    const TrackId first = f.regional_of(0, 1).value();
    // Sector b's track was wrong and corrects itself onto sector a's target.
    for (int k = 1; k <= 3; ++k) {
        f.on_track(0, make(1, k, 5 * k, 0, {"radar-a"}));
        f.on_track(1, make(2, k, 5 * k + 8, 0, {"radar-b"}));
        f.advance(at(k));
    }
    REQUIRE(f.tracks().size() == 1);
    CHECK(f.tracks()[0].id == first);
    CHECK(f.counters().merged == 1);
    // Now sector b's track follows another boat away: it leaves after three disagreeing updates.
    for (int k = 4; k <= 7; ++k) {
        f.on_track(0, make(1, k, 5 * k, 0, {"radar-a"}));
        f.on_track(1, make(2, k, 5 * k, 800 + 100 * k, {"radar-b"}));
    }
    CHECK(f.tracks().size() == 2);
    CHECK(f.regional_of(0, 1) == first);
    CHECK(f.regional_of(1, 2) != first);
    CHECK(f.counters().detached == 1);
}

TEST_CASE("members that stop updating age out", "[fusion][fuser]") {
    Maker make;
    auto c = config();
    c.max_age_s = 30;
    TrackFuser f(c);
    f.on_track(0, make(1, 0, 0, 0, {"radar-a"}));
    f.advance(at(10));
    CHECK(f.tracks().size() == 1);
    f.advance(at(31));
    CHECK(f.tracks().empty());
    CHECK(f.counters().aged_out == 1);
}

TEST_CASE("tentative source tracks start nothing", "[fusion][fuser]") {
    Maker make;
    TrackFuser f(config());
    auto t = make(1, 0, 0, 0, {"radar-a"});
    t.status = TrackStatus::tentative;
    f.on_track(0, t);
    CHECK(f.tracks().empty());
    t.status = TrackStatus::confirmed;
    f.on_track(0, t);
    CHECK(f.tracks().size() == 1);
}

TEST_CASE("a restarted source's new tracks re-bind to the regional tracks by state, not by id",
          "[fusion][fuser][restart]") {
    Maker make;
    TrackFuser f(config());
    // Sector 0 holds two boats, 4 km apart; sector 1 sees only the first.
    f.on_track(0, make(1, 0, 1000, 0, {"radar-a"}));
    f.on_track(0, make(2, 0, 5000, 0, {"radar-a"}));
    f.on_track(1, make(7, 0, 1010, 0, {"radar-b"}));
    REQUIRE(f.tracks().size() == 2);
    const TrackId shared = f.regional_of(0, 1).value();
    const TrackId alone = f.regional_of(0, 2).value();
    REQUIRE(f.regional_of(1, 7) == shared);
    f.advance(at(1));
    (void)f.take_changes();

    // Sector 0 restarts: its ids are void; the boat only it saw is held, not deleted.
    f.on_source_restart(0);
    CHECK_FALSE(f.regional_of(0, 1));
    CHECK(f.tracks().size() == 2);
    CHECK(f.take_changes().deleted.empty());
    CHECK(f.tracks()[alone == f.tracks()[0].id ? 0 : 1].status == TrackStatus::coasting);
    CHECK(f.lineage(alone)->sources.empty());
    CHECK(f.lineage(shared)->sources == std::vector<TrackLineage::Source>{{1, 7}});

    // Its new run numbers the boats the other way round: each joins its boat's regional track.
    for (int k = 10; k <= 12; ++k) {
        f.on_track(1, make(7, k, 1010 + 5 * k, 0, {"radar-b"}));
        f.on_track(0, make(1, k, 5000 + 5 * k, 0, {"radar-a"}));
        f.on_track(0, make(2, k, 1000 + 5 * k, 0, {"radar-a"}));
        f.advance(at(k));
    }
    CHECK(f.regional_of(0, 1) == alone);
    CHECK(f.regional_of(0, 2) == shared);
    CHECK(f.tracks().size() == 2);
    CHECK(f.counters().rebound == 1);
    CHECK(f.counters().detached == 0);
    for (const Track& t : f.tracks()) CHECK(t.status == TrackStatus::confirmed);
    CHECK(f.take_changes().deleted.empty());
}

TEST_CASE("a held regional track no source comes back to ends after restart_hold",
          "[fusion][fuser][restart]") {
    Maker make;
    auto c = config();
    c.restart_hold_s = 20;
    TrackFuser f(c);
    f.on_track(0, make(1, 0, 1000, 0, {"radar-a"}));
    const TrackId id = f.regional_of(0, 1).value();
    f.advance(at(1));
    f.on_source_restart(0);
    f.advance(at(15));
    CHECK(f.tracks().size() == 1);
    f.advance(at(22));
    CHECK(f.tracks().empty());
    CHECK(f.take_changes().deleted == std::vector<TrackId>{id});
    CHECK(f.counters().hold_expired == 1);
    // A new track there later is a new regional track: the held one is gone for good.
    f.on_track(0, make(1, 30, 1150, 0, {"radar-a"}));
    CHECK(f.regional_of(0, 1) != id);
}

TEST_CASE("a display-only source's tracks are shown beside the picture, never fused",
          "[fusion][fuser][partners]") {
    Maker make;
    auto c = config();
    c.display_only = {2};
    TrackFuser f(c);
    f.on_track(0, make(1, 0, 1000, 0, {"radar-a"}));
    f.on_track(2, make(9, 0, 1005, 0, {"partner-radar"}));  // the same boat, the partner's view
    f.on_track(1, make(4, 0, 1010, 0, {"radar-b"}));
    REQUIRE(f.tracks().size() == 2);
    const TrackId ours = f.regional_of(0, 1).value();
    const TrackId theirs = f.regional_of(2, 9).value();
    CHECK(ours != theirs);
    CHECK(f.regional_of(1, 4) == ours);  // our sectors fuse as ever
    CHECK(f.lineage(theirs)->sources == std::vector<TrackLineage::Source>{{2, 9}});
    for (int k = 1; k <= 4; ++k) {
        f.on_track(0, make(1, k, 1000 + 5 * k, 0, {"radar-a"}));
        f.on_track(2, make(9, k, 1005 + 5 * k, 0, {"partner-radar"}));
        f.on_track(1, make(4, k, 1010 + 5 * k, 0, {"radar-b"}));
        f.advance(at(k));
    }
    CHECK(f.tracks().size() == 2);  // never merged either
    CHECK(f.counters().merged == 0);
    CHECK(f.regional_of(2, 9) == theirs);
}

TEST_CASE("a regional track's lineage is shared until its members or their sensors change",
          "[fusion][fuser]") {
    Maker make;
    TrackFuser f(config());
    f.on_track(0, make(12, 0, 1000, 0, {"radar-a"}));
    f.on_track(1, make(40, 0, 1030, 10, {"ais", "radar-b"}));
    const TrackId id = f.regional_of(0, 12).value();
    const auto first = f.lineage(id);
    f.on_track(0, make(12, 1, 1005, 0, {"radar-a"}));
    f.on_track(1, make(40, 1, 1035, 10, {"ais", "radar-b"}));
    CHECK(f.lineage(id) == first);  // the same object: nothing about it changed
    // A sector's track now fed by AIS too: the sensors are the same set, still shared.
    f.on_track(0, make(12, 2, 1010, 0, {"ais", "radar-a"}));
    CHECK(f.lineage(id) == first);
    // A new sensor: a new lineage, and what it says is what a fresh one would say.
    f.on_track(1, make(40, 3, 1045, 10, {"ais", "radar-b", "radar-c"}));
    REQUIRE(f.lineage(id) != first);
    CHECK(f.lineage(id)->sensors ==
          std::vector<std::string>{"ais", "radar-a", "radar-b", "radar-c"});
    // A sensor no member has any more is dropped.
    const auto second = f.lineage(id);
    f.on_track(1, make(40, 4, 1050, 10, {"ais", "radar-b"}));
    REQUIRE(f.lineage(id) != second);
    CHECK(f.lineage(id)->sensors == std::vector<std::string>{"ais", "radar-a", "radar-b"});
    // A member leaves: the sources change.
    f.on_ended(1, 40);
    CHECK(f.lineage(id)->sources == std::vector<TrackLineage::Source>{{0, 12}});
    CHECK(f.lineage(id)->sensors == std::vector<std::string>{"ais", "radar-a"});
}
