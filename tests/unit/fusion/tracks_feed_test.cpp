// The `tracks` feeds: picket's own track messages read back by the regional server (every
// field the fusion uses, the sensors behind it by name), the Clone pattern's sequence rules
// (snapshot, stale, gap, restart), CAT062 system tracks, and bad input rejected with a reason.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "sensors/asterix/cat062_encoder.hpp"
#include "sensors/feed_decoder.hpp"
#include "src/engine/message_format.hpp"
#include "src/io/stream_instance.hpp"
#include "src/io/track_stream_sync.hpp"
#include "src/server_config.hpp"
#include "tests/unit/fusion/sector_track_sample.hpp"

using namespace picket;
using namespace picket::sensors;

namespace {

struct Sink final : DecodeSink {
    std::vector<SourceTrack> tracks;
    std::vector<std::uint64_t> ended;
    std::vector<std::vector<std::uint64_t>> pictures;
    std::vector<std::string> rejects, anomalies, quirks;
    int restarts{0};
    void measurement(Measurement) override { FAIL("a tracks feed makes no measurements"); }
    void identity(const Identity&, Timestamp) override {}
    void anomaly(std::string_view r, std::optional<Mmsi>, LatLon, Timestamp) override {
        anomalies.emplace_back(r);
    }
    void source_track(SourceTrack t) override { tracks.push_back(std::move(t)); }
    void source_track_ended(std::uint64_t id, Timestamp) override { ended.push_back(id); }
    void source_picture(std::span<const std::uint64_t> live, Timestamp) override {
        pictures.emplace_back(live.begin(), live.end());
    }
    void source_restarted(Timestamp) override { ++restarts; }
    void rejected(const DecodeError& e) override { rejects.emplace_back(e.reason); }
    void quirk(std::string_view k) override { quirks.emplace_back(k); }
};

const Timestamp kNow = *parse_iso8601("2026-12-06T10:00:00.000Z");

FeedParams params(std::string format) {
    FeedParams p;
    p.id = "sector-a";
    p.tracks = true;
    p.format = std::move(format);
    return p;
}

Track sample_track(TrackId id) { return test::sample_sector_track(id, kNow); }

const std::vector<std::string> kFeedNames{"ais-coast", "camera-1", "radar-cape"};

}  // namespace

TEST_CASE("picket's track message reads back as the same source track", "[tracks]") {
    auto dec = make_feed_decoder(params("picket"));
    REQUIRE(dec);
    Sink sink;
    const Track t = sample_track(12);
    dec->decode("track", kNow, sink);  // the PUB topic frame
    dec->decode(server::track_message(t, 41, kFeedNames, TrackOrigin{0b101, nullptr}), kNow, sink);
    REQUIRE(sink.rejects.empty());
    REQUIRE(sink.tracks.size() == 1);
    const SourceTrack& s = sink.tracks[0];
    CHECK(s.id == 12);
    CHECK(s.time == *parse_iso8601("2026-12-06T09:59:59.500Z"));
    CHECK(s.position.lat_deg == Approx(t.position.lat_deg).margin(1e-7));
    CHECK(s.position.lon_deg == Approx(t.position.lon_deg).margin(1e-7));
    CHECK(s.east_mps == Approx(3.63));
    CHECK(s.north_mps == Approx(-1.25));
    CHECK((s.cov - t.cov).cwiseAbs().maxCoeff() < 1e-4);
    CHECK(s.sensors == std::vector<std::string>{"ais-coast", "radar-cape"});
    REQUIRE(s.identity);
    CHECK(s.identity->mmsi == 538001234);
    CHECK(s.identity->name == "OCEAN STAR");
    CHECK(s.target_class == TargetClass::vessel);
    CHECK(s.status == TrackStatus::confirmed);
    CHECK(s.seen_by.has(SensorKind::radar));
}

TEST_CASE("a regional track publishes its sources and the sensors behind them", "[tracks]") {
    Track t = sample_track(3);
    auto lineage = std::make_shared<TrackLineage>();
    lineage->sources = {{0, 12}, {1, 40}};
    lineage->sensors = {"radar-a", "radar-b"};
    const std::vector<std::string> names{"sector-a", "sector-b"};
    const std::string json = server::track_message(t, 7, names, TrackOrigin{0, lineage});
    CHECK(json.find(R"("feeds":["radar-a","radar-b"])") != std::string::npos);
    CHECK(
        json.find(
            R"("sources":[{"feed":"sector-a","track_id":12},{"feed":"sector-b","track_id":40}])") !=
        std::string::npos);
    // A regional server one level up sees the sensors, not the sectors.
    auto dec = make_feed_decoder(params("picket"));
    Sink sink;
    dec->decode(json, kNow, sink);
    REQUIRE(sink.tracks.size() == 1);
    CHECK(sink.tracks[0].sensors == std::vector<std::string>{"radar-a", "radar-b"});
}

