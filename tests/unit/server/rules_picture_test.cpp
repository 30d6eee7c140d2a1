// A stepped rules cycle evaluates a copy of the picture taken at its tick. RulesPicture keeps the
// last copy and brings it up to date from the tracks the tracker reported changed or deleted
// (issue 18); the plain reference copies the whole picture. Both must give the rules the same
// tracks: checked on a synthetic picture with every kind of change, and on the engine's real
// tracker (births, updates, coasting, deletions), where the alerts must be the same bytes too.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "src/engine/fusion_engine.hpp"
#include "src/engine/rules_picture.hpp"
#include "tests/unit/server/box_deployment.hpp"
#include "tests/unit/server/engine_transcript.hpp"

using namespace picket;
using testing::at;
using testing::Transcript;

namespace {

bool same(const Track& a, const Track& b) {
    return a.id == b.id && a.status == b.status && a.updated == b.updated && a.born == b.born &&
           a.position == b.position && a.east_mps == b.east_mps && a.north_mps == b.north_mps &&
           a.cov == b.cov && a.identity == b.identity && a.last_ais == b.last_ais &&
           a.seen_by == b.seen_by && a.target_class == b.target_class && a.standing == b.standing &&
           a.label == b.label && a.spoof_suspect == b.spoof_suspect && a.ais_jump == b.ais_jump;
}

bool same(const std::vector<Track>& a, const std::vector<Track>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
    return true;
}

Track make_track(TrackId id, std::mt19937& rng) {
    Track t;
    t.id = id;
    t.position = {std::uniform_real_distribution<double>(-10, 10)(rng), 120.0};
    t.label = std::string(20 + id % 7, 'x');  // longer than the short-string buffer
    return t;
}

}  // namespace

TEST_CASE("The rules' copy brought up to date equals a fresh copy", "[server][rules]") {
    std::mt19937 rng(7);
    std::vector<Track> live;
    TrackId next = 1;
    for (int i = 0; i < 400; ++i) live.push_back(make_track(next++, rng));
    server::RulesPicture picture;
    std::vector<Track> copy;
    int incremental = 0, fresh = 0;
    for (int tick = 0; tick < 60; ++tick) {
        std::vector<TrackId> updated, deleted;
        // Some ticks change most tracks (a fresh copy is cheaper), most change a few.
        const int changes = tick % 10 == 3 ? 300 : 1 + static_cast<int>(rng() % 40);
        for (int c = 0; c < changes && !live.empty(); ++c) {
            const std::size_t i = rng() % live.size();
            switch (rng() % 4) {
                case 0:  // born (ids only grow)
                    live.push_back(make_track(next, rng));
                    updated.push_back(next++);
                    break;
                case 1:  // deleted
                    deleted.push_back(live[i].id);
                    live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
                    break;
                default:  // changed, sometimes twice, sometimes changed then deleted
                    live[i].position.lon_deg += 0.001;
                    live[i].label += "y";
                    updated.push_back(live[i].id);
                    if (rng() % 5 == 0) updated.push_back(live[i].id);
                    if (rng() % 9 == 0) {
                        deleted.push_back(live[i].id);
                        live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
                    }
            }
        }
        picture.note(updated, deleted);
        picture.refresh(copy, live);
        REQUIRE(same(copy, live));
        (picture.last_was_full() ? fresh : incremental) += 1;
    }
    CHECK(incremental > 40);  // the point of it
    CHECK(fresh >= 6);        // the first copy and the ticks that changed most of the picture
}

TEST_CASE("A change the tracker did not report is caught by the sizes", "[server][rules]") {
    std::mt19937 rng(3);
    std::vector<Track> live{make_track(1, rng), make_track(2, rng)};
    server::RulesPicture picture;
    std::vector<Track> copy;
    picture.refresh(copy, live);
    live.push_back(make_track(3, rng));  // born, not noted
    for (int i = 0; i < 8; ++i) live.push_back(make_track(4 + i, rng));
    picture.note({4}, {});
    picture.refresh(copy, live);
    CHECK(picture.last_was_full());
    CHECK(same(copy, live));
}

namespace {

struct Deployment : testing::BoxDeployment {
    Deployment() : BoxDeployment("rules_picture") {}
};

/// 2,400 vessels over the box and around it; each tick an eighth of them report; vessels
/// 2,000 on appear at tick 6 and vessels below 300 fall silent at tick 10 (their tracks coast,
/// then are deleted).
std::vector<std::string> reports(int tick) {
    std::vector<std::string> out;
    for (int i = 0; i < 2400; ++i) {
        if ((i + tick) % 8 != 0) continue;
        if (i >= 2000 && tick < 6) continue;
        if (i < 300 && tick >= 10) continue;
        out.push_back(testing::grid_report(525'200'000, i, 10.0 * tick));
    }
    return out;
}

struct Run {
    std::string transcript;
    int incremental_ticks{0};
};

/// 80 ticks; the messages of a tick come between the parts of the last tick's rules cycle, as
/// on the live server. Checks the cycle's copy against the picture at every tick.
Run run(bool incremental) {
    Deployment d;
    Transcript out;
    server::FusionEngine engine(d.config, out, server::OutputThreading::inline_);
    engine.set_incremental_rules_picture(incremental);
    Run r;
    for (int tick = 0; tick < 80; ++tick) {
        const auto msgs = reports(tick);
        for (std::size_t k = 0; k < msgs.size(); ++k) {
            engine.on_message(0, at(10.0 * tick), msgs[k]);
            if (k % 100 == 0) engine.rules_step();
        }
        engine.on_tick(at(10.0 * tick + 1), server::RulesCycle::stepped);
        REQUIRE(engine.rules_cycle_tracks() != nullptr);
        REQUIRE(same(*engine.rules_cycle_tracks(), engine.picture()));
        if (!engine.rules_picture().last_was_full()) ++r.incremental_ticks;
    }
    while (engine.rules_step()) {
    }
    engine.drain();
    r.transcript = std::move(out.text);
    return r;
}

}  // namespace

TEST_CASE("The engine's rules see the same picture, brought up to date or copied afresh",
          "[server][rules]") {
    const Run reference = run(false);
    const Run fast = run(true);
    CHECK(reference.incremental_ticks == 0);
    CHECK(fast.incremental_ticks > 60);
    REQUIRE(reference.transcript.find("\nalert ") != std::string::npos);
    REQUIRE(reference.transcript.find("track.deleted ") != std::string::npos);
    CHECK(fast.transcript == reference.transcript);
}
