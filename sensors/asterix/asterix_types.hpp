#pragma once
/// Shared vocabulary of the ASTERIX codecs (EUROCONTROL "ASTERIX Part 1" general rules):
/// data source identifiers, the unit factors used by the category specs, and the limits of
/// a data block. Wire units stay inside sensors/asterix; everything public is SI / degrees.
#include <cstddef>
#include <cstdint>

namespace picket::sensors::asterix {

/// I0xx/010 Data Source Identifier: System Area Code and System Identification Code.
struct DataSource {
    std::uint8_t sac{0};
    std::uint8_t sic{0};
    bool operator==(const DataSource&) const = default;
};

inline constexpr std::uint8_t kCat034 = 34;
inline constexpr std::uint8_t kCat048 = 48;
inline constexpr std::uint8_t kCat062 = 62;

/// ASTERIX Part 1 §4.2: a data block is CAT (1 octet) + LEN (2 octets, the whole block
/// including these 3) + records. LEN is 16 bits, so a block never exceeds 65535 octets.
inline constexpr std::size_t kBlockHeaderSize = 3;
inline constexpr std::size_t kMaxBlockSize = 65535;

inline constexpr double kMetresPerNauticalMile = 1852.0;
inline constexpr double kSecondsPerDay = 86400.0;

}  // namespace picket::sensors::asterix
