#pragma once
/// Reads a recording directory in order, from a given time, stopping cleanly at a torn tail.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "src/record/recording_format.hpp"

namespace picket::record {

struct SegmentInfo {
    std::uint32_t number{0};
    std::string path;
    std::uint64_t size_bytes{0};  ///< on disk (compressed, for a .pkz)
    Compression compression{Compression::none};
    std::optional<Timestamp> first;  ///< from the index (absent when the index is empty)
};

class RecordingReader {
public:
    /// Throws std::runtime_error when the directory holds no segments.
    explicit RecordingReader(std::string directory);
    ~RecordingReader();
    RecordingReader(const RecordingReader&) = delete;
    RecordingReader& operator=(const RecordingReader&) = delete;

    [[nodiscard]] const std::vector<SegmentInfo>& segments() const { return segments_; }
    [[nodiscard]] std::uint64_t total_bytes() const;
    /// Positions the reader at the first record at or after `t`, using the indexes.
    void seek(Timestamp t);
    /// The next record, or nullopt at the end (or at a torn/corrupt record, counted in `corrupt`).
    std::optional<Record> next();
    [[nodiscard]] std::uint64_t bytes_read() const { return bytes_read_; }
    [[nodiscard]] std::uint64_t corrupt() const { return corrupt_; }
    /// Time of the first and last records (scans the last segment).
    [[nodiscard]] std::optional<std::pair<Timestamp, Timestamp>> time_span();

private:
    /// `time_at_offset_ns`: the time of the record at `offset` (from the index), which a packed
    /// segment's time deltas need when reading starts there.
    bool load_segment(std::size_t i, std::uint64_t offset,
                      std::optional<std::int64_t> time_at_offset_ns = std::nullopt);
    std::optional<Record> next_plain();   ///< `.pkr`, and `.pkz` format 1
    std::optional<Record> next_packed();  ///< `.pkz` format 2 (packed_record.hpp)
    /// Bytes on disk that `pos` records of the current segment correspond to (bytes_read()).
    [[nodiscard]] std::uint64_t on_disk(std::size_t pos) const;

    std::string dir_;
    std::vector<SegmentInfo> segments_;
    std::size_t current_{0};
    std::string data_;  ///< the current segment's records (decompressed)
    std::size_t pos_{0};
    bool packed_{false};  ///< the current segment is `.pkz` format 2
    std::int64_t previous_time_ns_{0};
    std::optional<std::int64_t> time_at_pos_ns_;  ///< after a seek into a packed segment
    bool torn_{false};  ///< the current segment's last zstd frame was cut short or damaged
    std::uint64_t bytes_before_{0};
    std::uint64_t bytes_read_{0};
    std::uint64_t corrupt_{0};
    std::optional<Timestamp> skip_before_;
};

}  // namespace picket::record
