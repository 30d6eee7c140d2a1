// The "asterix" feed decoder: ASTERIX records -> picket Measurements.
#include "sensors/asterix/asterix_feed.hpp"
#include "core/anomaly.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "geo/local_frame.hpp"
#include "sensors/asterix/asterix_decoder.hpp"
#include "sensors/asterix/redundant_copies.hpp"

namespace picket::sensors {
namespace {

using asterix::Cat034MessageType;
using asterix::Cat034Report;
using asterix::Cat048Report;

constexpr double kDegToRad = std::numbers::pi / 180.0;
// Defaults when the config gives none: a typical coastal surveillance radar (X-band, 25 ns
// pulse, 1° beam) resolves ~10 m in range; plot extractors report ~25 m / 0.2° 1σ.
constexpr double kDefaultSigmaRangeM = 25.0;
constexpr double kDefaultSigmaBearingDeg = 0.2;
constexpr double kDefaultSigmaVelocityMps = 1.5;
/// A UDP datagram carries at most 65507 octets; allow a few concatenated (recorded) ones.
constexpr std::size_t kMaxMessageSize = 1 << 20;

class AsterixFeedDecoder final : public FeedDecoder, private asterix::AsterixVisitor {
public:
    explicit AsterixFeedDecoder(const FeedParams& p)
        : params_(p),
          sigma_range_m_(p.sigma_range_m > 0 ? p.sigma_range_m : kDefaultSigmaRangeM),
          sigma_bearing_rad_(
              (p.sigma_bearing_deg > 0 ? p.sigma_bearing_deg : kDefaultSigmaBearingDeg) *
              kDegToRad),
          sigma_velocity_mps_(p.sigma_velocity_mps > 0 ? p.sigma_velocity_mps
                                                       : kDefaultSigmaVelocityMps) {}

    void decode(std::string_view message, Timestamp received, DecodeSink& sink) override {
        if (message.size() > kMaxMessageSize) {
            sink.rejected(DecodeError{"oversized", std::to_string(message.size()) + " octets"});
            return;
        }
        // The other channel's copy of a datagram already fused: counted, not fused twice.
        if (copies_.is_copy(message, received)) {
            sink.quirk("redundant_copy");
            return;
        }
        sink_ = &sink;
        received_ = received;
        asterix::decode_asterix_datagram(message, *this);
        sink_ = nullptr;
    }

private:
    /// The record's time of day on the day that puts it nearest the receive time. The server
    /// judges it against its clock (src/engine/feed_clock.hpp).
    [[nodiscard]] Timestamp observed_time(double time_of_day_s) const {
        return resolve_time_of_day(time_of_day_s, received_);
    }

    void cat048(const Cat048Report& r) override {
        const auto& plot = r.plot;
        if (!r.has_time) {
            sink_->rejected(DecodeError{"missing_item", "I048/140"});
            return;
        }
        if (plot.type == asterix::Cat048DetectionType::no_detection && !plot.track_number) {
            return;  // I048/020 TYP 0 without a track: nothing was seen (test / status report)
        }
        // The radar's last report of its track: its plot (if it has one) is fused first, then
        // the radar's word that the object is gone.
        const bool ends_track = plot.track_end && plot.track_number.has_value();
        if (!plot.polar && !plot.cartesian) {
            if (ends_track)
                sink_->source_track_ended(*plot.track_number, observed_time(plot.time_of_day_s));
            else
                sink_->rejected(DecodeError{"no_position", {}});
            return;
        }
        // An address no aircraft can have (a transponder never set up sends 000000): the plot
        // is fused as one without identity, and the feed's quirk counter says how often.
        if (plot.aircraft_address && !valid_aircraft_address(*plot.aircraft_address))
            sink_->quirk("invalid_aircraft_address");
        // Built in the argument slot (a prvalue), as in the AIS decoder: no copy.
        sink_->measurement(plot_measurement(r));
        if (ends_track)
            sink_->source_track_ended(*plot.track_number, observed_time(plot.time_of_day_s));
    }

    /// A plot with a polar or Cartesian position as a Measurement at its own time.
    [[nodiscard]] Measurement plot_measurement(const Cat048Report& r) const {
        const asterix::Cat048Plot& plot = r.plot;
        Measurement m;
        m.feed = params_.index;
        m.sensor = SensorKind::radar;
        m.received = received_;
        m.observed = observed_time(plot.time_of_day_s);
        if (plot.polar) {
            // Polar plots keep their polar noise: the filters linearise range/bearing themselves.
            m.z = PolarZ{params_.site, plot.polar->range_m, plot.polar->azimuth_deg * kDegToRad,
                         sigma_range_m_, sigma_bearing_rad_};
        } else {
            // I048/042 is relative to the radar (x east, y north): place it on the ellipsoid along
            // the geodesic, and give it the polar noise mapped to east/north at that range.
            const double x = plot.cartesian->x_m, y = plot.cartesian->y_m;
            const double range = std::hypot(x, y);
            const double bearing = std::atan2(x, y);
            PositionZ pz;
            pz.where = geo::geodesic_destination(params_.site.position, bearing / kDegToRad, range);
            if (params_.sigma_position_m > 0) {
                pz.cov_en_m2 = Eigen::Matrix2d::Identity() * params_.sigma_position_m *
                               params_.sigma_position_m;
            } else {
                const double sr = sigma_range_m_,
                             sc = std::max(range * sigma_bearing_rad_, sr * 0.1);
                Eigen::Matrix2d rot;  // columns: radial unit vector, cross-range unit vector (E, N)
                rot << std::sin(bearing), std::cos(bearing), std::cos(bearing), -std::sin(bearing);
                pz.cov_en_m2 =
                    rot * Eigen::Vector2d(sr * sr, sc * sc).asDiagonal() * rot.transpose();
            }
            m.z = pz;
        }
        if (plot.velocity) {
            const double h = plot.velocity->heading_deg * kDegToRad;
            VelocityZ v;
            v.east_mps = plot.velocity->ground_speed_mps * std::sin(h);
            v.north_mps = plot.velocity->ground_speed_mps * std::cos(h);
            v.cov_m2ps2 = Eigen::Matrix2d::Identity() * sigma_velocity_mps_ * sigma_velocity_mps_;
            m.velocity = v;
        }
        if (plot.track_number) m.source_object_id = *plot.track_number;
        if (plot.aircraft_address && valid_aircraft_address(*plot.aircraft_address))
            m.aircraft_address = *plot.aircraft_address;
        m.source_confirmed = r.has_status && plot.confirmed;
        return m;
    }

    void cat034(const Cat034Report& r) override {
        if (!r.has_time || !r.has_type) {
            sink_->rejected(DecodeError{"missing_item", "I034/000 or I034/030"});
            return;
        }
        const Timestamp observed = observed_time(r.message.time_of_day_s);
        if (r.message.type == Cat034MessageType::north_marker && r.message.rotation_period_s &&
            *r.message.rotation_period_s > 0)
            sink_->scan(*r.message.rotation_period_s, observed);
    }

    void rejected(DecodeError error) override { sink_->rejected(error); }

    FeedParams params_;
    double sigma_range_m_;
    double sigma_bearing_rad_;
    double sigma_velocity_mps_;
    asterix::RedundantCopies copies_;
    DecodeSink* sink_{nullptr};
    Timestamp received_{};
};

}  // namespace

std::unique_ptr<FeedDecoder> make_asterix_feed_decoder(const FeedParams& params) {
    return std::make_unique<AsterixFeedDecoder>(params);
}

}  // namespace picket::sensors
