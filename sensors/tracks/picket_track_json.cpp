#include "sensors/tracks/picket_track_json.hpp"

#include <nlohmann/json.hpp>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

namespace picket::sensors {
namespace {

using nlohmann::json;

Unexpected<DecodeError> fail(std::string_view reason, std::string detail) {
    return Unexpected<DecodeError>{DecodeError{reason, std::move(detail)}};
}

const json* find(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::optional<double> number(const json& obj, const char* key) {
    const json* v = find(obj, key);
    if (!v || !v->is_number()) return std::nullopt;
    const double d = v->get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return d;
}

std::optional<std::string> text(const json& obj, const char* key) {
    const json* v = find(obj, key);
    if (!v || !v->is_string()) return std::nullopt;
    return v->get<std::string>();
}

std::optional<TrackStatus> status_from(std::string_view s) {
    if (s == "tentative") return TrackStatus::tentative;
    if (s == "confirmed") return TrackStatus::confirmed;
    if (s == "coasting") return TrackStatus::coasting;
    return std::nullopt;
}

}  // namespace

bool valid_covariance(const Eigen::Matrix4d& cov) {
    if (!cov.allFinite()) return false;
    if (!cov.isApprox(cov.transpose(), 1e-9)) return false;
    return Eigen::LLT<Eigen::Matrix4d>(cov).info() == Eigen::Success;
}

Expected<SourceTrack, DecodeError> source_track_from_feature(const json& f,
                                                             const SourceTrackDefaults& defaults) {
    const json* props = find(f, "properties");
    const json* geometry = find(f, "geometry");
    if (!props || !props->is_object() || !geometry) return fail("missing_field", "properties");
    const json* id = find(*props, "track_id");
    if (!id || !id->is_number_unsigned()) return fail("missing_field", "track_id");
    SourceTrack t;
    t.id = id->get<std::uint64_t>();

    const json* coords = find(*geometry, "coordinates");
    if (!coords || !coords->is_array() || coords->size() < 2 || !(*coords)[0].is_number() ||
        !(*coords)[1].is_number())
        return fail("missing_field", "geometry.coordinates");
    t.position = {(*coords)[1].get<double>(), (*coords)[0].get<double>()};
    if (!std::isfinite(t.position.lat_deg) || !std::isfinite(t.position.lon_deg) ||
        std::abs(t.position.lat_deg) > 90 || std::abs(t.position.lon_deg) > 180)
        return fail("bad_value", "coordinates");

    const auto time = text(*props, "time");
    if (!time) return fail("missing_field", "time");
    const auto when = parse_iso8601(*time);
    if (!when) return fail("bad_value", "time");
    t.time = *when;

    const auto ve = number(*props, "east_mps");
    const auto vn = number(*props, "north_mps");
    if (!ve || !vn) return fail("missing_field", "east_mps/north_mps");
    t.east_mps = *ve;
    t.north_mps = *vn;
    if (std::abs(t.east_mps) > 1000 || std::abs(t.north_mps) > 1000)
        return fail("bad_value", "velocity");

    if (const auto s = text(*props, "status")) {
        const auto st = status_from(*s);
        if (!st) return fail("bad_value", "status");
        t.status = *st;
    }

    if (const json* cov = find(*props, "cov")) {
        if (!cov->is_array() || cov->size() != 10) return fail("bad_covariance", "cov: 10 numbers");
        std::size_t k = 0;
        for (int r = 0; r < 4; ++r)
            for (int c = r; c < 4; ++c) {
                const json& v = (*cov)[k++];
                if (!v.is_number()) return fail("bad_covariance", "cov: not a number");
                t.cov(r, c) = t.cov(c, r) = v.get<double>();
            }
    } else {
        const auto sigma = number(*props, "sigma_m");
        if (!sigma || *sigma <= 0) return fail("missing_field", "cov or sigma_m");
        const double sv = defaults.sigma_velocity_mps;
        t.cov = Eigen::Vector4d(*sigma * *sigma, *sigma * *sigma, sv * sv, sv * sv).asDiagonal();
    }
    // Four decimals on the wire can round a near-singular velocity block to singular: a floor
    // far below any real accuracy (1 mm, 1 mm/s) keeps it positive definite without changing it.
    for (int i = 0; i < 4; ++i) t.cov(i, i) += 1e-6;
    if (!valid_covariance(t.cov)) return fail("bad_covariance", "not positive definite");

    if (const auto c = text(*props, "class")) {
        if (const auto cls = target_class_from_string(*c)) t.target_class = *cls;
    }
    if (const json* mmsi = find(*props, "mmsi"); mmsi && mmsi->is_number_unsigned()) {
        const auto m = mmsi->get<std::uint64_t>();
        if (m > 0 && m < (1u << 30)) {
            Identity ident;
            ident.mmsi = static_cast<Mmsi>(m);
            ident.name = text(*props, "name").value_or("");
            ident.callsign = text(*props, "callsign").value_or("");
            if (const auto st = number(*props, "ship_type"); st && *st >= 0 && *st < 256)
                ident.ship_type = static_cast<std::uint8_t>(*st);
            t.identity = std::move(ident);
        }
    }
    if (const auto last = text(*props, "last_ais")) t.last_ais = parse_iso8601(*last);
    if (const json* kinds = find(*props, "sensors"); kinds && kinds->is_array())
        for (const json& k : *kinds)
            if (k.is_string())
                if (const auto kind = sensor_kind_from_string(k.get<std::string>()))
                    t.seen_by.add(*kind);
    if (const json* feeds = find(*props, "feeds"); feeds && feeds->is_array())
        for (const json& n : *feeds)
            if (n.is_string() && !n.get_ref<const std::string&>().empty() &&
                n.get_ref<const std::string&>().size() <= 128)
                t.sensors.push_back(n.get<std::string>());
    if (t.sensors.empty() && !defaults.feed_id.empty()) t.sensors.push_back(defaults.feed_id);
    std::sort(t.sensors.begin(), t.sensors.end());
    t.sensors.erase(std::unique(t.sensors.begin(), t.sensors.end()), t.sensors.end());
    return t;
}

}  // namespace picket::sensors
