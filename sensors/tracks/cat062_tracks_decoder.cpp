#include "sensors/tracks/cat062_tracks_decoder.hpp"

#include <cmath>
#include <cstdint>

#include "sensors/asterix/asterix_types.hpp"
#include "sensors/asterix/cat062_decoder.hpp"

namespace picket::sensors {
namespace {

// A system track's accuracy when the config gives none: an SDPS fusing coastal radars and AIS
// is good to some tens of metres and a knot or so.
constexpr double kDefaultSigmaPositionM = 50.0;
constexpr double kDefaultSigmaVelocityMps = 1.0;
constexpr std::size_t kMaxMessageSize = 1 << 20;

}  // namespace

Cat062TracksDecoder::Cat062TracksDecoder(const FeedParams& params)
    : feed_id_(params.id),
      sigma_position_m_(params.sigma_position_m > 0 ? params.sigma_position_m
                                                    : kDefaultSigmaPositionM),
      sigma_velocity_mps_(params.sigma_velocity_mps > 0 ? params.sigma_velocity_mps
                                                        : kDefaultSigmaVelocityMps) {}

void Cat062TracksDecoder::decode(std::string_view message, Timestamp received, DecodeSink& sink) {
    using namespace asterix;
    if (message.size() > kMaxMessageSize) {
        sink.rejected(DecodeError{"oversized", std::to_string(message.size()) + " octets"});
        return;
    }
    const auto* data = reinterpret_cast<const std::uint8_t*>(message.data());
    std::size_t at = 0;
    while (at < message.size()) {
        if (message.size() - at < kBlockHeaderSize) {
            sink.rejected(DecodeError{"truncated", "block header"});
            return;
        }
        const std::uint8_t cat = data[at];
        const std::size_t len = std::size_t{data[at + 1]} << 8 | data[at + 2];
        if (len < kBlockHeaderSize || at + len > message.size()) {
            sink.rejected(DecodeError{"bad_length", {}});
            return;
        }
        if (cat != kCat062) {
            sink.rejected(DecodeError{"unknown_category", std::to_string(cat)});
            at += len;
            continue;
        }
        std::size_t r = at + kBlockHeaderSize;
        const std::size_t end = at + len;
        while (r < end) {
            Cat062Report rep;
            const auto used = decode_cat062_record(data + r, end - r, rep);
            if (!used) {
                sink.rejected(used.error());  // records have no length: the block's rest is lost
                break;
            }
            r += *used;
            if (!rep.has_number || !rep.has_time) {
                sink.rejected(
                    DecodeError{"missing_item", rep.has_number ? "I062/070" : "I062/040"});
                continue;
            }
            const Cat062Track& c = rep.track;
            const Timestamp observed = resolve_time_of_day(c.time_of_track_s, received);
            if (c.track_end) {
                sink.source_track_ended(c.track_number, observed);
                continue;
            }
            if (!rep.has_position) {
                sink.rejected(DecodeError{"no_position", {}});
                continue;
            }
            SourceTrack t;
            t.id = c.track_number;
            t.time = observed;
            t.position = c.position;
            t.east_mps = rep.has_velocity ? c.vx_mps : 0.0;
            t.north_mps = rep.has_velocity ? c.vy_mps : 0.0;
            const double sp = sigma_position_m_ * sigma_position_m_;
            // No velocity item: the track's motion is unknown, not zero.
            const double sv = rep.has_velocity ? sigma_velocity_mps_ * sigma_velocity_mps_ : 100.0;
            t.cov = Eigen::Vector4d(sp, sp, sv, sv).asDiagonal();
            t.status = c.tentative  ? TrackStatus::tentative
                       : c.coasting ? TrackStatus::coasting
                                    : TrackStatus::confirmed;
            t.sensors.push_back(feed_id_);
            sink.source_track(std::move(t));
        }
        at = end;
    }
}

}  // namespace picket::sensors
