#include "src/outputs/cot.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace picket::outputs {
namespace {

/// CoT's "unknown" for hae/le (CoT 2.0 event schema: 9999999.0 means not known).
constexpr double kCotUnknown = 9999999.0;

void append_fixed(std::string& out, double v, int decimals) {
    if (!std::isfinite(v)) v = 0.0;
    // to_chars is exact (correctly rounded, like printf) and locale-free, and several times
    // faster than snprintf: this runs ~7 times per event.
    char buf[352];  // enough for any finite double in fixed notation
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    out.append(buf, r.ec == std::errc() ? static_cast<std::size_t>(r.ptr - buf) : 0);
}

/// to_iso8601 with a one-entry cache per thread and slot: every event of a publish cycle shares
/// `time` and `stale`, so those are formatted once per cycle instead of once per event.
const std::string& iso_cached(Timestamp t, int slot) {
    struct Entry {
        std::int64_t ns{INT64_MIN};
        std::string text;
    };
    thread_local Entry cache[3];
    Entry& e = cache[slot];
    if (e.ns != t.ns) {
        e.ns = t.ns;
        e.text = to_iso8601(t);
    }
    return e.text;
}

void attr(std::string& out, std::string_view name, std::string_view value) {
    out += ' ';
    out += name;
    out += "=\"";
    append_xml_escaped(out, value);
    out += '"';
}

void attr(std::string& out, std::string_view name, double value, int decimals) {
    out += ' ';
    out += name;
    out += "=\"";
    append_fixed(out, value, decimals);
    out += '"';
}

char affiliation(const Track& t) {
    switch (t.standing) {
        case Standing::friendly:
            return 'f';
        case Standing::neutral:
            return 'n';
        case Standing::suspect:
            return 's';
        case Standing::hostile:
            return 'h';
        case Standing::unknown:
            break;
    }
    // Why: a confirmed track that never matched an AIS report is the contact an operator is
    // looking for; TAK has no "dark" flag, suspect is the nearest affiliation.
    return t.dark() ? 's' : 'u';
}

char dimension(TargetClass c) {
    switch (c) {
        case TargetClass::person:
        case TargetClass::vehicle:
            return 'G';
        case TargetClass::aircraft:
            return 'A';
        case TargetClass::unknown:
        case TargetClass::vessel:
        case TargetClass::fast_boat:
            break;
    }
    return 'S';
}

/// 1-sigma horizontal error: root of the mean of the east and north variances (m). CoT's `ce`
/// is a circular 1-sigma radius; for an elliptic covariance this is the RMS radius / sqrt(2).
double circular_error_m(const Track& t) {
    const double var = 0.5 * (t.cov(0, 0) + t.cov(1, 1));
    return var > 0 && std::isfinite(var) ? std::sqrt(var) : kCotUnknown;
}

void begin_event(std::string& out, std::string_view uid, std::string_view type, Timestamp now,
                 Timestamp start, Duration stale) {
    out += R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";
    out += "<event";
    attr(out, "version", "2.0");
    attr(out, "uid", uid);
    attr(out, "type", type);
    attr(out, "how", "m-f");  // machine, fused (several sensors)
    attr(out, "time", iso_cached(now, 0));
    attr(out, "start", iso_cached(start > now ? now : start, 1));
    attr(out, "stale", iso_cached(now + stale, 2));
    out += '>';
}

void point(std::string& out, LatLon p, double hae_m, double ce_m) {
    out += "<point";
    attr(out, "lat", p.lat_deg, 7);
    attr(out, "lon", p.lon_deg, 7);
    attr(out, "hae", hae_m, 1);
    attr(out, "ce", ce_m, 1);
    attr(out, "le", kCotUnknown, 1);
    out += "/>";
}

std::string callsign_for(const Track& t) {
    if (t.identity && !t.identity->name.empty()) return t.identity->name;
    if (!t.label.empty()) return t.label;
    return "T" + std::to_string(t.id);
}

std::string sensors_text(const Track& t) {
    static constexpr SensorKind kAll[] = {SensorKind::ais, SensorKind::radar, SensorKind::camera,
                                          SensorKind::ugs};
    std::string s;
    for (SensorKind k : kAll) {
        if (!t.seen_by.has(k)) continue;
        if (!s.empty()) s += ',';
        s += to_string(k);
    }
    return s.empty() ? "none" : s;
}

}  // namespace

std::string cot_uid_for_track(TrackId id) { return "picket-track-" + std::to_string(id); }
std::string cot_uid_for_alert(AlertId id) { return "picket-alert-" + std::to_string(id); }

std::string cot_type_for_track(const Track& track) {
    std::string type = "a-?-?";
    type[2] = affiliation(track);
    type[4] = dimension(track.target_class);
    return type;
}

std::string cot_event_for_track(const Track& track, Timestamp now, Duration stale) {
    std::string out;
    out.reserve(768);
    const std::string type = cot_type_for_track(track);
    begin_event(out, cot_uid_for_track(track.id), type, now, track.updated, stale);
    point(out, track.position, type[4] == 'S' ? 0.0 : kCotUnknown, circular_error_m(track));
    out += "<detail><track";
    attr(out, "course", track.course_deg(), 1);
    attr(out, "speed", track.speed_mps(), 2);  // CoT detail/track speed is metres per second
    out += "/><contact";
    attr(out, "callsign", callsign_for(track));
    out += "/><remarks>";
    std::string remarks = "status=";
    remarks += to_string(track.status);
    remarks += " class=";
    remarks += to_string(track.target_class);
    remarks += " standing=";
    remarks += to_string(track.standing);
    if (track.dark()) remarks += " dark";
    if (track.identity) remarks += " mmsi=" + std::to_string(track.identity->mmsi);
    if (track.spoof_suspect) remarks += " spoof_suspect";
    remarks += " sensors=" + sensors_text(track);
    append_xml_escaped(out, remarks);
    out += "</remarks></detail></event>";
    return out;
}

