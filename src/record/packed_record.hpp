#pragma once
/// The record layout inside a compressed segment (`seg-NNNNNN.pkz`, format 2; issue #18: the
/// recording at least 3x smaller than the plain `.pkr`).
///
/// A `.pkz` segment is a sequence of zstd frames. Format 2 begins with a zstd *skippable* frame
/// (magic 0x184D2A50, RFC 8878 section 3.1.2) holding "PKZ" and the format number, which every
/// zstd tool skips; the data frames then hold whole records in this packed layout:
///
///     varint payload_length | u8 type | varint feed | zigzag varint (time - previous time) |
///     payload
///
/// Two things of the plain layout are left out because the frame already gives them: the
/// per-record CRC (each frame carries a checksum of its content, checked on reading; four random
/// bytes per record were a fifth of the compressed size) and the absolute 8-byte time (the
/// previous record's time is known; a delta of a few milliseconds takes one or two bytes).
/// The first record of a segment holds its time relative to 0. After a seek, the reader takes the
/// time of the record at the index offset from the index entry itself (an entry is written with
/// the time of the record at its offset), so the deltas need no base frame.
///
/// Each frame is compressed with the last `prefix_bytes` of the segment's records before it as a
/// zstd prefix (raw content): a frame holds one flush (200 ms), which at low rates is a few dozen
/// records that alone compress poorly; with the records before it as history, a vessel's report is
/// coded against its previous one. Frames stay whole and checksummed: a torn or damaged frame
/// still ends the segment there with every frame before it readable (a frame depends only on the
/// frames before it). The header says `prefix_bytes`, so a reader needs no out-of-band setting.
///
/// A `.pkz` without the skippable header is format 1 (written before this layout): the plain
/// layout with its CRCs inside the frames, still read.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/record/recording_format.hpp"

namespace picket::record {

/// Bytes of the format-2 header frame.
inline constexpr std::size_t kPackedHeaderBytes = 16;
/// What the recorder uses as each frame's prefix: the last 512 KiB of records.
inline constexpr std::uint32_t kDefaultPrefixBytes = 512u << 10;

/// The skippable zstd frame that opens a format-2 segment.
std::string packed_segment_header(std::uint32_t prefix_bytes);
/// The prefix size when `segment` (raw bytes on disk) opens with a format-2 header, else nullopt.
std::optional<std::uint32_t> packed_segment_prefix(std::string_view segment);

/// Appends one record in the packed layout; returns the bytes appended.
std::size_t append_packed_record(std::string& out, RecordType type, FeedIndex feed,
                                 std::int64_t time_delta_ns, std::string_view payload);

struct PackedRecord {
    RecordType type{RecordType::message};
    FeedIndex feed{0};
    std::int64_t time_delta_ns{0};
    std::string_view payload;
};

/// Reads the packed record at `pos` and moves `pos` past it; nullopt (pos unchanged) when the
/// bytes there are not a whole, well-formed record.
std::optional<PackedRecord> read_packed_record(std::string_view data, std::size_t& pos);

}  // namespace picket::record
