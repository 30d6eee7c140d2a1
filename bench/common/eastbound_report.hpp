#pragma once
/// The AIS report the load benchmarks send: a Class A position report of a vessel sailing due
/// east at 10 kn, high accuracy, one sentence (the latency, regional and regional-CPU benchmarks
/// all send this one, so their figures compare).
#include <string>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "sensors/ais/ais_encoder.hpp"

namespace picket::bench {

/// 10 kn in m/s: how far an eastbound vessel moves between its reports.
inline constexpr double kEastboundSpeedMps = 10 * 1852.0 / 3600.0;

inline std::string eastbound_report(Mmsi mmsi, const LatLon& at) {
    sensors::ais::PositionReportA r;
    r.mmsi = mmsi;
    r.sog_kn = 10;
    r.cog_deg = 90;
    r.lat_deg = at.lat_deg;
    r.lon_deg = at.lon_deg;
    r.high_accuracy = true;
    return sensors::ais::encode(r).front();
}

}  // namespace picket::bench
