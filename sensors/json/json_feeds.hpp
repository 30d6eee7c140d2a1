#pragma once
/// Feed decoders for picket's JSON line formats (see json_detections.hpp and docs/).
/// A message may hold several lines; each line is decoded independently.
#include <memory>

#include "sensors/feed_decoder.hpp"

namespace picket::sensors {

/// "json-plot": radar plots -> PolarZ (+ VelocityZ).
std::unique_ptr<FeedDecoder> make_json_plot_decoder(const FeedParams& params);
/// "camera-json": detections -> BearingZ, or PositionZ when a ground range is known.
std::unique_ptr<FeedDecoder> make_camera_decoder(const FeedParams& params);
/// "ugs-json": events -> PositionZ centred on the sensor (or on the sector when a bearing is
/// given).
std::unique_ptr<FeedDecoder> make_ugs_decoder(const FeedParams& params);

}  // namespace picket::sensors
