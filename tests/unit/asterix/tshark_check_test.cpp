// Our ASTERIX encoders against an independent reference decoder: Debian's tshark (Wireshark
// 4.0 ASTERIX dissector). Each encoded datagram is wrapped in a pcap (Ethernet/IPv4/UDP), run
// through `tshark -d udp.port==8600,asterix`, and must decode without malformed-packet or
// expert entries, to the values we put in. Skipped (with a warning) where tshark is absent.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "sensors/asterix/asterix_decoder.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "sensors/asterix/cat062_encoder.hpp"
#include "tests/unit/asterix/cat048_test_vectors.hpp"
#include "tests/unit/asterix/pcap_writer.hpp"

using namespace picket;
using namespace picket::sensors::asterix;

namespace {

constexpr std::uint16_t kPort = 8600;

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    ::pclose(p);
    return out;
}

struct Pcap {
    std::string path;
    explicit Pcap(const std::vector<std::string>& datagrams, const char* tag) {
        path = (std::filesystem::temp_directory_path() /
                ("picket_tshark_" + std::string(tag) + "_" + std::to_string(::getpid()) + ".pcap"))
                   .string();
        REQUIRE(test::write_udp_pcap(path, datagrams, kPort));
    }
    ~Pcap() { std::filesystem::remove(path); }
};

std::string tshark(const std::string& pcap, const std::string& args) {
    return run("tshark -r '" + pcap + "' -d udp.port==" + std::to_string(kPort) + ",asterix " +
               args + " 2>/dev/null");
}

/// Fields of every packet: one row per packet, '|' between fields, ',' between occurrences.
std::vector<std::vector<std::vector<double>>> fields(const std::string& pcap,
                                                     const std::vector<std::string>& names) {
    std::string args = "-T fields -E separator='|' -E occurrence=a -E aggregator=','";
    for (const auto& n : names) args += " -e " + n;
    std::vector<std::vector<std::vector<double>>> rows;
    std::istringstream lines(tshark(pcap, args));
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::vector<double>> row;
        std::istringstream cols(line);
        std::string col;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (!std::getline(cols, col, '|')) col.clear();
            std::vector<double> values;
            std::istringstream vs(col);
            std::string v;
            while (std::getline(vs, v, ',')) values.push_back(std::stod(v));
            row.push_back(values);
        }
        rows.push_back(row);
    }
    return rows;
}

/// Everything tshark flags: malformed packets and expert-info entries of any severity.
std::string problems(const std::string& pcap) {
    std::string out =
        tshark(pcap, "-T fields -e _ws.malformed -e _ws.expert -e _ws.expert.message");
    std::string flagged;
    for (char c : out)
        if (c != '\n' && c != '\t' && c != '\r') flagged.push_back(c);
    return flagged;
}

// Fields read back from the three datagrams under test, in one tshark run (tshark's start-up
// dominates: one run keeps the test at a couple of seconds).
const std::vector<std::string> kFields = {
    "asterix.048_040_RHO",   "asterix.048_040_THETA", "asterix.048_140_VALUE",
    "asterix.048_161_TRN",   "asterix.048_200_GSP",   "asterix.048_200_HDG",
    "asterix.048_042_X",     "asterix.048_042_Y",     "asterix.034_041_VALUE",
    "asterix.048_170_TRE",   "asterix.048_020_TYP",   "asterix.048_170_CNF",
    "asterix.062_105_LAT",   "asterix.062_105_LON",   "asterix.062_185_VX",
    "asterix.062_185_VY",    "asterix.062_100_X",     "asterix.062_100_Y",
    "asterix.062_040_VALUE", "asterix.062_070_VALUE", "asterix.062_080_CNF",
    "asterix.062_080_CST",   "asterix.062_080_TSE",   "asterix.062_010_SIC"};

std::size_t col(const char* name) {
    return static_cast<std::size_t>(std::find(kFields.begin(), kFields.end(), name) -
                                    kFields.begin());
}

std::vector<Cat048Plot> sample_plots() {
    std::vector<Cat048Plot> plots;
    for (int i = 0; i < 12; ++i) {
        Cat048Plot p;
        p.source = {25, 201};
        p.time_of_day_s = 45296.5 + i * 0.25;
        p.polar = Cat048Plot::Polar{500.0 + 4321.7 * i, 29.97 * i};
        if (i % 2 == 0) p.track_number = static_cast<std::uint16_t>(100 + i);
        if (i % 3 == 0) p.velocity = Cat048Plot::Velocity{3.3 * i, 359.9 - 17.1 * i};
        if (i % 4 == 0) p.cartesian = Cat048Plot::Cartesian{-1234.5 * i, 987.6 * i};
        p.track_end = i == 10;
        plots.push_back(p);
    }
    return plots;
}

