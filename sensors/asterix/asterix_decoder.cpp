// ASTERIX CAT048 / CAT034 decoder.
// Framing and item structures: EUROCONTROL ASTERIX Part 1 (general rules) ed. 2.4 §4.2 (data
// block), §4.3 (record, FSPEC), §4.4 (item formats: fixed, extended, repetitive, explicit,
// compound). UAPs: Part 4 Category 048 ed. 1.21 §5.3, Part 2b Category 034 ed. 1.27 §5.3.
#include "sensors/asterix/asterix_decoder.hpp"

#include <array>
#include <bit>

#include "sensors/asterix/byte_io.hpp"

namespace picket::sensors::asterix {
namespace {

using detail::read_u16;
using detail::read_u24;
using detail::sign_extend;

enum class Rule : std::uint8_t { none, fixed, extended, repetitive, explicit_len, compound };

/// A compound item's subfield: fixed length, or repetitive (REP octet + REP × len).
struct Subfield {
    Rule rule{Rule::none};
    std::uint8_t len{0};
};

/// How to find the end of one data item.
struct ItemRule {
    Rule rule{Rule::none};
    std::uint8_t len{0};  ///< fixed: length; extended: primary part; repetitive: per repetition
    const Subfield* subfields{nullptr};
    std::uint8_t subfield_count{0};
};

constexpr Subfield F1{Rule::fixed, 1};
constexpr Subfield F2{Rule::fixed, 2};
constexpr Subfield NONE{};
// I048/130 Radar Plot Characteristics: SRL SRR SAM PRL PAM RPD APD, one octet each (§5.2.20).
constexpr std::array<Subfield, 7> k048_130{F1, F1, F1, F1, F1, F1, F1};
// I048/120 Radial Doppler Speed: CAL (2 octets), RDS (REP + 6 × REP) (§5.2.19).
constexpr std::array<Subfield, 2> k048_120{F2, Subfield{Rule::repetitive, 6}};
// I034/050 System Configuration and Status: COM(1) spare spare PSR(1) SSR(1) MDS(2) (§5.2.8).
constexpr std::array<Subfield, 6> k034_050{F1, NONE, NONE, F1, F1, F2};
// I034/060 System Processing Mode: COM(1) spare spare PSR(1) SSR(1) MDS(1) (§5.2.9).
constexpr std::array<Subfield, 6> k034_060{F1, NONE, NONE, F1, F1, F1};

constexpr ItemRule fixed(std::uint8_t n) { return {Rule::fixed, n, nullptr, 0}; }
constexpr ItemRule extended() { return {Rule::extended, 1, nullptr, 0}; }
constexpr ItemRule repetitive(std::uint8_t n) { return {Rule::repetitive, n, nullptr, 0}; }
constexpr ItemRule explicit_len() { return {Rule::explicit_len, 0, nullptr, 0}; }
template <std::size_t N>
constexpr ItemRule compound(const std::array<Subfield, N>& s) {
    return {Rule::compound, 0, s.data(), static_cast<std::uint8_t>(N)};
}

// CAT048 UAP, index = FRN - 1 (Part 4 §5.3, "Standard User Application Profile").
constexpr std::array<ItemRule, 28> kCat048Uap{
    fixed(2),            // 1  I048/010 Data Source Identifier
    fixed(3),            // 2  I048/140 Time-of-Day
    extended(),          // 3  I048/020 Target Report Descriptor
    fixed(4),            // 4  I048/040 Measured Position in Slant Polar Coordinates
    fixed(2),            // 5  I048/070 Mode-3/A Code
    fixed(2),            // 6  I048/090 Flight Level
    compound(k048_130),  // 7  I048/130 Radar Plot Characteristics
    fixed(3),            // 8  I048/220 Aircraft Address
    fixed(6),            // 9  I048/240 Aircraft Identification
    repetitive(8),       // 10 I048/250 BDS Register Data
    fixed(2),            // 11 I048/161 Track Number
    fixed(4),            // 12 I048/042 Calculated Position in Cartesian Coordinates
    fixed(4),            // 13 I048/200 Calculated Track Velocity in Polar Representation
    extended(),          // 14 I048/170 Track Status
    fixed(4),            // 15 I048/210 Track Quality
    extended(),          // 16 I048/030 Warning/Error Conditions
    fixed(2),            // 17 I048/080 Mode-3/A Code Confidence Indicator
    fixed(4),            // 18 I048/100 Mode-C Code and Confidence Indicator
    fixed(2),            // 19 I048/110 Height Measured by 3D Radar
    compound(k048_120),  // 20 I048/120 Radial Doppler Speed
    fixed(2),            // 21 I048/230 Communications/ACAS Capability and Flight Status
    fixed(7),            // 22 I048/260 ACAS Resolution Advisory Report
    fixed(1),            // 23 I048/055 Mode-1 Code
    fixed(2),            // 24 I048/050 Mode-2 Code
    fixed(1),            // 25 I048/065 Mode-1 Code Confidence Indicator
    fixed(2),            // 26 I048/060 Mode-2 Code Confidence Indicator
    explicit_len(),      // 27 SP Special Purpose Field
    explicit_len(),      // 28 RE Reserved Expansion Field
};

// CAT034 UAP (Part 2b §5.3).
constexpr std::array<ItemRule, 14> kCat034Uap{
    fixed(2),            // 1  I034/010 Data Source Identifier
    fixed(1),            // 2  I034/000 Message Type
    fixed(3),            // 3  I034/030 Time-of-Day
    fixed(1),            // 4  I034/020 Sector Number
    fixed(2),            // 5  I034/041 Antenna Rotation Period
    compound(k034_050),  // 6  I034/050 System Configuration and Status
    compound(k034_060),  // 7  I034/060 System Processing Mode
    repetitive(2),       // 8  I034/070 Message Count Values
    fixed(8),            // 9  I034/100 Generic Polar Window
    fixed(1),            // 10 I034/110 Data Filter
    fixed(8),            // 11 I034/120 3D-Position of Data Source
    fixed(2),            // 12 I034/090 Collimation Error
    explicit_len(),      // 13 RE Reserved Expansion Field
    explicit_len(),      // 14 SP Special Purpose Field
};

/// Length of the FX-chained octets starting at p (extended items, FSPECs, compound primaries);
/// 0 when the chain runs past `end`.
std::size_t fx_chain_length(const std::uint8_t* p, const std::uint8_t* end) {
    std::size_t n = 0;
    while (p + n < end) {
        if ((p[n++] & 0x01) == 0) return n;
    }
    return 0;
}

/// Returns the octet after the item at p, or nullptr with `reason` set.
const std::uint8_t* skip_item(const ItemRule& r, const std::uint8_t* p, const std::uint8_t* end,
                              std::string_view& reason) {
    const auto need = [&](std::size_t n) -> const std::uint8_t* {
        if (static_cast<std::size_t>(end - p) < n) {
            reason = "truncated";
            return nullptr;
        }
        return p + n;
    };
    switch (r.rule) {
        case Rule::fixed:
            return need(r.len);
        case Rule::extended: {
            // Part 1 §4.4.2: primary part, then one-octet extents while FX (bit 1) is set.
            const std::size_t n = fx_chain_length(p, end);
            if (n == 0) reason = "truncated";
            return n == 0 ? nullptr : p + n;
        }
        case Rule::repetitive: {
            // Part 1 §4.4.3: REP octet, then REP repetitions of a fixed-length field.
            if (p >= end) return need(1);
            return need(1 + std::size_t{*p} * r.len);
        }
        case Rule::explicit_len: {
            // Part 1 §4.4.4: LEN octet counts itself; 0 cannot be.
            if (p >= end) return need(1);
            if (*p == 0) {
                reason = "bad_item";
                return nullptr;
            }
            return need(*p);
        }
        case Rule::compound: {
            // Part 1 §4.4.5: primary subfield (FX-chained presence bits, 7 per octet), then the
            // present subfields in order.
            const std::size_t primary = fx_chain_length(p, end);
            if (primary == 0) {
                reason = "truncated";
                return nullptr;
            }
            const std::uint8_t* q = p + primary;
            for (std::size_t i = 0; i < primary; ++i) {
                for (int bit = 0; bit < 7; ++bit) {
                    if ((p[i] & (0x80 >> bit)) == 0) continue;
                    const std::size_t k = i * 7 + static_cast<std::size_t>(bit);
                    if (k >= r.subfield_count || r.subfields[k].rule == Rule::none) {
                        reason = "bad_item";  // a subfield the spec does not define: length unknown
                        return nullptr;
                    }
                    const Subfield& s = r.subfields[k];
                    std::size_t n = s.len;
                    if (s.rule == Rule::repetitive) {
                        if (q >= end) {
                            reason = "truncated";
                            return nullptr;
                        }
                        n = 1 + std::size_t{*q} * s.len;
                    }
                    if (static_cast<std::size_t>(end - q) < n) {
                        reason = "truncated";
                        return nullptr;
                    }
                    q += n;
                }
            }
            return q;
        }
        case Rule::none:
            break;
    }
    reason = "bad_fspec";
    return nullptr;
}

/// Reads a record's FSPEC into `bits` (bit k set = FRN k+1 present). Fails on truncation, on
/// FRNs beyond the UAP and on an FSPEC that announces no item at all.
template <std::size_t N>
const std::uint8_t* read_fspec(const std::uint8_t* p, const std::uint8_t* end, std::uint64_t& bits,
                               std::string_view& reason) {
    const std::size_t n = fx_chain_length(p, end);
    if (n == 0) {
        reason = "truncated";
        return nullptr;
    }
    if (n > (N + 6) / 7) {
        reason = "bad_fspec";
        return nullptr;
    }
    bits = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (int bit = 0; bit < 7; ++bit)
            if (p[i] & (0x80 >> bit))
                bits |= std::uint64_t{1} << (i * 7 + static_cast<std::size_t>(bit));
    if (bits == 0 || (bits >> N) != 0) {
        reason = "bad_fspec";
        return nullptr;
    }
    return p + n;
}

constexpr double kAngle16Deg = 360.0 / 65536.0;

Expected<std::size_t, DecodeError> fail(std::string_view reason) {
    return Unexpected<DecodeError>{DecodeError{reason, {}}};
}

}  // namespace

Expected<std::size_t, DecodeError> decode_cat048_record(const std::uint8_t* data, std::size_t size,
                                                        Cat048Report& out) {
    const std::uint8_t* const end = data + size;
    std::string_view reason;
    std::uint64_t bits = 0;
    const std::uint8_t* p = read_fspec<28>(data, end, bits, reason);
    if (!p) return fail(reason);
    out = Cat048Report{};
    Cat048Plot& plot = out.plot;
    while (bits != 0) {
        const int k = std::countr_zero(bits);  // FRN k+1, in UAP order
        bits &= bits - 1;
        const std::uint8_t* next =
            skip_item(kCat048Uap[static_cast<std::size_t>(k)], p, end, reason);
        if (!next) return fail(reason);
        switch (k + 1) {
            case 1:  // I048/010: SAC, SIC
                plot.source = {p[0], p[1]};
                out.has_source = true;
                break;
            case 2:  // I048/140: time of day, LSB 1/128 s
                plot.time_of_day_s = read_u24(p) / 128.0;
                out.has_time = true;
                break;
            case 3:  // I048/020 first octet: TYP(8-6) SIM(5) ...
                plot.type = static_cast<Cat048DetectionType>(p[0] >> 5);
                plot.simulated = (p[0] & 0x10) != 0;
                break;
            case 4:  // I048/040: RHO LSB 1/256 NM, THETA LSB 360/2^16 deg
                plot.polar = Cat048Plot::Polar{read_u16(p) * (kMetresPerNauticalMile / 256.0),
                                               read_u16(p + 2) * kAngle16Deg};
                break;
            case 8:  // I048/220 Aircraft Address (CAT048 ed. 1.21-1.31, data item I048/220): three
                     // octets, the 24-bit Mode S address, most significant bit first
                plot.aircraft_address = read_u24(p);
                break;
            case 11:  // I048/161: 12-bit track number
                plot.track_number = static_cast<std::uint16_t>(read_u16(p) & 0x0FFF);
                break;
            case 12:  // I048/042: X, Y two's complement, LSB 1/128 NM
                plot.cartesian = Cat048Plot::Cartesian{
                    sign_extend(read_u16(p), 16) * (kMetresPerNauticalMile / 128.0),
                    sign_extend(read_u16(p + 2), 16) * (kMetresPerNauticalMile / 128.0)};
                break;
            case 13:  // I048/200: ground speed LSB 2^-14 NM/s, heading LSB 360/2^16 deg
                plot.velocity =
                    Cat048Plot::Velocity{read_u16(p) * (kMetresPerNauticalMile / 16384.0),
                                         read_u16(p + 2) * kAngle16Deg};
                break;
            case 14:  // I048/170: CNF(8) …; first extent TRE(8)
                plot.confirmed = (p[0] & 0x80) == 0;
                plot.track_end = (p[0] & 0x01) != 0 && (p[1] & 0x80) != 0;
                out.has_status = true;
                break;
            default:
                break;  // skipped by its length rule
        }
        p = next;
    }
    return static_cast<std::size_t>(p - data);
}

Expected<std::size_t, DecodeError> decode_cat034_record(const std::uint8_t* data, std::size_t size,
                                                        Cat034Report& out) {
    const std::uint8_t* const end = data + size;
    std::string_view reason;
    std::uint64_t bits = 0;
    const std::uint8_t* p = read_fspec<14>(data, end, bits, reason);
    if (!p) return fail(reason);
    out = Cat034Report{};
    Cat034Message& m = out.message;
    while (bits != 0) {
        const int k = std::countr_zero(bits);
        bits &= bits - 1;
        const std::uint8_t* next =
            skip_item(kCat034Uap[static_cast<std::size_t>(k)], p, end, reason);
        if (!next) return fail(reason);
        switch (k + 1) {
            case 1:  // I034/010
                m.source = {p[0], p[1]};
                out.has_source = true;
                break;
            case 2:  // I034/000 message type
                m.type = static_cast<Cat034MessageType>(p[0]);
                out.has_type = true;
                break;
            case 3:  // I034/030 time of day, LSB 1/128 s
                m.time_of_day_s = read_u24(p) / 128.0;
                out.has_time = true;
                break;
            case 4:  // I034/020 sector number, LSB 360/2^8 deg
                m.sector_azimuth_deg = p[0] * (360.0 / 256.0);
                break;
            case 5:  // I034/041 antenna rotation period, LSB 1/128 s
                m.rotation_period_s = read_u16(p) / 128.0;
                break;
            default:
                break;
        }
        p = next;
    }
    return static_cast<std::size_t>(p - data);
}

void decode_asterix_datagram(std::string_view datagram, AsterixVisitor& visitor) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(datagram.data());
    std::size_t pos = 0;
    const std::size_t size = datagram.size();
    Cat048Report r048;
    Cat034Report r034;
    while (pos < size) {
        if (size - pos < kBlockHeaderSize) {
            visitor.rejected(DecodeError{"truncated", "data block header"});
            return;
        }
        const std::uint8_t cat = data[pos];
        const std::size_t len = read_u16(data + pos + 1);
        if (len < kBlockHeaderSize || len > size - pos) {
            // Without a trustworthy LEN the next block cannot be found: stop here.
            visitor.rejected(DecodeError{
                "bad_length", "CAT" + std::to_string(cat) + " LEN " + std::to_string(len)});
            return;
        }
        const std::size_t block_end = pos + len;
        std::size_t rec = pos + kBlockHeaderSize;
        if (cat != kCat048 && cat != kCat034) {
            visitor.rejected(DecodeError{"unknown_category", "CAT" + std::to_string(cat)});
        } else {
            while (rec < block_end) {
                auto used = cat == kCat048
                                ? decode_cat048_record(data + rec, block_end - rec, r048)
                                : decode_cat034_record(data + rec, block_end - rec, r034);
                if (!used) {
                    // Records carry no length: the rest of this block is lost, the next is not.
                    visitor.rejected(used.error());
                    break;
                }
                rec += *used;
                if (cat == kCat048)
                    visitor.cat048(r048);
                else
                    visitor.cat034(r034);
            }
        }
        pos = block_end;
    }
}

}  // namespace picket::sensors::asterix
