#include "src/web_replay.hpp"

#include <atomic>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include "core/json_writer.hpp"
#include "src/engine/message_format.hpp"
#include "src/replay.hpp"

namespace picket::server {
namespace {

/// The name the control room lists a recording under (and asks for it by).
std::string recording_name(const std::string& recording_dir) {
    return std::filesystem::path(recording_dir).filename().string();
}

/// The time the replayed picture starts at: the operator's start time, else the recording's
/// first record. A fresh engine's own snapshot says 1970 (it has seen no time yet), which the
/// page would show on its clock until the first track arrives.
Timestamp replay_start_time(const std::string& dir, const std::optional<Timestamp>& from) {
    if (from) return *from;
    record::RecordingReader probe(dir);
    return probe.segments().front().first.value_or(Timestamp{});
}

class SinkOutput final : public EngineOutput {
public:
    explicit SinkOutput(web::ReplaySink sink) : sink_(std::move(sink)) {}
    void publish(std::string_view topic, const std::string& json) override { sink_(topic, json); }
    web::ReplaySink& sink() { return sink_; }

private:
    web::ReplaySink sink_;
};

class WebReplay final : public web::ReplayControl {
public:
    WebReplay(const ServerConfig& config, std::string dir, const web::ReplayRequest& request,
              web::ReplaySink sink)
        : output_(std::move(sink)), engine_(config, output_), dir_(std::move(dir)) {
        if (!request.from_iso.empty()) {
            options_.from = parse_iso8601(request.from_iso);
            if (!options_.from) throw std::invalid_argument("'from' is not an ISO 8601 UTC time");
        }
        if (!(request.speed > 0)) throw std::invalid_argument("speed must be positive");
        control_.speed = request.speed;
        options_.speed = request.speed;
        thread_ = std::thread([this] {
            try {
                // The picture is empty at the start: no tracks, no alerts, seq 0.
                output_.sink()("snapshot",
                               snapshot_message({}, {}, 0, replay_start_time(dir_, options_.from)));
                run_replay(dir_, engine_, options_, control_);
            } catch (const std::exception& e) {
                std::string msg;
                JsonWriter w(msg);
                w.begin_object().field("error", e.what()).end_object();
                output_.sink()("replay.error", msg);
            }
            output_.sink()("replay.end", "{}");
        });
    }
    ~WebReplay() override { stop(); }
    void pause() override { control_.paused = true; }
    void resume() override { control_.paused = false; }
    void set_speed(double speed) override {
        if (speed > 0) control_.speed = speed;
    }
    void stop() override {
        control_.stop = true;
        if (thread_.joinable()) thread_.join();
    }

private:
    SinkOutput output_;
    FusionEngine engine_;
    std::string dir_;
    ReplayOptions options_;
    server::ReplayControl control_;
    std::thread thread_;
};

}  // namespace

std::unique_ptr<web::ReplayControl> start_web_replay(const ServerConfig& config,
                                                     const std::string& recording_dir,
                                                     const web::ReplayRequest& request,
                                                     web::ReplaySink sink) {
    if (request.name != recording_name(recording_dir))
        throw std::invalid_argument("no recording named '" + request.name + "'");
    ServerConfig replay_config = config;
    // The replayed engine must not write anywhere the live server does.
    replay_config.outputs = OutputsConfig{};
    return std::make_unique<WebReplay>(replay_config, recording_dir, request, std::move(sink));
}

std::string list_recordings_json(const std::string& recording_dir) {
    std::string out;
    JsonWriter w(out);
    w.begin_array();
    if (!recording_dir.empty() && std::filesystem::is_directory(recording_dir)) {
        try {
            record::RecordingReader reader(recording_dir);
            if (auto span = reader.time_span()) {
                w.begin_object().field("name", recording_name(recording_dir));
                w.field("from", to_iso8601(span->first))
                    .field("to", to_iso8601(span->second))
                    .end_object();
            }
        } catch (const std::exception&) {
            // No segments yet: nothing to offer.
        }
    }
    w.end_array();
    return out;
}

}  // namespace picket::server
