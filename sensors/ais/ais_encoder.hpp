#pragma once
/// AIS encoder for the simulator and for tests: physical units in, complete NMEA 0183 AIVDM
/// sentences out (6-bit armouring, fill bits, checksum, multi-sentence split with a sequence id,
/// channel A/B, optional NMEA 4.10 tag block with `c:` unix time and `s:` source).
///
/// Bit layouts follow ITU-R M.1371-5 Annex 8 (message descriptions, §3) exactly as the decoder in
/// ais_decode.hpp reads them, so decode(encode(x)) == x up to the wire quantisation (1/10000 min
/// for positions, 0.1 kn, 0.1°, 0.1 m draught). Values out of the wire range are clamped or set
/// to the "not available" code rather than wrapped, so a simulator bug cannot produce a valid but
/// wrong position.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket::sensors::ais {

/// How the sentences are framed. Defaults give "!AIVDM,1,1,,A,...,0*hh".
struct EncodeOptions {
    char channel{'A'};  ///< 'A' or 'B' (radio channel, VHF 87B / 88B)
    /// Sequential message id 0..9 put in field 4 of multi-sentence messages; single-sentence
    /// messages leave field 4 empty, as receivers do.
    int sequence_id{0};
    std::optional<Timestamp> tag_time;  ///< adds an NMEA 4.10 tag block `c:<unix seconds>`
    std::string tag_source;             ///< adds `s:<source>` to the tag block when not empty
    bool own_ship{false};               ///< AIVDO (own vessel) instead of AIVDM
};

/// Types 1, 2, 3: Class A position report (M.1371-5 Annex 8 §3.1, table 45).
struct PositionReportA {
    int type{1};    ///< 1, 2 or 3
    int repeat{0};  ///< 0..3
    Mmsi mmsi{0};
    int nav_status{15};                     ///< 0..15; 15 = not defined
    std::optional<double> rot_deg_per_min;  ///< rate of turn, + = starboard; nullopt: not available
    std::optional<double> sog_kn;           ///< speed over ground (kn); nullopt: 1023
    bool high_accuracy{false};              ///< position accuracy flag (<= 10 m)
    std::optional<double> lat_deg;          ///< nullopt: 91° (not available)
    std::optional<double> lon_deg;          ///< nullopt: 181° (not available)
    std::optional<double> cog_deg;          ///< course over ground, true; nullopt: 3600
    std::optional<int> heading_deg;         ///< true heading 0..359; nullopt: 511
    int utc_second{60};                     ///< 0..59, 60 = not available, 61..63 special
    int maneuver{0};                        ///< 0 n/a, 1 no special manoeuvre, 2 special
    bool raim{false};
    std::uint32_t radio{0};  ///< 19-bit communication state (SOTDMA/ITDMA)
};

/// Type 18: standard Class B CS position report (M.1371-5 Annex 8 §3.16, table 70).
struct PositionReportB {
    int repeat{0};
    Mmsi mmsi{0};
    std::optional<double> sog_kn;
    bool high_accuracy{false};
    std::optional<double> lat_deg;
    std::optional<double> lon_deg;
    std::optional<double> cog_deg;
    std::optional<int> heading_deg;
    int utc_second{60};
    bool cs{true};  ///< carrier-sense unit (SOTDMA = false)
    bool display{false};
    bool dsc{false};
    bool band{true};
    bool msg22{false};
    bool assigned{false};
    bool raim{false};
    std::uint32_t radio{0};  ///< 20 bits (1-bit selector + 19-bit state)
};

/// Ship dimensions from the reference point of the position (m); 0 = not available.
struct ShipDimensions {
    int to_bow_m{0};        ///< 0..511
    int to_stern_m{0};      ///< 0..511
    int to_port_m{0};       ///< 0..63
    int to_starboard_m{0};  ///< 0..63
};

