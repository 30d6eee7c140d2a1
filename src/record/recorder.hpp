#pragma once
/// Appends records to a recording directory (recording_format.hpp). Used on the server's
/// persistence thread (src/persist), which receives records from the fusion thread in the
/// hand-over format of record_buffer.hpp.
/// Writes go to the OS with write(2) after every record batch (so a killed process loses
/// nothing the OS has); fsync happens when a segment is closed and every `sync_interval`.
/// With Compression::zstd each batch goes to the OS as one zstd frame (recording_format.hpp).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "src/record/recording_format.hpp"

struct ZSTD_CCtx_s;

namespace picket::record {

class Recorder {
public:
    struct Options {
        std::uint64_t segment_bytes{256ull << 20};
        Duration segment_duration{Duration::from_seconds(3600)};
        Duration index_interval{Duration::from_seconds(1)};
        /// none: the plain reference format; zstd: what `picket serve` writes by default.
        Compression compression{Compression::none};
        int zstd_level{3};
    };
    /// Opens a new segment after the last one in `directory` (created if missing). Throws
    /// std::runtime_error when the directory cannot be written.
    Recorder(std::string directory, Options options);
    explicit Recorder(std::string directory) : Recorder(std::move(directory), Options{}) {}
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    void append(RecordType type, FeedIndex feed, Timestamp time, std::string_view payload);
    /// Appends every record of a hand-over buffer (record_buffer.hpp's RecordBuffer::bytes()),
    /// in order: the same as append() for each of them.
    void append_encoded(std::string_view handed_over);
    /// Hands buffered records to the OS (call after each event loop iteration).
    void flush();
    [[nodiscard]] std::uint64_t records() const { return records_; }
    [[nodiscard]] std::uint64_t bytes() const { return bytes_total_; }  ///< before compression
    [[nodiscard]] std::uint64_t bytes_written() const { return written_total_; }  ///< to disk

private:
    void open_segment();
    void close_segment();

    std::string dir_;
    Options options_;
    int fd_{-1};
    int idx_fd_{-1};
    std::uint32_t segment_{0};
    std::uint64_t segment_bytes_{0};
    Timestamp segment_start_{};
    std::int64_t last_index_ns_{0};
    std::int64_t previous_time_ns_{0};  ///< packed records store their time as a delta
    bool have_index_{false};
    std::string buffer_;
    std::string index_buffer_;
    std::uint64_t records_{0};
    std::uint64_t bytes_total_{0};
    std::uint64_t written_total_{0};
    struct FreeCCtx {
        void operator()(ZSTD_CCtx_s* c) const;
    };
    std::unique_ptr<ZSTD_CCtx_s, FreeCCtx> cctx_;
    std::string frame_;    ///< the compressed batch
    std::string history_;  ///< the segment's last records: the next frame's zstd prefix
};

}  // namespace picket::record
