// The regional server's fast decoder of sector track messages (sensors/tracks/
// fast_track_message.hpp) against the plain reference parser (nlohmann + picket_track_json):
// the same calls on the sink, bit for bit, for a long stream of real track messages (random
// tracks written by the server's own encoder, deletions, gaps, a restart), and for malformed
// ones: every truncation, every byte replaced, wrong types, extra and duplicate fields, huge
// numbers, bad UTF-8. Both must reject what is malformed, for the same reason.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "sensors/feed_decoder.hpp"
#include "sensors/tracks/track_stream_decoder.hpp"
#include "src/engine/message_format.hpp"
#include "src/io/stream_instance.hpp"
#include "tests/unit/fusion/sector_track_sample.hpp"

using namespace picket;
using namespace picket::sensors;

namespace {

std::string exact(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a", v);  // hex float: two doubles print alike iff equal
    return buf;
}

/// Every call the decoder makes on its sink, in order, as text.
struct TraceSink final : DecodeSink {
    std::vector<std::string> calls;
    int rejects{0};
    void measurement(Measurement) override { calls.emplace_back("measurement"); }
    void identity(const Identity&, Timestamp) override { calls.emplace_back("identity"); }
    void anomaly(std::string_view r, std::optional<Mmsi>, LatLon, Timestamp) override {
        calls.push_back("anomaly " + std::string(r));
    }
    void source_track(SourceTrack t) override {
        std::string s = "track " + std::to_string(t.id) + " " + std::to_string(t.time.ns) + " " +
                        exact(t.position.lat_deg) + " " + exact(t.position.lon_deg) + " " +
                        exact(t.east_mps) + " " + exact(t.north_mps) + " status " +
                        std::to_string(static_cast<int>(t.status)) + " class " +
                        std::to_string(static_cast<int>(t.target_class)) + " seen " +
                        std::to_string(t.seen_by.bits) + " cov";
        for (int i = 0; i < 16; ++i) s += " " + exact(t.cov(i / 4, i % 4));
        if (t.identity)
            s += " mmsi " + std::to_string(t.identity->mmsi) + " [" + t.identity->name + "] [" +
                 t.identity->callsign + "] " + std::to_string(t.identity->ship_type);
        if (t.last_ais) s += " last_ais " + std::to_string(t.last_ais->ns);
        for (const auto& n : t.sensors) s += " sensor " + n;
        calls.push_back(std::move(s));
    }
    void source_track_ended(std::uint64_t id, Timestamp) override {
        calls.push_back("ended " + std::to_string(id));
    }
    void source_picture(std::span<const std::uint64_t> live, Timestamp) override {
        calls.push_back("picture " + std::to_string(live.size()));
    }
    void source_restarted(Timestamp) override { calls.emplace_back("restarted"); }
    void rejected(const DecodeError& e) override {
        ++rejects;
        calls.push_back("rejected " + std::string(e.reason) + " " + e.detail);
    }
    void quirk(std::string_view k) override { calls.push_back("quirk " + std::string(k)); }
};

const Timestamp kNow = *parse_iso8601("2026-12-07T09:00:00.000Z");

FeedParams params(bool reference) {
    FeedParams p;
    p.id = "sector-a";
    p.tracks = true;
    p.format = "picket";
    p.reference_decoder = reference;
    return p;
}

/// A fast decoder and a reference one fed the same messages.
struct Pair {
    TrackStreamDecoder fast{params(false)}, reference{params(true)};
    TraceSink fast_sink, reference_sink;
    void decode(std::string_view m) {
        fast.decode(m, kNow, fast_sink);
        reference.decode(m, kNow, reference_sink);
    }
};

const std::vector<std::string> kFeeds{"ais-network", "radar-cape", "radar-dili", "camera-1"};

/// A random track as a sector publishes it. `plain` says whether its text fields are plain
/// ASCII without escapes (what the fast path takes).
Track random_track(std::mt19937& rng, bool& plain) {
    std::uniform_real_distribution<double> u(-1, 1);
    Track t;
    t.id = std::uniform_int_distribution<TrackId>(1, 500)(rng);
    t.status = static_cast<TrackStatus>(rng() % 3);
    t.updated = kNow - Duration::from_seconds(std::abs(u(rng)) * 30);
    t.born = t.updated - Duration::from_seconds(100);
    t.position = {89.9 * u(rng), 179.9 * u(rng)};
    t.east_mps = 30 * u(rng);
    t.north_mps = rng() % 7 == 0 ? 0.0 : 30 * u(rng);
    Eigen::Matrix4d a = Eigen::Matrix4d::Random() * 10;
    t.cov = a * a.transpose() + Eigen::Vector4d(4, 4, 0.1, 0.1).asDiagonal().toDenseMatrix();
    t.target_class = static_cast<TargetClass>(rng() % 6);
    for (int k = 0; k < kSensorKindCount; ++k)
        if (rng() % 2) t.seen_by.add(static_cast<SensorKind>(k));
    static const std::vector<std::pair<std::string, bool>> names{
        {"OCEAN STAR", true}, {"", true},       {"MV O\"NEIL", false},
        {"A\\B", false},      {"ÅLAND", false}, {"KAPAL 7", true}};
    plain = true;
    if (rng() % 3) {
        const auto& [name, name_plain] = names[rng() % names.size()];
        plain = name_plain;
        t.identity = Identity{static_cast<Mmsi>(200000000 + rng() % 500000000), name, "V7AB", 0,
                              static_cast<std::uint8_t>(rng() % 100)};
        t.last_ais = t.updated - Duration::from_seconds(2);
    }
    if (rng() % 4 == 0) t.label = "watch";
    return t;
}

std::string random_message(std::mt19937& rng, std::uint64_t seq, const std::string& instance,
                           bool& plain) {
    const Track t = random_track(rng, plain);
    TrackOrigin origin{rng() & 0xF, nullptr};
    if (rng() % 5 == 0) {  // a regional server's track, read one level up
        auto lineage = std::make_shared<TrackLineage>();
        lineage->sources = {{0, 12}, {1, 40}};
        lineage->sensors = {"radar-a", "radar-b"};
        origin = {0, lineage};
    }
    return server::with_instance(server::track_message(t, seq, kFeeds, origin), instance);
}

std::string deletion(std::uint64_t seq, TrackId id, const std::string& instance) {
    return server::with_instance(R"({"seq":)" + std::to_string(seq) + R"(,"track_id":)" +
                                     std::to_string(id) + R"(,"time":"2026-12-07T09:00:00.000Z"})",
                                 instance);
}

/// Decodes `m` alone with fresh decoders; requires the same calls. Returns the fast sink.
TraceSink decode_alone(std::string_view m) {
    Pair p;
    p.decode(m);
    INFO(std::string(m));
    REQUIRE(p.fast_sink.calls == p.reference_sink.calls);
    return p.fast_sink;
}

const std::string kInstance = "5f0c9e2a7b1d4c83";

std::string sample_message() {
    Track t = test::sample_sector_track(12, kNow);
    t.last_ais = kNow - Duration::from_seconds(3);
    return server::with_instance(server::track_message(t, 41, kFeeds, TrackOrigin{0b101, nullptr}),
                                 kInstance);
}

}  // namespace

