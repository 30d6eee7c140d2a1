// CAT062 encoder. Item layouts: EUROCONTROL ASTERIX Part 9 Category 062 ed. 1.18, §5.2 item
// descriptions and §5.3 UAP (FRN 1 I062/010, 3 /015, 4 /070, 5 /105, 6 /100, 7 /185,
// 12 /040, 13 /080, 15 /200).
#include "sensors/asterix/cat062_encoder.hpp"

#include <algorithm>
#include <cmath>

#include "sensors/asterix/byte_io.hpp"

namespace picket::sensors::asterix {
namespace {

using detail::put_u16;
using detail::put_u24;
using detail::put_u32;
using detail::put_u8;

std::int32_t scaled(double v, double lsb, double min, double max) {
    if (!std::isfinite(v)) return 0;
    return static_cast<std::int32_t>(std::lround(std::clamp(v / lsb, min, max)));
}

void append_cat062_record(const Cat062Track& t, std::string& out) {
    const bool cartesian = t.x_m && t.y_m;
    detail::FspecBuilder fs;
    fs.set(1);
    if (t.service_id) fs.set(3);
    fs.set(4);
    fs.set(5);
    if (cartesian) fs.set(6);
    fs.set(7);
    fs.set(12);
    fs.set(13);
    if (t.mode_of_movement) fs.set(15);
    fs.write(out);

    put_u8(out, t.source.sac);  // I062/010
    put_u8(out, t.source.sic);
    if (t.service_id) put_u8(out, *t.service_id);  // I062/015
    // I062/070 Time of Track Information: 24 bits, LSB 1/128 s.
    double tod =
        std::isfinite(t.time_of_track_s) ? std::fmod(t.time_of_track_s, kSecondsPerDay) : 0;
    if (tod < 0) tod += kSecondsPerDay;
    put_u24(out, static_cast<std::uint32_t>(std::lround(tod * 128.0)) % (86400u * 128u));
    // I062/105 WGS-84: latitude then longitude, 32-bit two's complement, LSB 180/2^25 deg.
    const double lsb_deg = 180.0 / 33554432.0;
    put_u32(out, static_cast<std::uint32_t>(
                     scaled(t.position.lat_deg, lsb_deg, -90.0 / lsb_deg, 90.0 / lsb_deg)));
    put_u32(out, static_cast<std::uint32_t>(
                     scaled(t.position.lon_deg, lsb_deg, -180.0 / lsb_deg, (180.0 / lsb_deg) - 1)));
    if (cartesian) {
        // I062/100: X, Y 24-bit two's complement, LSB 0.5 m.
        put_u24(out,
                static_cast<std::uint32_t>(scaled(*t.x_m, 0.5, -8388608, 8388607)) & 0xFFFFFFu);
        put_u24(out,
                static_cast<std::uint32_t>(scaled(*t.y_m, 0.5, -8388608, 8388607)) & 0xFFFFFFu);
    }
    // I062/185: Vx, Vy 16-bit two's complement, LSB 0.25 m/s.
    put_u16(out, static_cast<std::uint32_t>(scaled(t.vx_mps, 0.25, -32768, 32767)) & 0xFFFFu);
    put_u16(out, static_cast<std::uint32_t>(scaled(t.vy_mps, 0.25, -32768, 32767)) & 0xFFFFu);
    put_u16(out, t.track_number);  // I062/040
    // I062/080 Track Status, variable length: only as many extents as needed.
    //   octet 1: MON(8) SPI(7) MRH(6) SRC(5-3) CNF(2) FX
    //   ext 1:   SIM(8) TSE(7) TSB(6) FPC(5) AFF(4) STP(3) KOS(2) FX
    //   ext 2:   AMA(8) MD4(7-6) ME(5) MI(4) MD5(3-2) FX
    //   ext 3:   CST(8) PSR(7) SSR(6) MDS(5) ADS(4) SUC(3) AAC(2) FX
    std::uint8_t octets[4] = {
        static_cast<std::uint8_t>((t.mono_sensor ? 0x80 : 0) | (t.tentative ? 0x02 : 0)),
        static_cast<std::uint8_t>((t.simulated ? 0x80 : 0) | (t.track_end ? 0x40 : 0) |
                                  (t.track_begin ? 0x20 : 0)),
        0, static_cast<std::uint8_t>(t.coasting ? 0x80 : 0)};
    int last = 0;
    for (int i = 0; i < 4; ++i)
        if (octets[i] != 0) last = i;
    for (int i = 0; i <= last; ++i) put_u8(out, octets[i] | (i < last ? 0x01u : 0x00u));
    if (t.mode_of_movement) {
        // I062/200: TRANS(8-7) LONG(6-5) VERT(4-3) ADF(2) spare(1). VERT 3 = undetermined.
        put_u8(out, (static_cast<std::uint32_t>(t.mode_of_movement->trans) << 6) |
                        (static_cast<std::uint32_t>(t.mode_of_movement->along) << 4) | (3u << 2));
    }
}

}  // namespace

void append_cat062_block(std::span<const Cat062Track> tracks, std::string& out) {
    if (tracks.empty()) return;
    std::size_t block = detail::begin_block(out, kCat062);
    for (const Cat062Track& t : tracks) {
        const std::size_t before = out.size();
        append_cat062_record(t, out);
        if (out.size() - block > kMaxBlockSize) {
            std::string record = out.substr(before);
            out.resize(before);
            detail::end_block(out, block);
            block = detail::begin_block(out, kCat062);
            out += record;
        }
    }
    detail::end_block(out, block);
}

std::string encode_cat062_block(std::span<const Cat062Track> tracks) {
    std::string out;
    append_cat062_block(tracks, out);
    return out;
}

}  // namespace picket::sensors::asterix
