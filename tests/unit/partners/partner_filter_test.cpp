// One partner's share of the picture, decided without sockets: area, class, identity redacted,
// no state sooner than the minimum delay, the rate cap, and ends for what it may no longer see.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "src/partners/partner_filter.hpp"

using namespace picket;
using namespace picket::partners;
using nlohmann::json;

namespace {

const Timestamp kT0 = *parse_iso8601("2026-12-06T10:00:00.000Z");
Timestamp at(double s) { return kT0 + Duration::from_seconds(s); }

/// A square around (-8.5, 125.5), 0.2° a side.
const std::vector<LatLon> kArea{{-8.6, 125.4}, {-8.6, 125.6}, {-8.4, 125.6}, {-8.4, 125.4}};

Track track(TrackId id, LatLon where, TargetClass c = TargetClass::vessel) {
    Track t;
    t.id = id;
    t.status = TrackStatus::confirmed;
    t.position = where;
    t.updated = kT0;
    t.born = kT0;
    t.target_class = c;
    t.identity = Identity{525000111, "KM BAHARI", "YBAB", 0, 70};
    t.label = "watch: fishing licence";
    t.cov = Eigen::Matrix4d::Identity();
    return t;
}

PartnerRules rules() {
    PartnerRules r;
    r.name = "neighbour";
    r.area = kArea;
    return r;
}

std::vector<TrackId> ids_of(const std::vector<PartnerMessage>& ms, std::string_view topic) {
    std::vector<TrackId> out;
    for (const auto& m : ms)
        if (m.topic == topic) out.push_back(m.track);
    return out;
}

}  // namespace

TEST_CASE("inside_area is the even-odd rule on the partner's polygon", "[partners]") {
    CHECK(inside_area(kArea, {-8.5, 125.5}));
    CHECK_FALSE(inside_area(kArea, {-8.7, 125.5}));
    CHECK_FALSE(inside_area(kArea, {-8.5, 125.61}));
    // A concave area: the notch is outside.
    const std::vector<LatLon> l{{0, 0}, {0, 2}, {1, 2}, {1, 1}, {2, 1}, {2, 0}};
    CHECK(inside_area(l, {0.5, 1.5}));
    CHECK_FALSE(inside_area(l, {1.5, 1.5}));
}

TEST_CASE("a partner gets the tracks in its area only, and loses one that leaves it",
          "[partners]") {
    PartnerFilter f(rules());
    const Track in = track(1, {-8.5, 125.5}), out = track(2, {-8.8, 125.5});
    f.on_tracks(std::vector{in, out}, at(0));
    auto sent = f.due(at(0));
    CHECK(ids_of(sent, "track") == std::vector<TrackId>{1});
    CHECK(f.counters().outside_area == 1);
    // Track 1 sails out: the partner's copy ends; track 2 was never shared, so no end for it.
    f.on_tracks(std::vector{track(1, {-8.3, 125.5})}, at(1));
    f.on_deleted(std::vector<TrackId>{2}, at(1));
    sent = f.due(at(1));
    CHECK(ids_of(sent, "track").empty());
    CHECK(ids_of(sent, "track.deleted") == std::vector<TrackId>{1});
}

TEST_CASE("a partner gets its classes only", "[partners]") {
    auto r = rules();
    r.classes = {TargetClass::vessel};
    PartnerFilter f(r);
    f.on_tracks(std::vector{track(1, {-8.5, 125.5}, TargetClass::vessel),
                            track(2, {-8.5, 125.5}, TargetClass::unknown)},
                at(0));
    CHECK(ids_of(f.due(at(0)), "track") == std::vector<TrackId>{1});
    CHECK(f.counters().class_withheld == 1);
}

TEST_CASE("identity fields are redacted unless the partner may see them", "[partners]") {
    PartnerFilter redacted(rules());
    auto open_rules = rules();
    open_rules.redact_identity = false;
    PartnerFilter open(open_rules);
    const Track t = track(1, {-8.5, 125.5});
    redacted.on_tracks(std::vector{t}, at(0));
    open.on_tracks(std::vector{t}, at(0));
    const json r = json::parse(redacted.due(at(0)).at(0).json)["properties"];
    const json o = json::parse(open.due(at(0)).at(0).json)["properties"];
    CHECK(o["mmsi"] == 525000111);
    CHECK(o["name"] == "KM BAHARI");
    CHECK(o["label"] == "watch: fishing licence");
    CHECK(r["mmsi"].is_null());
    CHECK(r["name"].is_null());
    CHECK(r["callsign"].is_null());
    CHECK(r["label"] == "");
    // The rest of the state is the same.
    CHECK(r["track_id"] == o["track_id"]);
    CHECK(r["class"] == o["class"]);
}

TEST_CASE("no state reaches the partner sooner than its minimum delay", "[partners]") {
    auto r = rules();
    r.min_delay_s = 30;
    PartnerFilter f(r);
    f.on_tracks(std::vector{track(1, {-8.5, 125.5})}, at(0));
    f.on_tracks(std::vector{track(1, {-8.49, 125.5})}, at(10));
    CHECK(f.due(at(29.9)).empty());
    auto sent = f.due(at(30));
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].made == at(0));
    CHECK(json::parse(sent[0].json)["geometry"]["coordinates"][1] == Approx(-8.5));
    CHECK(f.due(at(39)).empty());
    CHECK(f.due(at(40)).size() == 1);
}

TEST_CASE("the rate cap drops updates over it, never an end", "[partners]") {
    auto r = rules();
    r.max_rate_per_s = 5;
    PartnerFilter f(r);
    std::vector<Track> burst;
    for (TrackId id = 1; id <= 20; ++id) burst.push_back(track(id, {-8.5, 125.5}));
    f.on_tracks(burst, at(0));
    CHECK(f.due(at(0)).size() == 5);
    CHECK(f.counters().rate_capped == 15);
    // A second later the bucket is full again; the ends all go whatever the cap.
    f.on_tracks(burst, at(1));
    std::vector<TrackId> all;
    for (TrackId id = 1; id <= 20; ++id) all.push_back(id);
    f.on_deleted(all, at(1));
    const auto sent = f.due(at(1));
    CHECK(ids_of(sent, "track").size() == 5);
    CHECK(ids_of(sent, "track.deleted").size() == 20);
    // Its seq counts only what it was sent: no gap it could take for a loss.
    std::uint64_t prev = 0;
    for (const auto& m : sent) {
        const auto seq = json::parse(m.json)["seq"].get<std::uint64_t>();
        if (prev) CHECK(seq == prev + 1);
        prev = seq;
    }
}
