// The "nmea-arpa" feed decoder: TTM -> PolarZ (+ velocity), TLL -> PositionZ; HDT sets the own
// heading used to turn relative bearings into true ones.
#include "sensors/nmea/arpa_feed.hpp"
#include "core/anomaly.hpp"

#include <cmath>
#include <numbers>

#include "sensors/nmea/arpa_sentences.hpp"

namespace picket::sensors {
namespace {

using nmea::ArpaStatus;
using nmea::ArpaUnits;

constexpr double kDegToRad = std::numbers::pi / 180.0;
// ARPA accuracy (IMO MSC.192(79) performance standard: range within 1% or 30 m, bearing within
// 1°, as 95% figures): about 25 m and 0.5° at 1σ.
constexpr double kDefaultSigmaRangeM = 25.0;
constexpr double kDefaultSigmaBearingDeg = 0.5;
constexpr double kDefaultSigmaPositionM = 30.0;
constexpr double kDefaultSigmaVelocityMps = 1.0;
/// A heading older than this does not rotate relative bearings (ships turn).
constexpr Duration kMaxHeadingAge = Duration::from_seconds(10);

double metres_per_unit(ArpaUnits u) {
    switch (u) {
        case ArpaUnits::kilometres:
            return 1000.0;
        case ArpaUnits::statute:
            return 1609.344;
        case ArpaUnits::nautical:
            break;
    }
    return 1852.0;
}

class ArpaFeedDecoder final : public FeedDecoder {
public:
    explicit ArpaFeedDecoder(const FeedParams& p) : params_(p) {}

    void decode(std::string_view message, Timestamp received, DecodeSink& sink) override {
        while (!message.empty()) {
            const std::size_t nl = message.find('\n');
            std::string_view line = message.substr(0, nl);
            message = nl == std::string_view::npos ? std::string_view{} : message.substr(nl + 1);
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.remove_suffix(1);
            if (!line.empty()) decode_line(line, received, sink);
        }
    }

private:
    void decode_line(std::string_view line, Timestamp received, DecodeSink& sink) {
        // IEC 61162-450 / NMEA 4 TAG block, e.g. a "\s:radar1*hh\" prefix: skipped, the
        // sentence's own time and the receive time are what picket uses.
        if (line.front() == '\\') {
            const std::size_t end = line.find('\\', 1);
            if (end == std::string_view::npos)
                return sink.rejected(DecodeError{"bad_frame", "tag block"});
            line.remove_prefix(end + 1);
        }
        auto s = nmea::parse_sentence(line);
        if (!s) {
            sink.rejected(s.error());
            return;
        }
        if (s->formatter == "HDT") {
            auto h = nmea::parse_hdt(*s);
            if (!h) return sink.rejected(h.error());
            heading_deg_ = *h;
            heading_at_ = received;
        } else if (s->formatter == "TTM") {
            auto t = nmea::parse_ttm(*s);
            if (!t) return sink.rejected(t.error());
            ttm(*t, received, sink);
        } else if (s->formatter == "TLL") {
            auto t = nmea::parse_tll(*s);
            if (!t) return sink.rejected(t.error());
            tll(*t, received, sink);
        } else {
            sink.rejected(DecodeError{"unsupported_sentence", std::string(s->formatter)});
        }
    }

    /// Observed time: the sentence's UTC, or the receive time. The server judges it against its
    /// clock (src/engine/feed_clock.hpp).
    static Timestamp observed_time(std::optional<double> tod, Timestamp received) {
        return tod ? resolve_time_of_day(*tod, received) : received;
    }

    std::optional<double> heading(Timestamp received) const {
        if (!heading_deg_ || received - heading_at_ > kMaxHeadingAge) return std::nullopt;
        return heading_deg_;
    }

    void ttm(const nmea::Ttm& t, Timestamp received, DecodeSink& sink) {
        if (t.status == ArpaStatus::lost) return;  // the ARPA dropped it: nothing observed
        double bearing_deg = t.bearing_deg;
        if (!t.bearing_true) {
            const auto h = heading(received);
            if (!h) return sink.rejected(DecodeError{"no_heading", "relative bearing without HDT"});
            bearing_deg = std::fmod(bearing_deg + *h, 360.0);
        }
        Measurement m;
        m.feed = params_.index;
        m.sensor = SensorKind::radar;
        m.received = received;
        m.observed = observed_time(t.time_of_day_s, received);
        const double unit_m = metres_per_unit(t.units);
        const double sr = params_.sigma_range_m > 0 ? params_.sigma_range_m : kDefaultSigmaRangeM;
        const double sb =
            params_.sigma_bearing_deg > 0 ? params_.sigma_bearing_deg : kDefaultSigmaBearingDeg;
        m.z =
            PolarZ{params_.site, t.distance * unit_m, bearing_deg * kDegToRad, sr, sb * kDegToRad};
        // A relative course is relative motion (target minus own ship): not a ground velocity.
        if (t.speed && t.course_deg && t.course_true) {
            const double v = *t.speed * unit_m / 3600.0;
            const double c = *t.course_deg * kDegToRad;
            VelocityZ vz;
            vz.east_mps = v * std::sin(c);
            vz.north_mps = v * std::cos(c);
            const double sv = params_.sigma_velocity_mps > 0 ? params_.sigma_velocity_mps
                                                             : kDefaultSigmaVelocityMps;
            vz.cov_m2ps2 = Eigen::Matrix2d::Identity() * sv * sv;
            m.velocity = vz;
        }
        m.source_object_id = static_cast<std::uint64_t>(t.target_number);
        sink.measurement(std::move(m));
    }

    void tll(const nmea::Tll& t, Timestamp received, DecodeSink& sink) {
        if (t.status == ArpaStatus::lost) return;
        Measurement m;
        m.feed = params_.index;
        m.sensor = SensorKind::radar;
        m.received = received;
        m.observed = observed_time(t.time_of_day_s, received);
        const double s =
            params_.sigma_position_m > 0 ? params_.sigma_position_m : kDefaultSigmaPositionM;
        m.z = PositionZ{LatLon{t.lat_deg, t.lon_deg}, Eigen::Matrix2d::Identity() * s * s};
        m.source_object_id = static_cast<std::uint64_t>(t.target_number);
        sink.measurement(std::move(m));
    }

    FeedParams params_;
    std::optional<double> heading_deg_;
    Timestamp heading_at_{};
};

}  // namespace

std::unique_ptr<FeedDecoder> make_arpa_feed_decoder(const FeedParams& params) {
    return std::make_unique<ArpaFeedDecoder>(params);
}

}  // namespace picket::sensors
