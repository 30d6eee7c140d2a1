#pragma once
/// The on-disk recording: everything that enters the fusion engine, in the order it entered, so
/// that replay reproduces the server's output byte for byte (docs/recording.md).
///
/// A recording is a directory of segments `seg-NNNNNN.pkr`, each an append-only sequence of
/// records, and beside each a sparse time index `seg-NNNNNN.idx`. A record is
///
///     u32 payload_length | u8 type | u16 feed | i64 time_ns | payload | u32 crc32
///
/// (little-endian; the CRC covers type, feed, time and payload). A process killed mid-write
/// leaves at most one torn record at the end of the last segment: the reader detects it by its
/// length or CRC and stops there. The server never appends to an existing segment: each start
/// opens a new one, so a torn tail is never followed by good data.
///
/// A compressed segment `seg-NNNNNN.pkz` (issue #18: the recording 3x+ smaller) holds the same
/// records packed into zstd frames (packed_record.hpp: no per-record CRC, each frame whole records
/// with its own checksum, time deltas). Its index gives offsets in the decompressed records, so
/// seeking and the torn-tail rule are the same: a frame cut short by a kill, or failing its
/// checksum, ends the segment there, and every record of the frames before it is kept. The plain
/// `.pkr` form stays the reference (Recorder::Options::compression = none) and is read as before.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket::record {

enum class RecordType : std::uint8_t {
    message = 1,  ///< bytes from a feed; feed = feed index; time = receive time
    tick = 2,     ///< the engine's clock tick; payload empty
    command = 3,  ///< operator command; payload = user '\n' JSON
    alert = 4,    ///< an alert as published (output, kept beside the inputs); replay skips it
};

enum class Compression : std::uint8_t {
    none,  ///< records as they are: `seg-NNNNNN.pkr`
    zstd,  ///< records in zstd frames: `seg-NNNNNN.pkz`
};

struct Record {
    RecordType type{RecordType::message};
    FeedIndex feed{0};
    Timestamp time;
    std::string_view payload;  ///< valid until the reader moves on
};

inline constexpr std::size_t kRecordHeaderBytes = 4 + 1 + 2 + 8;
inline constexpr std::size_t kRecordTrailerBytes = 4;
inline constexpr std::uint32_t kMaxRecordPayload = 64u << 20;

/// One index entry: the first record at or after a time starts at this byte offset.
struct IndexEntry {
    std::int64_t time_ns;
    std::uint64_t offset;
};

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);
std::string segment_name(std::uint32_t number);  ///< "seg-000042.pkr"
/// "seg-000042.pkz" for zstd, segment_name() otherwise.
std::string segment_name(std::uint32_t number, Compression compression);
std::string index_name(std::uint32_t number);  ///< "seg-000042.idx"
/// True for "seg-NNNNNN.pkr" or "seg-NNNNNN.pkz" (and only those: not its ".idx"), with the
/// number in `number` and, when asked, whether it is compressed.
bool parse_segment_name(const std::string& name, unsigned& number,
                        Compression* compression = nullptr);

}  // namespace picket::record
