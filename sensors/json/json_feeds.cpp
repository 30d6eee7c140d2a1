// Feed decoders for the JSON line formats: split lines, parse, normalise.
#include "sensors/json/json_feeds.hpp"
#include "core/anomaly.hpp"

#include "sensors/json/json_normalise.hpp"

namespace picket::sensors {
namespace {

/// Each line of a message is one JSON object; blank lines and a trailing CR are ignored.
template <class Parse, class Normalise>
class JsonLineDecoder final : public FeedDecoder {
public:
    JsonLineDecoder(const FeedParams& p, Parse parse, Normalise normalise)
        : params_(p), parse_(parse), normalise_(normalise) {}

    void decode(std::string_view message, Timestamp received, DecodeSink& sink) override {
        while (!message.empty()) {
            const std::size_t nl = message.find('\n');
            std::string_view line = message.substr(0, nl);
            message = nl == std::string_view::npos ? std::string_view{} : message.substr(nl + 1);
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.remove_suffix(1);
            if (line.empty()) continue;
            auto parsed = parse_(line);
            if (!parsed) {
                sink.rejected(parsed.error());
                continue;
            }
            // The line's own time: the server judges it against its clock (feed_clock.hpp).
            sink.measurement(normalise_(*parsed, params_, received));
        }
    }

private:
    FeedParams params_;
    Parse parse_;
    Normalise normalise_;
};

template <class Parse, class Normalise>
std::unique_ptr<FeedDecoder> make(const FeedParams& p, Parse parse, Normalise normalise) {
    return std::make_unique<JsonLineDecoder<Parse, Normalise>>(p, parse, normalise);
}

}  // namespace

std::unique_ptr<FeedDecoder> make_json_plot_decoder(const FeedParams& params) {
    return make(params, &json::parse_json_plot, &json::plot_to_measurement);
}

std::unique_ptr<FeedDecoder> make_camera_decoder(const FeedParams& params) {
    return make(params, &json::parse_camera_detection, &json::camera_to_measurement);
}

std::unique_ptr<FeedDecoder> make_ugs_decoder(const FeedParams& params) {
    return make(params, &json::parse_ugs_event, &json::ugs_to_measurement);
}

}  // namespace picket::sensors
