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

/// "cov": the 4x4 covariance of (east, north, v_east, v_north), upper triangle row by row (10
/// numbers; m², m²/s, m²/s²), so a regional server can fuse the track (docs/protocol.md).
void write_covariance(JsonWriter& w, const Eigen::Matrix4d& cov) {
    w.key("cov").begin_array();
    for (int r = 0; r < 4; ++r)
        for (int c = r; c < 4; ++c) w.value(cov(r, c), 4);
    w.end_array();
}

/// "feeds": the sensors behind the track by name (a regional track: its sources' sensors), and
/// for a regional track "sources": the source tracks it fuses.
void write_lineage(JsonWriter& w, const TrackOrigin& o, std::span<const std::string> feed_names) {
    w.key("feeds").begin_array();
    if (o.lineage) {
        for (const std::string& s : o.lineage->sensors) w.value(s);
    } else {
        for (std::size_t i = 0; i < feed_names.size() && i < 64; ++i)
            if (o.feeds >> i & 1u) w.value(feed_names[i]);
    }
    w.end_array();
    if (!o.lineage) return;
    w.key("sources").begin_array();
    for (const TrackLineage::Source& s : o.lineage->sources) {
        w.begin_object();
        if (s.feed < feed_names.size())
            w.field("feed", feed_names[s.feed]);
        else
            w.field("feed", static_cast<std::uint64_t>(s.feed));
        w.field("track_id", static_cast<std::uint64_t>(s.id)).end_object();
    }
    w.end_array();
}

double position_sigma_m(const Track& t) {
    const double var = 0.5 * (t.cov(0, 0) + t.cov(1, 1));
    return var > 0 ? std::sqrt(var) : 0.0;
}

}  // namespace

void append_track_feature(std::string& out, const Track& t, std::uint64_t seq,
                          std::span<const std::string> feed_names, const TrackOrigin& origin) {
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
    write_covariance(w, t.cov);
    write_lineage(w, origin, feed_names);
    w.end_object().end_object();
}

namespace {

void write_optional_text(JsonWriter& w, std::string_view key, const std::string& v) {
    w.key(key);
    if (v.empty())
        w.null();
    else
        w.value(v);
}

void write_optional_track(JsonWriter& w, std::string_view key, const std::optional<TrackId>& t) {
    w.key(key);
    if (t)
        w.value(static_cast<std::uint64_t>(*t));
    else
        w.null();
}

void write_evidence_entry(JsonWriter& w, const Evidence& e) {
    w.begin_object().field("seq", static_cast<std::uint64_t>(e.seq));
    w.field("kind", to_string(e.kind)).field("severity", to_string(e.severity));
    w.field("rule", e.rule).field("zone", e.zone);
    w.field("track_id", static_cast<std::uint64_t>(e.track));
    write_optional_track(w, "other_track_id", e.other_track);
    // Version 3: each target the entry is about (a group's members), when and where it joined.
    w.key("targets").begin_array();
    for (const EvidenceTarget& t : e.targets)
        w.begin_object()
            .field("track_id", static_cast<std::uint64_t>(t.track))
            .field("time", to_iso8601(t.first))
            .field("lat", t.where.lat_deg, kDegreeDecimals)
            .field("lon", t.where.lon_deg, kDegreeDecimals)
            .end_object();
    w.end_array();
    w.key("mmsi");
    if (e.mmsi)
        w.value(static_cast<std::uint64_t>(e.mmsi));
    else
        w.null();
    w.field("time", to_iso8601(e.first)).field("last", to_iso8601(e.last));
    w.field("count", static_cast<std::uint64_t>(e.count));
    w.field("lat", e.where.lat_deg, kDegreeDecimals).field("lon", e.where.lon_deg, kDegreeDecimals);
    w.field("message", e.message).end_object();
}

}  // namespace

