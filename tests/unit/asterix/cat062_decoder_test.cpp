// The CAT062 decoder: picket's own CAT062 output read back (every field within half an LSB,
// track begin/end and coasting flags), a real SDPS's records (CroatiaControl's sample), and
// bad records rejected with a reason.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sensors/asterix/capture_reader.hpp"
#include "sensors/asterix/cat062_decoder.hpp"
#include "sensors/asterix/cat062_encoder.hpp"

using namespace picket;
using namespace picket::sensors::asterix;

namespace {

std::vector<Cat062Report> decode_block(const std::string& block) {
    std::vector<Cat062Report> out;
    const auto* d = reinterpret_cast<const std::uint8_t*>(block.data());
    REQUIRE(block.size() >= 3);
    REQUIRE(d[0] == 62);
    const std::size_t len = std::size_t{d[1]} << 8 | d[2];
    REQUIRE(len == block.size());
    for (std::size_t pos = 3; pos < len;) {
        Cat062Report r;
        auto used = decode_cat062_record(d + pos, len - pos, r);
        REQUIRE(used);
        out.push_back(r);
        pos += *used;
    }
    return out;
}

}  // namespace

TEST_CASE("CAT062 tracks picket encodes decode to the same values", "[asterix][cat062]") {
    std::mt19937 rng(62);
    std::uniform_real_distribution<double> lat(-89.0, 89.0), lon(-179.9, 179.9), v(-500.0, 500.0),
        xy(-4'000'000.0, 4'000'000.0), tod(0.0, 86399.0);
    std::vector<Cat062Track> tracks;
    for (int i = 0; i < 200; ++i) {
        Cat062Track t;
        t.source = {static_cast<std::uint8_t>(i % 7), static_cast<std::uint8_t>(i % 11)};
        if (i % 3) t.service_id = static_cast<std::uint8_t>(i);
        t.time_of_track_s = tod(rng);
        t.position = {lat(rng), lon(rng)};
        if (i % 2) {
            t.x_m = xy(rng);
            t.y_m = xy(rng);
        }
        t.vx_mps = v(rng);
        t.vy_mps = v(rng);
        t.track_number = static_cast<std::uint16_t>(rng());
        t.mono_sensor = i % 5 == 0;
        t.tentative = i % 4 == 0;
        t.simulated = i % 6 == 0;
        t.track_end = i % 7 == 0;
        t.track_begin = i % 8 == 0;
        t.coasting = i % 9 == 0;
        if (i % 10 < 5)
            t.mode_of_movement =
                Cat062ModeOfMovement{Cat062ModeOfMovement::Transversal::left_turn,
                                     Cat062ModeOfMovement::Longitudinal::increasing};
        tracks.push_back(t);
    }
    const auto got = decode_block(encode_cat062_block(tracks));
    REQUIRE(got.size() == tracks.size());
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        const Cat062Track& a = tracks[i];
        const Cat062Track& b = got[i].track;
        INFO("track " << i);
        CHECK(b.source == a.source);
        CHECK(b.service_id == a.service_id);
        CHECK(b.time_of_track_s == Approx(a.time_of_track_s).margin(0.5 / 128));
        CHECK(b.position.lat_deg == Approx(a.position.lat_deg).margin(0.5 * 180.0 / 33554432.0));
        CHECK(b.position.lon_deg == Approx(a.position.lon_deg).margin(0.5 * 180.0 / 33554432.0));
        CHECK(b.x_m.has_value() == a.x_m.has_value());
        if (a.x_m) CHECK(*b.x_m == Approx(*a.x_m).margin(0.25));
        if (a.y_m) CHECK(*b.y_m == Approx(*a.y_m).margin(0.25));
        CHECK(b.vx_mps == Approx(a.vx_mps).margin(0.125));
        CHECK(b.vy_mps == Approx(a.vy_mps).margin(0.125));
        CHECK(b.track_number == a.track_number);
        CHECK(b.mono_sensor == a.mono_sensor);
        CHECK(b.tentative == a.tentative);
        CHECK(b.simulated == a.simulated);
        CHECK(b.track_end == a.track_end);
        CHECK(b.track_begin == a.track_begin);
        CHECK(b.coasting == a.coasting);
        CHECK(b.mode_of_movement.has_value() == a.mode_of_movement.has_value());
        if (a.mode_of_movement) {
            CHECK(b.mode_of_movement->trans == a.mode_of_movement->trans);
            CHECK(b.mode_of_movement->along == a.mode_of_movement->along);
        }
    }
}

TEST_CASE("a real SDPS's CAT062 records decode", "[asterix][cat062][real]") {
    // CroatiaControl's sample (tests/golden/asterix/README.md): two system tracks with /380,
    // /290, /295 and /340 between the items picket reads. Values as Wireshark shows them.
    std::ifstream f("tests/golden/asterix/croatia-cat062cat065.raw", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string file = ss.str();  // the capture holds views into it
    const Capture c = read_capture(file);
    REQUIRE(c.payloads.size() == 2);  // a CAT062 block and a CAT065 block
    const auto got = decode_block(std::string(c.payloads[0].bytes));
    REQUIRE(got.size() == 2);
    const Cat062Track& t = got[0].track;
    CHECK(t.source == DataSource{25, 100});
    CHECK(t.service_id == std::optional<std::uint8_t>(4));
    CHECK(t.time_of_track_s == 30911.6640625);
    CHECK(t.position.lat_deg == Approx(44.73441302776337).margin(1e-9));
    CHECK(t.position.lon_deg == Approx(13.0415278673172).margin(1e-9));
    CHECK(*t.x_m == -239083.0);
    CHECK(*t.y_m == -106114.0);
    CHECK(t.vx_mps == -51.25);
    CHECK(t.vy_mps == 170.0);
    CHECK(t.track_number == 4980);
    CHECK_FALSE(t.track_end);
    CHECK_FALSE(t.tentative);
    CHECK(got[1].track.track_number == 7977);
}

TEST_CASE("bad CAT062 records are rejected with a reason", "[asterix][cat062]") {
    Cat062Report r;
    const std::uint8_t truncated[] = {0x80, 0x19};  // /010 announced, one octet of two
    auto a = decode_cat062_record(truncated, sizeof truncated, r);
    REQUIRE_FALSE(a);
    CHECK(a.error().reason == "truncated");
    const std::uint8_t spare_frn[] = {0x40, 0x00};  // FRN 2 is spare in ed. 1.19
    auto b = decode_cat062_record(spare_frn, sizeof spare_frn, r);
    REQUIRE_FALSE(b);
    CHECK(b.error().reason == "bad_fspec");
}
