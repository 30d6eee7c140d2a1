#pragma once
/// `kind: tracks, format: picket`: another picket's track stream (docs/protocol.md) as the
/// regional server receives it: PUB frames (a topic frame, then the JSON) and the snapshot
/// service's replies on the same feed. Keeps the Clone pattern's bookkeeping: a snapshot is the
/// source's whole picture at its `seq`; stream messages at or before the last applied `seq`
/// are stale and dropped; a jump in `seq` is a gap (the I/O thread asks for a new snapshot,
/// src/io/track_stream_sync.hpp, which repairs it). A new `instance` id is the source restarting
/// (its seq starts again and its track ids are reused); from a source without instance ids a
/// `seq` of 1, or a snapshot behind stale stream messages, is. Pure: what arrives decides
/// everything, so a recording replays the same.
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>

#include "sensors/feed_decoder.hpp"
#include "sensors/tracks/fast_track_message.hpp"
#include "sensors/tracks/picket_track_json.hpp"

namespace picket::sensors {

class TrackStreamDecoder final : public FeedDecoder {
public:
    explicit TrackStreamDecoder(const FeedParams& params);
    void decode(std::string_view message, Timestamp received, DecodeSink& sink) override;

    /// The highest `seq` applied (0 before the first message).
    [[nodiscard]] std::uint64_t applied_seq() const { return applied_; }
    /// Messages the fast path decided (fast_track_message.hpp) and those the reference parser
    /// did (snapshots, anything outside the plain shape, and everything with
    /// FeedParams::reference_decoder).
    [[nodiscard]] std::uint64_t fast_decoded() const { return fast_decoded_; }
    [[nodiscard]] std::uint64_t reference_decoded() const { return reference_decoded_; }

private:
    /// The source restarted: forget its ids, tell the fuser (DecodeSink::source_restarted).
    void restart(Timestamp received, DecodeSink& sink);
    /// Notes the message's instance id; a new one is a restart. False (counted) when the message
    /// is from a retired instance or its id is malformed.
    bool accept_instance(const nlohmann::json& j, Timestamp received, DecodeSink& sink);
    bool accept_instance_id(std::string_view id, Timestamp received, DecodeSink& sink);
    /// The reference: nlohmann's parse, then picket_track_json.hpp.
    void decode_reference(std::string_view message, Timestamp received, DecodeSink& sink);
    /// Returns false (and counts why) when the message is stale.
    bool accept_seq(std::uint64_t seq, Timestamp received, DecodeSink& sink);

    /// A stream message's track, or its end, noted (for the snapshots that race the stream)
    /// and handed to the sink: the same for the fast path and the reference.
    void deliver_track(SourceTrack t, std::uint64_t seq, DecodeSink& sink);
    void deliver_ended(std::uint64_t id, std::uint64_t seq, Timestamp received, DecodeSink& sink);

    SourceTrackDefaults defaults_;
    bool fast_{true};
    std::uint64_t fast_decoded_{0}, reference_decoded_{0};
    std::uint64_t applied_{0};
    /// The source's instance id (src/io/stream_instance.hpp), once a message carried one, and
    /// the few before it, whose late snapshot replies are dropped.
    std::string instance_;
    std::deque<std::string> retired_;
    /// The `seq` of the last stream message about each live source track, and of recent ends:
    /// a snapshot races the stream (it comes on another connection), so a track the stream
    /// started after the snapshot's `seq` stays, and one it ended is not brought back.
    std::map<std::uint64_t, std::uint64_t> seen_;
    std::deque<std::pair<std::uint64_t, std::uint64_t>> ended_;  ///< (id, seq), oldest first
    /// Stream messages dropped as stale since the last snapshot: a snapshot behind the stream
    /// after such drops is a restarted source's (its seq started again), not a race.
    std::uint64_t stale_since_snapshot_{0};
};

}  // namespace picket::sensors
