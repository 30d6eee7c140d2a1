// `picket zones --layer FILE [--where EXPR] --points FILE|-`: which zones of a border layer
// contain each point, and how far the nearest boundary is. For operators checking a layer or a
// rule before deploying it; the answers are those the server's rules get from geo::ZoneSet.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/zones.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"

namespace picket::cli {
namespace {

constexpr const char* kHelp =
    "usage: picket zones --layer FILE [--layer-name NAME] [--where EXPR] [--name-field FIELD]\n"
    "                    --points FILE|-\n"
    "\n"
    "Evaluates points against the zones of a border layer and prints CSV on stdout.\n"
    "\n"
    "  --layer FILE        any OGR vector source: GeoPackage, Shapefile, GeoJSON, KML, ...\n"
    "                      (reprojected to WGS84; invalid geometry is repaired and reported)\n"
    "  --layer-name NAME   layer within the source (default: the first)\n"
    "  --where EXPR        OGR SQL attribute filter, as `ogr2ogr -where`, e.g. \"isoA3 = 'TLS'\"\n"
    "  --name-field FIELD  attribute naming each zone (default: name, NAME, isoA3, ISO_A3, ...)\n"
    "  --points FILE|-     CSV with a header naming columns id, lat, lon (WGS84 degrees)\n"
    "\n"
    "Output columns: id,zones,distance_m\n"
    "  zones       names of the selected zones containing the point, ';'-separated (empty: none)\n"
    "  distance_m  geodesic distance (WGS84, metres) to the nearest boundary of the selected\n"
    "              zones, inside or outside; cuts at +-180 longitude are not boundaries\n"
    "\n"
    "Exit status: 0 on success, 1 on a usage, layer or input error (CSV errors name the line).\n";

/// Splits one CSV record (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(const std::string& line, const std::string& where) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                out.back() += c;
            }
        } else if (c == '"' && out.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    if (quoted) throw std::runtime_error(where + ": unterminated quoted field");
    return out;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

double parse_degrees(const std::string& text, const char* what, double limit,
                     const std::string& where) {
    std::size_t used = 0;
    double v = std::numeric_limits<double>::quiet_NaN();
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(v))
        throw std::runtime_error(where + ": " + what + " '" + text + "' is not a number");
    if (std::abs(v) > limit)
        throw std::runtime_error(where + ": " + what + " " + text + " is outside [-" +
                                 std::to_string(static_cast<int>(limit)) + ", " +
                                 std::to_string(static_cast<int>(limit)) + "]");
    return v;
}

int evaluate(const geo::ZoneSet& zones, std::istream& in, const std::string& source) {
    std::string line;
    std::size_t line_no = 0;
    int col_id = -1, col_lat = -1, col_lon = -1;
    std::string out = "id,zones,distance_m\n";
    char buf[64];
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::string where = source + ":" + std::to_string(line_no);
        const std::vector<std::string> f = split_csv(line, where);
        if (col_id < 0) {
            for (std::size_t i = 0; i < f.size(); ++i) {
                if (f[i] == "id") col_id = static_cast<int>(i);
                if (f[i] == "lat") col_lat = static_cast<int>(i);
                if (f[i] == "lon") col_lon = static_cast<int>(i);
            }
            if (col_id < 0 || col_lat < 0 || col_lon < 0)
                throw std::runtime_error(where +
                                         ": the header must name the columns id, lat and lon");
            continue;
        }
        const auto need = static_cast<std::size_t>(std::max({col_id, col_lat, col_lon})) + 1;
        if (f.size() < need)
            throw std::runtime_error(where + ": expected at least " + std::to_string(need) +
                                     " fields, got " + std::to_string(f.size()));
        const LatLon p{parse_degrees(f[static_cast<std::size_t>(col_lat)], "lat", 90, where),
                       parse_degrees(f[static_cast<std::size_t>(col_lon)], "lon", 180, where)};
        std::string names;
        for (std::size_t z : zones.zones_containing(p))
            names += (names.empty() ? "" : ";") + zones.name(z);
        double d = std::numeric_limits<double>::infinity();
        for (std::size_t z = 0; z < zones.size(); ++z)
            d = std::min(d, zones.distance_to_boundary_m(z, p));
        std::snprintf(buf, sizeof buf, "%.3f", d);
        out += csv_field(f[static_cast<std::size_t>(col_id)]) + "," + csv_field(names) + "," + buf +
               "\n";
        if (out.size() > (1u << 16)) {
            std::fputs(out.c_str(), stdout);
            out.clear();
        }
    }
    if (col_id < 0)
        throw std::runtime_error(source + ": empty input, expected a header id,lat,lon");
    std::fputs(out.c_str(), stdout);
    return 0;
}

}  // namespace

int run_zones(int argc, char** argv) {
    try {
        const Args args(argc, argv, {"layer", "layer-name", "where", "name-field", "points"}, {});
        if (args.help()) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (!args.positional().empty())
            throw std::runtime_error("unexpected argument '" + args.positional()[0] + "'");
        const auto layer = args.get("layer");
        const auto points = args.get("points");
        if (!layer) throw std::runtime_error("--layer FILE is required");
        if (!points) throw std::runtime_error("--points FILE|- is required");
        const geo::ZoneSet zones = geo::ZoneSet::load({*layer, args.get("layer-name").value_or(""),
                                                       args.get("where").value_or(""),
                                                       args.get("name-field").value_or("")});
        if (*points == "-") return evaluate(zones, std::cin, "<stdin>");
        std::ifstream in(*points);
        if (!in) throw std::runtime_error(*points + ": cannot open");
        return evaluate(zones, in, *points);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "picket zones: %s\n", e.what());
        return 1;
    }
}

}  // namespace picket::cli