TEST_CASE("the fast decoder and the reference give the same stream", "[tracks][fast]") {
    for (const unsigned seed : {1u, 2u, 3u}) {
        std::mt19937 rng(seed);
        Pair p;
        std::uint64_t seq = 0, plain_messages = 0;
        std::string instance = kInstance;
        for (int i = 0; i < 3000; ++i) {
            ++seq;
            if (i == 1500) instance = "00000000000000ab", seq = 1;  // the sector restarted
            if (rng() % 50 == 0) seq += 3;                          // a gap
            const std::uint64_t sent = rng() % 60 == 0 && seq > 3 ? seq - 2 : seq;  // stale
            if (rng() % 10 == 0) {
                p.decode(deletion(sent, rng() % 500 + 1, instance));
                ++plain_messages;
            } else {
                bool plain = true;
                p.decode(random_message(rng, sent, instance, plain));
                plain_messages += plain;
            }
            if (i % 700 == 0) p.decode("track");  // a topic frame
        }
        REQUIRE(p.fast_sink.calls.size() > 2500);
        REQUIRE(p.fast_sink.calls == p.reference_sink.calls);
        // The fast path takes every plain message, and only the reference sees the others.
        CHECK(p.fast.fast_decoded() == plain_messages);
        CHECK(p.fast.reference_decoded() == 3000 - plain_messages);
        CHECK(p.reference.fast_decoded() == 0);
    }
}

TEST_CASE("both decoders reject every truncation of a track message", "[tracks][fast]") {
    for (const std::string& m : {sample_message(), deletion(7, 12, kInstance)}) {
        REQUIRE(decode_alone(m).rejects == 0);
        for (std::size_t n = 0; n < m.size(); ++n) {
            const TraceSink s = decode_alone(m.substr(0, n));
            INFO(m.substr(0, n));
            REQUIRE(s.calls == std::vector<std::string>{"rejected bad_json "});
        }
    }
}

TEST_CASE("both decoders agree on every single byte replaced", "[tracks][fast]") {
    const std::string m = sample_message();
    const std::string bytes = std::string("\"{}[],:-.0e9x \\\t") + '\0' + "\x80\xc3\xff";
    int rejected = 0;
    for (std::size_t i = 0; i < m.size(); ++i)
        for (const char b : bytes) {
            std::string bad = m;
            bad[i] = b;
            rejected += decode_alone(bad).rejects > 0;
        }
    CHECK(rejected > static_cast<int>(m.size()));  // most replacements break the message
}

