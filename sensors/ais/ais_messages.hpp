#pragma once
/// Decoded AIS messages in wire units (ITU-R M.1371-5 Annex 8 §3): positions in 1/10000 minute,
/// speed in 0.1 kn, course in 0.1°, exactly as transmitted. Field names follow gpsd's AIS JSON
/// (https://gpsd.io/AIVDM.html) so that the JSON writer is a plain listing. Conversion to SI
/// units happens in the feed normaliser (ais_feed.cpp), not here.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/ids.hpp"

namespace picket::sensors::ais {

/// "Not available" codes (M.1371-5 table 45/46 notes).
inline constexpr std::int32_t kLonNotAvailable = 181 * 600000;  ///< 181° in 1/10000 min
inline constexpr std::int32_t kLatNotAvailable = 91 * 600000;   ///< 91°
inline constexpr std::uint32_t kSpeedNotAvailable = 1023;       ///< SOG, 0.1 kn
inline constexpr std::uint32_t kSpeedFast = 1022;               ///< >= 102.2 kn
inline constexpr std::uint32_t kCourseNotAvailable = 3600;      ///< COG, 0.1°
inline constexpr std::uint32_t kHeadingNotAvailable = 511;
inline constexpr std::int32_t kTurnNotAvailable = -128;

/// Bits 0..37, common to every message (M.1371-5 Annex 8 §3, all tables).
struct Header {
    std::uint8_t type{0};
    std::uint8_t repeat{0};
    Mmsi mmsi{0};
};

/// Types 1, 2, 3 (§3.1, table 45).
struct PositionA {
    Header hdr;
    std::uint8_t status{15};
    std::int32_t turn{kTurnNotAvailable};
    std::uint32_t speed{kSpeedNotAvailable};
    bool accuracy{false};
    std::int32_t lon{kLonNotAvailable};
    std::int32_t lat{kLatNotAvailable};
    std::uint32_t course{kCourseNotAvailable};
    std::uint32_t heading{kHeadingNotAvailable};
    std::uint8_t second{60};
    std::uint8_t maneuver{0};
    bool raim{false};
    std::uint32_t radio{0};
};

/// Types 4 and 11 (§3.2, table 46).
struct BaseStation {
    Header hdr;
    std::uint32_t year{0}, month{0}, day{0}, hour{24}, minute{60}, second{60};
    bool accuracy{false};
    std::int32_t lon{kLonNotAvailable};
    std::int32_t lat{kLatNotAvailable};
    std::uint8_t epfd{0};
    bool raim{false};
    std::uint32_t radio{0};
};

/// Type 5 (§3.3, table 48).
struct StaticVoyage {
    Header hdr;
    std::uint8_t ais_version{0};
    std::uint32_t imo{0};
    std::string callsign, shipname;
    std::uint8_t shiptype{0};
    std::uint32_t to_bow{0}, to_stern{0}, to_port{0}, to_starboard{0};
    std::uint8_t epfd{0};
    std::uint32_t month{0}, day{0}, hour{24}, minute{60};
    std::uint32_t draught{0};  ///< 0.1 m
    std::string destination;
    std::uint8_t dte{0};
};

// --- Application-specific payloads of types 6 and 8 (IMO SN.1/Circ.236 and 289, GLA, CCNR) ---

/// 6, DAC 235/250 FID 10: GLA AtoN monitoring data.
struct AtonMonitoring {
    std::uint32_t ana_int{0}, ana_ext1{0}, ana_ext2{0};  ///< 0.05 V
    std::uint8_t racon{0}, light{0};
    bool alarm{false};
    std::uint32_t stat_ext{0};
    bool off_pos{false};
};
/// 6, DAC 1 FID 12: dangerous cargo indication (IMO236).
struct DangerousCargo {
    std::string lastport;
    std::uint32_t lmonth{0}, lday{0}, lhour{0}, lminute{0};
    std::string nextport;
    std::uint32_t nmonth{0}, nday{0}, nhour{0}, nminute{0};
    std::string dangerous, imdcat;
    std::uint32_t unid{0}, amount{0}, unit{0};
};
struct Tidal {
    std::int32_t lon{0}, lat{0};  ///< FID 14: 1/10000 min; FID 32: 1/1000 min
    std::uint32_t from_hour{0}, from_min{0}, to_hour{0}, to_min{0}, cdir{0}, cspeed{0};
};
/// 6, DAC 1 FID 14 (IMO236) and FID 32 (IMO289): tidal window.
struct TidalWindow {
    std::uint32_t month{0}, day{0};
    std::vector<Tidal> tidals;
};
/// 6, DAC 1 FID 18: clearance time to enter port (IMO289).
struct ClearanceTime {
    std::uint32_t linkage{0}, month{0}, day{0}, hour{0}, minute{0};
    std::string portname, destination;
    std::int32_t lon{0}, lat{0};  ///< 1/1000 min
};
/// 6 DAC 1 FID 30 / 8 DAC 1 FID 29: text description (IMO289).
struct TextDescription {
    std::uint32_t linkage{0};
    std::string text;
};
/// 8, DAC 1 FID 11 (IMO236) and FID 31 (IMO289): meteorological and hydrological data.
/// Layouts differ slightly (FID 31 has signed temperatures, an accuracy and a visibility flag).
struct MetHydro {
    std::int32_t lat{0}, lon{0};  ///< 1/1000 min
    bool accuracy{false};
    std::uint32_t day{0}, hour{0}, minute{0};
    std::uint32_t wspeed{0}, wgust{0}, wdir{0}, wgustdir{0};
    std::int32_t airtemp{0};
    std::uint32_t humidity{0};
    std::int32_t dewpoint{0};
    std::uint32_t pressure{0}, pressuretend{0};
    bool visgreater{false};
    std::uint32_t visibility{0}, waterlevel{0}, leveltrend{0};
    std::uint32_t cspeed{0}, cdir{0}, cspeed2{0}, cdir2{0}, cdepth2{0}, cspeed3{0}, cdir3{0},
        cdepth3{0};
    std::uint32_t waveheight{0}, waveperiod{0}, wavedir{0}, swellheight{0}, swellperiod{0},
        swelldir{0}, seastate{0};
    std::int32_t watertemp{0};
    std::uint32_t preciptype{0}, salinity{0}, ice{0};
};
/// 8, DAC 200 FID 10: inland ship static and voyage related data (CCNR Inland AIS).
struct InlandStatic {
    std::string vin;
    std::uint32_t length{0}, beam{0}, shiptype{0}, hazard{0}, draught{0}, loaded{0};
    bool speed_q{false}, course_q{false}, heading_q{false};
};

/// 6, DAC 200 FID 55: number of persons on board (CCNR Inland AIS).
struct PersonsOnBoard {
    std::uint32_t crew{0}, passengers{0}, personnel{0};
};

using BinaryApp =
    std::variant<std::monostate, AtonMonitoring, DangerousCargo, TidalWindow, ClearanceTime,
                 TextDescription, MetHydro, InlandStatic, PersonsOnBoard>;

/// Type 6 (§3.4, table 49): addressed binary message.
struct BinaryAddressed {
    Header hdr;
    std::uint8_t seqno{0};
    Mmsi dest_mmsi{0};
    bool retransmit{false};
    std::uint32_t dac{0}, fid{0};
    BinaryApp app;  ///< decoded application payload, monostate when kept raw
    std::uint32_t bitcount{0};
    std::string data;  ///< hex of the application data when not decoded
};

/// Types 7 and 13 (§3.5, table 51): acknowledgements.
struct Acknowledge {
    Header hdr;
    Mmsi mmsi1{0}, mmsi2{0}, mmsi3{0}, mmsi4{0};
    std::uint8_t seqno1{0}, seqno2{0}, seqno3{0}, seqno4{0};
};

/// Type 8 (§3.6, table 52): broadcast binary message.
struct BinaryBroadcast {
    Header hdr;
    std::uint32_t dac{0}, fid{0};
    BinaryApp app;
    std::uint32_t bitcount{0};
    std::string data;
};

/// Type 9 (§3.7, table 53): SAR aircraft position report.
struct SarAircraft {
    Header hdr;
    std::uint32_t alt{4095};                  ///< m
    std::uint32_t speed{kSpeedNotAvailable};  ///< 1 kn (not 0.1)
    bool accuracy{false};
    std::int32_t lon{kLonNotAvailable}, lat{kLatNotAvailable};
    std::uint32_t course{kCourseNotAvailable};
    std::uint8_t second{60};
    std::uint32_t regional{0};
    std::uint8_t dte{0};
    bool assigned{false}, raim{false};
    std::uint32_t radio{0};
};

/// Type 10 (§3.8): UTC/date inquiry.
struct UtcInquiry {
    Header hdr;
    Mmsi dest_mmsi{0};
};

/// Type 12 (§3.10): addressed safety related message.
struct SafetyAddressed {
    Header hdr;
    std::uint8_t seqno{0};
    Mmsi dest_mmsi{0};
    bool retransmit{false};
    std::string text;
};

/// Type 14 (§3.12): safety related broadcast.
struct SafetyBroadcast {
    Header hdr;
    std::string text;
};

/// Type 15 (§3.13): interrogation.
struct Interrogation {
    Header hdr;
    Mmsi mmsi1{0};
    std::uint32_t type1_1{0}, offset1_1{0}, type1_2{0}, offset1_2{0};
    Mmsi mmsi2{0};
    std::uint32_t type2_1{0}, offset2_1{0};
};

/// Type 16 (§3.14): assigned mode command.
struct AssignedMode {
    Header hdr;
    Mmsi mmsi1{0};
    std::uint32_t offset1{0}, increment1{0};
    Mmsi mmsi2{0};
    std::uint32_t offset2{0}, increment2{0};
};

/// Type 17 (§3.15): GNSS broadcast binary message (DGNSS corrections).
struct DgnssBroadcast {
    Header hdr;
    std::int32_t lon{0}, lat{0};  ///< 1/10 min
    std::uint32_t bitcount{0};
    std::string data;
};

/// Type 18 (§3.16, table 70): standard Class B CS position report.
struct PositionB {
    Header hdr;
    std::uint32_t reserved{0};
    std::uint32_t speed{kSpeedNotAvailable};
    bool accuracy{false};
    std::int32_t lon{kLonNotAvailable}, lat{kLatNotAvailable};
    std::uint32_t course{kCourseNotAvailable};
    std::uint32_t heading{kHeadingNotAvailable};
    std::uint8_t second{60};
    std::uint32_t regional{0};
    bool cs{false}, display{false}, dsc{false}, band{false}, msg22{false}, assigned{false},
        raim{false};
    std::uint32_t radio{0};
};

/// Type 19 (§3.17, table 71): extended Class B position report.
struct PositionBExtended {
    Header hdr;
    std::uint32_t reserved{0};
    std::uint32_t speed{kSpeedNotAvailable};
    bool accuracy{false};
    std::int32_t lon{kLonNotAvailable}, lat{kLatNotAvailable};
    std::uint32_t course{kCourseNotAvailable};
    std::uint32_t heading{kHeadingNotAvailable};
    std::uint8_t second{60};
    std::uint32_t regional{0};
    std::string shipname;
    std::uint8_t shiptype{0};
    std::uint32_t to_bow{0}, to_stern{0}, to_port{0}, to_starboard{0};
    std::uint8_t epfd{0};
    bool raim{false};
    std::uint8_t dte{0};
    bool assigned{false};
};

/// Type 20 (§3.18): data link management.
struct DataLinkManagement {
    Header hdr;
    std::uint32_t offset[4]{}, number[4]{}, timeout[4]{}, increment[4]{};
};

/// Type 21 (§3.19, table 74): aid-to-navigation report.
struct AidToNavigation {
    Header hdr;
    std::uint8_t aid_type{0};
    std::string name;  ///< including the name extension
    bool accuracy{false};
    std::int32_t lon{kLonNotAvailable}, lat{kLatNotAvailable};
    std::uint32_t to_bow{0}, to_stern{0}, to_port{0}, to_starboard{0};
    std::uint8_t epfd{0};
    std::uint8_t second{60};
    bool off_position{false};
    std::uint32_t regional{0};
    bool raim{false}, virtual_aid{false}, assigned{false};
};

/// Type 22 (§3.20): channel management.
struct ChannelManagement {
    Header hdr;
    std::uint32_t channel_a{0}, channel_b{0}, txrx{0};
    bool power{false};
    bool addressed{false};
    std::int32_t ne_lon{0}, ne_lat{0}, sw_lon{0}, sw_lat{0};  ///< 1/10 min, broadcast form
    Mmsi dest1{0}, dest2{0};                                  ///< addressed form
    bool band_a{false}, band_b{false};
    std::uint32_t zonesize{0};
};

/// Type 23 (§3.21): group assignment command.
struct GroupAssignment {
    Header hdr;
    std::int32_t ne_lon{0}, ne_lat{0}, sw_lon{0}, sw_lat{0};  ///< 1/10 min
    std::uint32_t stationtype{0}, shiptype{0}, txrx{0}, interval{0}, quiet{0};
};

/// Type 24 (§3.23, table 80/81): Class B static data, part A or part B, or both once merged.
struct StaticB {
    enum class Part : std::uint8_t { a, b, both };
    Header hdr;
    Part part{Part::a};
    std::string shipname;      ///< part A
    std::uint8_t shiptype{0};  ///< part B from here
    std::string vendorid;
    std::uint32_t model{0}, serial{0};
    std::string callsign;
    std::uint32_t to_bow{0}, to_stern{0}, to_port{0}, to_starboard{0};
    Mmsi mothership_mmsi{0};  ///< auxiliary craft (MMSI 98xxxxxxx) only
};

/// Types 25 (§3.24) and 26 (§3.25): single/multiple slot binary message.
struct BinarySlot {
    Header hdr;
    bool addressed{false}, structured{false};
    Mmsi dest_mmsi{0};
    std::uint32_t app_id{0};
    std::uint32_t bitcount{0};
    std::string data;
    std::uint32_t radio{0};  ///< type 26 only
};

/// Type 27 (§3.26, table 84): long-range broadcast (positions in 1/10 min, speed 1 kn, course 1°).
struct LongRange {
    Header hdr;
    bool accuracy{false}, raim{false};
    std::uint8_t status{15};
    std::int32_t lon{181 * 600}, lat{91 * 600};
    std::uint32_t speed{63}, course{511};
    bool gnss{false};
};

using AisMessage = std::variant<PositionA, BaseStation, StaticVoyage, BinaryAddressed, Acknowledge,
                                BinaryBroadcast, SarAircraft, UtcInquiry, SafetyAddressed,
                                SafetyBroadcast, Interrogation, AssignedMode, DgnssBroadcast,
                                PositionB, PositionBExtended, DataLinkManagement, AidToNavigation,
                                ChannelManagement, GroupAssignment, StaticB, BinarySlot, LongRange>;

/// The header of any message.
const Header& header_of(const AisMessage& m);

}  // namespace picket::sensors::ais
