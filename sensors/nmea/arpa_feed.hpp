#pragma once
/// The "nmea-arpa" feed: NMEA 0183 TTM (tracked target message) and TLL (target latitude and
/// longitude) from an ARPA radar, one sentence per line; HDT (own heading) is used to turn
/// relative bearings into true ones.
#include <memory>

#include "sensors/feed_decoder.hpp"

namespace picket::sensors {

std::unique_ptr<FeedDecoder> make_arpa_feed_decoder(const FeedParams& params);

}  // namespace picket::sensors
