#include "sensors/tracks/tracks_feed.hpp"

#include "sensors/tracks/cat062_tracks_decoder.hpp"
#include "sensors/tracks/track_stream_decoder.hpp"

namespace picket::sensors {

std::unique_ptr<FeedDecoder> make_tracks_feed_decoder(const FeedParams& params) {
    if (params.format == "picket") return std::make_unique<TrackStreamDecoder>(params);
    if (params.format == "asterix") return std::make_unique<Cat062TracksDecoder>(params);
    return nullptr;
}

std::vector<std::string_view> tracks_feed_formats() { return {"picket", "asterix"}; }

}  // namespace picket::sensors
