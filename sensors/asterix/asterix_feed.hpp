#pragma once
/// The "asterix" feed: each message is one UDP-like datagram with one or more ASTERIX data
/// blocks (CAT048 target reports and CAT034 service messages, mixed).
#include <memory>

#include "sensors/feed_decoder.hpp"

namespace picket::sensors {

/// CAT048 /040 -> PolarZ, /042-only -> PositionZ, /200 -> VelocityZ, /161 -> source_object_id;
/// CAT034 north marker with /041 -> sink.scan(period). Other categories are skipped and
/// reported as rejected("unknown_category").
std::unique_ptr<FeedDecoder> make_asterix_feed_decoder(const FeedParams& params);

}  // namespace picket::sensors
