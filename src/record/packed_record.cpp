#include "src/record/packed_record.hpp"

namespace picket::record {
namespace {

constexpr std::uint32_t kSkippableMagic = 0x184D2A50;  // RFC 8878 3.1.2: 0x184D2A5?
constexpr std::uint32_t kHeaderContentBytes = 8;
constexpr std::string_view kTag("PKZ\x02", 4);  // then u32 prefix_bytes
static_assert(kPackedHeaderBytes == 8 + kHeaderContentBytes);

void put_le32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
}

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

bool get_varint(std::string_view data, std::size_t& pos, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && pos < data.size(); shift += 7) {
        const auto byte = static_cast<std::uint8_t>(data[pos++]);
        v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

}  // namespace

std::string packed_segment_header(std::uint32_t prefix_bytes) {
    std::string out;
    put_le32(out, kSkippableMagic);
    put_le32(out, kHeaderContentBytes);
    out.append(kTag);
    put_le32(out, prefix_bytes);
    return out;
}

std::optional<std::uint32_t> packed_segment_prefix(std::string_view segment) {
    if (segment.size() < kPackedHeaderBytes) return std::nullopt;
    const std::string expected = packed_segment_header(0);
    if (segment.substr(0, 12) != std::string_view(expected).substr(0, 12)) return std::nullopt;
    std::uint32_t prefix = 0;
    for (int i = 3; i >= 0; --i) prefix = prefix << 8 | static_cast<std::uint8_t>(segment[12 + i]);
    return prefix;
}

std::size_t append_packed_record(std::string& out, RecordType type, FeedIndex feed,
                                 std::int64_t time_delta_ns, std::string_view payload) {
    const std::size_t start = out.size();
    put_varint(out, payload.size());
    out.push_back(static_cast<char>(type));
    put_varint(out, feed);
    put_varint(out, zigzag(time_delta_ns));
    out.append(payload);
    return out.size() - start;
}

std::optional<PackedRecord> read_packed_record(std::string_view data, std::size_t& pos) {
    std::size_t at = pos;
    std::uint64_t length = 0, feed = 0, delta = 0;
    if (!get_varint(data, at, length) || length > kMaxRecordPayload || at >= data.size())
        return std::nullopt;
    PackedRecord r;
    r.type = static_cast<RecordType>(static_cast<std::uint8_t>(data[at++]));
    if (!get_varint(data, at, feed) || feed > 0xFFFF || !get_varint(data, at, delta) ||
        length > data.size() - at)
        return std::nullopt;
    r.feed = static_cast<FeedIndex>(feed);
    r.time_delta_ns = unzigzag(delta);
    r.payload = data.substr(at, length);
    pos = at + length;
    return r;
}

}  // namespace picket::record
