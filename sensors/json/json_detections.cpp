// picket's JSON line formats: strict parsers and deterministic encoders (docs/radar.md,
// docs/camera-ugs.md). nlohmann_json is used with exceptions disabled; every accessor below is
// guarded by a type check first, because nlohmann's typed getters throw on mismatch.
#include "sensors/json/json_detections.hpp"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"

namespace picket::sensors::json {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kUgsKinds{"seismic", "acoustic", "pir", "magnetic"};

/// Reads typed, range-checked fields from one JSON object; the first failure sticks.
class FieldReader {
public:
    explicit FieldReader(const json& j) : j_(j) {}

    [[nodiscard]] bool ok() const { return ok_; }
    [[nodiscard]] const DecodeError& error() const { return error_; }

    std::optional<double> number(const char* key, bool required, double min, double max) {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_number()) return fail("bad_field", key);
        const double d = v->get<double>();
        if (!std::isfinite(d) || d < min || d > max) return fail("out_of_range", key);
        return d;
    }
    std::optional<std::string> string(const char* key, bool required) {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_string()) return fail("bad_field", key);
        std::string s = v->get<std::string>();
        if (s.empty() || s.size() > 128) return fail("out_of_range", key);
        return s;
    }
    std::optional<std::uint64_t> unsigned_integer(const char* key, bool required) {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_number_unsigned()) {
            // A negative integer or a fraction is a wrong value, anything else a wrong type.
            return fail(v->is_number() ? "out_of_range" : "bad_field", key);
        }
        return v->get<std::uint64_t>();
    }
    /// RFC 3339 string, or a number of unix seconds.
    std::optional<Timestamp> time(const char* key) {
        const json* v = find(key, true);
        if (!v) return std::nullopt;
        if (v->is_string()) {
            if (auto t = parse_iso8601(v->get_ref<const std::string&>())) return t;
            return fail("bad_time", key);
        }
        if (v->is_number()) {
            const double s = v->get<double>();
            // Years 1970 .. 2261, as parse_iso8601: int64 nanoseconds end in April 2262
            // (9.22e9 s). The bound was once 1e11 s, which overflowed (found by the fuzzer).
            if (!std::isfinite(s) || s < 0 || s >= 9.2e9) return fail("bad_time", key);
            // Whole seconds and fraction apart: s × 1e9 in one double would lose ~100 ns.
            const double whole = std::floor(s);
            return Timestamp{static_cast<std::int64_t>(whole) * kNsPerSecond +
                             static_cast<std::int64_t>(std::llround((s - whole) * 1e9))};
        }
        return fail("bad_time", key);
    }
    std::optional<TargetClass> target_class(const char* key) {
        const auto s = string(key, false);
        if (!s) return ok_ ? std::optional<TargetClass>(TargetClass::unknown) : std::nullopt;
        if (auto c = target_class_from_string(*s)) return c;
        return fail("out_of_range", key);
    }
    /// lat/lon pair: both or neither.
    std::optional<LatLon> position() {
        const auto lat = number("lat", false, -90, 90);
        const auto lon = number("lon", false, -180, 180);
        if (!ok_) return std::nullopt;
        if (lat.has_value() != lon.has_value()) return fail("missing_field", lat ? "lon" : "lat");
        if (!lat) return std::nullopt;
        return LatLon{*lat, *lon};
    }

    /// Records a failure (first one wins) and returns an empty optional of any type.
    struct Empty {
        template <class T>
        operator std::optional<T>() const {  // NOLINT: implicit by design
            return std::nullopt;
        }
    };
    Empty fail(std::string_view reason, std::string_view key) {
        if (ok_) {
            ok_ = false;
            error_ = DecodeError{reason, std::string(key)};
        }
        return {};
    }

private:
    const json* find(const char* key, bool required) {
        if (!ok_) return nullptr;
        const auto it = j_.find(key);
        if (it == j_.end() || it->is_null()) {
            if (required) fail("missing_field", key);
            return nullptr;
        }
        return &*it;
    }

    const json& j_;
    bool ok_{true};
    DecodeError error_;
};