TEST_CASE("wrong types, huge numbers, extra and duplicate fields: the same verdict",
          "[tracks][fast]") {
    const std::string m = sample_message();
    const auto base = nlohmann::json::parse(m);
    const std::vector<std::string> values{R"("x")",
                                          "1",
                                          "0",
                                          "-1",
                                          "-0",
                                          "1.5",
                                          "-0.0",
                                          "true",
                                          "null",
                                          "[]",
                                          "{}",
                                          "[1,2]",
                                          "1e400",
                                          "-1e400",
                                          "1e-400",
                                          "1E2",
                                          "123456789012345678",
                                          "1234567890123456789",
                                          "123456789012345678901234567890",
                                          "18446744073709551616",
                                          "0.1234567890123456789012",
                                          R"("2026-12-07T09:00:00.000Z")",
                                          R"("confirmed")",
                                          R"(["radar"])",
                                          "[1,2,3,4,5,6,7,8,9,10]",
                                          "[1,0,0,0,1,0,0,1,0,1]",
                                          "[200,100,0]"};
    int rejected = 0, accepted = 0;
    // Each field the reference reads (and some it does not), at each level, set to each value.
    const auto mutate = [&](const nlohmann::json::json_pointer& where) {
        for (const std::string& v : values) {
            auto j = base;
            j[where] = "@@";
            std::string text = j.dump();
            text.replace(text.find("\"@@\""), 4, v);
            const TraceSink s = decode_alone(text);
            (s.rejects ? rejected : accepted) += 1;
        }
    };
    for (const auto& key : {"seq", "instance", "type", "id", "geometry", "properties", "tracks"})
        mutate(nlohmann::json::json_pointer("/" + std::string(key)));
    for (const auto& [key, _] : base["properties"].items())
        mutate(nlohmann::json::json_pointer("/properties/" + key));
    mutate(nlohmann::json::json_pointer("/properties/extra"));
    mutate(nlohmann::json::json_pointer("/geometry/coordinates"));
    mutate(nlohmann::json::json_pointer("/geometry/extra"));
    mutate(nlohmann::json::json_pointer("/geometry/coordinates/0"));
    mutate(nlohmann::json::json_pointer("/properties/cov/3"));
    CHECK(rejected > 100);
    CHECK(accepted > 100);  // ignored fields, nulls where absent is fine, numbers for numbers

    // Specific verdicts: malformed is rejected by both, for the reason the reference gives.
    const auto reason = [&](const std::string& text) {
        const TraceSink s = decode_alone(text);
        return s.calls.empty() ? std::string() : s.calls.back();
    };
    const auto replaced = [&](std::string_view from, std::string_view to) {
        std::string t = m;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        return t.replace(at, from.size(), to);
    };
    CHECK(reason(replaced(R"("track_id":12)", R"("track_id":"12")")) ==
          "rejected missing_field track_id");
    CHECK(reason(replaced(R"("track_id":12)", R"("track_id":99999999999999999999999)")) ==
          "rejected missing_field track_id");
    CHECK(reason(replaced(R"("east_mps":3.63)", R"("east_mps":1e999)")) == "rejected bad_json ");
    CHECK(reason(replaced(R"("east_mps":3.63)", R"("east_mps":"3.63")")) ==
          "rejected missing_field east_mps/north_mps");
    CHECK(reason(replaced(R"("east_mps":3.63)", R"("east_mps":3000.5)")) ==
          "rejected bad_value velocity");
    CHECK(reason(replaced(R"("OCEAN STAR")", "\"OCEAN \xc3\x28STAR\"")) == "rejected bad_json ");
    CHECK(reason(replaced(R"("OCEAN STAR")", "\"OCEAN \xed\xa0\x80STAR\"")) ==
          "rejected bad_json ");
    CHECK(reason(replaced(R"("OCEAN STAR")", "\"OCEAN \xc0\xafSTAR\"")) == "rejected bad_json ");
    CHECK(reason(replaced(R"("seq":41)", R"("seq":-41)")) == "rejected missing_field seq");
    CHECK(reason(m + "}") == "rejected bad_json ");
    // Extra fields are ignored by both (a newer picket may add some); duplicates: nlohmann
    // keeps the last, and the fast path leaves them to it.
    CHECK(reason(replaced(R"("properties":{)", R"("properties":{"extra":{"a":[1,{}]},)"))
              .starts_with("track 12 "));
    CHECK(reason(replaced(R"("properties":{)", R"("properties":{"track_id":13,)"))
              .starts_with("track 12 "));
    CHECK(reason(replaced(R"("type":"Feature",)", R"("type":"Feature","seq":40,)"))
              .starts_with("track 12 "));
}
