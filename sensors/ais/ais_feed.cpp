#include "sensors/ais/ais_feed.hpp"
#include "core/anomaly.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sensors/ais/ais_decode.hpp"
#include "sensors/ais/ais_mmsi_tables.hpp"
#include "sensors/ais/ais_reassembler.hpp"
#include "sensors/ais/ais_sentence.hpp"

namespace picket::sensors {
namespace ais {

bool plausible_mobile_mmsi(Mmsi mmsi) {
    if (mmsi < 100'000'000 || mmsi > 999'999'999) return false;  // not 9 digits
    const unsigned lead3 = mmsi / 1'000'000;
    const unsigned lead = lead3 / 100;
    if (lead >= 2 && lead <= 7) return lead3 >= 201 && lead3 <= 775;      // ship station MID range
    if (lead3 == 111) return true;                                        // SAR aircraft
    if (lead3 == 970 || lead3 == 972 || lead3 == 974) return true;        // SART, MOB, EPIRB-AIS
    if (mmsi / 10'000'000 == 98 || mmsi / 10'000'000 == 99) return true;  // craft / AtoN
    return false;
}

namespace {

constexpr double kKnotToMps = 1852.0 / 3600.0;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
constexpr double kEarthRadiusM = 6'371'008.8;
// Implied speed above which a position change is an "impossible jump" (100 kn), plus an
// allowance for two reports' position error so that a moored ship's jitter never trips it.
constexpr double kMaxSpeedMps = 100.0 * kKnotToMps;
constexpr double kJumpAllowanceM = 300.0;
// What one position report contributes, in wire units converted to SI by `report_position`.
struct PositionFields {
    Mmsi mmsi{0};
    double lat_deg{0}, lon_deg{0};
    bool lat_missing{false}, lon_missing{false};
    bool accuracy{false};
    bool has_motion{false};  // SOG and COG both available
    double sog_mps{0};
    int cog_tenths{0};  // COG in 0.1°, 0..3599 (every type's course is a whole number of these)
    int second{60};
    TargetClass target_class{TargetClass::vessel};
};

/// sin and cos of every course on the wire, 0.0° to 359.9°, computed once as the velocity code
/// computed them per report, then looked up: a call to sincos costs more than all the rest of
/// the velocity.
struct CourseTrig {
    double sin, cos;
};
// A plain function, not a lambda: a lambda is implicitly constexpr, and GCC would then fold the
// whole table at compile time, correctly rounded, and 16 of its 7200 values would differ in the
// last bit from what the C library computes at run time (and computed per report before).
std::array<CourseTrig, 3600> build_course_trig() {
    std::array<CourseTrig, 3600> t{};
    for (std::size_t a = 0; a < t.size(); ++a) {
        const double c = (static_cast<double>(a) / 10.0) * kDegToRad;
        t[a] = {std::sin(c), std::cos(c)};
    }
    return t;
}
// Built before main (no guard to check per report); nothing decodes AIS during static
// initialisation.
const std::array<CourseTrig, 3600> kCourseTrig = build_course_trig();

class AisFeedDecoder final : public FeedDecoder {
public:
    explicit AisFeedDecoder(const FeedParams& p) : params_(p) {}