/// Parses one line into an object, or explains why not.
Expected<json, DecodeError> parse_object(std::string_view line) {
    if (line.size() > 65536) return reject("oversized");
    json j = json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return reject("bad_json");
    return j;
}

template <class T>
Expected<T, DecodeError> finish(const FieldReader& r, T value) {
    if (!r.ok()) return Unexpected<DecodeError>{r.error()};
    return value;
}

double normalise_deg(double deg) { return deg >= 360.0 ? deg - 360.0 : deg; }

}  // namespace

std::string_view to_string(UgsKind k) { return kUgsKinds[static_cast<std::size_t>(k)]; }

std::optional<UgsKind> ugs_kind_from_string(std::string_view s) {
    for (std::size_t i = 0; i < kUgsKinds.size(); ++i)
        if (kUgsKinds[i] == s) return static_cast<UgsKind>(i);
    return std::nullopt;
}

// ---- parsers --------------------------------------------------------------------------------

Expected<JsonPlot, DecodeError> parse_json_plot(std::string_view line) {
    auto j = parse_object(line);
    if (!j) return Unexpected<DecodeError>{j.error()};
    FieldReader r(*j);
    JsonPlot p;
    p.radar_id = r.string("radar", true).value_or("");
    p.time = r.time("time").value_or(Timestamp{});
    p.range_m = r.number("range_m", true, 0, 1e6).value_or(0);
    p.bearing_deg = normalise_deg(r.number("bearing_deg", true, 0, 360).value_or(0));
    p.sigma_range_m = r.number("sigma_range_m", false, 1e-3, 1e5);
    p.sigma_bearing_deg = r.number("sigma_bearing_deg", false, 1e-6, 90);
    p.track_id = r.unsigned_integer("track_id", false);
    p.speed_mps = r.number("speed_mps", false, 0, 1000);
    p.course_deg = r.number("course_deg", false, 0, 360);
    if (r.ok() && p.speed_mps.has_value() != p.course_deg.has_value())
        r.fail("missing_field", p.speed_mps ? "course_deg" : "speed_mps");
    if (p.course_deg) p.course_deg = normalise_deg(*p.course_deg);
    return finish(r, std::move(p));
}

Expected<CameraDetection, DecodeError> parse_camera_detection(std::string_view line) {
    auto j = parse_object(line);
    if (!j) return Unexpected<DecodeError>{j.error()};
    FieldReader r(*j);
    CameraDetection d;
    d.camera_id = r.string("camera", true).value_or("");
    d.time = r.time("time").value_or(Timestamp{});
    d.azimuth_deg = r.number("azimuth_deg", false, 0, 360);
    d.sigma_azimuth_deg = r.number("sigma_azimuth_deg", false, 1e-6, 90);
    d.elevation_deg = r.number("elevation_deg", false, -90, 90);
    d.sigma_elevation_deg = r.number("sigma_elevation_deg", false, 1e-6, 90);
    d.range_m = r.number("range_m", false, 1e-3, 1e6);
    d.sigma_range_m = r.number("sigma_range_m", false, 1e-3, 1e5);
    d.position = r.position();
    d.sigma_position_m = r.number("sigma_position_m", false, 1e-3, 1e5);
    d.camera_height_m = r.number("camera_height_m", false, 0, 1e4);
    d.target_class = r.target_class("class").value_or(TargetClass::unknown);
    d.confidence = r.number("confidence", false, 0, 1).value_or(0);
    d.object_id = r.unsigned_integer("object_id", false).value_or(0);
    if (r.ok() && !d.azimuth_deg && !d.position) r.fail("missing_field", "azimuth_deg");
    if (d.azimuth_deg) d.azimuth_deg = normalise_deg(*d.azimuth_deg);
    return finish(r, std::move(d));
}