void append_alert_feature(std::string& out, const Alert& a, std::uint64_t seq) {
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq)).field("type", "Feature");
    w.field("id", "alert-" + std::to_string(a.id));
    write_point(w, a.where);
    w.key("properties").begin_object();
    w.field("version", static_cast<std::uint64_t>(kAlertProtocolVersion));
    w.field("alert_id", static_cast<std::uint64_t>(a.id));
    w.field("incident_id", static_cast<std::uint64_t>(a.id));
    w.field("revision", static_cast<std::uint64_t>(a.revision));
    w.field("change", to_string(a.change));
    write_optional_text(w, "changed_by", a.changed_by);
    w.field("kind", to_string(a.kind));
    w.field("severity", to_string(a.severity)).field("rule", a.rule).field("zone", a.zone);
    w.field("track_id", static_cast<std::uint64_t>(a.track));
    write_optional_track(w, "other_track_id", a.other_track);
    w.key("track_ids").begin_array();
    for (TrackId t : a.tracks) w.value(static_cast<std::uint64_t>(t));
    w.end_array();
    w.field("time", to_iso8601(a.when)).field("updated", to_iso8601(a.updated));
    w.field("state", to_string(a.state)).field("active", a.active);
    w.field("escalated", a.escalated).field("reopened", static_cast<std::uint64_t>(a.reopened));
    w.field("message", a.message);
    write_optional_text(w, "acknowledged_by", a.acknowledged_by);
    write_optional_time(w, "acknowledged_at", a.acknowledged_at);
    write_optional_text(w, "closed_by", a.closed_by);
    write_optional_time(w, "closed_at", a.closed_at);
    w.key("disposition");
    if (a.disposition == Disposition::none)
        w.null();
    else
        w.value(to_string(a.disposition));
    write_optional_text(w, "assigned_to", a.assigned_to);
    write_identity(w, a.evidence.identity);
    const Track& e = a.evidence;
    w.key("evidence").begin_object();
    w.field("lat", e.position.lat_deg, kDegreeDecimals)
        .field("lon", e.position.lon_deg, kDegreeDecimals);
    w.field("speed_mps", e.speed_mps(), 2).field("course_deg", e.course_deg(), 1);
    w.field("status", to_string(e.status))
        .field("dark", e.dark())
        .field("time", to_iso8601(e.updated));
    // What saw it: for an incident with no track (a ground-sensor or camera detection) this is
    // all the control room can tell the operator about the source.
    w.field("class", to_string(e.target_class));
    write_sensors(w, e.seen_by);
    w.end_object();
    w.key("timeline").begin_array();
    for (const Evidence& ev : a.timeline) write_evidence_entry(w, ev);
    w.end_array();
    w.key("notes").begin_array();
    for (const Note& n : a.notes)
        w.begin_object()
            .field("time", to_iso8601(n.time))
            .field("by", n.by)
            .field("text", n.text)
            .end_object();
    w.end_array();
    w.end_object().end_object();
}

void append_rule_shares(std::string& out, std::span<const rules::RuleShare> shares) {
    JsonWriter w(out);
    w.begin_array();
    for (const rules::RuleShare& s : shares) {
        w.begin_object().field("rule", s.rule);
        w.field("closed", static_cast<std::uint64_t>(s.closed));
        w.field("false_alarms", static_cast<std::uint64_t>(s.false_alarms));
        w.field("share", s.share(), 4).end_object();
    }
    w.end_array();
}

std::string track_message(const Track& t, std::uint64_t seq,
                          std::span<const std::string> feed_names, const TrackOrigin& origin) {
    std::string out;
    append_track_feature(out, t, seq, feed_names, origin);
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
                             std::uint64_t seq, Timestamp now,
                             std::span<const rules::RuleShare> shares, std::string_view feeds,
                             std::span<const std::string> feed_names,
                             std::span<const TrackOrigin> origins) {
    std::string out;
    out.reserve(512 * (tracks.size() + alerts.size()) + 64);
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq)).field("time", to_iso8601(now));
    w.key("tracks").begin_array();
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        const Track& t = tracks[i];
        if (t.status == TrackStatus::deleted) continue;
        std::string one;
        append_track_feature(one, t, seq, feed_names,
                             i < origins.size() ? origins[i] : TrackOrigin{});
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
    w.key("rule_shares");
    std::string list;
    append_rule_shares(list, shares);
    w.raw(list);
    w.end_object();
    return out;
}

std::string rule_shares_message(std::span<const rules::RuleShare> shares, std::uint64_t seq,
                                Timestamp now) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().field("seq", static_cast<std::uint64_t>(seq)).field("time", to_iso8601(now));
    w.key("rule_shares");
    std::string list;
    append_rule_shares(list, shares);
    w.raw(list);
    w.end_object();
    return out;
}

}  // namespace picket::server