    void decode(std::string_view message, Timestamp received, DecodeSink& sink) override {
        // Sweep for stale fragments at most once a second of feed time, not per message.
        if (received - last_sweep_ >= Duration::from_seconds(1) || received < last_sweep_) {
            last_sweep_ = received;
            for (int n = reassembler_.expire(received); n > 0; --n)
                sink.rejected(DecodeError{"fragment_timeout", {}});
        }
        std::size_t pos = 0;
        while (pos < message.size()) {
            std::size_t nl = message.find('\n', pos);
            if (nl == std::string_view::npos) nl = message.size();
            std::string_view line = message.substr(pos, nl - pos);
            pos = nl + 1;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.empty()) continue;
            handle_line(line, received, sink);
        }
    }

private:
    void handle_line(std::string_view line, Timestamp received, DecodeSink& sink) {
        AisSentence& s = sentence_;  // reused: parse_sentence sets every field it reports
        if (const std::string_view why = parse_sentence(line, s); !why.empty()) {
            sink.rejected(DecodeError{why, {}});
            return;
        }
        if (s.quirks != 0) [[unlikely]]
            report_quirks(s.quirks, sink);
        std::string_view reason;
        const AisBits* bits = reassembler_.add(s, received, reason);
        if (!bits) {
            if (!reason.empty()) sink.rejected(DecodeError{reason, {}});
            return;
        }
        const std::optional<Timestamp> tag_time = s.tag.time;
        if (bits->size() < 38) {
            sink.rejected(DecodeError{"truncated", {}});
            return;
        }
        // Start loading the MMSI's table slot now, so that the likely cache miss overlaps the
        // decoding below instead of stalling the lookup at its end.
        const unsigned type = bits->u(0, 6);
        const Mmsi mmsi = bits->u(8, 30);
        if (type == 5 || type == 24)
            identities_.prefetch(mmsi);
        else
            last_.prefetch(mmsi);
        switch (type) {
            case 1:
            case 2:
            case 3: {  // hot path: no variant, no strings, no Expected (kept in registers)
                if (bits->size() < kPositionAMinBits)
                    return sink.rejected(decode_position_a(*bits).error());
                const PositionA m = read_position_a(*bits);
                prefetch_course(m.course);
                report_position(fields_of(m), tag_time, received, sink);
                return;
            }
            case 18: {
                if (bits->size() < kPositionBMinBits)
                    return sink.rejected(decode_position_b(*bits).error());
                const PositionB m = read_position_b(*bits);
                prefetch_course(m.course);
                report_position(fields_of(m), tag_time, received, sink);
                return;
            }
            case 27: {
                auto m = decode_long_range(*bits);
                if (!m) return sink.rejected(m.error());
                report_position(fields_of(*m), tag_time, received, sink);
                return;
            }
            case 4:
            case 11:
                // Base station reports carry no target: only ais::decode's length rule applies
                // (M.1371-5 §3.2, 168 bits, longer accepted), without building the message.
                if (bits->size() < 168) sink.rejected(DecodeError{"truncated", {}});
                return;
            default:
                return handle_other_types(*bits, tag_time, received, sink);
        }
    }

    /// Static data, type 19 and SAR aircraft through the full decoder. Out of line: its large
    /// message variant would otherwise make the position reports' path pay for its stack frame.
    [[gnu::noinline]] void handle_other_types(const AisBits& bits,
                                              std::optional<Timestamp> tag_time, Timestamp received,
                                              DecodeSink& sink) {
        auto msg = ais::decode(bits);
        if (!msg) return sink.rejected(msg.error());
        const Timestamp observed = tag_time.value_or(received);
        if (const auto* m = std::get_if<StaticVoyage>(&*msg)) {
            Identity& id = identity_for(m->hdr.mmsi);
            id.name = m->shipname;
            id.callsign = m->callsign;
            id.imo = m->imo;
            id.ship_type = m->shiptype;
            id.length_m = m->to_bow + m->to_stern;
            id.beam_m = m->to_port + m->to_starboard;
            sink.identity(id, observed);
        } else if (const auto* e = std::get_if<PositionBExtended>(&*msg)) {
            PositionFields f;
            f.mmsi = e->hdr.mmsi;
            set_position(f, e->lat, e->lon, 600000.0);
            f.accuracy = e->accuracy;
            set_motion(f, e->speed, e->course);
            f.second = e->second;
            report_position(f, tag_time, received, sink);
            Identity& id = identity_for(e->hdr.mmsi);
            id.name = e->shipname;
            id.ship_type = e->shiptype;
            id.length_m = e->to_bow + e->to_stern;
            id.beam_m = e->to_port + e->to_starboard;
            sink.identity(id, observed);
        } else if (const auto* b = std::get_if<StaticB>(&*msg)) {
            Identity& id = identity_for(b->hdr.mmsi);
            if (b->part == StaticB::Part::a) {
                id.name = b->shipname;
            } else {
                id.callsign = b->callsign;
                id.ship_type = b->shiptype;
                if (b->hdr.mmsi / 10'000'000 != 98) {
                    id.length_m = b->to_bow + b->to_stern;
                    id.beam_m = b->to_port + b->to_starboard;
                }
            }
            sink.identity(id, observed);
        } else if (const auto* sar = std::get_if<SarAircraft>(&*msg)) {
            PositionFields f;
            f.mmsi = sar->hdr.mmsi;
            set_position(f, sar->lat, sar->lon, 600000.0);
            f.accuracy = sar->accuracy;
            // Type 9 speed is in whole knots (M.1371-5 table 53), not tenths.
            if (sar->speed < 1023 && sar->course < 3600) {
                f.has_motion = true;
                f.sog_mps = sar->speed * kKnotToMps;
                f.cog_tenths = static_cast<int>(sar->course);
            }
            f.second = sar->second;
            f.target_class = TargetClass::aircraft;
            report_position(f, tag_time, received, sink);
        }
        // Other types (base stations, AtoN, binary, safety text, link management) are valid
        // traffic but say nothing about a target's position: decoded, nothing to report.
    }

