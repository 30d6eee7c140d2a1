#pragma once
/// `kind: tracks, format: asterix`: a third party's system tracks in ASTERIX CAT062 (a
/// neighbour's VTS, an air-surveillance SDPS), decoded by sensors/asterix/cat062_decoder.
/// CAT062 as decoded carries no accuracy (I062/500 is skipped): the feed's `sigma_position_m`
/// and `sigma_velocity_mps` stand in, and the feed itself is the one "sensor" behind every
/// track (a system track does not say which of its sensors fed it).
#include "sensors/feed_decoder.hpp"

namespace picket::sensors {

class Cat062TracksDecoder final : public FeedDecoder {
public:
    explicit Cat062TracksDecoder(const FeedParams& params);
    void decode(std::string_view message, Timestamp received, DecodeSink& sink) override;

private:
    std::string feed_id_;
    double sigma_position_m_;
    double sigma_velocity_mps_;
};

}  // namespace picket::sensors
