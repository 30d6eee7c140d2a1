#include "src/record/recording_reader.hpp"

#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "src/record/packed_record.hpp"

namespace picket::record {
namespace {

namespace fs = std::filesystem;

std::uint64_t get_le(const char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(p[i]);
    return v;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string data;
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size <= 0) return data;
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
    data.resize(static_cast<std::size_t>(in.gcount()));
    return data;
}

/// The records of a compressed segment: its zstd frames decompressed in order, up to the first
/// frame that is cut short (a write torn by a kill) or damaged (its checksum); `torn` says
/// whether one was.
/// `prefix_bytes` > 0 (a format-2 segment): each frame was compressed with that much of the
/// records before it as a prefix (packed_record.hpp).
std::string inflate_frames(const std::string& raw, bool& torn, std::uint32_t prefix_bytes = 0) {
    std::string out;
    torn = false;
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!dctx) throw std::runtime_error("recording: cannot create a zstd context");
    std::size_t pos = 0;
    while (pos < raw.size()) {
        const char* frame = raw.data() + pos;
        const std::size_t frame_bytes = ZSTD_findFrameCompressedSize(frame, raw.size() - pos);
        if (ZSTD_isError(frame_bytes)) {
            torn = true;
            break;
        }
        const unsigned long long content = ZSTD_getFrameContentSize(frame, frame_bytes);
        // The recorder always writes the content size; a frame holds at most a flush (a few MB).
        if (content == ZSTD_CONTENTSIZE_ERROR || content == ZSTD_CONTENTSIZE_UNKNOWN ||
            content > kMaxRecordPayload + (64u << 20)) {
            torn = true;
            break;
        }
        const std::size_t at = out.size();
        out.resize(at + content);
        const std::size_t prefix = std::min<std::size_t>(at, prefix_bytes);
        ZSTD_DCtx_refPrefix(dctx.get(), out.data() + at - prefix, prefix);
        const std::size_t n =
            ZSTD_decompressDCtx(dctx.get(), out.data() + at, content, frame, frame_bytes);
        if (ZSTD_isError(n) || n != content) {
            out.resize(at);
            torn = true;
            break;
        }
        pos += frame_bytes;
    }
    return out;
}

std::vector<IndexEntry> read_index(const std::string& path) {
    const std::string raw = read_file(path);
    std::vector<IndexEntry> out;
    for (std::size_t i = 0; i + 16 <= raw.size(); i += 16)
        out.push_back(
            {static_cast<std::int64_t>(get_le(raw.data() + i, 8)), get_le(raw.data() + i + 8, 8)});
    return out;
}

std::string index_path_for(const SegmentInfo& s) {
    return (fs::path(s.path).parent_path() / index_name(s.number)).string();
}

}  // namespace

RecordingReader::RecordingReader(std::string directory) : dir_(std::move(directory)) {
    if (!fs::is_directory(dir_))
        throw std::runtime_error("recording: " + dir_ + " is not a directory");
    for (const auto& e : fs::directory_iterator(dir_)) {
        unsigned n = 0;
        const std::string name = e.path().filename().string();
        Compression compression = Compression::none;
        if (!parse_segment_name(name, n, &compression)) continue;
        SegmentInfo s;
        s.number = n;
        s.compression = compression;
        s.path = e.path().string();
        s.size_bytes = e.file_size();
        segments_.push_back(std::move(s));
    }
    if (segments_.empty()) throw std::runtime_error("recording: no segments in " + dir_);
    std::sort(segments_.begin(), segments_.end(),
              [](const SegmentInfo& a, const SegmentInfo& b) { return a.number < b.number; });
    for (SegmentInfo& s : segments_) {
        const auto idx = read_index(index_path_for(s));
        if (!idx.empty()) s.first = Timestamp{idx.front().time_ns};
    }
    load_segment(0, 0);
}

RecordingReader::~RecordingReader() = default;

std::uint64_t RecordingReader::total_bytes() const {
    std::uint64_t total = 0;
    for (const auto& s : segments_) total += s.size_bytes;
    return total;
}

std::uint64_t RecordingReader::on_disk(std::size_t pos) const {
    const SegmentInfo& s = segments_[current_];
    if (s.compression == Compression::none || data_.empty()) return pos;
    // Progress through a compressed segment, in its bytes on disk (proportional).
    return static_cast<std::uint64_t>(static_cast<double>(pos) / static_cast<double>(data_.size()) *
                                      static_cast<double>(s.size_bytes));
}