TEST_CASE("the track stream keeps the Clone pattern's order", "[tracks]") {
    auto dec = make_feed_decoder(params("picket"));
    Sink sink;
    const Track a = sample_track(1), b = sample_track(2);
    const Track both[] = {a, b};
    dec->decode(server::snapshot_message(both, {}, 10, kNow, {}, {}, kFeedNames), kNow, sink);
    CHECK(sink.tracks.size() == 2);
    REQUIRE(sink.pictures.size() == 1);
    CHECK(sink.pictures[0] == std::vector<std::uint64_t>{1, 2});

    dec->decode(server::track_message(a, 9, kFeedNames), kNow, sink);  // queued before it
    CHECK(sink.tracks.size() == 2);
    CHECK(sink.quirks == std::vector<std::string>{"stale_seq"});

    dec->decode(server::track_deleted_message(2, kNow, 11), kNow, sink);
    CHECK(sink.ended == std::vector<std::uint64_t>{2});
    CHECK(sink.anomalies.empty());

    dec->decode(server::track_message(a, 13, kFeedNames), kNow, sink);  // 12 was lost
    CHECK(sink.tracks.size() == 3);
    CHECK(sink.anomalies == std::vector<std::string>{"seq_gap"});

    dec->decode(server::track_message(a, 1, kFeedNames), kNow, sink);  // the source restarted
    CHECK(sink.tracks.size() == 4);
    CHECK(sink.anomalies.back() == "source_restart");
    CHECK(sink.restarts == 1);  // its old ids are void, before its new track
    CHECK(sink.pictures.size() == 1);

    // Incidents and feed health are the source's own business: neither fused nor rejected.
    dec->decode(R"({"seq":2,"feed":"radar-x","status":"silent"})", kNow, sink);
    CHECK(sink.rejects.empty());
}

TEST_CASE("bad track messages are rejected with a reason", "[tracks]") {
    auto dec = make_feed_decoder(params("picket"));
    Sink sink;
    dec->decode("{not json", kNow, sink);
    dec->decode(R"({"type":"Feature"})", kNow, sink);
    std::string bad_cov = server::track_message(sample_track(5), 1, kFeedNames);
    const auto at = bad_cov.find("\"cov\":[") + 7;
    bad_cov.replace(at, 3, "-144");  // a negative variance
    dec->decode(bad_cov, kNow, sink);
    std::string far = server::track_message(sample_track(6), 2, kFeedNames);
    far.replace(far.find("125.5712345"), 11, "925.5712345");
    dec->decode(far, kNow, sink);
    CHECK(sink.rejects ==
          std::vector<std::string>{"bad_json", "missing_field", "bad_covariance", "bad_value"});
    CHECK(sink.tracks.empty());
}

TEST_CASE("CAT062 system tracks are source tracks; track end ends them", "[tracks][asterix]") {
    FeedParams p = params("asterix");
    p.id = "vts-neighbour";
    p.sigma_position_m = 30;
    auto dec = make_feed_decoder(p);
    REQUIRE(dec);
    using sensors::asterix::Cat062Track;
    Cat062Track a;
    a.source = {1, 2};
    a.time_of_track_s = 10 * 3600 - 1;  // 09:59:59 UTC
    a.position = {-8.55, 125.57};
    a.vx_mps = 4.25;
    a.vy_mps = -2;
    a.track_number = 77;
    Cat062Track b = a;
    b.track_number = 78;
    b.track_end = true;
    const Cat062Track both[] = {a, b};
    Sink sink;
    dec->decode(sensors::asterix::encode_cat062_block(both), kNow, sink);
    REQUIRE(sink.rejects.empty());
    REQUIRE(sink.tracks.size() == 1);
    const SourceTrack& s = sink.tracks[0];
    CHECK(s.id == 77);
    CHECK(s.time == kNow - Duration::from_seconds(1));
    CHECK(s.position.lat_deg == Approx(-8.55).margin(1e-6));
    CHECK(s.east_mps == Approx(4.25));
    CHECK(s.cov(0, 0) == Approx(900));
    CHECK(s.sensors == std::vector<std::string>{"vts-neighbour"});
    CHECK(sink.ended == std::vector<std::uint64_t>{78});

    dec->decode(std::string("\x30\x00\x05\x01\x02", 5), kNow, sink);  // CAT048: not tracks
    dec->decode(std::string("\x3e\x00\x09\x01", 4), kNow, sink);      // LEN past the end
    CHECK(sink.rejects == std::vector<std::string>{"unknown_category", "bad_length"});
}

