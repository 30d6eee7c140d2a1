#pragma once
/// picket's JSON line formats for sensors without a standard wire format: radar plots,
/// camera detections and unattended ground sensor (UGS) events. One JSON object per line.
/// The field-by-field contract is in docs/radar.md and docs/camera-ugs.md. Times on the wire are
/// RFC 3339 UTC strings ("2026-11-25T13:18:52.123Z"); decoders also accept unix seconds (number).
/// Encoders write exactly the documented fields (used by sim/ and tests); parsers are strict
/// about types and ranges and never throw.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/geodetic.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"

namespace picket::sensors::json {

/// A radar plot from a radar without ASTERIX ("json-plot").
struct JsonPlot {
    std::string radar_id;                     ///< "radar"
    Timestamp time;                           ///< "time"
    double range_m{0};                        ///< "range_m", > 0
    double bearing_deg{0};                    ///< "bearing_deg", true north clockwise [0, 360)
    std::optional<double> sigma_range_m;      ///< "sigma_range_m" > 0 (else the feed's)
    std::optional<double> sigma_bearing_deg;  ///< "sigma_bearing_deg" > 0
    std::optional<std::uint64_t> track_id;    ///< "track_id": the radar's own track number
    std::optional<double> speed_mps;          ///< "speed_mps" ≥ 0 (with course_deg)
    std::optional<double> course_deg;         ///< "course_deg" [0, 360)
};

/// A camera analytics detection ("camera-json"). Either azimuth (+ optional elevation and range)
/// or a geolocated position must be present.
struct CameraDetection {
    std::string camera_id;                      ///< "camera"
    Timestamp time;                             ///< "time"
    std::optional<double> azimuth_deg;          ///< "azimuth_deg", true north clockwise
    std::optional<double> sigma_azimuth_deg;    ///< "sigma_azimuth_deg"
    std::optional<double> elevation_deg;        ///< "elevation_deg", negative looks down
    std::optional<double> sigma_elevation_deg;  ///< "sigma_elevation_deg"
    std::optional<double> range_m;              ///< "range_m" (laser rangefinder, stereo)
    std::optional<double> sigma_range_m;        ///< "sigma_range_m"
    std::optional<LatLon> position;             ///< "lat", "lon" (analytics geolocation)
    std::optional<double> sigma_position_m;     ///< "sigma_position_m"
    /// "camera_height_m": lens height above the ground it looks at (else the site height).
    std::optional<double> camera_height_m;
    TargetClass target_class{TargetClass::unknown};  ///< "class": person, vehicle, vessel, ...
    double confidence{0};                            ///< "confidence" [0, 1]
    std::uint64_t object_id{0};                      ///< "object_id": the analytics' own id
};

/// What an unattended ground sensor senses with.
enum class UgsKind : std::uint8_t { seismic, acoustic, pir, magnetic };
std::string_view to_string(UgsKind k);
std::optional<UgsKind> ugs_kind_from_string(std::string_view s);

/// An unattended ground sensor event ("ugs-json").
struct UgsEvent {
    std::string sensor_id;                           ///< "sensor"
    Timestamp time;                                  ///< "time"
    UgsKind kind{UgsKind::seismic};                  ///< "kind": seismic, acoustic, pir, magnetic
    TargetClass target_class{TargetClass::unknown};  ///< "class"
    double confidence{0};                            ///< "confidence" [0, 1] (optional on the wire)
    double radius_m{0};                              ///< "radius_m": detection radius, > 0
    std::optional<double> bearing_deg;               ///< "bearing_deg": direction of the detection
    std::optional<double> sector_deg;  ///< "sector_deg": full sector width (default 60)
    std::optional<LatLon> position;    ///< "lat","lon": sensor position (else the site)
    std::uint64_t event_id{0};         ///< "event_id" (optional on the wire)
};

/// One line of JSON (no trailing newline), fields in documented order, fixed decimals.
std::string encode_json_plot(const JsonPlot& plot);
std::string encode_camera_detection(const CameraDetection& detection);
std::string encode_ugs_event(const UgsEvent& event);

/// Strict parsers: reasons "bad_json", "missing_field", "bad_field" (wrong type),
/// "out_of_range", "bad_time".
Expected<JsonPlot, DecodeError> parse_json_plot(std::string_view line);
Expected<CameraDetection, DecodeError> parse_camera_detection(std::string_view line);
Expected<UgsEvent, DecodeError> parse_ugs_event(std::string_view line);

}  // namespace picket::sensors::json