std::vector<Cat062Track> sample_tracks() {
    std::vector<Cat062Track> tracks;
    for (int i = 0; i < 6; ++i) {
        Cat062Track t;
        t.source = {25, 100};
        if (i % 2) t.service_id = 3;
        t.time_of_track_s = 43200.0 + i * 1.5;
        t.position = {-8.55 + 0.0137 * i, 125.57 - 0.0211 * i};
        if (i != 3) {
            t.x_m = -15000.25 + 3333.0 * i;
            t.y_m = 8000.0 - 2500.5 * i;
        }
        t.vx_mps = -7.25 + 2.0 * i;
        t.vy_mps = 4.5 - 1.25 * i;
        t.track_number = static_cast<std::uint16_t>(1000 + i);
        t.tentative = i == 0;
        t.coasting = i == 4;
        t.track_end = i == 5;
        if (i % 2 == 0) t.mode_of_movement = Cat062ModeOfMovement{};
        tracks.push_back(t);
    }
    return tracks;
}

/// One tshark run over the three datagrams: ours (CAT034 + CAT048), ours (CAT062), and the
/// third-party CAT048 vector. Cached: the test cases below read it.
struct Run {
    bool available{false};
    std::string problems;
    std::vector<std::vector<std::vector<double>>> rows;
};

std::string cat048_datagram() {
    std::string d = encode_cat034_north_marker({25, 201}, 45296.0, 4.5);
    append_cat048_block(sample_plots(), d);
    return d;
}

const Run& run_once() {
    static const Run run = [] {
        Run r;
        r.available = have_tshark();
        if (!r.available) return r;
        Pcap pcap({cat048_datagram(), encode_cat062_block(sample_tracks()), test::kJasterixCat048},
                  "ok");
        r.problems = problems(pcap.path);
        r.rows = fields(pcap.path, kFields);
        return r;
    }();
    return run;
}

}  // namespace

TEST_CASE("tshark decodes our CAT048 + CAT034 datagram cleanly and identically",
          "[asterix][tshark]") {
    const Run& run = run_once();
    if (!run.available) {
        WARN("tshark not installed: skipping the Wireshark cross-check");
        return;
    }
    CHECK(run.problems.empty());
    REQUIRE(run.rows.size() == 3);
    const auto plots = sample_plots();
    const auto& r = run.rows[0];
    const auto& rho = r[col("asterix.048_040_RHO")];
    const auto& theta = r[col("asterix.048_040_THETA")];
    const auto& tod = r[col("asterix.048_140_VALUE")];
    const auto& trn = r[col("asterix.048_161_TRN")];
    const auto& gsp = r[col("asterix.048_200_GSP")];
    const auto& hdg = r[col("asterix.048_200_HDG")];
    const auto& x = r[col("asterix.048_042_X")];
    const auto& y = r[col("asterix.048_042_Y")];
    REQUIRE(rho.size() == plots.size());
    REQUIRE(theta.size() == plots.size());
    REQUIRE(tod.size() == plots.size());
    std::size_t tn = 0, vel = 0, xy = 0;
    for (std::size_t i = 0; i < plots.size(); ++i) {
        const auto& p = plots[i];
        CHECK(rho[i] * 1852.0 == Approx(p.polar->range_m).margin(0.5 * 1852 / 256));
        CHECK(std::fabs(std::remainder(theta[i] - p.polar->azimuth_deg, 360.0)) <=
              0.5 * 360 / 65536 + 1e-9);
        CHECK(tod[i] == Approx(p.time_of_day_s).margin(1e-9));
        if (p.track_number) CHECK(trn.at(tn++) == *p.track_number);
        if (p.velocity) {
            CHECK(gsp.at(vel) * 1852.0 ==
                  Approx(p.velocity->ground_speed_mps).margin(0.5 * 1852 / 16384));
            CHECK(std::fabs(std::remainder(hdg.at(vel) - p.velocity->heading_deg, 360.0)) <=
                  0.5 * 360 / 65536 + 1e-9);
            ++vel;
        }
        if (p.cartesian) {
            CHECK(x.at(xy) * 1852.0 == Approx(p.cartesian->x_m).margin(0.5 * 1852 / 128));
            CHECK(y.at(xy) * 1852.0 == Approx(p.cartesian->y_m).margin(0.5 * 1852 / 128));
            ++xy;
        }
    }
    CHECK(tn == trn.size());
    CHECK(vel == gsp.size());
    CHECK(xy == x.size());
    CHECK(r[col("asterix.034_041_VALUE")] == std::vector<double>{4.5});
    // TRE appears only in records with an I048/170 extent, and is set only for plot 10.
    CHECK(r[col("asterix.048_170_TRE")] == std::vector<double>{1});
}

