#pragma once
/// ASTERIX CAT062 (SDPS system track data) decoder: a neighbour's or an ATM system's tracks in,
/// into the same Cat062Track that picket's CAT062 output writes (cat062_encoder.hpp), so the two
/// are each other's test. EUROCONTROL Part 9 Cat 062, edition 1.19 UAP. Items picket does not
/// use are skipped by the generic walker (asterix_items.hpp), so every later item still decodes.
#include <cstddef>
#include <cstdint>

#include "core/expected.hpp"
#include "sensors/asterix/cat062_encoder.hpp"

namespace picket::sensors::asterix {

/// Which of the used items a record carried.
struct Cat062Report {
    Cat062Track track;
    bool has_source{false};    ///< I062/010
    bool has_time{false};      ///< I062/070
    bool has_position{false};  ///< I062/105
    bool has_velocity{false};  ///< I062/185
    bool has_number{false};    ///< I062/040
    bool has_status{false};    ///< I062/080
};

/// Decodes one CAT062 record at `data` (at most `size` octets: the rest of the block). Returns
/// the octets it used. Reasons: "truncated", "bad_fspec", "bad_item".
Expected<std::size_t, DecodeError> decode_cat062_record(const std::uint8_t* data, std::size_t size,
                                                        Cat062Report& out);

}  // namespace picket::sensors::asterix