/// Type 5: static and voyage related data, 424 bits, two sentences (M.1371-5 Annex 8 §3.3).
struct StaticVoyageData {
    int repeat{0};
    Mmsi mmsi{0};
    int ais_version{0};
    std::uint32_t imo{0};
    std::string callsign;  ///< up to 7 characters of the 6-bit set (upper case)
    std::string name;      ///< up to 20 characters
    int ship_type{0};      ///< 0..255, e.g. 70 cargo, 30 fishing, 37 pleasure craft
    ShipDimensions dims;
    int epfd{1};              ///< position fix type, 1 = GPS
    int eta_month{0};         ///< 1..12, 0 = n/a
    int eta_day{0};           ///< 1..31, 0 = n/a
    int eta_hour{24};         ///< 0..23, 24 = n/a
    int eta_minute{60};       ///< 0..59, 60 = n/a
    double draught_m{0};      ///< 0.1 m resolution, 0 = n/a
    std::string destination;  ///< up to 20 characters
    bool dte{false};          ///< data terminal *not* ready when true (0 = available)
};

/// Type 24 part A: Class B static data, name (M.1371-5 Annex 8 §3.23, table 80).
struct StaticDataBPartA {
    int repeat{0};
    Mmsi mmsi{0};
    std::string name;
};

/// Type 24 part B: Class B static data, type, vendor, call sign, dimensions.
struct StaticDataBPartB {
    int repeat{0};
    Mmsi mmsi{0};
    int ship_type{0};
    std::string vendor_id;    ///< 3 characters (M.1371-4+) ...
    int model{0};             ///< ... followed by 4-bit unit model code
    std::uint32_t serial{0};  ///< ... and 20-bit serial number
    std::string callsign;
    ShipDimensions dims;      ///< ignored for auxiliary craft (MMSI 98xxxxxxx) ...
    Mmsi mothership_mmsi{0};  ///< ... which carry the mother ship's MMSI instead
};

/// Type 4: base station report (M.1371-5 Annex 8 §3.2, table 46).
struct BaseStationReport {
    int repeat{0};
    Mmsi mmsi{0};
    int year{0};     ///< 1..9999, 0 = n/a
    int month{0};    ///< 1..12, 0 = n/a
    int day{0};      ///< 1..31, 0 = n/a
    int hour{24};    ///< 0..23, 24 = n/a
    int minute{60};  ///< 0..59, 60 = n/a
    int second{60};  ///< 0..59, 60 = n/a
    bool high_accuracy{false};
    std::optional<double> lat_deg;
    std::optional<double> lon_deg;
    int epfd{7};  ///< 7 = surveyed
    bool raim{false};
    std::uint32_t radio{0};
};

/// Each function returns the complete sentences ("!AIVDM,...*hh", no line terminator), one per
/// element; type 5 gives two. Join them with "\r\n" to make a feed message.
std::vector<std::string> encode(const PositionReportA& m, const EncodeOptions& opt = {});
std::vector<std::string> encode(const PositionReportB& m, const EncodeOptions& opt = {});
std::vector<std::string> encode(const StaticVoyageData& m, const EncodeOptions& opt = {});
std::vector<std::string> encode(const StaticDataBPartA& m, const EncodeOptions& opt = {});
std::vector<std::string> encode(const StaticDataBPartB& m, const EncodeOptions& opt = {});
std::vector<std::string> encode(const BaseStationReport& m, const EncodeOptions& opt = {});

/// Low level: armours `bit_count` bits (MSB first in `bits`) into AIVDM sentences of at most
/// 60 payload characters each (so every sentence stays under the NMEA 82-character limit).
std::vector<std::string> encode_sentences(const std::vector<std::uint8_t>& bits,
                                          std::size_t bit_count, const EncodeOptions& opt);

/// Rate of turn indicator ROT_AIS (M.1371-5 table 45 note): 4.733·sqrt(|rot|) with sign,
/// clamped to ±126; ±127 = turning faster than 5°/30 s (no TI); -128 = not available.
int rot_to_wire(std::optional<double> rot_deg_per_min);

}  // namespace picket::sensors::ais
