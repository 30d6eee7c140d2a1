#pragma once
/// Records as the fusion thread hands them to the persistence thread: appended with a memcpy and
/// no checksum, so that recording costs the fusion thread as little as possible. The persistence
/// thread's Recorder::append_encoded() turns them into segment records (CRC, compression).
///
///     u32 payload_length | u8 type | u16 feed | i64 time_ns | payload      (little-endian)
///
/// Never written to disk as such: this is an in-memory hand-over format only.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "src/record/recording_format.hpp"

namespace picket::record {

inline constexpr std::size_t kHandOverHeaderBytes = 4 + 1 + 2 + 8;

class RecordBuffer {
public:
    void append(RecordType type, FeedIndex feed, Timestamp time, std::string_view payload) {
        char header[kHandOverHeaderBytes];
        const auto len = static_cast<std::uint32_t>(payload.size());
        const auto t = static_cast<std::uint8_t>(type);
        const auto f = static_cast<std::uint16_t>(feed);
        // x86 and ARM are little-endian; the format is defined little-endian all the same.
        static_assert(std::endian::native == std::endian::little);
        std::memcpy(header, &len, 4);
        std::memcpy(header + 4, &t, 1);
        std::memcpy(header + 5, &f, 2);
        std::memcpy(header + 7, &time.ns, 8);
        bytes_.append(header, sizeof header);
        bytes_.append(payload);
        ++records_;
    }
    [[nodiscard]] const std::string& bytes() const { return bytes_; }
    [[nodiscard]] std::size_t size() const { return bytes_.size(); }
    [[nodiscard]] std::uint64_t records() const { return records_; }
    [[nodiscard]] bool empty() const { return bytes_.empty(); }
    /// Empties the buffer, keeping its capacity (buffers are recycled, not reallocated).
    void clear() {
        bytes_.clear();
        records_ = 0;
    }
    void swap(RecordBuffer& other) noexcept {
        bytes_.swap(other.bytes_);
        std::swap(records_, other.records_);
    }

private:
    std::string bytes_;
    std::uint64_t records_{0};
};

/// Calls `fn(type, feed, time, payload)` for each hand-over record in `bytes`, in order.
template <class Fn>
void for_each_handed_over(std::string_view bytes, Fn&& fn) {
    std::size_t pos = 0;
    while (pos + kHandOverHeaderBytes <= bytes.size()) {
        std::uint32_t len = 0;
        std::uint8_t type = 0;
        std::uint16_t feed = 0;
        std::int64_t ns = 0;
        std::memcpy(&len, bytes.data() + pos, 4);
        std::memcpy(&type, bytes.data() + pos + 4, 1);
        std::memcpy(&feed, bytes.data() + pos + 5, 2);
        std::memcpy(&ns, bytes.data() + pos + 7, 8);
        pos += kHandOverHeaderBytes;
        fn(static_cast<RecordType>(type), static_cast<FeedIndex>(feed), Timestamp{ns},
           bytes.substr(pos, len));
        pos += len;
    }
}

}  // namespace picket::record