    /// Counts each vendor quirk the sentence was accepted with (feed health "quirks").
    [[gnu::noinline]] static void report_quirks(unsigned quirks, DecodeSink& sink) {
        for (; quirks != 0; quirks &= quirks - 1)
            sink.quirk(sentence_quirk_name(std::countr_zero(quirks)));
    }

    /// Starts loading the course's sin/cos entry, used at the end of report_position.
    static void prefetch_course(std::uint32_t course_tenths) {
        if (course_tenths < 3600) __builtin_prefetch(&kCourseTrig[course_tenths]);
    }

    static void set_position(PositionFields& f, std::int32_t lat, std::int32_t lon,
                             double per_deg) {
        f.lat_missing = lat == static_cast<std::int32_t>(91 * per_deg);
        f.lon_missing = lon == static_cast<std::int32_t>(181 * per_deg);
        f.lat_deg = lat / per_deg;
        f.lon_deg = lon / per_deg;
    }
    static void set_motion(PositionFields& f, std::uint32_t speed, std::uint32_t course) {
        // 1022 means "102.2 kn or more": usable as a lower bound only, so no velocity.
        if (speed < kSpeedFast && course < kCourseNotAvailable) {
            f.has_motion = true;
            f.sog_mps = speed / 10.0 * kKnotToMps;
            f.cog_tenths = static_cast<int>(course);
        }
    }
    /// Class A (1-3) and Class B (18) reports share their position fields' units (M.1371 tables
    /// 45 and 49: 1/10000 minute, 1/10 knot, 1/10 degree).
    template <class Report>
    static PositionFields fields_of_position_report(const Report& m) {
        PositionFields f;
        f.mmsi = m.hdr.mmsi;
        set_position(f, m.lat, m.lon, 600000.0);
        f.accuracy = m.accuracy;
        set_motion(f, m.speed, m.course);
        f.second = m.second;
        return f;
    }
    static PositionFields fields_of(const PositionA& m) { return fields_of_position_report(m); }
    static PositionFields fields_of(const PositionB& m) { return fields_of_position_report(m); }
    static PositionFields fields_of(const LongRange& m) {
        // Type 27: 1/10 minute positions, whole knots, whole degrees (M.1371-5 table 84), and no
        // UTC second: the satellite/long-range path has minutes of latency anyway.
        PositionFields f;
        f.mmsi = m.hdr.mmsi;
        set_position(f, m.lat, m.lon, 600.0);
        f.accuracy = m.accuracy;
        if (m.speed < 63 && m.course < 360) {
            f.has_motion = true;
            f.sog_mps = m.speed * kKnotToMps;
            f.cog_tenths = static_cast<int>(m.course) * 10;
        }
        return f;
    }

    Timestamp observed_time(std::optional<Timestamp> tag, int second, Timestamp received) const {
        if (tag) return *tag;
        if (second < 0 || second > 59) return received;
        // Move back to the start of the UTC second the report was made in: the report's second
        // is at most ~30 s behind the receipt (older data is not forwarded by receivers).
        const std::int64_t whole_s = received.ns / kNsPerSecond;  // truncated, like the remainder
        const std::int64_t rem_ns = received.ns % kNsPerSecond;
        std::int64_t sec_of_minute = whole_s % 60;
        if (sec_of_minute < 0) sec_of_minute += 60;
        std::int64_t delta = sec_of_minute - second;
        if (delta < -30) delta += 60;
        if (delta >= 30) delta -= 60;
        const std::int64_t floor_ns = received.ns - (rem_ns < 0 ? rem_ns + kNsPerSecond : rem_ns);
        return Timestamp{floor_ns - delta * kNsPerSecond};
    }

