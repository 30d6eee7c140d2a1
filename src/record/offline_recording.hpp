#pragma once
/// Writes messages produced offline (the simulator run without sockets) into a recording laid
/// out exactly as `picket serve` would have recorded the same messages from its feeds: each
/// message under the index of the config's feed that reads its endpoint, stamped with its time
/// as the receive time, a tick record every config tick, and config-path.txt naming the config
/// so that `picket replay DIR` finds it. Lets an analyst or a test turn a scenario into a
/// recording in seconds instead of running it live (`picket sim --record`).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "src/record/recorder.hpp"
#include "src/server_config.hpp"

namespace picket::record {

class OfflineRecording {
public:
    /// `start`: when the recorded run starts (the first tick is one tick later, as live).
    /// Throws std::runtime_error when `directory` cannot be written.
    OfflineRecording(const server::ServerConfig& config, const std::string& directory,
                     Timestamp start);

    /// Records one message (ticks due before `time` first). Messages must come in time order.
    /// Returns false, recording nothing, when no feed of the config reads `endpoint`.
    bool add(std::string_view endpoint, Timestamp time, std::string_view bytes);
    /// Writes the ticks up to `end` and hands everything to the OS.
    void finish(Timestamp end);

    [[nodiscard]] std::uint64_t messages() const { return messages_; }
    [[nodiscard]] std::uint64_t unmatched() const { return unmatched_; }

private:
    void ticks_until(Timestamp time);

    Recorder recorder_;
    std::map<std::string, FeedIndex, std::less<>> feed_by_endpoint_;
    Duration tick_;
    Timestamp next_tick_;
    std::uint64_t messages_{0};
    std::uint64_t unmatched_{0};
};

}  // namespace picket::record
