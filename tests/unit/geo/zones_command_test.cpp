// End to end: `picket zones` on the real Timor layers, against GEOS prepared geometry on the same
// data (zones) and GEOS's nearest boundary point (distance bounds). Skipped only when the picket
// binary has not been built (PICKET_BINARY unset or missing).
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geo/local_frame.hpp"
#include "geos_reference.hpp"
#include "tests/unit/outputs/temp_dir.hpp"

namespace {

std::string picket_binary() {
    const char* p = std::getenv("PICKET_BINARY");
    if (p == nullptr || !std::filesystem::exists(p)) return {};
    return p;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out(1);
    for (char c : line) {
        if (c == sep)
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

struct Run {
    int status;
    std::string out, err;
};

/// The test program's scratch files, removed when it ends.
const picket::outputs::testing::TempDir& scratch() {
    static const picket::outputs::testing::TempDir dir("picket-zones-e2e");
    return dir;
}

Run run_picket(const std::string& args) {
    const std::string out = scratch().file("out.csv"), err = scratch().file("err.txt");
    const int rc =
        std::system((picket_binary() + " zones " + args + " > " + out + " 2> " + err).c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_file(out), read_file(err)};
}

}  // namespace

SCENARIO("picket zones agrees with GEOS on the real Timor maritime layer", "[geo][zones][e2e]") {
    if (picket_binary().empty()) {
        WARN("PICKET_BINARY not built: skipping the picket zones end-to-end test");
        return;
    }
    const std::string layer = "data/borders/timor.gpkg";
    REQUIRE(std::filesystem::exists(layer));
    const std::string points = scratch().file("points.csv");
    struct P {
        double lat, lon;
    };
    std::vector<P> pts{
        {-9.20, 124.36}, {-8.556, 125.578}, {-10.17, 123.60}};  // Oecusse, Dili, Kupang
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> ux(123.0, 127.5), uy(-11.0, -7.5);
    for (int i = 0; i < 400; ++i) pts.push_back({uy(rng), ux(rng)});
    {
        std::ofstream f(points);
        f << "id,lat,lon\n" << std::setprecision(12);
        for (std::size_t i = 0; i < pts.size(); ++i)
            f << "p" << i << "," << pts[i].lat << "," << pts[i].lon << "\n";
    }
    const Run r =
        run_picket("--layer " + layer +
                   " --layer-name maritime --where \"isoA3 IN ('IDN', 'TLS')\" --points " + points);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const picket::geo::test::GeosReference ref(layer, "maritime", "", "isoA3");
    std::istringstream lines(r.out);
    std::string line;
    std::getline(lines, line);
    CHECK(line == "id,zones,distance_m");
    std::size_t n = 0;
    while (std::getline(lines, line)) {
        const auto f = split(line, ',');
        REQUIRE(f.size() == 3);
        REQUIRE(n < pts.size());
        CHECK(f[0] == "p" + std::to_string(n));
        const P p = pts[n];
        std::string expected;
        double upper = 1e300, lower = 1e300;
        for (std::size_t z = 0; z < ref.size(); ++z) {
            if (ref.contains(z, p.lon, p.lat))
                expected += (expected.empty() ? "" : ";") + ref.name(z);
            double qx = 0, qy = 0;
            ref.nearest_boundary_point(z, p.lon, p.lat, qx, qy);
            upper = std::min(upper, picket::geo::geodesic_distance_m({p.lat, p.lon}, {qy, qx}));
            lower = std::min(lower, ref.boundary_distance_deg(z, p.lon, p.lat) *
                                        std::min(110574.0, 111320.0 * std::cos(11.5 * M_PI / 180)));
        }
        INFO(line);
        CHECK(f[1] == expected);
        const double d = std::stod(f[2]);
        CHECK(d <= upper + 0.5);
        CHECK(d >= lower * 0.999 - 0.5);
        ++n;
    }
    CHECK(n == pts.size());
    // Oecusse is Timor-Leste, Dili too, Kupang Indonesia.
    CHECK(r.out.find("p0,TLS,") != std::string::npos);
    CHECK(r.out.find("p1,TLS,") != std::string::npos);
    CHECK(r.out.find("p2,IDN,") != std::string::npos);
}

SCENARIO("picket zones reports bad input with its line number", "[geo][zones][e2e]") {
    if (picket_binary().empty()) {
        WARN("PICKET_BINARY not built: skipping");
        return;
    }
    const std::string points = scratch().file("bad.csv");
    std::ofstream(points) << "id,lat,lon\na,-9.2,124.36\nb,north,124\n";
    const Run r = run_picket("--layer data/borders/timor.gpkg --points " + points);
    CHECK(r.status == 1);
    CHECK(r.err.find(points + ":3: lat 'north' is not a number") != std::string::npos);
    const Run help = run_picket("--help");
    CHECK(help.status == 0);
    CHECK(help.out.find("--where") != std::string::npos);
    const Run missing = run_picket("--points " + points);
    CHECK(missing.status == 1);
    CHECK(missing.err.find("--layer") != std::string::npos);
}
