#include "src/engine/message_format.hpp"

#include <cmath>

#include "core/json_writer.hpp"

namespace picket::server {
namespace {

constexpr int kDegreeDecimals = 7;  // ~1 cm: more than any sensor resolves, fewer bytes than %.17g

void write_point(JsonWriter& w, LatLon p) {
    w.key("geometry").begin_object().field("type", "Point").key("coordinates").begin_array();
    w.value(p.lon_deg, kDegreeDecimals).value(p.lat_deg, kDegreeDecimals).end_array().end_object();
}

void write_optional_time(JsonWriter& w, std::string_view key, const std::optional<Timestamp>& t) {
    w.key(key);
    if (t)
        w.value(to_iso8601(*t));
    else
        w.null();
}

void write_identity(JsonWriter& w, const std::optional<Identity>& id) {
    w.key("mmsi");
    if (id)  // 0 only in an anomaly alert about a report that claimed MMSI 0
        w.value(static_cast<std::uint64_t>(id->mmsi));
    else
        w.null();
    w.key("name");
    if (id && !id->name.empty())
        w.value(id->name);
    else
        w.null();
    w.key("callsign");
    if (id && !id->callsign.empty())
        w.value(id->callsign);
    else
        w.null();
    w.key("ship_type");
    if (id && id->ship_type)
        w.value(static_cast<std::uint64_t>(id->ship_type));
    else
        w.null();
}

/// "sensors": the kinds of sensor that contributed, in SensorKind order.
void write_sensors(JsonWriter& w, SensorMask seen_by) {
    w.key("sensors").begin_array();
    for (int k = 0; k < kSensorKindCount; ++k)
        if (seen_by.has(static_cast<SensorKind>(k))) w.value(to_string(static_cast<SensorKind>(k)));
    w.end_array();
}

double position_sigma_m(const Track& t) {
    const double var = 0.5 * (t.cov(0, 0) + t.cov(1, 1));
    return var > 0 ? std::sqrt(var) : 0.0;
}

}  // namespace

void append_track_feature(std::string& out, const Track& t, std::uint64_t seq) {
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq)).field("type", "Feature");
    w.field("id", static_cast<std::uint64_t>(t.id));
    write_point(w, t.position);
    w.key("properties").begin_object();
    w.field("track_id", static_cast<std::uint64_t>(t.id)).field("status", to_string(t.status));
    w.field("time", to_iso8601(t.updated)).field("born", to_iso8601(t.born));
    w.field("speed_mps", t.speed_mps(), 2).field("course_deg", t.course_deg(), 1);
    w.field("east_mps", t.east_mps, 2).field("north_mps", t.north_mps, 2);
    w.field("sigma_m", position_sigma_m(t), 1);
    w.field("class", to_string(t.target_class)).field("standing", to_string(t.standing));
    w.field("label", t.label).field("dark", t.dark());
    write_identity(w, t.identity);
    write_sensors(w, t.seen_by);
    w.field("spoof_suspect", t.spoof_suspect).field("ais_jump", t.ais_jump);
    write_optional_time(w, "last_ais", t.last_ais);
    w.end_object().end_object();
}

void append_alert_feature(std::string& out, const Alert& a, std::uint64_t seq) {
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq)).field("type", "Feature");
    w.field("id", "alert-" + std::to_string(a.id));
    write_point(w, a.where);
    w.key("properties").begin_object();
    w.field("alert_id", static_cast<std::uint64_t>(a.id)).field("kind", to_string(a.kind));
    w.field("severity", to_string(a.severity)).field("rule", a.rule).field("zone", a.zone);
    w.field("track_id", static_cast<std::uint64_t>(a.track));
    w.key("other_track_id");
    if (a.other_track)
        w.value(static_cast<std::uint64_t>(*a.other_track));
    else
        w.null();
    w.field("time", to_iso8601(a.when)).field("state", to_string(a.state));
    w.field("escalated", a.escalated).field("message", a.message);
    w.key("acknowledged_by");
    if (a.acknowledged_by.empty())
        w.null();
    else
        w.value(a.acknowledged_by);
    write_optional_time(w, "acknowledged_at", a.acknowledged_at);
    write_optional_time(w, "closed_at", a.closed_at);
    write_identity(w, a.evidence.identity);
    const Track& e = a.evidence;
    w.key("evidence").begin_object();
    w.field("lat", e.position.lat_deg, kDegreeDecimals)
        .field("lon", e.position.lon_deg, kDegreeDecimals);
    w.field("speed_mps", e.speed_mps(), 2).field("course_deg", e.course_deg(), 1);
    w.field("status", to_string(e.status))
        .field("dark", e.dark())
        .field("time", to_iso8601(e.updated));
    // What saw it: for an alert with no track (a ground-sensor or camera detection) this is all
    // the control room can tell the operator about the source.
    w.field("class", to_string(e.target_class));
    write_sensors(w, e.seen_by);
    w.end_object();
    w.end_object().end_object();
}

std::string track_message(const Track& t, std::uint64_t seq) {
    std::string out;
    append_track_feature(out, t, seq);
    return out;
}

std::string alert_message(const Alert& a, std::uint64_t seq) {
    std::string out;
    append_alert_feature(out, a, seq);
    return out;
}

std::string track_deleted_message(TrackId id, Timestamp when, std::uint64_t seq) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq));
    w.field("track_id", static_cast<std::uint64_t>(id))
        .field("time", to_iso8601(when))
        .end_object();
    return out;
}

std::string snapshot_message(std::span<const Track> tracks, std::span<const Alert> alerts,
                             std::uint64_t seq, Timestamp now, std::string_view feeds) {
    std::string out;
    out.reserve(512 * (tracks.size() + alerts.size()) + 64);
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq)).field("time", to_iso8601(now));
    w.key("tracks").begin_array();
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted) continue;
        std::string one;
        append_track_feature(one, t, seq);
        w.raw(one);
    }
    w.end_array().key("alerts").begin_array();
    for (const Alert& a : alerts) {
        if (a.state == AlertState::closed) continue;
        std::string one;
        append_alert_feature(one, a, seq);
        w.raw(one);
    }
    w.end_array();
    if (!feeds.empty()) w.key("feeds").raw(feeds);
    w.end_object();
    return out;
}

}  // namespace picket::server
