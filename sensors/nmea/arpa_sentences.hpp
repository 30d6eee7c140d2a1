#pragma once
/// NMEA 0183 ARPA sentences (IEC 61162-1 ed. 5 / NMEA 0183 v4.10):
///   TTM  tracked target message $--TTM,xx,x.x,x.x,a,x.x,x.x,a,x.x,x.x,a,c--c,a,a,hhmmss.ss,a*hh
///   TLL  target latitude/longitude   $--TLL,xx,llll.ll,a,yyyyy.yy,a,c--c,hhmmss.ss,a,a*hh
///   HDT  heading, true               $--HDT,x.x,T*hh
/// Values stay in wire units here (distance/speed in the sentence's unit); the feed decoder
/// normalises. Older talkers (NMEA 2.x) stop TTM after field 13: time and acquisition optional.
#include <cstdint>
#include <optional>
#include <string>

#include "core/expected.hpp"
#include "sensors/nmea/nmea_sentence.hpp"

namespace picket::sensors::nmea {

/// Units letter of TTM field 10: distance and speed.
enum class ArpaUnits : char { kilometres = 'K', nautical = 'N', statute = 'S' };
/// Target status: L lost, Q acquiring (query), T tracking.
enum class ArpaStatus : char { lost = 'L', query = 'Q', tracking = 'T' };

struct Ttm {
    int target_number{0};                     ///< field 1 (0..999)
    double distance{0};                       ///< field 2, in `units`
    double bearing_deg{0};                    ///< field 3
    bool bearing_true{true};                  ///< field 4: T true, R relative to own heading
    std::optional<double> speed;              ///< field 5, in `units` per hour
    std::optional<double> course_deg;         ///< field 6
    bool course_true{true};                   ///< field 7
    ArpaUnits units{ArpaUnits::nautical};     ///< field 10
    ArpaStatus status{ArpaStatus::tracking};  ///< field 12
    std::optional<double> time_of_day_s;      ///< field 14, UTC
};

struct Tll {
    int target_number{0};                     ///< field 1
    double lat_deg{0};                        ///< fields 2-3
    double lon_deg{0};                        ///< fields 4-5
    std::optional<double> time_of_day_s;      ///< field 7
    ArpaStatus status{ArpaStatus::tracking};  ///< field 8
};

/// Parses a framed sentence. Reasons: "missing_field", "bad_field", "out_of_range".
Expected<Ttm, DecodeError> parse_ttm(const Sentence& s);
Expected<Tll, DecodeError> parse_tll(const Sentence& s);
/// HDT: true heading in degrees.
Expected<double, DecodeError> parse_hdt(const Sentence& s);

/// Encoders (for sim/ and tests): a full sentence with checksum, no CR/LF. Talker "RA".
std::string encode_ttm(const Ttm& t);
std::string encode_tll(const Tll& t);
std::string encode_hdt(double heading_deg);

}  // namespace picket::sensors::nmea
