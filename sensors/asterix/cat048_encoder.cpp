// CAT048 / CAT034 encoders. Item layouts: EUROCONTROL ASTERIX Part 4 Category 048 ed. 1.21
// (§5.2 item descriptions, §5.3 UAP) and Part 2b Category 034 ed. 1.27 (§5.2, §5.3 UAP).
#include "sensors/asterix/cat048_encoder.hpp"

#include <algorithm>
#include <cmath>

#include "sensors/asterix/byte_io.hpp"

namespace picket::sensors::asterix {
namespace {

using detail::put_u16;
using detail::put_u24;
using detail::put_u8;

std::uint32_t clamp_unsigned(double v, double max) {
    if (!(v > 0)) return 0;  // also NaN
    return static_cast<std::uint32_t>(std::lround(std::min(v, max)));
}
std::int32_t clamp_signed(double v, double min, double max) {
    if (std::isnan(v)) return 0;
    return static_cast<std::int32_t>(std::lround(std::clamp(v, min, max)));
}
/// Angle (degrees) to a 16-bit fraction of a turn (LSB 360/2^16 deg), wrapping.
std::uint32_t angle16(double deg) {
    if (!std::isfinite(deg)) return 0;
    double turns = deg / 360.0;
    turns -= std::floor(turns);
    return static_cast<std::uint32_t>(std::lround(turns * 65536.0)) & 0xFFFFu;
}
/// Time of day (s) in 1/128 s (I048/140, I034/030), wrapped into one day.
std::uint32_t time_of_day128(double s) {
    if (!std::isfinite(s)) return 0;
    double t = std::fmod(s, kSecondsPerDay);
    if (t < 0) t += kSecondsPerDay;
    return static_cast<std::uint32_t>(std::lround(t * 128.0)) % (86400u * 128u);
}

// CAT048 UAP FRNs (§5.3).
constexpr int kFrn010 = 1, kFrn140 = 2, kFrn020 = 3, kFrn040 = 4, kFrn220 = 8, kFrn161 = 11,
              kFrn042 = 12, kFrn200 = 13, kFrn170 = 14;

void append_cat048_record(const Cat048Plot& p, std::string& out) {
    detail::FspecBuilder fs;
    fs.set(kFrn010);
    fs.set(kFrn140);
    fs.set(kFrn020);
    if (p.polar) fs.set(kFrn040);
    if (p.aircraft_address) fs.set(kFrn220);
    if (p.track_number) fs.set(kFrn161);
    if (p.cartesian) fs.set(kFrn042);
    if (p.velocity) fs.set(kFrn200);
    if (p.track_number) fs.set(kFrn170);
    fs.write(out);

    // I048/010: SAC, SIC.
    put_u8(out, p.source.sac);
    put_u8(out, p.source.sic);
    // I048/140: 24 bits, LSB 1/128 s.
    put_u24(out, time_of_day128(p.time_of_day_s));
    // I048/020 first octet: TYP(8-6) SIM(5) RDP(4) SPI(3) RAB(2) FX(1).
    put_u8(out, (static_cast<std::uint32_t>(p.type) << 5) | (p.simulated ? 0x10u : 0u));
    if (p.polar) {
        // I048/040: RHO 16 bits LSB 1/256 NM (max < 256 NM), THETA 16 bits LSB 360/2^16 deg.
        put_u16(out, clamp_unsigned(p.polar->range_m / kMetresPerNauticalMile * 256.0, 65535.0));
        put_u16(out, angle16(p.polar->azimuth_deg));
    }
    if (p.aircraft_address) {
        // I048/220: the 24-bit Mode S address.
        put_u24(out, *p.aircraft_address & 0xFFFFFFu);
    }
    if (p.track_number) {
        // I048/161: spare(16-13), TRACK NUMBER(12-1).
        put_u16(out, *p.track_number & 0x0FFFu);
    }
    if (p.cartesian) {
        // I048/042: X, Y two's complement 16 bits, LSB 1/128 NM (±256 NM).
        const double k = 128.0 / kMetresPerNauticalMile;
        put_u16(out, static_cast<std::uint32_t>(clamp_signed(p.cartesian->x_m * k, -32768, 32767)));
        put_u16(out, static_cast<std::uint32_t>(clamp_signed(p.cartesian->y_m * k, -32768, 32767)));
    }
    if (p.velocity) {
        // I048/200: GROUNDSPEED 16 bits LSB 2^-14 NM/s, HEADING 16 bits LSB 360/2^16 deg.
        put_u16(out, clamp_unsigned(p.velocity->ground_speed_mps / kMetresPerNauticalMile * 16384.0,
                                    65535.0));
        put_u16(out, angle16(p.velocity->heading_deg));
    }
    if (p.track_number) {
        // I048/170 first octet: CNF(8) RAD(7-6) DOU(5) MAH(4) CDM(3-2) FX(1).
        // RAD: 0 combined, 1 PSR track, 2 SSR/Mode S track.
        std::uint32_t rad = 0;
        if (p.type == Cat048DetectionType::single_psr) rad = 1;
        if (p.type == Cat048DetectionType::single_ssr ||
            p.type == Cat048DetectionType::mode_s_all_call ||
            p.type == Cat048DetectionType::mode_s_roll_call)
            rad = 2;
        std::uint32_t octet = (p.confirmed ? 0u : 0x80u) | (rad << 5);
        if (p.track_end) {
            put_u8(out, octet | 0x01u);
            put_u8(out, 0x80u);  // first extension: TRE(8)
        } else {
            put_u8(out, octet);
        }
    }
}

// CAT034 UAP FRNs (§5.3).
constexpr int kFrn034_010 = 1, kFrn034_000 = 2, kFrn034_030 = 3, kFrn034_020 = 4, kFrn034_041 = 5;

void append_cat034_record(const Cat034Message& m, std::string& out) {
    detail::FspecBuilder fs;
    fs.set(kFrn034_010);
    fs.set(kFrn034_000);
    fs.set(kFrn034_030);
    if (m.sector_azimuth_deg) fs.set(kFrn034_020);
    if (m.rotation_period_s) fs.set(kFrn034_041);
    fs.write(out);
    put_u8(out, m.source.sac);  // I034/010
    put_u8(out, m.source.sic);
    put_u8(out, static_cast<std::uint32_t>(m.type));  // I034/000
    put_u24(out, time_of_day128(m.time_of_day_s));    // I034/030, LSB 1/128 s
    if (m.sector_azimuth_deg)                         // I034/020, LSB 360/2^8 deg
        put_u8(out, angle16(*m.sector_azimuth_deg) >> 8);
    if (m.rotation_period_s)  // I034/041, LSB 1/128 s
        put_u16(out, clamp_unsigned(*m.rotation_period_s * 128.0, 65535.0));
}

/// Appends records to blocks of category `cat`, starting a new block before LEN would overflow.
template <class T, class F>
void append_blocks(std::uint8_t cat, std::span<const T> items, std::string& out, F&& write) {
    if (items.empty()) return;
    std::size_t block = detail::begin_block(out, cat);
    for (const T& item : items) {
        const std::size_t before = out.size();
        write(item, out);
        if (out.size() - block > kMaxBlockSize) {
            std::string record = out.substr(before);
            out.resize(before);
            detail::end_block(out, block);
            block = detail::begin_block(out, cat);
            out += record;
        }
    }
    detail::end_block(out, block);
}

}  // namespace

void append_cat048_block(std::span<const Cat048Plot> plots, std::string& out) {
    append_blocks(kCat048, plots, out, append_cat048_record);
}

std::string encode_cat048_block(std::span<const Cat048Plot> plots) {
    std::string out;
    append_cat048_block(plots, out);
    return out;
}

void append_cat034_block(std::span<const Cat034Message> messages, std::string& out) {
    append_blocks(kCat034, messages, out, append_cat034_record);
}

std::string encode_cat034_block(std::span<const Cat034Message> messages) {
    std::string out;
    append_cat034_block(messages, out);
    return out;
}

std::string encode_cat034_north_marker(DataSource source, double time_of_day_s,
                                       double rotation_period_s) {
    const Cat034Message m{source, Cat034MessageType::north_marker, time_of_day_s, std::nullopt,
                          rotation_period_s};
    return encode_cat034_block(std::span<const Cat034Message>(&m, 1));
}

}  // namespace picket::sensors::asterix