bool RecordingReader::load_segment(std::size_t i, std::uint64_t offset,
                                   std::optional<std::int64_t> time_at_offset_ns) {
    current_ = i;
    if (i >= segments_.size()) {
        data_.clear();
        pos_ = 0;
        return false;
    }
    bytes_before_ = 0;
    for (std::size_t k = 0; k < i; ++k) bytes_before_ += segments_[k].size_bytes;
    torn_ = false;
    data_ = read_file(segments_[i].path);
    const auto prefix =
        segments_[i].compression == Compression::zstd ? packed_segment_prefix(data_) : std::nullopt;
    packed_ = prefix.has_value();
    if (packed_) data_.erase(0, kPackedHeaderBytes);
    if (segments_[i].compression == Compression::zstd)
        data_ = inflate_frames(data_, torn_, prefix.value_or(0));
    pos_ = std::min<std::size_t>(offset, data_.size());
    previous_time_ns_ = 0;
    time_at_pos_ns_ = offset > 0 ? time_at_offset_ns : std::nullopt;
    return true;
}

void RecordingReader::seek(Timestamp t) {
    // Last segment whose first record is not after t; then its index's last entry not after t.
    std::size_t seg = 0;
    for (std::size_t i = 0; i < segments_.size(); ++i)
        if (segments_[i].first && *segments_[i].first <= t) seg = i;
    std::uint64_t offset = 0;
    std::optional<std::int64_t> time_at_offset;
    for (const IndexEntry& e : read_index(index_path_for(segments_[seg])))
        if (e.time_ns <= t.ns) {
            offset = e.offset;
            time_at_offset = e.time_ns;  // the time of the record at that offset
        }
    load_segment(seg, offset, time_at_offset);
    skip_before_ = t;
}

std::optional<Record> RecordingReader::next() { return packed_ ? next_packed() : next_plain(); }

std::optional<Record> RecordingReader::next_packed() {
    while (current_ < segments_.size()) {
        if (!packed_) return next_plain();  // a directory may mix formats
        std::size_t at = pos_;
        const auto packed = pos_ < data_.size() ? read_packed_record(data_, at) : std::nullopt;
        if (!packed) {
            // Frames hold whole records: bytes left over, or a torn frame, end the segment.
            if (pos_ != data_.size() || torn_) ++corrupt_;
            load_segment(current_ + 1, 0);
            continue;
        }
        Record r;
        r.type = packed->type;
        r.feed = packed->feed;
        r.time = Timestamp{time_at_pos_ns_ ? *time_at_pos_ns_
                                           : previous_time_ns_ + packed->time_delta_ns};
        time_at_pos_ns_.reset();
        previous_time_ns_ = r.time.ns;
        r.payload = packed->payload;
        pos_ = at;
        bytes_read_ = bytes_before_ + on_disk(pos_);
        if (skip_before_ && r.time < *skip_before_) continue;
        skip_before_.reset();
        return r;
    }
    return std::nullopt;
}

std::optional<Record> RecordingReader::next_plain() {
    while (current_ < segments_.size()) {
        if (packed_) return next_packed();
        if (pos_ + kRecordHeaderBytes + kRecordTrailerBytes > data_.size()) {
            if (pos_ != data_.size() || torn_) ++corrupt_;  // torn tail: stop this segment here
            load_segment(current_ + 1, 0);
            continue;
        }
        const char* p = data_.data() + pos_;
        const auto len = static_cast<std::uint32_t>(get_le(p, 4));
        const std::size_t total = kRecordHeaderBytes + len + kRecordTrailerBytes;
        if (len > kMaxRecordPayload || pos_ + total > data_.size() ||
            crc32(std::string_view(p + 4, kRecordHeaderBytes - 4 + len)) !=
                static_cast<std::uint32_t>(get_le(p + kRecordHeaderBytes + len, 4))) {
            ++corrupt_;
            load_segment(current_ + 1, 0);
            continue;
        }
        Record r;
        r.type = static_cast<RecordType>(static_cast<std::uint8_t>(p[4]));
        r.feed = static_cast<FeedIndex>(get_le(p + 5, 2));
        r.time = Timestamp{static_cast<std::int64_t>(get_le(p + 7, 8))};
        r.payload = std::string_view(p + kRecordHeaderBytes, len);
        pos_ += total;
        bytes_read_ = bytes_before_ + on_disk(pos_);
        if (skip_before_ && r.time < *skip_before_) continue;
        skip_before_.reset();
        return r;
    }
    return std::nullopt;
}

std::optional<std::pair<Timestamp, Timestamp>> RecordingReader::time_span() {
    RecordingReader scan(dir_);
    std::optional<Timestamp> first, last;
    // The first record of the first segment, and the last good record of the last segment.
    if (auto r = scan.next()) first = r->time;
    scan.load_segment(scan.segments_.size() - 1, 0);
    while (scan.current_ == scan.segments_.size() - 1) {
        auto r = scan.next();
        if (!r) break;
        last = r->time;
    }
    if (!first || !last) return std::nullopt;
    return std::make_pair(*first, *last);
}

}  // namespace picket::record
