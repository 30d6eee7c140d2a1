#include "sensors/ais/ais_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sensors/ais/ais_bits.hpp"
#include "sensors/ais/ais_sentence.hpp"

namespace picket::sensors::ais {
namespace {

/// MSB-first bit writer into a byte vector.
class BitWriter {
public:
    void put(std::uint64_t value, unsigned count) {
        for (unsigned i = 0; i < count; ++i) {
            if (bits_ % 8 == 0) bytes_.push_back(0);
            if ((value >> (count - 1 - i)) & 1u)
                bytes_.back() = static_cast<std::uint8_t>(bytes_.back() | (0x80u >> (bits_ % 8)));
            ++bits_;
        }
    }
    void put_signed(std::int64_t value, unsigned count) {
        put(static_cast<std::uint64_t>(value) & ((std::uint64_t{1} << count) - 1), count);
    }
    /// Text in the 6-bit set of M.1371-5 table 47, upper-cased, padded with '@' to `chars`.
    void put_text(const std::string& s, std::size_t chars) {
        for (std::size_t i = 0; i < chars; ++i) {
            unsigned v = 0;  // '@'
            if (i < s.size()) {
                char c = s[i];
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
                const unsigned uc = static_cast<unsigned char>(c);
                if (uc >= 64 && uc < 96)
                    v = uc - 64;
                else if (uc >= 32 && uc < 64)
                    v = uc;
                else
                    v = 32;  // anything else becomes a space
            }
            put(v, 6);
        }
    }
    [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    [[nodiscard]] std::size_t size() const { return bits_; }

private:
    std::vector<std::uint8_t> bytes_;
    std::size_t bits_{0};
};

long lround_clamped(double v, long lo, long hi) {
    if (!std::isfinite(v)) return hi;
    return std::clamp(std::lround(v), lo, hi);
}

// Position in 1/10000 minute; out-of-range or missing values become "not available".
std::int64_t lon_wire(std::optional<double> deg) {
    if (!deg || !std::isfinite(*deg) || *deg < -180.0 || *deg > 180.0) return 181 * 600000;
    return std::lround(*deg * 600000.0);
}
std::int64_t lat_wire(std::optional<double> deg) {
    if (!deg || !std::isfinite(*deg) || *deg < -90.0 || *deg > 90.0) return 91 * 600000;
    return std::lround(*deg * 600000.0);
}
// SOG in 0.1 kn: 1023 not available, 1022 = 102.2 kn or more.
std::uint64_t sog_wire(std::optional<double> kn) {
    if (!kn || !std::isfinite(*kn) || *kn < 0) return 1023;
    return static_cast<std::uint64_t>(lround_clamped(*kn * 10.0, 0, 1022));
}
// COG in 0.1°, [0, 3600); 3600 not available.
std::uint64_t cog_wire(std::optional<double> deg) {
    if (!deg || !std::isfinite(*deg)) return 3600;
    double d = std::fmod(*deg, 360.0);
    if (d < 0) d += 360.0;
    long v = std::lround(d * 10.0);
    if (v >= 3600) v -= 3600;
    return static_cast<std::uint64_t>(v);
}
std::uint64_t heading_wire(std::optional<int> deg) {
    if (!deg || *deg < 0 || *deg > 359) return 511;
    return static_cast<std::uint64_t>(*deg);
}
std::uint64_t clampu(long v, long hi) { return static_cast<std::uint64_t>(std::clamp(v, 0L, hi)); }

void put_dims(BitWriter& w, const ShipDimensions& d) {
    w.put(clampu(d.to_bow_m, 511), 9);
    w.put(clampu(d.to_stern_m, 511), 9);
    w.put(clampu(d.to_port_m, 63), 6);
    w.put(clampu(d.to_starboard_m, 63), 6);
}

void put_header(BitWriter& w, unsigned type, int repeat, Mmsi mmsi) {
    w.put(type, 6);
    w.put(clampu(repeat, 3), 2);
    w.put(mmsi & 0x3FFFFFFFu, 30);
}

std::string tag_block(const EncodeOptions& opt) {
    if (!opt.tag_time && opt.tag_source.empty()) return {};
    std::string body;
    if (!opt.tag_source.empty()) body = "s:" + opt.tag_source;
    if (opt.tag_time) {
        if (!body.empty()) body += ',';
        body += "c:" + std::to_string(opt.tag_time->ns / kNsPerSecond);
    }
    char cs[8];
    std::snprintf(cs, sizeof cs, "*%02X", nmea_checksum(body));
    return "\\" + body + cs + "\\";
}

}  // namespace

int rot_to_wire(std::optional<double> rot) {
    if (!rot || std::isnan(*rot)) return -128;
    const double a = std::fabs(*rot);
    // ROT_AIS = 4.733 * sqrt(ROT_sensor): 126 ≙ 708°/min; beyond that "turning fast" (±127).
    const double v = 4.733 * std::sqrt(a);
    int w = static_cast<int>(std::lround(v));
    if (w > 126) w = 127;
    return *rot < 0 ? -w : w;
}

std::vector<std::string> encode_sentences(const std::vector<std::uint8_t>& bits,
                                          std::size_t bit_count, const EncodeOptions& opt) {
    // Armour: pad to a multiple of 6 bits; the pad is the fill-bit count of the last sentence.
    std::string payload;
    const std::size_t chars = (bit_count + 5) / 6;
    payload.reserve(chars);
    for (std::size_t c = 0; c < chars; ++c) {
        unsigned v = 0;
        for (std::size_t k = 0; k < 6; ++k) {
            const std::size_t bit = c * 6 + k;
            unsigned b = 0;
            if (bit < bit_count) b = (bits[bit / 8] >> (7 - bit % 8)) & 1u;
            v = v << 1 | b;
        }
        payload.push_back(armour_char(v));
    }
    const int fill = static_cast<int>(chars * 6 - bit_count);
    constexpr std::size_t kPerSentence = 60;
    const std::size_t n =
        std::max<std::size_t>(1, (payload.size() + kPerSentence - 1) / kPerSentence);
    const std::string tag = tag_block(opt);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string body = opt.own_ship ? "AIVDO," : "AIVDM,";
        body += std::to_string(n) + ',' + std::to_string(i + 1) + ',';
        if (n > 1) body += std::to_string(opt.sequence_id % 10);
        body += ',';
        body += opt.channel;
        body += ',';
        body += payload.substr(i * kPerSentence, kPerSentence);
        body += ',';
        body += std::to_string(i + 1 == n ? fill : 0);
        char cs[8];
        std::snprintf(cs, sizeof cs, "*%02X", nmea_checksum(body));
        // The tag block goes on the first sentence of a group only (NMEA 4.10 §6.3 grouping is
        // not used: receivers that tag every line would give every line its own time).
        out.push_back((i == 0 ? tag : std::string{}) + "!" + body + cs);
    }
    return out;
}

std::vector<std::string> encode(const PositionReportA& m, const EncodeOptions& opt) {
    BitWriter w;  // M.1371-5 table 45, 168 bits
    put_header(w, static_cast<unsigned>(std::clamp(m.type, 1, 3)), m.repeat, m.mmsi);
    w.put(clampu(m.nav_status, 15), 4);
    w.put_signed(rot_to_wire(m.rot_deg_per_min), 8);
    w.put(sog_wire(m.sog_kn), 10);
    w.put(m.high_accuracy ? 1 : 0, 1);
    w.put_signed(lon_wire(m.lon_deg), 28);
    w.put_signed(lat_wire(m.lat_deg), 27);
    w.put(cog_wire(m.cog_deg), 12);
    w.put(heading_wire(m.heading_deg), 9);
    w.put(clampu(m.utc_second, 63), 6);
    w.put(clampu(m.maneuver, 2), 2);
    w.put(0, 3);  // spare
    w.put(m.raim ? 1 : 0, 1);
    w.put(m.radio & 0x7FFFFu, 19);
    return encode_sentences(w.bytes(), w.size(), opt);
}

std::vector<std::string> encode(const PositionReportB& m, const EncodeOptions& opt) {
    BitWriter w;  // M.1371-5 table 70, 168 bits
    put_header(w, 18, m.repeat, m.mmsi);
    w.put(0, 8);  // regional reserved
    w.put(sog_wire(m.sog_kn), 10);
    w.put(m.high_accuracy ? 1 : 0, 1);
    w.put_signed(lon_wire(m.lon_deg), 28);
    w.put_signed(lat_wire(m.lat_deg), 27);
    w.put(cog_wire(m.cog_deg), 12);
    w.put(heading_wire(m.heading_deg), 9);
    w.put(clampu(m.utc_second, 63), 6);
    w.put(0, 2);  // regional reserved
    w.put(m.cs, 1);
    w.put(m.display, 1);
    w.put(m.dsc, 1);
    w.put(m.band, 1);
    w.put(m.msg22, 1);
    w.put(m.assigned, 1);
    w.put(m.raim, 1);
    w.put(m.radio & 0xFFFFFu, 20);
    return encode_sentences(w.bytes(), w.size(), opt);
}

std::vector<std::string> encode(const StaticVoyageData& m, const EncodeOptions& opt) {
    BitWriter w;  // M.1371-5 table 48, 424 bits
    put_header(w, 5, m.repeat, m.mmsi);
    w.put(clampu(m.ais_version, 3), 2);
    w.put(m.imo & 0x3FFFFFFFu, 30);
    w.put_text(m.callsign, 7);
    w.put_text(m.name, 20);
    w.put(clampu(m.ship_type, 255), 8);
    put_dims(w, m.dims);
    w.put(clampu(m.epfd, 15), 4);
    w.put(clampu(m.eta_month, 15), 4);
    w.put(clampu(m.eta_day, 31), 5);
    w.put(clampu(m.eta_hour, 31), 5);
    w.put(clampu(m.eta_minute, 63), 6);
    w.put(static_cast<std::uint64_t>(lround_clamped(m.draught_m * 10.0, 0, 255)), 8);
    w.put_text(m.destination, 20);
    w.put(m.dte ? 1 : 0, 1);
    w.put(0, 1);  // spare
    return encode_sentences(w.bytes(), w.size(), opt);
}

std::vector<std::string> encode(const StaticDataBPartA& m, const EncodeOptions& opt) {
    BitWriter w;  // M.1371-5 table 80, part A: 160 bits (168 with the optional spare)
    put_header(w, 24, m.repeat, m.mmsi);
    w.put(0, 2);  // part number A
    w.put_text(m.name, 20);
    w.put(0, 8);  // spare, to a full 168-bit slot
    return encode_sentences(w.bytes(), w.size(), opt);
}

std::vector<std::string> encode(const StaticDataBPartB& m, const EncodeOptions& opt) {
    BitWriter w;  // M.1371-5 table 81, part B: 168 bits
    put_header(w, 24, m.repeat, m.mmsi);
    w.put(1, 2);  // part number B
    w.put(clampu(m.ship_type, 255), 8);
    w.put_text(m.vendor_id, 3);
    w.put(clampu(m.model, 15), 4);
    w.put(m.serial & 0xFFFFFu, 20);
    w.put_text(m.callsign, 7);
    if (m.mmsi / 10'000'000 == 98) {
        w.put(m.mothership_mmsi & 0x3FFFFFFFu, 30);
    } else {
        put_dims(w, m.dims);
    }
    w.put(0, 6);  // EPFD (M.1371-5) + spare: left 0
    return encode_sentences(w.bytes(), w.size(), opt);
}

std::vector<std::string> encode(const BaseStationReport& m, const EncodeOptions& opt) {
    BitWriter w;  // M.1371-5 table 46, 168 bits
    put_header(w, 4, m.repeat, m.mmsi);
    w.put(clampu(m.year, 16383), 14);
    w.put(clampu(m.month, 15), 4);
    w.put(clampu(m.day, 31), 5);
    w.put(clampu(m.hour, 31), 5);
    w.put(clampu(m.minute, 63), 6);
    w.put(clampu(m.second, 63), 6);
    w.put(m.high_accuracy ? 1 : 0, 1);
    w.put_signed(lon_wire(m.lon_deg), 28);
    w.put_signed(lat_wire(m.lat_deg), 27);
    w.put(clampu(m.epfd, 15), 4);
    w.put(0, 10);  // spare (incl. long-range transmission control)
    w.put(m.raim ? 1 : 0, 1);
    w.put(m.radio & 0x7FFFFu, 19);
    return encode_sentences(w.bytes(), w.size(), opt);
}

}  // namespace picket::sensors::ais