TEST_CASE("a snapshot that races the stream keeps what the stream said after it", "[tracks]") {
    auto dec = make_feed_decoder(params("picket"));
    Sink sink;
    const Track a = sample_track(1), b = sample_track(2), c = sample_track(3);
    // The stream got ahead of the snapshot reply: track 3 started at 21, track 2 ended at 22.
    dec->decode(server::track_message(a, 20, kFeedNames), kNow, sink);
    dec->decode(server::track_message(c, 21, kFeedNames), kNow, sink);
    dec->decode(server::track_deleted_message(2, kNow, 22), kNow, sink);
    const Track at_20[] = {a, b};
    dec->decode(server::snapshot_message(at_20, {}, 20, kNow, {}, {}, kFeedNames), kNow, sink);
    REQUIRE(sink.pictures.size() == 1);
    auto live = sink.pictures[0];
    std::sort(live.begin(), live.end());
    CHECK(live == std::vector<std::uint64_t>{1, 3});  // 2 not brought back, 3 not dropped
    dec->decode(server::track_message(a, 23, kFeedNames), kNow, sink);
    CHECK(sink.anomalies.empty());  // no gap: 23 follows 22
    CHECK(sink.quirks.empty());
}

TEST_CASE("a restarted source found by its snapshot, not by seq 1", "[tracks]") {
    auto dec = make_feed_decoder(params("picket"));
    Sink sink;
    const Track a = sample_track(1);
    dec->decode(server::track_message(a, 500, kFeedNames), kNow, sink);
    // The source restarted; its seq 1..6 were missed, 7 and 8 are dropped as stale (< 500)
    // until the snapshot the I/O thread asked for comes.
    dec->decode(server::track_message(a, 7, kFeedNames), kNow, sink);
    dec->decode(server::track_message(a, 8, kFeedNames), kNow, sink);
    CHECK(sink.quirks.size() == 2);
    const Track fresh[] = {sample_track(4)};
    dec->decode(server::snapshot_message(fresh, {}, 8, kNow, {}, {}, kFeedNames), kNow, sink);
    CHECK(sink.anomalies == std::vector<std::string>{"source_restart"});
    CHECK(sink.restarts == 1);
    REQUIRE(sink.pictures.size() == 1);
    CHECK(sink.pictures[0] == std::vector<std::uint64_t>{4});
    dec->decode(server::track_message(a, 9, kFeedNames), kNow, sink);
    CHECK(sink.tracks.back().id == 1);
    CHECK(sink.quirks.size() == 2);
}

TEST_CASE("a new instance id is a restart whatever the seq says", "[tracks][instance]") {
    // The case seq alone gets wrong: the regional server's SUB reconnects after the restarted
    // sector's first messages, so the new run's seq looks like a gap in the old run's.
    auto dec = make_feed_decoder(params("picket"));
    Sink sink;
    const Track a = sample_track(1), b = sample_track(2);
    const auto from = [](std::string_view instance, const std::string& m) {
        return server::with_instance(m, instance);
    };
    dec->decode(from("0a0a", server::track_message(a, 500, kFeedNames)), kNow, sink);
    CHECK(sink.restarts == 0);  // the first instance seen is no restart
    dec->decode(from("0b0b", server::track_message(b, 620, kFeedNames)), kNow, sink);
    CHECK(sink.anomalies == std::vector<std::string>{"source_restart"});  // not "seq_gap"
    CHECK(sink.restarts == 1);
    REQUIRE(sink.tracks.size() == 2);
    CHECK(sink.tracks.back().id == 2);
    // A snapshot reply of the dead instance, overtaken by the new one's stream: dropped.
    const Track old_picture[] = {a};
    dec->decode(
        from("0a0a", server::snapshot_message(old_picture, {}, 510, kNow, {}, {}, kFeedNames)),
        kNow, sink);
    CHECK(sink.quirks == std::vector<std::string>{"old_instance"});
    CHECK(sink.pictures.empty());
    CHECK(sink.restarts == 1);
    // The new instance's own snapshot and stream, in order: no restart, no gap.
    const Track new_picture[] = {b};
    dec->decode(
        from("0b0b", server::snapshot_message(new_picture, {}, 621, kNow, {}, {}, kFeedNames)),
        kNow, sink);
    REQUIRE(sink.pictures.size() == 1);
    CHECK(sink.pictures[0] == std::vector<std::uint64_t>{2});
    dec->decode(from("0b0b", server::track_message(b, 622, kFeedNames)), kNow, sink);
    CHECK(sink.anomalies.size() == 1);
    // With an instance id, a lower seq of the same instance is stale, never a restart.
    dec->decode(from("0b0b", server::track_message(a, 1, kFeedNames)), kNow, sink);
    CHECK(sink.restarts == 1);
    CHECK(sink.quirks.back() == "stale_seq");
    // A malformed instance id is rejected, not taken for a restart.
    dec->decode(R"({"seq":623,"instance":7,"track_id":2,"time":"2026-12-06T10:00:00.000Z"})", kNow,
                sink);
    CHECK(sink.rejects == std::vector<std::string>{"bad_value"});
    CHECK(sink.restarts == 1);
}

