#include "src/record/offline_recording.hpp"

#include <fstream>

namespace picket::record {

OfflineRecording::OfflineRecording(const server::ServerConfig& config, const std::string& directory,
                                   Timestamp start)
    : recorder_(directory, Recorder::Options{.compression = config.outputs.recording_compression}),
      tick_(Duration::from_seconds(config.tick_s)),
      next_tick_(start + tick_) {
    for (const auto& feed : config.feeds)
        feed_by_endpoint_.emplace(feed.endpoint, feed.params.index);
    // As server.cpp does: replay's default --config is the file the recording was made with.
    std::ofstream(directory + "/config-path.txt") << config.file << "\n";
}

void OfflineRecording::ticks_until(Timestamp time) {
    while (next_tick_ <= time) {
        recorder_.append(RecordType::tick, 0, next_tick_, {});
        next_tick_ += tick_;
    }
}

bool OfflineRecording::add(std::string_view endpoint, Timestamp time, std::string_view bytes) {
    const auto it = feed_by_endpoint_.find(endpoint);
    if (it == feed_by_endpoint_.end()) {
        ++unmatched_;
        return false;
    }
    ticks_until(time);
    recorder_.append(RecordType::message, it->second, time, bytes);
    ++messages_;
    return true;
}

void OfflineRecording::finish(Timestamp end) {
    ticks_until(end);
    recorder_.flush();
}

}  // namespace picket::record
