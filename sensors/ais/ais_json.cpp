#include "sensors/ais/ais_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "core/json_writer.hpp"

namespace picket::sensors::ais {
namespace {

// Legends: the exact strings gpsd prints in its *_text fields (gpsd_json.c), so that the output
// compares equal field for field. They are data, not prose: do not "fix" their spelling.
constexpr std::string_view kNavLegends[16] = {"Under way using engine",
                                              "At anchor",
                                              "Not under command",
                                              "Restricted manoeuverability",
                                              "Constrained by her draught",
                                              "Moored",
                                              "Aground",
                                              "Engaged in fishing",
                                              "Under way sailing",
                                              "Reserved for HSC",
                                              "Reserved for WIG",
                                              "Reserved",
                                              "Reserved",
                                              "Reserved",
                                              "Reserved",
                                              "Not defined"};

constexpr std::string_view kEpfdLegends[9] = {"Undefined",
                                              "GPS",
                                              "GLONASS",
                                              "Combined GPS/GLONASS",
                                              "Loran-C",
                                              "Chayka",
                                              "Integrated navigation system",
                                              "Surveyed",
                                              "Galileo"};

constexpr std::string_view kStationTypeLegends[16] = {"All types of mobiles",
                                                      "Reserved for future use",
                                                      "All types of Class B mobile stations",
                                                      "SAR airborne mobile station",
                                                      "Aid to Navigation station",
                                                      "Class B shipborne mobile station",
                                                      "Regional use and inland waterways",
                                                      "Regional use and inland waterways",
                                                      "Regional use and inland waterways",
                                                      "Regional use and inland waterways",
                                                      "Reserved for future use",
                                                      "Reserved for future use",
                                                      "Reserved for future use",
                                                      "Reserved for future use",
                                                      "Reserved for future use",
                                                      "Reserved for future use"};

constexpr std::string_view kNavaidLegends[32] = {"Unspecified",
                                                 "Reference point",
                                                 "RACON",
                                                 "Fixed offshore structure",
                                                 "Spare, Reserved for future use.",
                                                 "Light, without sectors",
                                                 "Light, with sectors",
                                                 "Leading Light Front",
                                                 "Leading Light Rear",
                                                 "Beacon, Cardinal N",
                                                 "Beacon, Cardinal E",
                                                 "Beacon, Cardinal S",
                                                 "Beacon, Cardinal W",
                                                 "Beacon, Port hand",
                                                 "Beacon, Starboard hand",
                                                 "Beacon, Preferred Channel port hand",
                                                 "Beacon, Preferred Channel starboard hand",
                                                 "Beacon, Isolated danger",
                                                 "Beacon, Safe water",
                                                 "Beacon, Special mark",
                                                 "Cardinal Mark N",
                                                 "Cardinal Mark E",
                                                 "Cardinal Mark S",
                                                 "Cardinal Mark W",
                                                 "Port hand Mark",
                                                 "Starboard hand Mark",
                                                 "Preferred Channel Port hand",
                                                 "Preferred Channel Starboard hand",
                                                 "Isolated danger",
                                                 "Safe Water",
                                                 "Special Mark",
                                                 "Light Vessel / LANBY / Rigs"};

constexpr std::string_view kRaconStatus[4] = {"No RACON installed", "RACON not monitored",
                                              "RACON operational", "RACON ERROR"};
constexpr std::string_view kLightStatus[4] = {"No light or no monitoring", "Light ON", "Light OFF",
                                              "Light ERROR"};
constexpr std::string_view kPrecipTypes[8] = {"reserved",  "rain", "thunderstorm", "freezing rain",
                                              "mixed/ice", "snow", "reserved",     "N/A"};
constexpr std::string_view kIceTypes[4] = {"no", "yes", "reserved", "N/A"};
constexpr std::string_view kHazardTypes[6] = {
    "0 blue cones/lights", "1 blue cone/light", "2 blue cones/lights",
    "3 blue cones/lights", "4 B-Flag",          "Unknown"};
constexpr std::string_view kLoadedTypes[3] = {"N/A (default)", "Unloaded", "Loaded"};

std::string_view ship_type_legend(unsigned t) {
    // M.1371-5 table 53: first digit = class, second digit = hazard category / detail.
    static constexpr std::string_view kSpecial[20] = {
        "Fishing",
        "Towing",
        "Towing: length exceeds 200m or breadth exceeds 25m",
        "Dredging or underwater ops",
        "Diving ops",
        "Military ops",
        "Sailing",
        "Pleasure Craft",
        "Reserved",
        "Reserved",
        "Pilot Vessel",
        "Search and Rescue vessel",
        "Tug",
        "Port Tender",
        "Anti-pollution equipment",
        "Law Enforcement",
        "Spare - Local Vessel",
        "Spare - Local Vessel",
        "Medical Transport",
        "Ship according to RR Resolution No. 18"};
    static constexpr std::string_view kWig[10] = {"Wing in ground (WIG) - all ships of this type",
                                                  "Wing in ground (WIG) - Hazardous category A",
                                                  "Wing in ground (WIG) - Hazardous category B",
                                                  "Wing in ground (WIG) - Hazardous category C",
                                                  "Wing in ground (WIG) - Hazardous category D",
                                                  "Wing in ground (WIG) - Reserved for future use",
                                                  "Wing in ground (WIG) - Reserved for future use",
                                                  "Wing in ground (WIG) - Reserved for future use",
                                                  "Wing in ground (WIG) - Reserved for future use",
                                                  "Wing in ground (WIG) - Reserved for future use"};
#define PICKET_AIS_CLASS(prefix, last)                                                \
    {                                                                                 \
        prefix " - all ships of this type", prefix " - Hazardous category A",         \
            prefix " - Hazardous category B", prefix " - Hazardous category C",       \
            prefix " - Hazardous category D", prefix " - Reserved for future use",    \
            prefix " - Reserved for future use", prefix " - Reserved for future use", \
            prefix " - Reserved for future use", prefix last                          \
    }
    static constexpr std::string_view kHsc[10] =
        PICKET_AIS_CLASS("High speed craft (HSC)", " - No additional information");
    static constexpr std::string_view kPassenger[10] =
        PICKET_AIS_CLASS("Passenger", " - No additional information");
    static constexpr std::string_view kCargo[10] =
        PICKET_AIS_CLASS("Cargo", " - No additional information");
    static constexpr std::string_view kTanker[10] =
        PICKET_AIS_CLASS("Tanker", " - No additional information");
    static constexpr std::string_view kOther[10] =
        PICKET_AIS_CLASS("Other Type", " - no additional information");
#undef PICKET_AIS_CLASS
    if (t == 0) return "Not available";
    if (t < 20) return "Reserved for future use";
    if (t < 30) return kWig[t - 20];
    if (t < 40) return kSpecial[t - 30];
    if (t < 50) return kHsc[t - 40];
    if (t < 60) return kSpecial[t - 40];
    if (t < 70) return kPassenger[t - 60];
    if (t < 80) return kCargo[t - 70];
    if (t < 90) return kTanker[t - 80];
    if (t < 100) return kOther[t - 90];
    return "INVALID SHIP TYPE";
}

// ERI ship types (CCNR Inland AIS, ERI code list) as gpsd 3.22 names them (gpsd_json.c). The
// inland standard does not say whether the field holds the ERI code or its M.1371 equivalent,
// so gpsd matches either column, first row first, and so do we.
std::string_view eri_ship_type(unsigned code) {
    struct Row {
        unsigned code, ais;
        std::string_view legend;
    };
    static constexpr Row kRows[] = {
        {8000, 99, "Vessel, type unknown"},
        {8010, 79, "Motor freighter"},
        {8020, 89, "Motor tanker"},
        {8021, 80, "Motor tanker, liquid cargo, type N"},
        {8022, 80, "Motor tanker, liquid cargo, type C"},
        {8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"},
        {8030, 79, "Container vessel"},
        {8040, 80, "Gas tanker"},
        {8050, 79, "Motor freighter, tug"},
        {8060, 89, "Motor tanker, tug"},
        {8070, 79, "Motor freighter with one or more ships alongside"},
        {8080, 89, "Motor freighter with tanker"},
        {8090, 79, "Motor freighter pushing one or more freighters"},
        {8100, 89, "Motor freighter pushing at least one tank-ship"},
        {8110, 79, "Tug, freighter"},
        {8120, 89, "Tug, tanker"},
        {8130, 31, "Tug freighter, coupled"},
        {8140, 31, "Tug, freighter/tanker, coupled"},
        {8150, 99, "Freightbarge"},
        {8160, 99, "Tankbarge"},
        {8161, 90, "Tankbarge, liquid cargo, type N"},
        {8162, 90, "Tankbarge, liquid cargo, type C"},
        {8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"},
        {8170, 99, "Freightbarge with containers"},
        {8180, 90, "Tankbarge, gas"},
        {8210, 79, "Pushtow, one cargo barge"},
        {8220, 79, "Pushtow, two cargo barges"},
        {8230, 79, "Pushtow, three cargo barges"},
        {8240, 79, "Pushtow, four cargo barges"},
        {8250, 79, "Pushtow, five cargo barges"},
        {8260, 79, "Pushtow, six cargo barges"},
        {8270, 79, "Pushtow, seven cargo barges"},
        {8280, 79, "Pushtow, eigth cargo barges"},  // sic, as gpsd prints it
        {8290, 79, "Pushtow, nine or more barges"},
        {8310, 80, "Pushtow, one tank/gas barge"},
        {8320, 80, "Pushtow, two barges at least one tanker or gas barge"},
        {8330, 80, "Pushtow, three barges at least one tanker or gas barge"},
        {8340, 80, "Pushtow, four barges at least one tanker or gas barge"},
        {8350, 80, "Pushtow, five barges at least one tanker or gas barge"},
        {8360, 80, "Pushtow, six barges at least one tanker or gas barge"},
        {8370, 80, "Pushtow, seven barges at least one tanker or gas barg"},  // sic
    };
    for (const Row& r : kRows)
        if (r.code == code || r.ais == code) return r.legend;
    return "Illegal ship type value.";
}

template <std::size_t N>
std::string_view legend(const std::string_view (&table)[N], unsigned i, std::string_view fallback) {
    return i < N ? table[i] : fallback;
}

/// Writes JSON members into a stack buffer and appends it to the output string once per message
/// (or when nearly full): per-member appends to std::string dominated the profile. The first
/// member follows the caller's '{'; `open()` starts a nested object or array element without
/// a leading comma.
class Obj {
public:
    explicit Obj(std::string& out) : out_(out) {}
    ~Obj() { flush(); }
    Obj(const Obj&) = delete;
    Obj& operator=(const Obj&) = delete;

    [[gnu::always_inline]] Obj& key(std::string_view k) {
        ensure(k.size() + 4);
        if (first_)
            first_ = false;
        else
            buf_[n_++] = ',';
        buf_[n_++] = '"';
        std::memcpy(buf_ + n_, k.data(), k.size());
        n_ += k.size();
        buf_[n_++] = '"';
        buf_[n_++] = ':';
        return *this;
    }
    template <class T>
    [[gnu::always_inline]] Obj& num(std::string_view k, T v) {
        key(k);
        ensure(24);
        const auto r = std::to_chars(buf_ + n_, buf_ + sizeof buf_, v);
        n_ = static_cast<std::size_t>(r.ptr - buf_);
        return *this;
    }
    [[gnu::always_inline]] Obj& boolean(std::string_view k, bool v) {
        key(k);
        put(v ? std::string_view("true") : std::string_view("false"));
        return *this;
    }
    Obj& str(std::string_view k, std::string_view v) {
        key(k);
        if (v.size() * 6 + 2 > sizeof buf_) {  // longer than any AIS text: no fast path
            flush();
            append_json_string(out_, v);
            return *this;
        }
        ensure(v.size() * 6 + 2);  // worst case: every character \u00XX
        buf_[n_++] = '"';
        // AIS text is 6-bit ASCII: of the characters needing escapes only '"' and '\\' occur
        // (control characters are handled for safety).
        for (const char ch : v) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '"' || c == '\\') {
                buf_[n_++] = '\\';
                buf_[n_++] = static_cast<char>(c);
            } else if (c < 0x20) {
                static constexpr char kHex[] = "0123456789abcdef";
                const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
                std::memcpy(buf_ + n_, esc, 6);
                n_ += 6;
            } else {
                buf_[n_++] = static_cast<char>(c);
            }
        }
        buf_[n_++] = '"';
        return *this;
    }
    /// A string known to need no escaping (gpsd's legends): copied as is.
    [[gnu::always_inline]] Obj& lit(std::string_view k, std::string_view v) {
        key(k);
        ensure(v.size() + 2);
        buf_[n_++] = '"';
        std::memcpy(buf_ + n_, v.data(), v.size());
        n_ += v.size();
        buf_[n_++] = '"';
        return *this;
    }
    /// printf-style fixed decimals, as gpsd's "%.Nf".
    Obj& fixed(std::string_view k, double v, int decimals, bool quoted = false) {
        key(k);
        ensure(48);
        const int n = std::snprintf(buf_ + n_, 48, quoted ? "\"%.*f\"" : "%.*f", decimals, v);
        n_ += static_cast<std::size_t>(std::clamp(n, 0, 47));
        return *this;
    }
    /// Writes punctuation ('[', ']', '{', '}', ','); after '[' / '{' the next key has no comma.
    Obj& punct(char c) {
        ensure(1);
        buf_[n_++] = c;
        first_ = c == '[' || c == '{';
        return *this;
    }
    void put(std::string_view t) {  // short literals only
        ensure(t.size());
        std::memcpy(buf_ + n_, t.data(), t.size());
        n_ += t.size();
    }
    void flush() {
        out_.append(buf_, n_);
        n_ = 0;
    }

private:
    /// Makes room for `k` more bytes; callers never ask for more than the buffer holds.
    void ensure(std::size_t k) {
        if (n_ + k > sizeof buf_) flush();
    }
    std::string& out_;
    char buf_[4096];
    std::size_t n_{0};
    bool first_{false};
};

// "MM-DDTHH:MMZ" partial ISO 8601, as gpsd merges month/day/hour/minute fields.
std::string eta(unsigned mo, unsigned d, unsigned h, unsigned mi) {
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%02u-%02uT%02u:%02uZ", mo, d, h, mi);
    return std::string(buf, static_cast<std::size_t>(n));
}

void data_field(Obj& o, std::uint32_t bitcount, const std::string& hex) {
    std::string v = std::to_string(bitcount);
    v.push_back(':');
    v += hex;
    o.str("data", v);
}

// Positions in 1/10000 minute -> degrees with 6 decimals (gpsd AIS_LATLON_DIV = 600000).
void latlon_scaled(Obj& o, std::int32_t lon, std::int32_t lat, double div, int decimals,
                   bool quoted = false) {
    o.fixed("lon", lon / div, decimals, quoted).fixed("lat", lat / div, decimals, quoted);
}

void speed_scaled(Obj& o, std::uint32_t speed) {
    if (speed == kSpeedNotAvailable)
        o.str("speed", "nan");
    else if (speed == kSpeedFast)
        o.str("speed", "fast");
    else
        o.fixed("speed", speed / 10.0, 1);
}

/// The fields types 18 and 19 share, in gpsd's order (M.1371 tables 70 and 71 start alike).
template <class ClassB>
void class_b_position(Obj& o, const ClassB& m, bool sc) {
    o.num("reserved", m.reserved);
    if (sc)
        speed_scaled(o, m.speed);
    else
        o.num("speed", m.speed);
    o.boolean("accuracy", m.accuracy);
    if (sc) {
        latlon_scaled(o, m.lon, m.lat, 600000.0, 6);
        o.fixed("course", m.course / 10.0, 1);
    } else {
        o.num("lon", m.lon).num("lat", m.lat).num("course", m.course);
    }
    o.num("heading", m.heading).num("second", unsigned{m.second}).num("regional", m.regional);
}

void dims(Obj& o, std::uint32_t bow, std::uint32_t stern, std::uint32_t port, std::uint32_t stbd) {
    o.num("to_bow", bow).num("to_stern", stern).num("to_port", port).num("to_starboard", stbd);
}

void write_app(Obj& o, const BinaryApp& app, bool raw, std::uint32_t fid) {
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, AtonMonitoring>) {
                o.boolean("off_pos", a.off_pos)
                    .boolean("alarm", a.alarm)
                    .num("stat_ext", a.stat_ext);
                // gpsd scales the voltages (0.05 V) only when non-zero.
                const auto volts = [&](std::string_view k, std::uint32_t v) {
                    if (!raw && v != 0)
                        o.fixed(k, v * 0.05, 2);
                    else
                        o.num(k, v);
                };
                volts("ana_int", a.ana_int);
                volts("ana_ext1", a.ana_ext1);
                volts("ana_ext2", a.ana_ext2);
                o.num("racon", a.racon).lit("racon_text", kRaconStatus[a.racon & 3]);
                o.num("light", a.light).lit("light_text", kLightStatus[a.light & 3]);
            } else if constexpr (std::is_same_v<T, DangerousCargo>) {
                o.str("lastport", a.lastport)
                    .str("departure", eta(a.lmonth, a.lday, a.lhour, a.lminute))
                    .str("nextport", a.nextport)
                    .str("eta", eta(a.nmonth, a.nday, a.nhour, a.nminute))
                    .str("dangerous", a.dangerous)
                    .str("imdcat", a.imdcat)
                    .num("unid", a.unid)
                    .num("amount", a.amount)
                    .num("unit", a.unit);
            } else if constexpr (std::is_same_v<T, TidalWindow>) {
                o.num("month", a.month).num("day", a.day).key("tidals").punct('[');
                const double div = 60000.0;  // gpsd scales both FID 14 and 32 by 1/1000 min
                for (std::size_t i = 0; i < a.tidals.size(); ++i) {
                    const Tidal& t = a.tidals[i];
                    if (i) o.punct(',');
                    o.punct('{');
                    if (raw)
                        o.num("lon", t.lon).num("lat", t.lat);
                    else
                        latlon_scaled(o, t.lon, t.lat, div, 4);
                    o.num("from_hour", t.from_hour).num("from_min", t.from_min);
                    o.num("to_hour", t.to_hour).num("to_min", t.to_min).num("cdir", t.cdir);
                    if (raw)
                        o.num("cspeed", t.cspeed);
                    else
                        o.fixed("cspeed", t.cspeed / 10.0, 1);
                    o.punct('}');
                }
                o.punct(']');
            } else if constexpr (std::is_same_v<T, ClearanceTime>) {
                o.num("linkage", a.linkage)
                    .str("arrival", eta(a.month, a.day, a.hour, a.minute))
                    .str("portname", a.portname)
                    .str("destination", a.destination);
                if (raw)
                    o.num("lon", a.lon).num("lat", a.lat);
                else
                    latlon_scaled(o, a.lon, a.lat, 60000.0, 4);
            } else if constexpr (std::is_same_v<T, TextDescription>) {
                o.num("linkage", a.linkage).str("text", a.text);
            } else if constexpr (std::is_same_v<T, MetHydro>) {
                const bool imo289 = fid == 31;
                if (raw)
                    o.num("lat", a.lat).num("lon", a.lon);
                else
                    o.fixed("lat", a.lat / 60000.0, 4).fixed("lon", a.lon / 60000.0, 4);
                if (imo289) o.boolean("accuracy", a.accuracy);
                char ts[32];
                const int n =
                    std::snprintf(ts, sizeof ts, "%02uT%02u:%02uZ", a.day, a.hour, a.minute);
                o.str("timestamp", std::string_view(ts, static_cast<std::size_t>(n)));
                o.num("wspeed", a.wspeed).num("wgust", a.wgust).num("wdir", a.wdir);
                o.num("wgustdir", a.wgustdir).num("humidity", a.humidity);
                // Scaled met-hydro follows IMO236/289 offsets (gpsd_json.c): temperatures in
                // 0.1 °C offset by -60 (air, FID 11), -20 (dew point, FID 11), -10 (water,
                // FID 11); pressure offset 800 hPa (FID 11) or 799 (FID 31); water level 0.1 m
                // - 10 (FID 11) or 0.01 m - 10 (FID 31); trends as words.
                const auto tenths = [&](std::string_view k, double v, double offset) {
                    if (raw)
                        o.num(k, static_cast<std::int64_t>(v));
                    else
                        o.fixed(k, v * 0.1 + offset, 1);
                };
                static constexpr std::string_view kTrends[4] = {"steady", "increasing",
                                                                "decreasing", "N/A"};
                tenths("airtemp", a.airtemp, imo289 ? 0.0 : -60.0);
                tenths("dewpoint", a.dewpoint, imo289 ? 0.0 : -20.0);
                if (raw)
                    o.num("pressure", a.pressure);
                else
                    o.num("pressure", a.pressure + (imo289 ? 799u : 800u));
                if (raw)
                    o.num("pressuretend", a.pressuretend);
                else
                    o.lit("pressuretend", kTrends[a.pressuretend & 3]);
                if (imo289) o.boolean("visgreater", a.visgreater);
                tenths("visibility", a.visibility, 0.0);
                if (raw)
                    o.num("waterlevel", a.waterlevel);
                else if (imo289)
                    // IMO SN.1/Circ.289: (w - 1000) x 0.01 m, -10 to +30 m. gpsd 3.22 subtracts
                    // in unsigned arithmetic, so below the datum it prints 42949672.9
                    // (docs/ais.md).
                    o.fixed("waterlevel", (static_cast<int>(a.waterlevel) - 1000) / 100.0, 1);
                else
                    o.fixed("waterlevel", (static_cast<int>(a.waterlevel) - 100) / 10.0, 1);
                if (raw)
                    o.num("leveltrend", a.leveltrend);
                else
                    o.lit("leveltrend", kTrends[a.leveltrend & 3]);
                tenths("cspeed", a.cspeed, 0.0);
                o.num("cdir", a.cdir);
                tenths("cspeed2", a.cspeed2, 0.0);
                o.num("cdir2", a.cdir2).num("cdepth2", a.cdepth2);
                tenths("cspeed3", a.cspeed3, 0.0);
                o.num("cdir3", a.cdir3).num("cdepth3", a.cdepth3);
                tenths("waveheight", a.waveheight, 0.0);
                o.num("waveperiod", a.waveperiod).num("wavedir", a.wavedir);
                tenths("swellheight", a.swellheight, 0.0);
                o.num("swellperiod", a.swellperiod).num("swelldir", a.swelldir);
                o.num("seastate", a.seastate);
                tenths("watertemp", a.watertemp, imo289 ? 0.0 : -10.0);
                if (imo289 && !raw)
                    o.lit("preciptype", kPrecipTypes[a.preciptype & 7]);
                else
                    o.num("preciptype", a.preciptype);
                if (!imo289) o.lit("preciptype_text", kPrecipTypes[a.preciptype & 7]);
                tenths("salinity", a.salinity, 0.0);
                if (imo289 && !raw)
                    o.lit("ice", kIceTypes[a.ice & 3]);
                else
                    o.num("ice", a.ice);
                if (!imo289) o.lit("ice_text", kIceTypes[a.ice & 3]);
            } else if constexpr (std::is_same_v<T, InlandStatic>) {
                o.str("vin", a.vin).num("length", a.length).num("beam", a.beam);
                o.num("shiptype", a.shiptype).lit("shiptype_text", eri_ship_type(a.shiptype));
                o.num("hazard", a.hazard)
                    .lit("hazard_text", legend(kHazardTypes, a.hazard, "INVALID HAZARD TYPE"));
                o.num("draught", a.draught).num("loaded", a.loaded);
                o.lit("loaded_text", legend(kLoadedTypes, a.loaded, "INVALID LOAD STATUS"));
                o.boolean("speed_q", a.speed_q).boolean("course_q", a.course_q);
                o.boolean("heading_q", a.heading_q);
            } else if constexpr (std::is_same_v<T, PersonsOnBoard>) {
                o.num("crew", a.crew).num("passengers", a.passengers);
                o.num("personnel", a.personnel);
            }
        },
        app);
}

}  // namespace

