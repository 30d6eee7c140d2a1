#pragma once
/// The traffic of the clock tests (unit and e2e): a 10 kn eastbound vessel whose AIS reports carry
/// the time their sender claims (an NMEA 4.10 tag block), so a test can make any clock lie.
#include <string>

#include "geo/local_frame.hpp"
#include "sensors/ais/ais_encoder.hpp"

namespace picket::clock_scene {

/// A vessel at `p` making 10 kn east, its report stamped `stamp`.
inline std::string ais(Mmsi mmsi, LatLon p, Timestamp stamp) {
    sensors::ais::PositionReportA r;
    r.mmsi = mmsi;
    r.nav_status = 0;
    r.sog_kn = 10;
    r.cog_deg = 90;
    r.high_accuracy = true;
    r.lat_deg = p.lat_deg;
    r.lon_deg = p.lon_deg;
    sensors::ais::EncodeOptions opt;
    opt.tag_time = stamp;
    std::string out;
    for (const auto& s : sensors::ais::encode(r, opt)) out += s + "\r\n";
    return out;
}

/// Where a 10 kn eastbound vessel starting at `start` is `t` seconds later.
inline LatLon sail(LatLon start, double t) {
    return geo::geodesic_destination(start, 90, 10 * 1852.0 / 3600.0 * t);
}

}  // namespace picket::clock_scene
