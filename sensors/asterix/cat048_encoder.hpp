#pragma once
/// ASTERIX CAT048 (monoradar target reports) and CAT034 (monoradar service messages) encoders,
/// used by the simulator's radar model and by tests. Follows EUROCONTROL "ASTERIX Part 4,
/// Category 048" (edition 1.2x) and "Part 2b, Category 034" (edition 1.2x). Output is a byte
/// string holding one data block; concatenate blocks to form a datagram.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "sensors/asterix/asterix_types.hpp"

namespace picket::sensors::asterix {

/// I048/020 TYP: what detected the target.
enum class Cat048DetectionType : std::uint8_t {
    no_detection = 0,
    single_psr = 1,
    single_ssr = 2,
    ssr_psr = 3,
    mode_s_all_call = 4,
    mode_s_roll_call = 5,
    mode_s_all_call_psr = 6,
    mode_s_roll_call_psr = 7,
};

/// One CAT048 target report. Polar and/or Cartesian position; at least one should be set.
struct Cat048Plot {
    DataSource source;        ///< I048/010
    double time_of_day_s{0};  ///< I048/140, seconds since UTC midnight [0, 86400)
    Cat048DetectionType type{Cat048DetectionType::single_psr};  ///< I048/020 TYP
    bool simulated{false};                                      ///< I048/020 SIM
    struct Polar {
        double range_m{0};      ///< slant range, metres (wire: 1/256 NM, max 256 NM)
        double azimuth_deg{0};  ///< true north clockwise, degrees (wire: 360/2^16)
    };
    std::optional<Polar> polar;                     ///< I048/040
    std::optional<std::uint32_t> aircraft_address;  ///< I048/220, Mode S 24-bit address
    struct Cartesian {
        double x_m{0};  ///< east of the radar, metres (wire: 1/128 NM)
        double y_m{0};  ///< north of the radar, metres
    };
    std::optional<Cartesian> cartesian;         ///< I048/042
    std::optional<std::uint16_t> track_number;  ///< I048/161, 12 bits (0..4095)
    struct Velocity {
        double ground_speed_mps{0};  ///< wire: 2^-14 NM/s, max 2 NM/s
        double heading_deg{0};       ///< true north clockwise (wire: 360/2^16)
    };
    std::optional<Velocity> velocity;  ///< I048/200 calculated track velocity (polar)
    /// I048/170 track status, sent when track_number is set: CNF (wire bit is !confirmed).
    bool confirmed{true};
    bool track_end{false};  ///< I048/170 TRE: last report of this track
};

/// Appends one CAT048 data block holding `plots` (one record each) to `out`.
/// Values outside the wire range are clamped. Blocks larger than 65535 octets are split.
void append_cat048_block(std::span<const Cat048Plot> plots, std::string& out);
/// Convenience: one block as a new string.
std::string encode_cat048_block(std::span<const Cat048Plot> plots);

/// I034/000 message type.
enum class Cat034MessageType : std::uint8_t {
    north_marker = 1,
    sector_crossing = 2,
    geographical_filtering = 3,
    jamming_strobe = 4,
};

/// One CAT034 service message: a north marker (with the antenna rotation period) or a sector
/// crossing.
struct Cat034Message {
    DataSource source;                                        ///< I034/010
    Cat034MessageType type{Cat034MessageType::north_marker};  ///< I034/000
    double time_of_day_s{0};                   ///< I034/030, seconds since UTC midnight
    std::optional<double> sector_azimuth_deg;  ///< I034/020 (wire: 360/2^8), sector crossings
    std::optional<double> rotation_period_s;   ///< I034/041 (wire: 1/128 s)
};

/// Appends one CAT034 data block holding `messages` to `out`.
void append_cat034_block(std::span<const Cat034Message> messages, std::string& out);
std::string encode_cat034_block(std::span<const Cat034Message> messages);

/// A north marker with the scan period, as one CAT034 block.
std::string encode_cat034_north_marker(DataSource source, double time_of_day_s,
                                       double rotation_period_s);

}  // namespace picket::sensors::asterix
