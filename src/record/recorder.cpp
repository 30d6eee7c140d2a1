#include "src/record/recorder.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "src/record/packed_record.hpp"
#include "src/record/record_buffer.hpp"

namespace picket::record {
namespace {

namespace fs = std::filesystem;

void put_le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
}

/// Writes `data` and empties it. On failure (disk full) the part written is removed from `data`
/// before throwing, so that the next flush goes on where this one stopped instead of writing
/// those bytes twice (which corrupted the segment).
void write_all(int fd, std::string& data, const std::string& what) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            data.erase(0, done);
            throw std::runtime_error("recording: cannot write " + what + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    data.clear();
}

/// The number of the last segment, plain or compressed: a new one never reuses it.
std::uint32_t last_segment_number(const std::string& dir) {
    std::uint32_t last = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        unsigned n = 0;
        if (parse_segment_name(name, n) && n > last) last = n;
    }
    return last;
}

}  // namespace

Recorder::Recorder(std::string directory, Options options)
    : dir_(std::move(directory)), options_(options) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("recording: cannot create " + dir_ + ": " + ec.message());
    segment_ = last_segment_number(dir_);
    buffer_.reserve(1 << 20);
    if (options_.compression == Compression::zstd) {
        cctx_.reset(ZSTD_createCCtx());
        if (!cctx_) throw std::runtime_error("recording: cannot create a zstd context");
        ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_compressionLevel, options_.zstd_level);
        // A frame that a flipped bit or a torn write damaged is refused, not replayed wrong.
        ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_checksumFlag, 1);
        ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_contentSizeFlag, 1);
    }
}

void Recorder::FreeCCtx::operator()(ZSTD_CCtx_s* c) const { ZSTD_freeCCtx(c); }

Recorder::~Recorder() {
    try {
        close_segment();
    } catch (const std::exception&) {
        // Destructors must not throw; the data written so far is already with the OS.
    }
}

void Recorder::open_segment() {
    ++segment_;
    const std::string path = dir_ + "/" + segment_name(segment_, options_.compression);
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw std::runtime_error("recording: cannot create " + path + ": " + std::strerror(errno));
    const std::string ipath = dir_ + "/" + index_name(segment_);
    idx_fd_ = ::open(ipath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (idx_fd_ < 0)
        throw std::runtime_error("recording: cannot create " + ipath + ": " + std::strerror(errno));
    segment_bytes_ = 0;
    have_index_ = false;
    previous_time_ns_ = 0;
    history_.clear();
    if (options_.compression == Compression::zstd) {
        std::string header = packed_segment_header(kDefaultPrefixBytes);  // packed_record.hpp
        write_all(fd_, header, "segment");
        written_total_ += kPackedHeaderBytes;
    }
}

void Recorder::close_segment() {
    if (fd_ < 0) return;
    flush();
    ::fsync(fd_);
    ::fsync(idx_fd_);
    ::close(fd_);
    ::close(idx_fd_);
    fd_ = idx_fd_ = -1;
}

void Recorder::append(RecordType type, FeedIndex feed, Timestamp time, std::string_view payload) {
    if (payload.size() > kMaxRecordPayload) return;  // the ZeroMQ size limit is far below this
    const std::uint64_t size = kRecordHeaderBytes + payload.size() + kRecordTrailerBytes;
    if (fd_ >= 0 && (segment_bytes_ + size > options_.segment_bytes ||
                     time - segment_start_ > options_.segment_duration)) {
        close_segment();
    }
    if (fd_ < 0) {
        open_segment();
        segment_start_ = time;
    }
    if (!have_index_ || time.ns - last_index_ns_ >= options_.index_interval.ns) {
        put_le(index_buffer_, static_cast<std::uint64_t>(time.ns), 8);
        put_le(index_buffer_, segment_bytes_, 8);
        last_index_ns_ = time.ns;
        have_index_ = true;
    }
    if (cctx_) {
        // Offsets in a compressed segment count the packed records (what its frames inflate to).
        segment_bytes_ +=
            append_packed_record(buffer_, type, feed, time.ns - previous_time_ns_, payload);
        previous_time_ns_ = time.ns;
    } else {
        const std::size_t start = buffer_.size();
        put_le(buffer_, payload.size(), 4);
        put_le(buffer_, static_cast<std::uint8_t>(type), 1);
        put_le(buffer_, feed, 2);
        put_le(buffer_, static_cast<std::uint64_t>(time.ns), 8);
        buffer_.append(payload);
        const std::uint32_t crc = crc32(std::string_view(buffer_).substr(start + 4));
        put_le(buffer_, crc, 4);
        segment_bytes_ += size;
    }
    bytes_total_ += size;
    ++records_;
    if (buffer_.size() > (1u << 20)) flush();
}

void Recorder::append_encoded(std::string_view handed_over) {
    for_each_handed_over(handed_over,
                         [this](RecordType type, FeedIndex feed, Timestamp time,
                                std::string_view payload) { append(type, feed, time, payload); });
}

void Recorder::flush() {
    if (fd_ < 0) return;
    // The rest of a frame that a failed write (disk full) left: written first, not twice.
    if (!frame_.empty()) write_all(fd_, frame_, "segment");
    if (!buffer_.empty()) {
        if (cctx_) {
            // The segment's records before this frame are its prefix (packed_record.hpp).
            ZSTD_CCtx_refPrefix(cctx_.get(), history_.data(), history_.size());
            frame_.resize(ZSTD_compressBound(buffer_.size()));
            const std::size_t n = ZSTD_compress2(cctx_.get(), frame_.data(), frame_.size(),
                                                 buffer_.data(), buffer_.size());
            if (ZSTD_isError(n))
                throw std::runtime_error(std::string("recording: zstd: ") + ZSTD_getErrorName(n));
            frame_.resize(n);
            history_.append(buffer_);
            if (history_.size() > kDefaultPrefixBytes)
                history_.erase(0, history_.size() - kDefaultPrefixBytes);
            buffer_.clear();
            written_total_ += n;
            write_all(fd_, frame_, "segment");
        } else {
            written_total_ += buffer_.size();
            write_all(fd_, buffer_, "segment");
        }
    }
    if (!index_buffer_.empty()) write_all(idx_fd_, index_buffer_, "index");
}

}  // namespace picket::record