TEST_CASE("the instance id goes right after the leading seq, on any message",
          "[tracks][instance]") {
    using server::leading_instance;
    using server::with_instance;
    CHECK(with_instance(R"({"seq":41,"type":"Feature"})", "ab") ==
          R"({"seq":41,"instance":"ab","type":"Feature"})");
    CHECK(with_instance(R"({"time":"x"})", "ab") == R"({"instance":"ab","time":"x"})");
    CHECK(with_instance("{}", "ab") == R"({"instance":"ab"})");
    CHECK(with_instance("not json", "ab") == "not json");
    const std::string stamped = with_instance(server::track_message(sample_track(3), 9), "c0ffee");
    CHECK(nlohmann::json::parse(stamped)["instance"] == "c0ffee");
    CHECK(server::leading_seq(stamped) == 9u);
    CHECK(leading_instance(stamped) == std::string_view("c0ffee"));
    CHECK_FALSE(leading_instance(server::track_message(sample_track(3), 9)));
    const std::string id1 = server::new_stream_instance(), id2 = server::new_stream_instance();
    CHECK(id1.size() == 16);
    CHECK(id1 != id2);
}

TEST_CASE("a regional server's config: tracks feeds only, their keys checked", "[tracks][config]") {
    const std::string head = "region: {name: r, origin: {lat: -8.4, lon: 125.5}}\nfeeds:\n";
    const std::string a =
        "  - {id: sector-a, kind: tracks, format: picket, endpoint: \"tcp://127.0.0.1:1\", "
        "snapshot: \"tcp://127.0.0.1:2\"}\n";
    const auto parse = [](const std::string& text) {
        return server::parse_server_config(text, "r.yaml", "/tmp");
    };
    const auto c =
        parse(head + a +
              "  - {id: vts, kind: tracks, format: asterix, socket: pull, endpoint: "
              "\"tcp://127.0.0.1:3\"}\nfusion: {max_age: 60s, bias: {reference: vts}}\n");
    CHECK(c.regional);
    CHECK(c.feeds[0].params.tracks);
    CHECK(c.feeds[0].snapshot_endpoint == "tcp://127.0.0.1:2");
    CHECK(c.fusion.max_age_s == 60);
    CHECK(c.fusion.bias.reference == FeedIndex{1});
    CHECK(c.fusion.origin.lat_deg == -8.4);

    CHECK_THROWS_WITH(parse(head + a +
                            "  - {id: ais, kind: ais, format: nmea-ais, endpoint: "
                            "\"tcp://127.0.0.1:4\"}\n"),
                      Catch::Contains("a regional server's feeds are all of kind 'tracks'"));
    CHECK_THROWS_WITH(parse(head + "  - {id: s, kind: tracks, format: json-plot, endpoint: "
                                   "\"tcp://127.0.0.1:1\"}\n"),
                      Catch::Contains("unknown wire format 'json-plot' for a tracks feed"));
    CHECK_THROWS_WITH(parse(head + "  - {id: s, kind: tracks, format: asterix, endpoint: "
                                   "\"tcp://127.0.0.1:1\", snapshot: \"tcp://127.0.0.1:2\"}\n"),
                      Catch::Contains("'snapshot' is for a tracks feed in format picket"));
    CHECK_THROWS_WITH(parse(head + "  - {id: ais, kind: ais, format: nmea-ais, endpoint: "
                                   "\"tcp://127.0.0.1:4\"}\nfusion: {max_age: 60s}\n"),
                      Catch::Contains("a 'fusion' section needs feeds of kind 'tracks'"));
    CHECK_THROWS_WITH(parse(head + a + "fusion: {bias: {reference: nowhere}}\n"),
                      Catch::Contains("no feed 'nowhere'"));
}