bool cot_alert_is_emergency(const Alert& alert, bool linked) {
    // ATAK's emergencies are calls for help that sound an alarm on every device; of picket's
    // alerts only a critical breach of a border or zone is one ("Geo-fence Breached").
    const bool breach =
        alert.kind == AlertKind::border_crossing || alert.kind == AlertKind::zone_entry;
    return linked && breach && alert.severity == Severity::critical &&
           alert.state != AlertState::closed;
}

std::int32_t cot_severity_argb(Severity s) {
    // ATAK's spot-map palette (Point Dropper): red -65536, orange -35072, yellow -256,
    // white -1, grey -8947849.
    switch (s) {
        case Severity::critical:
            return -65536;
        case Severity::high:
            return -35072;
        case Severity::medium:
            return -256;
        case Severity::low:
            return -1;
        case Severity::info:
            break;
    }
    return -8947849;
}

namespace {

std::string alert_callsign(const Alert& alert) {
    std::string callsign = "ALERT " + std::to_string(alert.id) + ' ';
    callsign += to_string(alert.kind);
    return callsign;
}

void alert_remarks(std::string& out, const Alert& alert) {
    std::string remarks = "[";
    remarks += to_string(alert.severity);
    remarks += "] [";
    remarks += to_string(alert.state);
    remarks += "] ";
    remarks += alert.message;
    if (!alert.zone.empty()) remarks += " zone=" + alert.zone;
    out += "<remarks>";
    append_xml_escaped(out, remarks);
    out += "</remarks>";
}

void link_to(std::string& out, const CotLink& link) {
    out += "<link";
    attr(out, "uid", link.uid);
    attr(out, "type", link.type);
    attr(out, "relation", "p-p");  // parent-producer: the track this alert is about
    out += "/>";
}

}  // namespace

std::string cot_event_for_alert(const Alert& alert, Timestamp now, Duration stale,
                                const CotLink* link, bool allow_emergency) {
    std::string out;
    out.reserve(900);
    const bool emergency = allow_emergency && cot_alert_is_emergency(alert, link != nullptr);
    begin_event(out, cot_uid_for_alert(alert.id), emergency ? "b-a-g" : "b-m-p-s-m", now,
                alert.when, stale);
    point(out, alert.where, kCotUnknown, circular_error_m(alert.evidence));
    out += "<detail><contact";
    attr(out, "callsign", alert_callsign(alert));
    out += "/>";
    if (emergency) {
        // As ATAK's EmergencyManager writes it: the link to the item in distress, then the
        // emergency's type and, as text, that item's callsign.
        link_to(out, *link);
        out += "<emergency";
        attr(out, "type", "Geo-fence Breached");
        out += '>';
        append_xml_escaped(out, callsign_for(alert.evidence));
        out += "</emergency>";
    } else {
        // A spot-map marker as ATAK's Point Dropper makes it: the colour twice, as <color> and
        // as the icon path (ATAK draws a white dot when either is missing).
        const std::string argb = std::to_string(cot_severity_argb(alert.severity));
        out += "<color";
        attr(out, "argb", argb);
        out += "/><usericon";
        attr(out, "iconsetpath", "COT_MAPPING_SPOTMAP/b-m-p-s-m/" + argb);
        out += "/>";
        if (link) link_to(out, *link);
    }
    alert_remarks(out, alert);
    out += "</detail></event>";
    return out;
}

std::string cot_emergency_cancel(const Alert& alert, Timestamp now, Duration stale) {
    std::string out;
    out.reserve(600);
    begin_event(out, cot_uid_for_alert(alert.id), "b-a-o-can", now, now, stale);
    point(out, alert.where, kCotUnknown, circular_error_m(alert.evidence));
    // Nothing but the cancel, as ATAK's EmergencyManager writes it.
    out += "<detail><emergency";
    attr(out, "cancel", "true");
    out += '>';
    append_xml_escaped(out, callsign_for(alert.evidence));
    out += "</emergency></detail></event>";
    return out;
}

std::string cot_delete_event(std::string_view uid, LatLon where, Timestamp now) {
    std::string out;
    out.reserve(400);
    // The event carries the deleted item's own uid, as ATAK's own delete broadcast and node-cot's
    // ForceDelete do: a TAK server that keeps the latest event per uid for late joiners then keeps
    // this deletion, not the track's last position. Times formatted directly (deletions are rare;
    // iso_cached's slots hold this cycle's track times).
    out += R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";
    out += "<event";
    attr(out, "version", "2.0");
    attr(out, "uid", uid);
    attr(out, "type", "t-x-d-d");
    attr(out, "how", "m-f");
    const std::string t = to_iso8601(now);
    attr(out, "time", t);
    attr(out, "start", t);
    attr(out, "stale", to_iso8601(now + Duration::from_seconds(60)));
    out += '>';
    point(out, where, kCotUnknown, kCotUnknown);
    out += "<detail><link";
    attr(out, "uid", uid);
    attr(out, "relation", "none");
    attr(out, "type", "none");
    out += "/><__forcedelete/></detail></event>";
    return out;
}

void append_xml_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // XML 1.0 forbids most control characters even escaped; AIS names never need them.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    out += ' ';
                } else {
                    out += c;
                }
        }
    }
}

}  // namespace picket::outputs
