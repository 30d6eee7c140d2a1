#pragma once
/// ASTERIX CAT062 (SDPS system track data) encoder: picket's fused tracks out to ATM/C2 tools
/// that speak ASTERIX. EUROCONTROL "ASTERIX Part 9, Category 062" edition 1.18/1.19 UAP.
/// Output is one data block (several records); Debian's tshark decodes it cleanly (tested).
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/geodetic.hpp"
#include "sensors/asterix/asterix_types.hpp"

namespace picket::sensors::asterix {

/// I062/200 Mode of Movement, as far as a simple motion classification can tell.
struct Cat062ModeOfMovement {
    enum class Transversal : std::uint8_t {
        constant_course = 0,
        right_turn = 1,
        left_turn = 2,
        undetermined = 3
    };
    enum class Longitudinal : std::uint8_t {
        constant_speed = 0,
        increasing = 1,
        decreasing = 2,
        undetermined = 3
    };
    Transversal trans{Transversal::undetermined};
    Longitudinal along{Longitudinal::undetermined};
};

/// One system track.
struct Cat062Track {
    DataSource source;                       ///< I062/010 (the SDPS, i.e. picket)
    std::optional<std::uint8_t> service_id;  ///< I062/015
    double time_of_track_s{0};               ///< I062/070, seconds since UTC midnight (1/128 s)
    LatLon position;                         ///< I062/105 WGS-84 (wire: 180/2^25 deg)
    /// I062/100, metres east/north of the system reference point (wire: 0.5 m, ±4194 km).
    std::optional<double> x_m;
    std::optional<double> y_m;
    double vx_mps{0};               ///< I062/185 east velocity (wire: 0.25 m/s)
    double vy_mps{0};               ///< I062/185 north velocity
    std::uint16_t track_number{0};  ///< I062/040 (0..65535)
    // I062/080 track status
    bool mono_sensor{false};                               ///< MON
    bool tentative{false};                                 ///< CNF (1 = tentative)
    bool simulated{false};                                 ///< SIM
    bool track_end{false};                                 ///< TSE: last message of this track
    bool track_begin{false};                               ///< TSB: first message of this track
    bool coasting{false};                                  ///< CST: extrapolated, no recent update
    std::optional<Cat062ModeOfMovement> mode_of_movement;  ///< I062/200
};

/// Appends one CAT062 data block with one record per track to `out` (split if > 65535 octets).
void append_cat062_block(std::span<const Cat062Track> tracks, std::string& out);
std::string encode_cat062_block(std::span<const Cat062Track> tracks);

}  // namespace picket::sensors::asterix