Expected<UgsEvent, DecodeError> parse_ugs_event(std::string_view line) {
    auto j = parse_object(line);
    if (!j) return Unexpected<DecodeError>{j.error()};
    FieldReader r(*j);
    UgsEvent e;
    e.sensor_id = r.string("sensor", true).value_or("");
    e.time = r.time("time").value_or(Timestamp{});
    if (const auto kind = r.string("kind", true)) {
        if (auto k = ugs_kind_from_string(*kind))
            e.kind = *k;
        else
            r.fail("out_of_range", "kind");
    }
    e.target_class = r.target_class("class").value_or(TargetClass::unknown);
    e.confidence = r.number("confidence", false, 0, 1).value_or(0);
    e.radius_m = r.number("radius_m", true, 1e-3, 1e5).value_or(0);
    e.bearing_deg = r.number("bearing_deg", false, 0, 360);
    e.sector_deg = r.number("sector_deg", false, 1e-3, 360);
    e.position = r.position();
    e.event_id = r.unsigned_integer("event_id", false).value_or(0);
    if (e.bearing_deg) e.bearing_deg = normalise_deg(*e.bearing_deg);
    return finish(r, std::move(e));
}

// ---- encoders -------------------------------------------------------------------------------

std::string encode_json_plot(const JsonPlot& p) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.field("radar", std::string_view(p.radar_id));
    w.field("time", std::string_view(to_iso8601(p.time)));
    w.field("range_m", p.range_m, 2);
    w.field("bearing_deg", p.bearing_deg, 4);
    if (p.sigma_range_m) w.field("sigma_range_m", *p.sigma_range_m, 2);
    if (p.sigma_bearing_deg) w.field("sigma_bearing_deg", *p.sigma_bearing_deg, 4);
    if (p.track_id) w.field("track_id", *p.track_id);
    if (p.speed_mps && p.course_deg) {
        w.field("speed_mps", *p.speed_mps, 2);
        w.field("course_deg", *p.course_deg, 2);
    }
    w.end_object();
    return out;
}

std::string encode_camera_detection(const CameraDetection& d) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.field("camera", std::string_view(d.camera_id));
    w.field("time", std::string_view(to_iso8601(d.time)));
    if (d.azimuth_deg) w.field("azimuth_deg", *d.azimuth_deg, 4);
    if (d.sigma_azimuth_deg) w.field("sigma_azimuth_deg", *d.sigma_azimuth_deg, 4);
    if (d.elevation_deg) w.field("elevation_deg", *d.elevation_deg, 4);
    if (d.sigma_elevation_deg) w.field("sigma_elevation_deg", *d.sigma_elevation_deg, 4);
    if (d.range_m) w.field("range_m", *d.range_m, 2);
    if (d.sigma_range_m) w.field("sigma_range_m", *d.sigma_range_m, 2);
    if (d.position) {
        w.field("lat", d.position->lat_deg, 7);
        w.field("lon", d.position->lon_deg, 7);
    }
    if (d.sigma_position_m) w.field("sigma_position_m", *d.sigma_position_m, 2);
    if (d.camera_height_m) w.field("camera_height_m", *d.camera_height_m, 2);
    w.field("class", to_string(d.target_class));
    w.field("confidence", d.confidence, 3);
    w.field("object_id", d.object_id);
    w.end_object();
    return out;
}

std::string encode_ugs_event(const UgsEvent& e) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.field("sensor", std::string_view(e.sensor_id));
    w.field("time", std::string_view(to_iso8601(e.time)));
    w.field("kind", to_string(e.kind));
    w.field("class", to_string(e.target_class));
    w.field("confidence", e.confidence, 3);
    w.field("radius_m", e.radius_m, 2);
    if (e.bearing_deg) w.field("bearing_deg", *e.bearing_deg, 2);
    if (e.sector_deg) w.field("sector_deg", *e.sector_deg, 2);
    if (e.position) {
        w.field("lat", e.position->lat_deg, 7);
        w.field("lon", e.position->lon_deg, 7);
    }
    w.field("event_id", e.event_id);
    w.end_object();
    return out;
}

}  // namespace picket::sensors::json
