#pragma once
/// The regional server's fast path for the two messages a sector's track stream carries most:
/// a `track` Feature and a `track.deleted` (docs/protocol.md), read in one pass over the bytes
/// instead of building nlohmann's tree (the JSON parse was the largest per-message cost of the
/// regional stage, issue 16). It accepts only the plain shape picket writes: strings of
/// printable ASCII without escapes, numbers without exponents and with at most 18 integer
/// digits, each field the reference reads once. Anything else (a snapshot, an escape, a byte
/// >= 0x80, a duplicate key, a type the field does not have on the wire, a value the reference
/// would reject) is not decided here: the caller hands the message to the reference parser
/// (track_stream_decoder.cpp with picket_track_json.hpp), which is then the only judge. So the
/// two agree by construction on everything the fast path declines, and
/// tests/unit/fusion/fast_track_message_test.cpp checks that they agree on what it accepts.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/source_track.hpp"
#include "sensors/tracks/picket_track_json.hpp"

namespace picket::sensors {

struct FastTrackMessage {
    enum class Kind { track, ended };
    Kind kind{Kind::track};
    std::uint64_t seq{0};
    std::optional<std::string_view> instance;  ///< points into the message
    SourceTrack track;                         ///< kind == track
    std::uint64_t ended_id{0};                 ///< kind == ended
};

/// The message as the reference would decode it, or nullopt when the fast path declines it
/// (the caller must then use the reference parser; nullopt says nothing about validity).
std::optional<FastTrackMessage> fast_decode_track_message(std::string_view message,
                                                          const SourceTrackDefaults& defaults);

}  // namespace picket::sensors
