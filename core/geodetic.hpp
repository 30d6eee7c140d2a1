#pragma once
/// Geodetic positions on WGS84. Geodesy itself (ENU frames, distances) lives in geo/.
namespace picket {

/// A WGS84 position in degrees. Longitude in [-180, 180), latitude in [-90, 90].
struct LatLon {
    double lat_deg{0};
    double lon_deg{0};
    bool operator==(const LatLon&) const = default;
};

/// A sensor's site: where it stands and which way it looks.
struct SensorSite {
    LatLon position;
    double height_m{0};       ///< antenna / lens height above the WGS84 ellipsoid (m)
    double boresight_deg{0};  ///< camera or sector radar pointing direction, true north clockwise
};

}  // namespace picket
