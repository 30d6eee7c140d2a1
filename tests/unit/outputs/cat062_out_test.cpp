#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cmath>
#include <sstream>

#include "run_command.hpp"
#include "src/outputs/cat062_out.hpp"
#include "temp_dir.hpp"
#include "test_tracks.hpp"
#include "tests/unit/asterix/pcap_writer.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

/// Tracks spread over the globe's quadrants, with velocities in every direction.
std::vector<Track> varied_tracks(int n) {
    std::vector<Track> out;
    for (int i = 0; i < n; ++i) {
        Track t = i % 2 ? sample_vessel(static_cast<TrackId>(100 + i))
                        : sample_dark_boat(static_cast<TrackId>(100 + i));
        t.position = {-60.0 + 1.7 * i, -170.0 + 6.9 * i};
        t.east_mps = 12.5 * std::sin(0.7 * i);
        t.north_mps = -9.0 * std::cos(0.3 * i);
        t.updated = sample_time() + Duration::from_seconds(0.25 * i);
        t.status = i % 3 == 0   ? TrackStatus::tentative
                   : i % 3 == 1 ? TrackStatus::confirmed
                                : TrackStatus::coasting;
        out.push_back(t);
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string part; std::getline(in, part, sep);) out.push_back(part);
    return out;
}

}  // namespace

SCENARIO("Tracks map onto CAT062 records", "[cat062]") {
    Track t = sample_vessel(70000);
    t.status = TrackStatus::coasting;
    const Timestamp now = sample_time() + Duration::from_seconds(0.5);
    const auto r = cat062_track_for(t, now, 25, 7);
    CHECK(r.source.sac == 25);
    CHECK(r.source.sic == 7);
    CHECK(r.time_of_track_s == Approx(62.0));  // updated 00:01:02 UTC
    Track never = t;
    never.updated = Timestamp{};
    CHECK(cat062_track_for(never, now, 25, 7).time_of_track_s ==
          Approx(62.5));                     // falls back to now
    CHECK(r.track_number == 70000 - 65536);  // 16-bit wrap
    CHECK(r.coasting);
    CHECK_FALSE(r.tentative);
    CHECK_FALSE(r.mono_sensor);                                           // AIS + radar
    CHECK(cat062_track_for(sample_dark_boat(), now, 25, 7).mono_sensor);  // radar only
    CHECK(r.vx_mps == 3.0);
    CHECK(r.vy_mps == 4.0);

    Track gone = sample_vessel(5);
    gone.status = TrackStatus::deleted;
    CHECK(cat062_datagram(std::span(&gone, 1), now, 25, 7).empty());
}

SCENARIO("CAT062 datagrams are split to fit the MTU, each a whole data block", "[cat062]") {
    const auto tracks = varied_tracks(120);
    const auto grams = cat062_datagrams(tracks, sample_time(), 1, 2, 1400);
    REQUIRE(grams.size() > 1);
    std::size_t records_bytes = 0;
    for (const auto& g : grams) {
        CHECK(g.size() <= 1400);
        REQUIRE(g.size() > 3);
        CHECK(static_cast<std::uint8_t>(g[0]) == 62);
        const std::size_t len =
            (static_cast<std::uint8_t>(g[1]) << 8) | static_cast<std::uint8_t>(g[2]);
        CHECK(len == g.size());  // one block per datagram
        records_bytes += g.size() - 3;
    }
    CHECK(records_bytes == cat062_datagram(tracks, sample_time(), 1, 2).size() - 3);
}

SCENARIO("tshark decodes picket's CAT062 without warnings and with the same kinematics",
         "[cat062][tshark]") {
    if (!have_program("tshark")) {
        WARN("tshark not installed: skipped");
        return;
    }
    TempDir dir;
    const auto tracks = varied_tracks(30);
    const Timestamp now = sample_time() + Duration::from_seconds(3600.25);
    const auto grams = cat062_datagrams(tracks, now, 25, 7, 1400);
    const std::string pcap = dir.file("cat062.pcap");
    REQUIRE(picket::test::write_udp_pcap(pcap, grams, 8600));

    const std::string decode_as = " -d udp.port==8600,asterix ";
    // Malformed packets and expert infos show up in verbose output; there must be none.
    const auto verbose = run_command("tshark -r " + pcap + decode_as + "-V 2>&1");
    REQUIRE(verbose.exit_code == 0);
    CHECK(verbose.out.find("Malformed") == std::string::npos);
    CHECK(verbose.out.find("Expert Info") == std::string::npos);
    const auto expert = run_command("tshark -r " + pcap + decode_as + "-q -z expert 2>&1");
    CHECK(expert.out.find("Warning") == std::string::npos);
    CHECK(expert.out.find("Error") == std::string::npos);

    const auto fields = run_command("tshark -r " + pcap + decode_as +
                                    "-T fields -E separator=';' -E aggregator=, -e "
                                    "asterix.062_040_VALUE -e asterix.062_105_LAT "
                                    "-e asterix.062_105_LON -e asterix.062_185_VX -e "
                                    "asterix.062_185_VY -e asterix.062_070_VALUE "
                                    "-e asterix.062_010_SAC -e asterix.062_010_SIC 2>/dev/null");
    REQUIRE(fields.exit_code == 0);
    std::vector<std::vector<std::string>> columns(8);
    for (const auto& line : split(fields.out, '\n')) {
        const auto cols = split(line, ';');
        REQUIRE(cols.size() == 8);
        for (std::size_t c = 0; c < 8; ++c) {
            for (const auto& v : split(cols[c], ',')) columns[c].push_back(v);
        }
    }
    REQUIRE(columns[0].size() == tracks.size());
    const double lsb_deg = 180.0 / (1 << 25);  // I062/105 LSB
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        INFO("track " << i);
        CHECK(std::stoul(columns[0][i], nullptr, 0) == tracks[i].id);  // tshark prints 0x...
        CHECK(std::abs(std::stod(columns[1][i]) - tracks[i].position.lat_deg) <= lsb_deg);
        CHECK(std::abs(std::stod(columns[2][i]) - tracks[i].position.lon_deg) <= lsb_deg);
        CHECK(std::abs(std::stod(columns[3][i]) - tracks[i].east_mps) <= 0.125);  // LSB 0.25 m/s
        CHECK(std::abs(std::stod(columns[4][i]) - tracks[i].north_mps) <= 0.125);
        // updated 00:01:02 + 0.25 i s; LSB 1/128 s
        CHECK(std::abs(std::stod(columns[5][i]) - (62.0 + 0.25 * static_cast<double>(i))) <=
              1.0 / 128);
        CHECK(std::stoul(columns[6][i], nullptr, 0) == 25);
        CHECK(std::stoul(columns[7][i], nullptr, 0) == 7);
    }
}
