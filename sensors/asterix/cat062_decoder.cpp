// CAT062 record -> Cat062Track. UAP ed. 1.19 (Part 9 §5): FRN 1 /010, 3 /015, 4 /070, 5 /105,
// 6 /100, 7 /185, 12 /040, 13 /080, 15 /200; every other item is skipped by its length rule.
#include "sensors/asterix/cat062_decoder.hpp"

#include "sensors/asterix/asterix_items.hpp"
#include "sensors/asterix/byte_io.hpp"

namespace picket::sensors::asterix {
namespace {

using detail::read_u16;
using detail::read_u24;
using detail::read_u32;
using detail::sign_extend;

Expected<std::size_t, DecodeError> fail(std::string_view reason) {
    return Unexpected<DecodeError>{DecodeError{reason, {}}};
}

}  // namespace

Expected<std::size_t, DecodeError> decode_cat062_record(const std::uint8_t* data, std::size_t size,
                                                        Cat062Report& out) {
    out = Cat062Report{};
    std::size_t fspec = 0;
    while (true) {
        if (fspec >= size) return fail("truncated");
        if ((data[fspec++] & 1) == 0) break;
    }
    std::size_t used = fspec;
    Cat062Track& t = out.track;
    for (std::size_t i = 0; i < fspec; ++i) {
        for (int bit = 0; bit < 7; ++bit) {
            if ((data[i] & (0x80 >> bit)) == 0) continue;
            const unsigned frn = static_cast<unsigned>(i * 7 + static_cast<std::size_t>(bit) + 1);
            auto len = item_length(kCat062, frn, data + used, size - used);
            if (!len) return Unexpected<DecodeError>{len.error()};
            const std::uint8_t* p = data + used;
            switch (frn) {
                case 1:  // I062/010 SAC, SIC
                    t.source = {p[0], p[1]};
                    out.has_source = true;
                    break;
                case 3:  // I062/015 service identification
                    t.service_id = p[0];
                    break;
                case 4:  // I062/070 time of track information, 1/128 s
                    t.time_of_track_s = read_u24(p) / 128.0;
                    out.has_time = true;
                    break;
                case 5:  // I062/105 WGS-84 latitude, longitude, 180/2^25 deg
                    t.position = {sign_extend(read_u32(p), 32) * (180.0 / 33554432.0),
                                  sign_extend(read_u32(p + 4), 32) * (180.0 / 33554432.0)};
                    out.has_position = true;
                    break;
                case 6:  // I062/100 Cartesian X, Y, 0.5 m
                    t.x_m = sign_extend(read_u24(p), 24) * 0.5;
                    t.y_m = sign_extend(read_u24(p + 3), 24) * 0.5;
                    break;
                case 7:  // I062/185 Vx, Vy, 0.25 m/s
                    t.vx_mps = sign_extend(read_u16(p), 16) * 0.25;
                    t.vy_mps = sign_extend(read_u16(p + 2), 16) * 0.25;
                    out.has_velocity = true;
                    break;
                case 12:  // I062/040 track number
                    t.track_number = static_cast<std::uint16_t>(read_u16(p));
                    out.has_number = true;
                    break;
                case 13: {  // I062/080: MON SPI MRH SRC(3) CNF FX | SIM TSE TSB FPC AFF STP KOS FX
                            // | AMA MD4(2) ME MI MD5(2) FX | CST PSR SSR MDS ADS SUC AAC FX ...
                    const std::size_t n = *len;
                    t.mono_sensor = (p[0] & 0x80) != 0;
                    t.tentative = (p[0] & 0x02) != 0;
                    if (n >= 2) {
                        t.simulated = (p[1] & 0x80) != 0;
                        t.track_end = (p[1] & 0x40) != 0;
                        t.track_begin = (p[1] & 0x20) != 0;
                    }
                    if (n >= 4) t.coasting = (p[3] & 0x80) != 0;
                    out.has_status = true;
                    break;
                }
                case 15: {  // I062/200 TRANS(2) LONG(2) VERT(2) ADF spare
                    Cat062ModeOfMovement m;
                    m.trans = static_cast<Cat062ModeOfMovement::Transversal>(p[0] >> 6);
                    m.along = static_cast<Cat062ModeOfMovement::Longitudinal>((p[0] >> 4) & 3);
                    t.mode_of_movement = m;
                    break;
                }
                default:
                    break;
            }
            used += *len;
        }
    }
    return used;
}

}  // namespace picket::sensors::asterix
