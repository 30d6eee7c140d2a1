#pragma once
/// Zones and border lines from real border layers: the geometry the rules ask questions of.
///
/// Contract (implemented in geo/, used by rules/, src/ and the `picket zones` command):
///  - Everything is WGS84 lon/lat; distances are geodesic metres on WGS84.
///  - A zone is a named (multi)polygon with holes: a point inside a hole (an enclave such as
///    Oecusse inside West Timor) is NOT inside the surrounding zone.
///  - Zones split at +-180 longitude behave as one: the cut lines are not boundaries, so
///    distance_to_boundary_m and crossings ignore them.
///  - Invalid geometry is repaired on load (GEOS MakeValid) and the repair is logged.
///  - Queries are const and thread-compatible; each costs microseconds whatever the polygon's
///    size (a precomputed grid / R-tree answers most points without touching the geometry).
/// Loading throws std::runtime_error with a message naming the file and what is wrong.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/geodetic.hpp"

namespace picket::geo {

class BorderLine;

/// Where to read a layer from: any OGR data source.
struct LayerSpec {
    std::string path;        ///< file (GeoPackage, Shapefile, GeoJSON, KML, ...)
    std::string layer;       ///< layer name within the source; empty = first layer
    std::string where;       ///< OGR SQL attribute filter, as `ogr2ogr -where`; empty = all
    std::string name_field;  ///< attribute giving each zone's name; empty = try name/NAME/isoA3...
};

/// Where a path crosses a zone boundary or a border line.
struct Crossing {
    double fraction{0};  ///< along the segment a->b, in [0, 1]
    LatLon where;
    bool entering{false};  ///< zones: going in; lines: going from the line's left to its right
};

class ZoneSet {
public:
    ZoneSet();
    ~ZoneSet();
    ZoneSet(ZoneSet&&) noexcept;
    ZoneSet& operator=(ZoneSet&&) noexcept;

    /// Reads a layer with GDAL, reprojects to WGS84, repairs invalid geometry. Throws on failure.
    static ZoneSet load(const LayerSpec& spec);
    /// Builds zones from (name, WKT in lon/lat) pairs: tests and generated zones.
    static ZoneSet from_wkt(const std::vector<std::pair<std::string, std::string>>& name_wkt);

    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] const std::string& name(std::size_t zone) const;
    [[nodiscard]] const std::map<std::string, std::string>& attributes(std::size_t zone) const;
    [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;

    [[nodiscard]] bool contains(std::size_t zone, LatLon p) const;
    /// Indices of all zones containing p, ascending.
    [[nodiscard]] std::vector<std::size_t> zones_containing(LatLon p) const;
    /// Geodesic distance from p to the nearest boundary of the zone (m), inside or outside.
    [[nodiscard]] double distance_to_boundary_m(std::size_t zone, LatLon p) const;
    /// Builds what distance_to_boundary_m() needs for `zone` now, not on its first query.
    void prepare_distance(std::size_t zone) const;
    [[nodiscard]] bool distance_prepared(std::size_t zone) const;
    /// Every boundary crossing on the short path a->b, in order along it.
    [[nodiscard]] std::vector<Crossing> crossings(std::size_t zone, LatLon a, LatLon b) const;
    /// Distance along a ray from p at true bearing until it first meets the zone boundary,
    /// if within max_m.
    [[nodiscard]] std::optional<double> ray_distance_m(std::size_t zone, LatLon p,
                                                       double bearing_deg, double max_m) const;
    /// The zone as a GeoJSON geometry (for the control room map), simplified to `tolerance_deg`.
    [[nodiscard]] std::string geojson(std::size_t zone, double tolerance_deg = 0) const;

    struct Impl;

private:
    friend class BorderLine;  // derives lines from the zones' geometry
    std::unique_ptr<Impl> impl_;
};

/// A border line (polyline, possibly multi-part): the shared boundary of two land zones, or the
/// seaward limit of a territorial sea. "Left" and "right" are as seen walking along the line.
class BorderLine {
public:
    BorderLine();
    ~BorderLine();
    BorderLine(BorderLine&&) noexcept;
    BorderLine& operator=(BorderLine&&) noexcept;

    /// The shared boundary of zones a and b (GEOS intersection of their boundaries), oriented so
    /// that zone a is on the left. Empty when they do not touch.
    static BorderLine shared_boundary(const ZoneSet& zones, std::size_t a, std::size_t b,
                                      std::string name);
    /// The boundary of one zone as a line (e.g. a territorial sea's limit), zone on the left.
    static BorderLine boundary_of(const ZoneSet& zones, std::size_t zone, std::string name);
    /// The boundary of one zone except where it runs along any zone of `other`, zone on the
    /// left: the seaward limit of a territorial sea whose zone is land + sea is its boundary
    /// except along the land layer (which takes out the land border with the neighbour).
    static BorderLine boundary_except_along(const ZoneSet& zones, std::size_t zone,
                                            const ZoneSet& other, std::string name);
    static BorderLine from_wkt(std::string name, const std::string& wkt);

    [[nodiscard]] const std::string& name() const;
    [[nodiscard]] bool empty() const;
    [[nodiscard]] double length_m() const;
    [[nodiscard]] double distance_m(LatLon p) const;
    /// Builds what distance_m() needs now, not on its first query.
    void prepare_distance() const;
    [[nodiscard]] bool distance_prepared() const;
    [[nodiscard]] std::vector<Crossing> crossings(LatLon a, LatLon b) const;
    [[nodiscard]] std::string geojson() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace picket::geo