std::string_view nav_status_text(unsigned status) {
    return legend(kNavLegends, status, "Not defined");
}
std::string_view ship_type_text(unsigned ship_type) { return ship_type_legend(ship_type); }
std::string_view epfd_text(unsigned epfd) { return legend(kEpfdLegends, epfd, "INVALID EPFD"); }

void write_gpsd_json(const AisMessage& msg, bool raw, std::string& out, std::string_view device) {
    const Header& h = header_of(msg);
    Obj o(out);
    o.put("{\"class\":\"AIS\"");
    if (!device.empty()) o.str("device", device);
    o.num("type", unsigned{h.type}).num("repeat", unsigned{h.repeat}).num("mmsi", h.mmsi);
    o.boolean("scaled", !raw);
    const bool sc = !raw;
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, PositionA>) {
                o.num("status", unsigned{m.status}).lit("status_text", nav_status_text(m.status));
                if (sc) {
                    if (m.turn == -128)
                        o.str("turn", "nan");
                    else if (m.turn == -127)
                        o.str("turn", "fastleft");
                    else if (m.turn == 127)
                        o.str("turn", "fastright");
                    else {
                        // gpsd prints (turn/4.733)^2 unsigned: the sign is lost (its bug, kept).
                        const double r = m.turn / 4.733;
                        o.fixed("turn", r * r, 0);
                    }
                    speed_scaled(o, m.speed);
                    o.boolean("accuracy", m.accuracy);
                    latlon_scaled(o, m.lon, m.lat, 600000.0, 6);
                    o.fixed("course", m.course / 10.0, 1);
                } else {
                    o.num("turn", m.turn).num("speed", m.speed).boolean("accuracy", m.accuracy);
                    o.num("lon", m.lon).num("lat", m.lat).num("course", m.course);
                }
                o.num("heading", m.heading).num("second", unsigned{m.second});
                o.num("maneuver", unsigned{m.maneuver})
                    .boolean("raim", m.raim)
                    .num("radio", m.radio);
            } else if constexpr (std::is_same_v<T, BaseStation>) {
                char ts[96];
                const int n = std::snprintf(ts, sizeof ts, "%04u-%02u-%02uT%02u:%02u:%02uZ", m.year,
                                            m.month, m.day, m.hour, m.minute, m.second);
                o.str("timestamp", std::string_view(ts, static_cast<std::size_t>(n)));
                o.boolean("accuracy", m.accuracy);
                if (sc)
                    latlon_scaled(o, m.lon, m.lat, 600000.0, 6);
                else
                    o.num("lon", m.lon).num("lat", m.lat);
                o.num("epfd", unsigned{m.epfd}).lit("epfd_text", epfd_text(m.epfd));
                o.boolean("raim", m.raim).num("radio", m.radio);
            } else if constexpr (std::is_same_v<T, StaticVoyage>) {
                o.num("imo", m.imo).num("ais_version", unsigned{m.ais_version});
                o.str("callsign", m.callsign).str("shipname", m.shipname);
                o.num("shiptype", unsigned{m.shiptype})
                    .lit("shiptype_text", ship_type_text(m.shiptype));
                dims(o, m.to_bow, m.to_stern, m.to_port, m.to_starboard);
                o.num("epfd", unsigned{m.epfd}).lit("epfd_text", epfd_text(m.epfd));
                o.str("eta", eta(m.month, m.day, m.hour, m.minute));
                if (sc)
                    o.fixed("draught", m.draught / 10.0, 1);
                else
                    o.num("draught", m.draught);
                o.str("destination", m.destination).num("dte", unsigned{m.dte});
            } else if constexpr (std::is_same_v<T, BinaryAddressed>) {
                o.num("seqno", unsigned{m.seqno}).num("dest_mmsi", m.dest_mmsi);
                o.boolean("retransmit", m.retransmit).num("dac", m.dac).num("fid", m.fid);
                if (std::holds_alternative<std::monostate>(m.app))
                    data_field(o, m.bitcount, m.data);
                else
                    write_app(o, m.app, raw, m.fid);
            } else if constexpr (std::is_same_v<T, Acknowledge>) {
                o.num("mmsi1", m.mmsi1)
                    .num("mmsi2", m.mmsi2)
                    .num("mmsi3", m.mmsi3)
                    .num("mmsi4", m.mmsi4);
            } else if constexpr (std::is_same_v<T, BinaryBroadcast>) {
                o.num("dac", m.dac).num("fid", m.fid);
                if (std::holds_alternative<std::monostate>(m.app))
                    data_field(o, m.bitcount, m.data);
                else
                    write_app(o, m.app, raw, m.fid);
            } else if constexpr (std::is_same_v<T, SarAircraft>) {
                if (sc) {
                    // gpsd's scaled legends (gpsd_json.c): 4095 m / 1023 kn "not available",
                    // 4094 m "or higher", 1022 kn "or faster".
                    if (m.alt == 4095 || m.alt == 4094)
                        o.lit("alt", m.alt == 4095 ? "nan" : "high");
                    else
                        o.num("alt", m.alt);
                    if (m.speed == 1023 || m.speed == 1022)
                        o.lit("speed", m.speed == 1023 ? "nan" : "fast");
                    else
                        o.num("speed", m.speed);
                } else {
                    o.num("alt", m.alt).num("speed", m.speed);
                }
                o.boolean("accuracy", m.accuracy);
                if (sc) {
                    latlon_scaled(o, m.lon, m.lat, 600000.0, 6);
                    o.fixed("course", m.course / 10.0, 1);
                } else {
                    o.num("lon", m.lon).num("lat", m.lat).num("course", m.course);
                }
                o.num("second", unsigned{m.second}).num("regional", m.regional);
                o.num("dte", unsigned{m.dte}).boolean("raim", m.raim).num("radio", m.radio);
            } else if constexpr (std::is_same_v<T, UtcInquiry>) {
                o.num("dest_mmsi", m.dest_mmsi);
            } else if constexpr (std::is_same_v<T, SafetyAddressed>) {
                o.num("seqno", unsigned{m.seqno}).num("dest_mmsi", m.dest_mmsi);
                o.boolean("retransmit", m.retransmit).str("text", m.text);
            } else if constexpr (std::is_same_v<T, SafetyBroadcast>) {
                o.str("text", m.text);
            } else if constexpr (std::is_same_v<T, Interrogation>) {
                o.num("mmsi1", m.mmsi1).num("type1_1", m.type1_1).num("offset1_1", m.offset1_1);
                o.num("type1_2", m.type1_2).num("offset1_2", m.offset1_2).num("mmsi2", m.mmsi2);
                o.num("type2_1", m.type2_1).num("offset2_1", m.offset2_1);
            } else if constexpr (std::is_same_v<T, AssignedMode>) {
                o.num("mmsi1", m.mmsi1).num("offset1", m.offset1).num("increment1", m.increment1);
                o.num("mmsi2", m.mmsi2).num("offset2", m.offset2).num("increment2", m.increment2);
            } else if constexpr (std::is_same_v<T, DgnssBroadcast>) {
                if (sc)
                    latlon_scaled(o, m.lon, m.lat, 600.0, 1);
                else
                    o.num("lon", m.lon).num("lat", m.lat);
                data_field(o, m.bitcount, m.data);
            } else if constexpr (std::is_same_v<T, PositionB>) {
                class_b_position(o, m, sc);
                o.boolean("cs", m.cs).boolean("display", m.display).boolean("dsc", m.dsc);
                o.boolean("band", m.band).boolean("msg22", m.msg22).boolean("raim", m.raim);
                o.num("radio", m.radio);
            } else if constexpr (std::is_same_v<T, PositionBExtended>) {
                class_b_position(o, m, sc);
                o.str("shipname", m.shipname).num("shiptype", unsigned{m.shiptype});
                o.lit("shiptype_text", ship_type_text(m.shiptype));
                dims(o, m.to_bow, m.to_stern, m.to_port, m.to_starboard);
                o.num("epfd", unsigned{m.epfd}).lit("epfd_text", epfd_text(m.epfd));
                o.boolean("raim", m.raim)
                    .num("dte", unsigned{m.dte})
                    .boolean("assigned", m.assigned);
            } else if constexpr (std::is_same_v<T, DataLinkManagement>) {
                for (int i = 0; i < 4; ++i) {
                    const char d = static_cast<char>('1' + i);
                    const std::string sfx(1, d);
                    o.num("offset" + sfx, m.offset[i]).num("number" + sfx, m.number[i]);
                    o.num("timeout" + sfx, m.timeout[i]).num("increment" + sfx, m.increment[i]);
                }
            } else if constexpr (std::is_same_v<T, AidToNavigation>) {
                o.num("aid_type", unsigned{m.aid_type});
                o.lit("aid_type_text", legend(kNavaidLegends, m.aid_type, "INVALID NAVAID TYPE"));
                o.str("name", m.name);
                if (sc) {
                    latlon_scaled(o, m.lon, m.lat, 600000.0, 6);
                    o.boolean("accuracy", m.accuracy);
                } else {
                    o.boolean("accuracy", m.accuracy).num("lon", m.lon).num("lat", m.lat);
                }
                dims(o, m.to_bow, m.to_stern, m.to_port, m.to_starboard);
                o.num("epfd", unsigned{m.epfd}).lit("epfd_text", epfd_text(m.epfd));
                o.num("second", unsigned{m.second}).num("regional", m.regional);
                o.boolean("off_position", m.off_position).boolean("raim", m.raim);
                o.boolean("virtual_aid", m.virtual_aid);
            } else if constexpr (std::is_same_v<T, ChannelManagement>) {
                o.num("channel_a", m.channel_a).num("channel_b", m.channel_b).num("txrx", m.txrx);
                o.boolean("power", m.power);
                if (!m.addressed) {
                    if (sc) {
                        o.fixed("ne_lon", m.ne_lon / 600.0, 6, true)
                            .fixed("ne_lat", m.ne_lat / 600.0, 6, true);
                        o.fixed("sw_lon", m.sw_lon / 600.0, 6, true)
                            .fixed("sw_lat", m.sw_lat / 600.0, 6, true);
                    } else {
                        o.num("ne_lon", m.ne_lon).num("ne_lat", m.ne_lat);
                        o.num("sw_lon", m.sw_lon).num("sw_lat", m.sw_lat);
                    }
                } else {
                    o.num("dest1", m.dest1).num("dest2", m.dest2);
                }
                o.boolean("addressed", m.addressed).boolean("band_a", m.band_a);
                o.boolean("band_b", m.band_b).num("zonesize", m.zonesize);
            } else if constexpr (std::is_same_v<T, GroupAssignment>) {
                if (sc) {
                    o.fixed("ne_lon", m.ne_lon / 600.0, 6, true)
                        .fixed("ne_lat", m.ne_lat / 600.0, 6, true);
                    o.fixed("sw_lon", m.sw_lon / 600.0, 6, true)
                        .fixed("sw_lat", m.sw_lat / 600.0, 6, true);
                } else {
                    o.num("ne_lon", m.ne_lon).num("ne_lat", m.ne_lat);
                    o.num("sw_lon", m.sw_lon).num("sw_lat", m.sw_lat);
                }
                o.num("stationtype", m.stationtype);
                o.lit("stationtype_text",
                      legend(kStationTypeLegends, m.stationtype, "INVALID STATION TYPE"));
                o.num("shiptype", m.shiptype).lit("shiptype_text", ship_type_text(m.shiptype));
                o.num("interval", m.interval).num("quiet", m.quiet);
            } else if constexpr (std::is_same_v<T, StaticB>) {
                if (m.part == StaticB::Part::a) o.lit("part", "A");
                if (m.part == StaticB::Part::b) o.lit("part", "B");
                if (m.part != StaticB::Part::b) o.str("shipname", m.shipname);
                if (m.part != StaticB::Part::a) {
                    o.num("shiptype", unsigned{m.shiptype})
                        .lit("shiptype_text", ship_type_text(m.shiptype));
                    o.str("vendorid", m.vendorid).num("model", m.model).num("serial", m.serial);
                    o.str("callsign", m.callsign);
                    if (m.hdr.mmsi / 10'000'000 == 98)
                        o.num("mothership_mmsi", m.mothership_mmsi);
                    else
                        dims(o, m.to_bow, m.to_stern, m.to_port, m.to_starboard);
                }
            } else if constexpr (std::is_same_v<T, BinarySlot>) {
                o.boolean("addressed", m.addressed).boolean("structured", m.structured);
                o.num("dest_mmsi", m.dest_mmsi).num("app_id", m.app_id);
                data_field(o, m.bitcount, m.data);
                if (m.hdr.type == 26) o.num("radio", m.radio);
            } else if constexpr (std::is_same_v<T, LongRange>) {
                if (sc)
                    o.lit("status", nav_status_text(m.status));
                else
                    o.num("status", unsigned{m.status});
                o.boolean("accuracy", m.accuracy);
                if (sc)
                    latlon_scaled(o, m.lon, m.lat, 600.0, 1);
                else
                    o.num("lon", m.lon).num("lat", m.lat);
                o.num("speed", m.speed).num("course", m.course);
                o.boolean("raim", m.raim).boolean("gnss", m.gnss);
            }
        },
        msg);
    o.punct('}');
}

}  // namespace picket::sensors::ais
