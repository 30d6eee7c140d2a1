#include "src/record/recording_format.hpp"

#include <array>
#include <cstdio>

namespace picket::record {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr auto kCrcTable = make_crc_table();

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
    crc = ~crc;
    for (const char ch : bytes)
        crc = kCrcTable[(crc ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

std::string segment_name(std::uint32_t number) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "seg-%06u.pkr", number);
    return buf;
}

std::string segment_name(std::uint32_t number, Compression compression) {
    char buf[32];
    std::snprintf(buf, sizeof buf,
                  compression == Compression::zstd ? "seg-%06u.pkz" : "seg-%06u.pkr", number);
    return buf;
}

std::string index_name(std::uint32_t number) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "seg-%06u.idx", number);
    return buf;
}

bool parse_segment_name(const std::string& name, unsigned& number, Compression* compression) {
    // sscanf alone would accept "seg-000042.idx": it counts the number before matching ".pkr".
    if (name.size() != 14 || name.compare(0, 4, "seg-") != 0) return false;
    const bool plain = name.compare(10, 4, ".pkr") == 0;
    if (!plain && name.compare(10, 4, ".pkz") != 0) return false;
    if (compression) *compression = plain ? Compression::none : Compression::zstd;
    number = 0;
    for (std::size_t i = 4; i < 10; ++i) {
        if (name[i] < '0' || name[i] > '9') return false;
        number = number * 10 + static_cast<unsigned>(name[i] - '0');
    }
    return true;
}

}  // namespace picket::record