TEST_CASE("tshark decodes our CAT062 system tracks cleanly and identically", "[asterix][tshark]") {
    const Run& run = run_once();
    if (!run.available) {
        WARN("tshark not installed: skipping the Wireshark cross-check");
        return;
    }
    CHECK(run.problems.empty());
    REQUIRE(run.rows.size() == 3);
    const auto tracks = sample_tracks();
    const auto& r = run.rows[1];
    const auto& lat = r[col("asterix.062_105_LAT")];
    const auto& lon = r[col("asterix.062_105_LON")];
    const auto& vx = r[col("asterix.062_185_VX")];
    const auto& vy = r[col("asterix.062_185_VY")];
    const auto& x = r[col("asterix.062_100_X")];
    const auto& y = r[col("asterix.062_100_Y")];
    const auto& tn = r[col("asterix.062_040_VALUE")];
    const auto& tod = r[col("asterix.062_070_VALUE")];
    const auto& cnf = r[col("asterix.062_080_CNF")];
    const auto& sic = r[col("asterix.062_010_SIC")];
    REQUIRE(lat.size() == tracks.size());
    REQUIRE(lon.size() == tracks.size());
    REQUIRE(vx.size() == tracks.size());
    REQUIRE(vy.size() == tracks.size());
    REQUIRE(tn.size() == tracks.size());
    REQUIRE(tod.size() == tracks.size());
    REQUIRE(cnf.size() == tracks.size());
    REQUIRE(sic.size() == tracks.size());
    const double lsb_deg = 180.0 / 33554432.0;
    std::size_t xy = 0;
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        const auto& t = tracks[i];
        CHECK(lat[i] == Approx(t.position.lat_deg).margin(0.5 * lsb_deg + 1e-12));
        CHECK(lon[i] == Approx(t.position.lon_deg).margin(0.5 * lsb_deg + 1e-12));
        CHECK(vx[i] == Approx(t.vx_mps).margin(0.125));
        CHECK(vy[i] == Approx(t.vy_mps).margin(0.125));
        if (t.x_m) {
            CHECK(x.at(xy) == Approx(*t.x_m).margin(0.25));
            CHECK(y.at(xy) == Approx(*t.y_m).margin(0.25));
            ++xy;
        }
        CHECK(tn[i] == t.track_number);
        CHECK(tod[i] == Approx(t.time_of_track_s).margin(0.5 / 128));
        CHECK(cnf[i] == (t.tentative ? 1 : 0));
        CHECK(sic[i] == 100);
    }
    CHECK(xy == x.size());
    // CST/TSE exist only in records long enough to carry those extents; one of each is set.
    const auto& cst = r[col("asterix.062_080_CST")];
    const auto& tse = r[col("asterix.062_080_TSE")];
    CHECK(std::count(cst.begin(), cst.end(), 1.0) == 1);
    CHECK(std::count(tse.begin(), tse.end(), 1.0) == 1);
}

TEST_CASE("our CAT048 decoder agrees with tshark on a third-party record", "[asterix][tshark]") {
    const Run& run = run_once();
    if (!run.available) {
        WARN("tshark not installed: skipping the Wireshark cross-check");
        return;
    }
    struct One final : AsterixVisitor {
        std::vector<Cat048Report> r;
        void cat048(const Cat048Report& x) override { r.push_back(x); }
        void cat034(const Cat034Report&) override {}
        void rejected(DecodeError) override { FAIL("rejected"); }
    } ours;
    decode_asterix_datagram(test::kJasterixCat048, ours);
    REQUIRE(ours.r.size() == 1);
    const auto& p = ours.r[0].plot;
    REQUIRE(run.rows.size() == 3);
    const auto& r = run.rows[2];
    const auto first = [&](const char* name) { return r[col(name)].at(0); };
    CHECK(first("asterix.048_040_RHO") * 1852.0 == Approx(p.polar->range_m).epsilon(1e-9));
    CHECK(first("asterix.048_040_THETA") == Approx(p.polar->azimuth_deg).epsilon(1e-9));
    CHECK(first("asterix.048_140_VALUE") == Approx(p.time_of_day_s).epsilon(1e-12));
    CHECK(first("asterix.048_161_TRN") == *p.track_number);
    CHECK(first("asterix.048_200_GSP") * 1852.0 ==
          Approx(p.velocity->ground_speed_mps).epsilon(1e-9));
    CHECK(first("asterix.048_200_HDG") == Approx(p.velocity->heading_deg).epsilon(1e-9));
    CHECK(first("asterix.048_020_TYP") == static_cast<int>(p.type));
    CHECK(first("asterix.048_170_CNF") == (p.confirmed ? 0 : 1));
}

TEST_CASE("the tshark check does catch a broken datagram", "[asterix][tshark]") {
    if (!have_tshark()) {
        WARN("tshark not installed: skipping the Wireshark cross-check");
        return;
    }
    // Negative control: a CAT062 block whose LEN claims 5 octets more than were sent (the last
    // record is cut inside an item) must be flagged, or the checks above prove nothing.
    std::string d = encode_cat062_block(sample_tracks());
    d.resize(d.size() - 5);
    Pcap pcap({d}, "broken");
    CHECK_FALSE(problems(pcap.path).empty());
}
