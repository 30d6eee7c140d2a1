#pragma once
/// GeoPackage export of the store: what happened, for QGIS and any OGR tool.
///
/// Layers (EPSG:4326, lon/lat axis order as GeoPackage stores it):
///   tracks  LineString per track over the window, in time order; fields track_id, mmsi, name,
///           class, standing, label, first, last (UTC DateTime), points. Tracks with a single
///           stored position in the window have no line and are left out (counted in the summary).
///   alerts  Point at the alert's position; fields alert_id, kind, severity, rule, zone, track_id,
///           other_track_id, time, state, escalated, acknowledged_by, acknowledged_at, closed_at,
///           message.
///   actions operator commands (attribute table, no geometry): seq, time, user, command, result.
#include <cstddef>
#include <string>

#include "core/time.hpp"
#include "src/outputs/alert_store.hpp"

namespace picket::outputs {

struct GpkgExportSummary {
    std::size_t tracks{0};               ///< track features written
    std::size_t tracks_single_point{0};  ///< tracks skipped: one position only
    std::size_t alerts{0};               ///< alert features written
    std::size_t actions{0};              ///< operator actions written
};

/// Writes `out_path` (overwritten if it exists) from the store's content in [from, to].
/// Throws std::runtime_error naming the file on any GDAL failure.
GpkgExportSummary export_geopackage(const Store& store, const std::string& out_path, Timestamp from,
                                    Timestamp to);

}  // namespace picket::outputs
