#include "sensors/feed_decoder.hpp"

#include "sensors/ais/ais_feed.hpp"
#include "sensors/asterix/asterix_feed.hpp"
#include "sensors/json/json_feeds.hpp"
#include "sensors/nmea/arpa_feed.hpp"
#include "sensors/tracks/tracks_feed.hpp"

namespace picket::sensors {

std::unique_ptr<FeedDecoder> make_feed_decoder(const FeedParams& params) {
    if (params.tracks) return make_tracks_feed_decoder(params);
    if (params.format == "nmea-ais") return make_ais_feed_decoder(params);
    if (params.format == "asterix") return make_asterix_feed_decoder(params);
    if (params.format == "nmea-arpa") return make_arpa_feed_decoder(params);
    if (params.format == "json-plot") return make_json_plot_decoder(params);
    if (params.format == "camera-json") return make_camera_decoder(params);
    if (params.format == "ugs-json") return make_ugs_decoder(params);
    return nullptr;
}

std::vector<std::string_view> feed_formats() {
    return {"nmea-ais", "asterix", "nmea-arpa", "json-plot", "camera-json", "ugs-json"};
}

}  // namespace picket::sensors
