#include "sensors/ais/ais_decode.hpp"

namespace picket::sensors::ais {
namespace {

// Messages with a nominal length accept longer payloads (gpsd warns, decodes) but not shorter.
bool at_least(const AisBits& b, std::size_t n) { return b.size() >= n; }

Expected<AisMessage, DecodeError> length_reject(const AisBits& b, std::size_t lo, std::size_t hi) {
    return b.size() < lo ? reject("truncated") : reject("too_long");
    (void)hi;
}

// --- Types 6 and 8: application payloads (DAC/FID) ------------------------------------------

// 6, DAC 235/250 FID 10 (GLA AtoN monitoring), 136 bits.
AtonMonitoring read_aton_monitoring(const AisBits& b) {
    AtonMonitoring a;
    a.ana_int = b.u(88, 10);
    a.ana_ext1 = b.u(98, 10);
    a.ana_ext2 = b.u(108, 10);
    a.racon = static_cast<std::uint8_t>(b.u(118, 2));
    a.light = static_cast<std::uint8_t>(b.u(120, 2));
    a.alarm = b.b(122);
    a.stat_ext = b.u(123, 8);
    a.off_pos = b.b(131);
    return a;
}

// 6, DAC 1 FID 12 (IMO236 dangerous cargo).
DangerousCargo read_dangerous_cargo(const AisBits& b) {
    DangerousCargo d;
    d.lastport = b.text(88, 5);
    d.lmonth = b.u(118, 4);
    d.lday = b.u(122, 5);
    d.lhour = b.u(127, 5);
    d.lminute = b.u(132, 6);
    d.nextport = b.text(138, 5);
    d.nmonth = b.u(168, 4);
    d.nday = b.u(172, 5);
    d.nhour = b.u(177, 5);
    d.nminute = b.u(182, 6);
    d.dangerous = b.text(188, 20);
    d.imdcat = b.text(308, 4);
    d.unid = b.u(332, 13);
    d.amount = b.u(345, 10);
    d.unit = b.u(355, 2);
    return d;
}

// 6, DAC 1 FID 14 (IMO236, 93-bit elements, positions 1/10000 min, lat first) and FID 32
// (IMO289, 88-bit elements, 1/1000 min, lon first).
TidalWindow read_tidal_window(const AisBits& b, bool imo289) {
    TidalWindow t;
    t.month = b.u(88, 4);
    t.day = b.u(92, 5);
    const std::size_t element = imo289 ? 88 : 93;
    // gpsd reads an element while its start is within the payload; bounded by the buffer size.
    for (std::size_t a = 97; a <= b.size() && t.tidals.size() < 8; a += element) {
        Tidal x;
        if (imo289) {
            x.lon = b.s(a, 25);
            x.lat = b.s(a + 25, 24);
            x.from_hour = b.u(a + 49, 5);
            x.from_min = b.u(a + 54, 6);
            x.to_hour = b.u(a + 60, 5);
            x.to_min = b.u(a + 65, 6);
            x.cdir = b.u(a + 71, 9);
            x.cspeed = b.u(a + 80, 8);
        } else {
            x.lat = b.s(a, 27);
            x.lon = b.s(a + 27, 28);
            x.from_hour = b.u(a + 55, 5);
            x.from_min = b.u(a + 60, 6);
            x.to_hour = b.u(a + 66, 5);
            x.to_min = b.u(a + 71, 6);
            x.cdir = b.u(a + 77, 9);
            x.cspeed = b.u(a + 86, 7);
        }
        t.tidals.push_back(x);
    }
    return t;
}

// 6, DAC 1 FID 18 (IMO289 clearance time to enter port).
ClearanceTime read_clearance(const AisBits& b) {
    ClearanceTime c;
    c.linkage = b.u(88, 10);
    c.month = b.u(98, 4);
    c.day = b.u(102, 5);
    c.hour = b.u(107, 5);
    c.minute = b.u(112, 6);
    c.portname = b.text(118, 20);
    c.destination = b.text(238, 5);
    c.lon = b.s(268, 25);
    c.lat = b.s(293, 24);
    return c;
}

// 8, DAC 1 FID 11 (IMO236) / FID 31 (IMO289) met-hydro. FID 31 inserts an accuracy bit after
// the position and a "visibility greater than" bit, and makes temperatures signed.
MetHydro read_met_hydro(const AisBits& b, bool imo289) {
    MetHydro m;
    std::size_t p;
    if (imo289) {
        m.lon = b.s(56, 25);
        m.lat = b.s(81, 24);
        m.accuracy = b.b(105);
        p = 106;
    } else {
        m.lat = b.s(56, 24);
        m.lon = b.s(80, 25);
        p = 105;
    }
    m.day = b.u(p, 5);
    m.hour = b.u(p + 5, 5);
    m.minute = b.u(p + 10, 6);
    m.wspeed = b.u(p + 16, 7);
    m.wgust = b.u(p + 23, 7);
    m.wdir = b.u(p + 30, 9);
    m.wgustdir = b.u(p + 39, 9);
    p += 48;
    if (imo289) {
        m.airtemp = b.s(p, 11);
        m.humidity = b.u(p + 11, 7);
        m.dewpoint = b.s(p + 18, 10);
    } else {
        m.airtemp = static_cast<std::int32_t>(b.u(p, 11));
        m.humidity = b.u(p + 11, 7);
        m.dewpoint = static_cast<std::int32_t>(b.u(p + 18, 10));
    }
    m.pressure = b.u(p + 28, 9);
    m.pressuretend = b.u(p + 37, 2);
    p += 39;
    if (imo289) {
        m.visgreater = b.b(p);
        m.visibility = b.u(p + 1, 7);
        m.waterlevel = b.u(p + 8, 12);
        p += 20;
    } else {
        m.visibility = b.u(p, 8);
        m.waterlevel = b.u(p + 8, 9);
        p += 17;
    }
    m.leveltrend = b.u(p, 2);
    m.cspeed = b.u(p + 2, 8);
    m.cdir = b.u(p + 10, 9);
    m.cspeed2 = b.u(p + 19, 8);
    m.cdir2 = b.u(p + 27, 9);
    m.cdepth2 = b.u(p + 36, 5);
    m.cspeed3 = b.u(p + 41, 8);
    m.cdir3 = b.u(p + 49, 9);
    m.cdepth3 = b.u(p + 58, 5);
    m.waveheight = b.u(p + 63, 8);
    m.waveperiod = b.u(p + 71, 6);
    m.wavedir = b.u(p + 77, 9);
    m.swellheight = b.u(p + 86, 8);
    m.swellperiod = b.u(p + 94, 6);
    m.swelldir = b.u(p + 100, 9);
    m.seastate = b.u(p + 109, 4);
    p += 113;
    m.watertemp = imo289 ? b.s(p, 10) : static_cast<std::int32_t>(b.u(p, 10));
    m.preciptype = b.u(p + 10, 3);
    m.salinity = b.u(p + 13, 9);
    m.ice = b.u(p + 22, 2);
    return m;
}

// 8, DAC 200 FID 10 (CCNR inland static), exactly 168 bits.
InlandStatic read_inland_static(const AisBits& b) {
    InlandStatic s;
    s.vin = b.text(56, 8);
    s.length = b.u(104, 13);
    s.beam = b.u(117, 10);
    s.shiptype = b.u(127, 14);
    s.hazard = b.u(141, 3);
    s.draught = b.u(144, 11);
    s.loaded = b.u(155, 2);
    s.speed_q = b.b(157);
    s.course_q = b.b(158);
    s.heading_q = b.b(159);
    return s;
}

BinaryApp read_type6_app(const AisBits& b, std::uint32_t dac, std::uint32_t fid) {
    const std::size_t n = b.size();
    if ((dac == 235 || dac == 250) && fid == 10 && n == 136) return read_aton_monitoring(b);
    // 200/55, persons on board (CCNR Inland AIS): crew 8 bits, passengers 13, personnel 8, 51
    // spare; gpsd decodes it at exactly 168 bits.
    if (dac == 200 && fid == 55 && n == 168)
        return PersonsOnBoard{b.u(88, 8), b.u(96, 13), b.u(109, 8)};
    if (dac == 1) {
        switch (fid) {
            case 12:
                return read_dangerous_cargo(b);
            case 14:
                return read_tidal_window(b, false);
            case 18:
                return read_clearance(b);
            case 30:
                return TextDescription{b.u(88, 10), b.text(98, (n - 98) / 6)};
            case 32:
                return read_tidal_window(b, true);
            default:
                break;
        }
    }
    return std::monostate{};
}

BinaryApp read_type8_app(const AisBits& b, std::uint32_t dac, std::uint32_t fid) {
    const std::size_t n = b.size();
    if (dac == 1) {
        if (fid == 11) return read_met_hydro(b, false);
        if (fid == 31) return read_met_hydro(b, true);
        if (fid == 29 && n >= 66) return TextDescription{b.u(56, 10), b.text(66, (n - 66) / 6)};
    }
    if (dac == 200 && fid == 10 && n == 168) {
        InlandStatic s = read_inland_static(b);
        // Hazard above 5 ("unknown") means this is not really the inland layout.
        if (s.hazard <= 5) return s;
    }
    return std::monostate{};
}

// --- Type 24 ---------------------------------------------------------------------------------

Expected<AisMessage, DecodeError> read_static_b(const AisBits& b, Header h) {
    StaticB m;
    m.hdr = h;
    const std::uint32_t part = b.u(38, 2);
    if (part == 0) {
        if (b.size() < 160) return reject("truncated");
        if (b.size() > 168) return reject("too_long");
        m.part = StaticB::Part::a;
        m.shipname = b.text(40, 20);
        return AisMessage{std::move(m)};
    }
    if (part != 1) return reject("unsupported");
    if (!at_least(b, 168)) return reject("truncated");
    m.part = StaticB::Part::b;
    m.shiptype = static_cast<std::uint8_t>(b.u(40, 8));
    // M.1371-4 split the 7-character vendor id into 3 characters + model + serial; gpsd reports
    // both readings of the same bits, and so do we.
    m.vendorid = b.text(48, 7);
    m.model = b.u(66, 4);
    m.serial = b.u(70, 20);
    m.callsign = b.text(90, 7);
    if (h.mmsi / 10'000'000 == 98) {  // auxiliary craft: MMSI 98MIDxxxx (M.585 Annex 1 §3)
        m.mothership_mmsi = b.u(132, 30);
    } else {
        m.to_bow = b.u(132, 9);
        m.to_stern = b.u(141, 9);
        m.to_port = b.u(150, 6);
        m.to_starboard = b.u(156, 6);
    }
    return AisMessage{std::move(m)};
}

// Types 25 and 26 share a layout; 26 ends with a 20-bit radio status. gpsd keeps the data
// after the optional destination and application id, dropping the destination bits.
Expected<AisMessage, DecodeError> read_binary_slot(const AisBits& b, Header h) {
    BinarySlot m;
    m.hdr = h;
    const std::size_t n = b.size();
    const bool t26 = h.type == 26;
    if (t26 ? n < 60 : n < 40) return reject("truncated");
    if (t26 ? n > 1004 : n > 168) return reject("too_long");
    m.addressed = b.b(38);
    m.structured = b.b(39);
    const std::size_t header_bits = 40 + (m.structured ? 16u : 0u) + (m.addressed ? 30u : 0u);
    if (n < header_bits + (t26 ? 20u : 0u)) return reject("truncated");
    if (m.addressed) m.dest_mmsi = b.u(40, 30);
    if (m.structured) m.app_id = b.u(40 + (m.addressed ? 30 : 0), 16);
    const std::size_t copy_start = 40 + (m.structured ? 16u : 0u);
    const std::size_t before = n - copy_start - (t26 ? 20u : 0u);
    const std::size_t copied_end = copy_start + (before + 7) / 8 * 8;
    std::size_t start = copy_start;
    std::size_t count = before;
    if (m.addressed) {
        start += 30;
        count -= 30;
    }
    m.bitcount = static_cast<std::uint32_t>(count);
    m.data = b.hex(start, count, false, copied_end);
    return AisMessage{std::move(m)};
}

}  // namespace

void Type24Merger::process(StaticB& m, char channel) {
    Queue& q = queues_[channel == 'B' || channel == '2'                      ? 1
                       : channel == 'A' || channel == '1' || channel == '\0' ? 0
                                                                             : 2];
    if (m.part == StaticB::Part::a) {
        q.slots[q.next] = Entry{m.hdr.mmsi, m.shipname};
        q.next = (q.next + 1) % kSlots;
        return;
    }
    if (m.part != StaticB::Part::b) return;
    for (auto& e : q.slots) {
        if (e.mmsi == m.hdr.mmsi) {
            m.shipname = e.shipname;
            e.mmsi = 0;  // a repeated part B must not match again
            m.part = StaticB::Part::both;
            return;
        }
    }
}

Expected<AisMessage, DecodeError> decode(const AisBits& b) {
    if (b.size() < 38) return reject("truncated");
    const Header h = decode_header(b);
    const std::size_t n = b.size();
    switch (h.type) {
        case 1:
        case 2:
        case 3: {
            auto r = decode_position_a(b);
            if (!r) return Unexpected<DecodeError>{r.error()};
            return AisMessage{std::move(*r)};
        }
        case 4:
        case 11: {  // §3.2: base station report / UTC response, 168 bits
            if (!at_least(b, 168)) return reject("truncated");
            BaseStation m;
            m.hdr = h;
            m.year = b.u(38, 14);
            m.month = b.u(52, 4);
            m.day = b.u(56, 5);
            m.hour = b.u(61, 5);
            m.minute = b.u(66, 6);
            m.second = b.u(72, 6);
            m.accuracy = b.b(78);
            m.lon = b.s(79, 28);
            m.lat = b.s(107, 27);
            m.epfd = static_cast<std::uint8_t>(b.u(134, 4));
            m.raim = b.b(148);
            m.radio = b.u(149, 19);
            return AisMessage{std::move(m)};
        }
        case 5: {  // §3.3: 424 bits; 420/422 seen in the wild and accepted
            if (n < 420) return reject("truncated");
            StaticVoyage m;
            m.hdr = h;
            m.ais_version = static_cast<std::uint8_t>(b.u(38, 2));
            m.imo = b.u(40, 30);
            m.callsign = b.text(70, 7);
            m.shipname = b.text(112, 20);
            m.shiptype = static_cast<std::uint8_t>(b.u(232, 8));
            m.to_bow = b.u(240, 9);
            m.to_stern = b.u(249, 9);
            m.to_port = b.u(258, 6);
            m.to_starboard = b.u(264, 6);
            m.epfd = static_cast<std::uint8_t>(b.u(270, 4));
            m.month = b.u(274, 4);
            m.day = b.u(278, 5);
            m.hour = b.u(283, 5);
            m.minute = b.u(288, 6);
            m.draught = b.u(294, 8);
            m.destination = b.text(302, 20);
            m.dte = n >= 423 ? static_cast<std::uint8_t>(b.u(422, 1)) : 0;
            return AisMessage{std::move(m)};
        }
        case 6: {  // §3.4: addressed binary, 88..1008 bits
            if (n < 88 || n > 1008) return length_reject(b, 88, 1008);
            BinaryAddressed m;
            m.hdr = h;
            m.seqno = static_cast<std::uint8_t>(b.u(38, 2));
            m.dest_mmsi = b.u(40, 30);
            m.retransmit = b.b(70);
            m.dac = b.u(72, 10);
            m.fid = b.u(82, 6);
            m.bitcount = static_cast<std::uint32_t>(n - 88);
            m.app = read_type6_app(b, m.dac, m.fid);
            if (std::holds_alternative<std::monostate>(m.app)) m.data = b.hex(88, n - 88, false);
            return AisMessage{std::move(m)};
        }
        case 7:
        case 13: {  // §3.5 / §3.11: acknowledgements, 72..168 bits
            if (n < 72 || n > 168) return length_reject(b, 72, 168);
            Acknowledge m;
            m.hdr = h;
            Mmsi* mm[4] = {&m.mmsi1, &m.mmsi2, &m.mmsi3, &m.mmsi4};
            std::uint8_t* sq[4] = {&m.seqno1, &m.seqno2, &m.seqno3, &m.seqno4};
            for (std::size_t i = 0; i < 4; ++i) {
                if (n > 40 + 32 * i) {
                    *mm[i] = b.u(40 + 32 * i, 30);
                    *sq[i] = static_cast<std::uint8_t>(b.u(70 + 32 * i, 2));
                }
            }
            return AisMessage{std::move(m)};
        }
        case 8: {  // §3.6: broadcast binary, 56..1008 bits
            if (n < 56 || n > 1008) return length_reject(b, 56, 1008);
            BinaryBroadcast m;
            m.hdr = h;
            m.dac = b.u(40, 10);
            m.fid = b.u(50, 6);
            m.bitcount = static_cast<std::uint32_t>(n - 56);
            m.app = read_type8_app(b, m.dac, m.fid);
            if (std::holds_alternative<std::monostate>(m.app)) m.data = b.hex(56, n - 56, true);
            return AisMessage{std::move(m)};
        }
        case 9: {  // §3.7: SAR aircraft, 168 bits
            if (!at_least(b, 168)) return reject("truncated");
            SarAircraft m;
            m.hdr = h;
            m.alt = b.u(38, 12);
            m.speed = b.u(50, 10);
            m.accuracy = b.b(60);
            m.lon = b.s(61, 28);
            m.lat = b.s(89, 27);
            m.course = b.u(116, 12);
            m.second = static_cast<std::uint8_t>(b.u(128, 6));
            m.regional = b.u(134, 8);
            m.dte = static_cast<std::uint8_t>(b.u(142, 1));
            m.assigned = b.b(146);
            m.raim = b.b(147);
            m.radio = b.u(148, 20);
            return AisMessage{std::move(m)};
        }
        case 10: {  // §3.8: 72 bits
            if (!at_least(b, 72)) return reject("truncated");
            return AisMessage{UtcInquiry{h, b.u(40, 30)}};
        }
        case 12: {  // §3.10: 72..1008 bits
            if (n < 72 || n > 1008) return length_reject(b, 72, 1008);
            SafetyAddressed m;
            m.hdr = h;
            m.seqno = static_cast<std::uint8_t>(b.u(38, 2));
            m.dest_mmsi = b.u(40, 30);
            m.retransmit = b.b(70);
            m.text = b.text(72, (n - 72) / 6);
            return AisMessage{std::move(m)};
        }
        case 14: {  // §3.12: 40..1008 bits
            if (n < 40 || n > 1008) return length_reject(b, 40, 1008);
            return AisMessage{SafetyBroadcast{h, b.text(40, (n - 40) / 6)}};
        }
        case 15: {  // §3.13: 88..168 bits
            if (n < 88 || n > 168) return length_reject(b, 88, 168);
            Interrogation m;
            m.hdr = h;
            m.mmsi1 = b.u(40, 30);
            m.type1_1 = b.u(70, 6);
            m.offset1_1 = b.u(76, 12);
            if (n > 90) {
                m.type1_2 = b.u(90, 6);
                m.offset1_2 = b.u(96, 12);
                if (n > 110) {
                    m.mmsi2 = b.u(110, 30);
                    m.type2_1 = b.u(140, 6);
                    m.offset2_1 = b.u(146, 12);
                }
            }
            return AisMessage{std::move(m)};
        }
        case 16: {  // §3.14: 96..168 bits (one or two destinations)
            if (n < 96 || n > 168) return length_reject(b, 96, 168);
            AssignedMode m;
            m.hdr = h;
            m.mmsi1 = b.u(40, 30);
            m.offset1 = b.u(70, 12);
            m.increment1 = b.u(82, 10);
            if (n >= 144) {
                m.mmsi2 = b.u(92, 30);
                m.offset2 = b.u(122, 12);
                m.increment2 = b.u(134, 10);
            }
            return AisMessage{std::move(m)};
        }
        case 17: {  // §3.15: 80..816 bits
            if (n < 80 || n > 816) return length_reject(b, 80, 816);
            DgnssBroadcast m;
            m.hdr = h;
            m.lon = b.s(40, 18);
            m.lat = b.s(58, 17);
            m.bitcount = static_cast<std::uint32_t>(n - 80);
            m.data = b.hex(80, n - 80, false);
            return AisMessage{std::move(m)};
        }
        case 18: {
            auto r = decode_position_b(b);
            if (!r) return Unexpected<DecodeError>{r.error()};
            return AisMessage{std::move(*r)};
        }
        case 19: {  // §3.17: 312 bits
            if (!at_least(b, 312)) return reject("truncated");
            PositionBExtended m;
            read_class_b_kinematics(b, m);
            m.regional = b.u(139, 4);
            m.shipname = b.text(143, 20);
            m.shiptype = static_cast<std::uint8_t>(b.u(263, 8));
            m.to_bow = b.u(271, 9);
            m.to_stern = b.u(280, 9);
            m.to_port = b.u(289, 6);
            m.to_starboard = b.u(295, 6);
            m.epfd = static_cast<std::uint8_t>(b.u(301, 4));
            m.raim = b.b(305);
            m.dte = static_cast<std::uint8_t>(b.u(306, 1));
            m.assigned = b.b(307);
            return AisMessage{std::move(m)};
        }
        case 20: {  // §3.18: 72..160 bits, up to four slot reservations of 30 bits
            if (n < 72 || n > 186) return length_reject(b, 72, 186);
            DataLinkManagement m;
            m.hdr = h;
            for (std::size_t i = 0; i < 4; ++i) {
                const std::size_t a = 40 + 30 * i;
                m.offset[i] = b.u(a, 12);
                m.number[i] = b.u(a + 12, 4);
                m.timeout[i] = b.u(a + 16, 3);
                m.increment[i] = b.u(a + 19, 11);
            }
            return AisMessage{std::move(m)};
        }
        case 21: {  // §3.19: 272..360 bits (name extension up to 14 more characters)
            if (n < 272 || n > 368) return length_reject(b, 272, 368);
            AidToNavigation m;
            m.hdr = h;
            m.aid_type = static_cast<std::uint8_t>(b.u(38, 5));
            m.name = b.text(43, 20, false);
            m.accuracy = b.b(163);
            m.lon = b.s(164, 28);
            m.lat = b.s(192, 27);
            m.to_bow = b.u(219, 9);
            m.to_stern = b.u(228, 9);
            m.to_port = b.u(237, 6);
            m.to_starboard = b.u(243, 6);
            m.epfd = static_cast<std::uint8_t>(b.u(249, 4));
            m.second = static_cast<std::uint8_t>(b.u(253, 6));
            m.off_position = b.b(259);
            m.regional = b.u(260, 8);
            m.raim = b.b(268);
            m.virtual_aid = b.b(269);
            m.assigned = b.b(270);
            if (m.name.size() == 20 && n > 272) m.name += b.text(272, (n - 272) / 6);
            while (!m.name.empty() && (m.name.back() == ' ' || m.name.back() == '@'))
                m.name.pop_back();
            return AisMessage{std::move(m)};
        }
        case 22: {  // §3.20: 168 bits
            if (!at_least(b, 168)) return reject("truncated");
            ChannelManagement m;
            m.hdr = h;
            m.channel_a = b.u(40, 12);
            m.channel_b = b.u(52, 12);
            m.txrx = b.u(64, 4);
            m.power = b.b(68);
            m.addressed = b.b(139);
            if (!m.addressed) {
                m.ne_lon = b.s(69, 18);
                m.ne_lat = b.s(87, 17);
                m.sw_lon = b.s(104, 18);
                m.sw_lat = b.s(122, 17);
            } else {
                m.dest1 = b.u(69, 30);
                m.dest2 = b.u(104, 30);
            }
            m.band_a = b.b(140);
            m.band_b = b.b(141);
            m.zonesize = b.u(142, 3);
            return AisMessage{std::move(m)};
        }
        case 23: {  // §3.21: 160 bits
            if (!at_least(b, 160)) return reject("truncated");
            GroupAssignment m;
            m.hdr = h;
            m.ne_lon = b.s(40, 18);
            m.ne_lat = b.s(58, 17);
            m.sw_lon = b.s(75, 18);
            m.sw_lat = b.s(93, 17);
            m.stationtype = b.u(110, 4);
            m.shiptype = b.u(114, 8);
            m.txrx = b.u(144, 2);
            m.interval = b.u(146, 4);
            m.quiet = b.u(150, 4);
            return AisMessage{std::move(m)};
        }
        case 24:
            return read_static_b(b, h);
        case 25:
        case 26:
            return read_binary_slot(b, h);
        case 27: {
            auto r = decode_long_range(b);
            if (!r) return Unexpected<DecodeError>{r.error()};
            return AisMessage{std::move(*r)};
        }
        default:
            return reject("unsupported");
    }
}

const Header& header_of(const AisMessage& m) {
    return std::visit([](const auto& x) -> const Header& { return x.hdr; }, m);
}

}  // namespace picket::sensors::ais
