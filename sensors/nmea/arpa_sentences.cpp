// TTM / TLL / HDT field layouts: IEC 61162-1 ed. 5 §8.3 (TTM, TLL, HDT) = NMEA 0183 v4.10.
#include "sensors/nmea/arpa_sentences.hpp"

#include <cmath>
#include <cstdio>

namespace picket::sensors::nmea {
namespace {

Expected<double, DecodeError> required_number(const Sentence& s, std::size_t i, double min,
                                              double max, const char* name) {
    bool ok = true;
    const auto v = parse_number(s.field(i), ok);
    if (!ok) return reject("bad_field", name);
    if (!v) return reject("missing_field", name);
    if (*v < min || *v > max) return reject("out_of_range", name);
    return *v;
}

Expected<int, DecodeError> target_number(const Sentence& s) {
    auto n = required_number(s, 0, 0, 999, "target_number");
    if (!n) return Unexpected<DecodeError>{n.error()};
    if (*n != std::floor(*n)) return reject("bad_field", "target_number");
    return static_cast<int>(*n);
}

std::optional<ArpaStatus> status_of(std::string_view f) {
    if (f == "L") return ArpaStatus::lost;
    if (f == "Q") return ArpaStatus::query;
    if (f == "T") return ArpaStatus::tracking;
    return std::nullopt;
}

std::string finish_sentence(const std::string& body) {
    char tail[8];
    std::snprintf(tail, sizeof tail, "*%02X", nmea_checksum(body));
    return "$" + body + tail;
}

std::string fmt(const char* f, double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

/// ddmm.mmmm / dddmm.mmmm with hemisphere.
std::string coordinate(double deg, bool latitude) {
    const double a = std::fabs(deg);
    double d = std::floor(a);
    double m = (a - d) * 60.0;
    if (m >= 59.99995) {  // would print as 60.0000
        d += 1;
        m = 0;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, latitude ? "%02.0f%07.4f,%c" : "%03.0f%07.4f,%c", d, m,
                  latitude ? (deg < 0 ? 'S' : 'N') : (deg < 0 ? 'W' : 'E'));
    return buf;
}

std::string time_field(std::optional<double> tod) {
    if (!tod) return {};
    const double t = std::fmod(std::max(*tod, 0.0), 86400.0);
    const int h = static_cast<int>(t / 3600), mi = static_cast<int>(std::fmod(t, 3600) / 60);
    const double s = t - h * 3600 - mi * 60;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d%02d%05.2f", h, mi, std::min(s, 59.99));
    return buf;
}

}  // namespace

Expected<Ttm, DecodeError> parse_ttm(const Sentence& s) {
    Ttm t;
    const auto n = target_number(s);
    if (!n) return Unexpected<DecodeError>{n.error()};
    t.target_number = *n;
    const auto dist = required_number(s, 1, 0, 1e4, "distance");
    if (!dist) return Unexpected<DecodeError>{dist.error()};
    t.distance = *dist;
    const auto brg = required_number(s, 2, 0, 360, "bearing");
    if (!brg) return Unexpected<DecodeError>{brg.error()};
    t.bearing_deg = *brg >= 360 ? *brg - 360 : *brg;
    const std::string_view bref = s.field(3);
    if (bref != "T" && bref != "R")
        return reject(bref.empty() ? "missing_field" : "bad_field", "bearing_ref");
    t.bearing_true = bref == "T";
    bool ok = true;
    t.speed = parse_number(s.field(4), ok);
    t.course_deg = parse_number(s.field(5), ok);
    if (!ok) return reject("bad_field", "speed/course");
    if ((t.speed && (*t.speed < 0 || *t.speed > 2000)) ||
        (t.course_deg && (*t.course_deg < 0 || *t.course_deg > 360)))
        return reject("out_of_range", "speed/course");
    if (t.speed.has_value() != t.course_deg.has_value()) {
        t.speed.reset();  // one without the other is no velocity
        t.course_deg.reset();
    }
    const std::string_view cref = s.field(6);
    if (t.course_deg && cref != "T" && cref != "R") return reject("bad_field", "course_ref");
    t.course_true = cref != "R";
    const std::string_view units = s.field(9);
    if (units == "K")
        t.units = ArpaUnits::kilometres;
    else if (units == "N")
        t.units = ArpaUnits::nautical;
    else if (units == "S")
        t.units = ArpaUnits::statute;
    else
        return reject(units.empty() ? "missing_field" : "bad_field", "units");
    const auto st = status_of(s.field(11));
    if (!st) return reject(s.field(11).empty() ? "missing_field" : "bad_field", "status");
    t.status = *st;
    t.time_of_day_s = parse_time_of_day(s.field(13), ok);
    if (!ok) return reject("bad_field", "time");
    return t;
}

Expected<Tll, DecodeError> parse_tll(const Sentence& s) {
    Tll t;
    const auto n = target_number(s);
    if (!n) return Unexpected<DecodeError>{n.error()};
    t.target_number = *n;
    bool ok = true;
    const auto lat = parse_coordinate(s.field(1), s.field(2), true, ok);
    const auto lon = parse_coordinate(s.field(3), s.field(4), false, ok);
    if (!ok) return reject("bad_field", "lat/lon");
    if (!lat || !lon) return reject("missing_field", "lat/lon");
    t.lat_deg = *lat;
    t.lon_deg = *lon;
    t.time_of_day_s = parse_time_of_day(s.field(6), ok);
    if (!ok) return reject("bad_field", "time");
    const auto st = status_of(s.field(7));
    if (!st) return reject(s.field(7).empty() ? "missing_field" : "bad_field", "status");
    t.status = *st;
    return t;
}

Expected<double, DecodeError> parse_hdt(const Sentence& s) {
    auto h = required_number(s, 0, 0, 360, "heading");
    if (!h) return h;
    if (s.field(1) != "T") return reject("bad_field", "heading_ref");
    return *h >= 360 ? *h - 360 : *h;
}

std::string encode_ttm(const Ttm& t) {
    std::string b = "RATTM," + fmt("%02.0f", t.target_number) + "," + fmt("%.2f", t.distance) +
                    "," + fmt("%.1f", t.bearing_deg) + (t.bearing_true ? ",T," : ",R,");
    if (t.speed && t.course_deg)
        b += fmt("%.1f", *t.speed) + "," + fmt("%.1f", *t.course_deg) +
             (t.course_true ? ",T," : ",R,");
    else
        b += ",,,";
    b += ",,";  // CPA distance, TCPA: not computed
    b += static_cast<char>(t.units);
    b += ",,";  // target name
    b += static_cast<char>(t.status);
    b += ",," + time_field(t.time_of_day_s) + ",A";
    return finish_sentence(b);
}

std::string encode_tll(const Tll& t) {
    std::string b = "RATLL," + fmt("%02.0f", t.target_number) + "," + coordinate(t.lat_deg, true) +
                    "," + coordinate(t.lon_deg, false) + ",," + time_field(t.time_of_day_s) + ",";
    b += static_cast<char>(t.status);
    b += ",";
    return finish_sentence(b);
}

std::string encode_hdt(double heading_deg) {
    return finish_sentence("RAHDT," + fmt("%.1f", heading_deg) + ",T");
}

}  // namespace picket::sensors::nmea