    void report_position(const PositionFields& f, std::optional<Timestamp> tag, Timestamp received,
                         DecodeSink& sink) {
        if (f.lat_missing || f.lon_missing) return;  // "not available": nothing to fuse
        if (std::fabs(f.lat_deg) > 90.0 || std::fabs(f.lon_deg) > 180.0) {
            sink.rejected(DecodeError{"out_of_range", {}});
            return;
        }
        const Timestamp observed = observed_time(tag, f.second, received);
        const LatLon where{f.lat_deg, f.lon_deg};
        if (!plausible_mobile_mmsi(f.mmsi)) {
            sink.anomaly(to_string(AnomalyReason::invalid_mmsi), f.mmsi, where, observed);
            return;
        }
        if (jumped(f.mmsi, where, observed)) {
            sink.anomaly(to_string(AnomalyReason::impossible_jump), f.mmsi, where, observed);
            return;
        }

        // Built in the argument slot (a prvalue): no copy of the 224-byte Measurement.
        sink.measurement(make_measurement(f, where, observed, received));
    }

    Measurement make_measurement(const PositionFields& f, const LatLon& where, Timestamp observed,
                                 Timestamp received) const {
        Measurement m;
        m.feed = params_.index;
        m.sensor = SensorKind::ais;
        m.observed = observed;
        m.received = received;
        m.mmsi = f.mmsi;
        m.target_class = f.target_class;
        const double sigma = params_.sigma_position_m > 0 ? params_.sigma_position_m
                             : f.accuracy                 ? 10.0
                                                          : 50.0;
        PositionZ& z = m.z.emplace<PositionZ>();
        z.where = where;
        z.cov_en_m2 << sigma * sigma, 0.0, 0.0, sigma * sigma;
        if (f.has_motion) {
            const CourseTrig& trig = kCourseTrig[static_cast<std::size_t>(f.cog_tenths)];
            const double se = trig.sin, ce = trig.cos;
            VelocityZ& v = m.velocity.emplace();
            v.east_mps = f.sog_mps * se;
            v.north_mps = f.sog_mps * ce;
            // Along-track: SOG error ~0.25 m/s; cross-track: COG error ~3°, which matters at
            // speed and dominates the along-track term above ~5 m/s.
            double along = 0.25, cross = std::max(0.25, f.sog_mps * 3.0 * kDegToRad);
            if (params_.sigma_velocity_mps > 0) along = cross = params_.sigma_velocity_mps;
            // R * diag(along², cross²) * Rᵀ with the along axis (se, ce) and cross axis (ce, -se).
            const double a2 = along * along, c2 = cross * cross;
            v.cov_m2ps2 << a2 * se * se + c2 * ce * ce, (a2 - c2) * se * ce, (a2 - c2) * se * ce,
                a2 * ce * ce + c2 * se * se;
        }
        return m;
    }

    bool jumped(Mmsi mmsi, const LatLon& where, Timestamp observed) {
        LastPosition& last = last_.find_or_insert(mmsi, observed);
        if (last.when.ns == LastPositions::kEmpty) {
            last = LastPosition{where, observed};
            return false;
        }
        const double mean_lat = 0.5 * (where.lat_deg + last.where.lat_deg) * kDegToRad;
        double dlon = where.lon_deg - last.where.lon_deg;
        if (dlon > 180.0) dlon -= 360.0;
        if (dlon < -180.0) dlon += 360.0;
        const double dn = (where.lat_deg - last.where.lat_deg) * kDegToRad * kEarthRadiusM;
        const double de_bound = dlon * kDegToRad * kEarthRadiusM;  // de before the cos factor
        const double limit =
            kMaxSpeedMps * std::fabs((observed - last.when).seconds()) + kJumpAllowanceM;
        // Remember the new position either way: after a genuine relocation (GNSS reset, wrong
        // MMSI fixed) only one report is lost, and a spoofer flipping back trips it again.
        last = LastPosition{where, observed};
        // |cos| <= 1, so |de| <= |de_bound| (also after rounding): when even the bound is
        // clearly within the limit, so is the distance, and the cos and sqrt are skipped. The
        // 1e-9 margin is far above the rounding of these few operations, so the verdict is the
        // one the exact formula below gives.
        if (dn * dn + de_bound * de_bound < limit * limit * (1.0 - 1e-9)) return false;
        const double de = de_bound * std::cos(mean_lat);
        return std::sqrt(dn * dn + de * de) > limit;
    }

    Identity& identity_for(Mmsi mmsi) { return identities_.find_or_insert(mmsi); }

    FeedParams params_;
    AisSentence sentence_;
    Reassembler reassembler_;
    Timestamp last_sweep_{};
    LastPositions last_;
    IdentityTable identities_;
};

}  // namespace
}  // namespace ais

std::unique_ptr<FeedDecoder> make_ais_feed_decoder(const FeedParams& params) {
    return std::make_unique<ais::AisFeedDecoder>(params);
}

}  // namespace picket::sensors
