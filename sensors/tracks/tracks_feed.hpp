#pragma once
/// `kind: tracks` feeds: another tracking system's tracks in, as SourceTrack, for the regional
/// server's track-to-track fusion (fusion/, docs/tracking.md).
#include <memory>

#include "sensors/feed_decoder.hpp"

namespace picket::sensors {

/// "picket": another picket's track stream (track_stream_decoder.hpp); "asterix": ASTERIX CAT062
/// system tracks (cat062_tracks_decoder.hpp). nullptr for any other format.
std::unique_ptr<FeedDecoder> make_tracks_feed_decoder(const FeedParams& params);

/// The formats a `tracks` feed accepts, for config validation.
std::vector<std::string_view> tracks_feed_formats();

}  // namespace picket::sensors
