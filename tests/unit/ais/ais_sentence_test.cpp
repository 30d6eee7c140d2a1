// Sentence framing: IEC 61162-1 checksum, VDM fields, NMEA 4.10 tag blocks, and the reasons
// bad lines are rejected with.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "sensors/ais/ais_reassembler.hpp"
#include "sensors/ais/ais_sentence.hpp"

using namespace picket::sensors::ais;
using picket::Timestamp;

TEST_CASE("a valid VDM sentence splits into its fields", "[ais][sentence]") {
    // First sentence of gpsd's sample.aivdm (type 1 from Kurt Schwehr's capture).
    auto s = parse_sentence("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n");
    REQUIRE(s);
    CHECK(s->talker == "AIVDM");
    CHECK_FALSE(s->own_ship);
    CHECK(s->fragment_count == 1);
    CHECK(s->fragment_number == 1);
    CHECK(s->sequence_id == -1);
    CHECK(s->channel == 'A');
    CHECK(s->payload == "15RTgt0PAso;90TKcjM8h6g208CQ");
    CHECK(s->fill_bits == 0);
    CHECK_FALSE(s->tag.time.has_value());
}

TEST_CASE("checksum is the XOR between ! and *", "[ais][sentence]") {
    // Hand-computed: XOR of "A" is 0x41.
    CHECK(nmea_checksum("A") == 0x41);
    CHECK(nmea_checksum("AB") == (0x41 ^ 0x42));
    auto bad = parse_sentence("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == "checksum");
    // Lower-case hex digits are accepted.
    CHECK(parse_sentence("!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6d"));
}

TEST_CASE("receiver trailers after the checksum are tolerated", "[ais][sentence]") {
    CHECK(parse_sentence("!AIVDM,2,2,6,A,3OLc=UCRp,0*4A,b003660465"));
    CHECK(parse_sentence(
        "!AIVDO,1,1,5,A,8>jR06@0Gwli:QQUP3en?wvlFR06EuOwgwl?wnSwe7wvlOwwsAwwnSGmwvh0,0*51   "));
}

TEST_CASE("bad lines are rejected with a stable reason", "[ais][sentence]") {
    const auto reason = [](std::string_view l) {
        auto s = parse_sentence(l);
        return s ? std::string("ok") : std::string(s.error().reason);
    };
    CHECK(reason("") == "bad_sentence");
    CHECK(reason("AIVDM,2,2,1,B,00000000000,2*26") == "bad_sentence");  // no '!'
    // Cut inside the payload: fewer than seven fields.
    CHECK(reason("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g2") == "bad_sentence");
    CHECK(reason("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ*4A") != "ok");  // missing field
    CHECK(reason("!GPGGA,1,1,,A,15RT,0*00") != "ok");
    CHECK(reason(std::string(600, 'x')) == "too_long");
    CHECK(reason("!AIVDM,1,1,,A,15RT,7*23") != "ok");  // fill bits > 5
}

TEST_CASE("NMEA 4.10 tag block gives source and unix time", "[ais][sentence]") {
    // Tag body "s:rx1,c:1764077932": checksum computed by the function under test's own rule
    // would be circular, so the expected value is hand-checked by a Python one-liner:
    // functools.reduce(operator.xor, map(ord, "s:rx1,c:1764077932")) == 0x0B.
    auto s =
        parse_sentence("\\s:rx1,c:1764077932*0B\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A");
    REQUIRE(s);
    CHECK(s->tag.source == "rx1");
    REQUIRE(s->tag.time);
    CHECK(*s->tag.time == Timestamp{1764077932LL * picket::kNsPerSecond});
    CHECK(s->quirks == 0);
}

TEST_CASE("multi-part messages reassemble per channel and sequence id", "[ais][reassembly]") {
    Reassembler r(picket::Duration::from_seconds(5));
    std::string_view reason;
    const Timestamp t0{0};
    // Interleaved on A and B, as in sample.aivdm (type 5 from MMSI 271010059 twice).
    auto b1 = parse_sentence(
        "!AIVDM,2,1,6,B,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht50000000000,0*3B");
    auto a1 = parse_sentence(
        "!AIVDM,2,1,2,A,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht500000000000000,0*3C");
    auto a2 = parse_sentence("!AIVDM,2,2,2,A,0000002,2*24");
    auto b2 = parse_sentence("!AIVDM,2,2,6,B,00000000000,2*21");
    REQUIRE((b1 && a1 && a2 && b2));
    CHECK(r.add(*b1, t0, reason) == nullptr);
    CHECK(r.add(*a1, t0, reason) == nullptr);
    CHECK(r.pending() == 2);
    const AisBits* a = r.add(*a2, t0, reason);
    REQUIRE(a != nullptr);
    CHECK(a->size() == 424);  // 64 + 7 = 71 characters * 6 - 2 fill bits (M.1371 type 5)
    CHECK(a->u(8, 30) == 271010059u);
    const AisBits* b = r.add(*b2, t0, reason);
    REQUIRE(b != nullptr);
    CHECK(b->size() == 424);
    CHECK(r.pending() == 0);

    SECTION("a second part without its first is rejected") {
        CHECK(r.add(*b2, t0, reason) == nullptr);
        CHECK(reason == "bad_fragment");
    }
    SECTION("a message not completed within the timeout is dropped") {
        CHECK(r.add(*b1, t0, reason) == nullptr);
        CHECK(r.add(*b2, t0 + picket::Duration::from_seconds(6), reason) == nullptr);
        CHECK(reason == "fragment_timeout");
        CHECK(r.pending() == 0);
    }
    SECTION("expire() drops stale partial messages") {
        CHECK(r.add(*b1, t0, reason) == nullptr);
        CHECK(r.expire(t0 + picket::Duration::from_seconds(4)) == 0);
        CHECK(r.expire(t0 + picket::Duration::from_seconds(6)) == 1);
    }
}

TEST_CASE("tag block times that would overflow are not used, milliseconds are", "[ais][sentence]") {
    // Found by fuzz_ais: c:9701767432... * 1e9 overflowed int64 nanoseconds.
    auto ms = parse_sentence("\\c:1764077932123\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A");
    REQUIRE(ms);
    CHECK(ms->tag.time == Timestamp{1764077932123LL * picket::kNsPerMilli});
    auto huge =
        parse_sentence("\\c:9701767432000000\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A");
    REQUIRE(huge);  // the sentence is good; only its time is unusable (gpsd ignores the block)
    CHECK_FALSE(huge->tag.time.has_value());
    CHECK((huge->quirks & kQuirkTagTime) != 0);
}

namespace {
/// The sentence `body` (between '!' and '*') with its checksum.
std::string with_sum(const std::string& body) {
    char sum[4];
    std::snprintf(sum, sizeof sum, "*%02X", nmea_checksum(body));
    return "!" + body + sum;
}
}  // namespace

TEST_CASE("vendor quirks gpsd accepts are decoded and named, not rejected", "[ais][sentence]") {
    const std::string payload = "15RTgt0PAso;90TKcjM8h6g208CQ";
    const auto quirks_of = [](const std::string& line) -> int {
        auto s = parse_sentence(line);
        if (!s) return -1;
        CHECK(s->payload == "15RTgt0PAso;90TKcjM8h6g208CQ");
        return s->quirks;
    };
    // A national network's time-stamped feed: the tag block checksum is the literal "*00".
    CHECK(quirks_of("\\c:1448312100,t:1448312099*00\\" +
                    with_sum("AIVDM,1,1,,A," + payload + ",0")) == kQuirkTagChecksumZero);
    // Kystverket's example data (ais-dotnet/Ais.Net): a checksum that belongs to another block.
    CHECK(quirks_of("\\g:1-2-9999,c:1565218798*53\\" +
                    with_sum("BSVDM,1,1,,A," + payload + ",0")) == kQuirkTagChecksum);
    // pyais' sample: a one-digit tag block checksum.
    CHECK(quirks_of("\\g:1-2-73874*A\\" + with_sum("AIVDM,1,1,,A," + payload + ",0")) ==
          kQuirkTagChecksum);
    // A yacht gateway: empty channel and a field after the fill bits.
    CHECK(quirks_of(with_sum("AIVDM,1,1,,," + payload + ",0,")) == kQuirkExtraFields);
    CHECK(quirks_of(with_sum("AIVDM,1,1,,A," + payload + ",0,X")) == kQuirkExtraFields);
    // No checksum at all, or a cut one.
    CHECK(quirks_of("!AIVDM,1,1,,A," + payload + ",0") == kQuirkNoChecksum);
    CHECK(quirks_of("!AIVDM,1,1,,A," + payload + ",0*") == kQuirkNoChecksum);
    // A logger's time stamp in front.
    CHECK(quirks_of("2020-01-01 00:00:00 " + with_sum("AIVDM,1,1,,A," + payload + ",0")) ==
          kQuirkLeadingText);
    CHECK(quirks_of(with_sum("AIVDM,1,1,12,A," + payload + ",0")) == kQuirkSequenceId);
    CHECK(quirks_of(with_sum("AIVDM,1,1,,AB," + payload + ",0")) == kQuirkChannel);
    CHECK(quirks_of(with_sum("AIVDM,1,1,,A," + payload + ",")) == kQuirkNoFillBits);
    // Two tag blocks in a row (libais issue 235) are both read.
    auto two = parse_sentence("\\s:r1ACE0JVF*27\\\\c:1628097600,s:AS-SAM-BWBANK,n:27493*24\\" +
                              with_sum("ANVDM,1,1,,B," + payload + ",0"));
    REQUIRE(two);
    CHECK(two->tag.time == Timestamp{1628097600LL * picket::kNsPerSecond});
    CHECK(two->tag.source == "AS-SAM-BWBANK");
    // A wrong sentence checksum is still a reject, trailer or not.
    CHECK(quirks_of("!AIVDM,1,1,,A," + payload + ",0*4B,b003669794") == -1);
    for (int q = 0; q < kSentenceQuirkCount; ++q) CHECK(!sentence_quirk_name(q).empty());
}

TEST_CASE("the fast path for the common shape agrees with the general parser on every line",
          "[ais][sentence]") {
    // parse_sentence reads the usual "!xxVDM,c,n,[s],[ch],payload,f*hh" at fixed offsets and
    // hands anything else to the general parser; both must give the same verdict, reason and
    // fields. Mutations of real lines, half of them with the checksum recomputed so that the
    // field checks (not just the checksum) decide.
    const std::vector<std::string> seeds = {
        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
        "!AIVDM,2,1,6,B,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht50000000000,0*3B",
        "!AIVDM,2,2,6,B,00000000000,2*21",
        "!AIVDO,1,1,,,B7lcQc0042>>cevfsdFl3wS4P000,0*30",
        "!AIVDM,1,1,,B,H42O55i18tMET00000000000000,2*6D",
        "\\s:rx1,c:1764077932*0B\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
        "!AIVDM,1,1,,A,15RT,0*00",
    };
    const std::string alphabet = "!\\*,0123456789ABCDEFVDMOabw`W@: \t";
    const auto fix_checksum = [](std::string l) {
        const std::size_t bang = l.find('!');
        if (bang == std::string::npos || l.size() < bang + 4 || l[l.size() - 3] != '*') return l;
        const std::uint8_t sum =
            nmea_checksum(std::string_view(l).substr(bang + 1, l.size() - 4 - bang));
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02X", sum);
        l.replace(l.size() - 2, 2, hex);
        return l;
    };
    const auto seed = static_cast<std::uint32_t>(std::random_device{}());
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    int accepted = 0, disagreements = 0;
    for (int i = 0; i < 40'000; ++i) {
        std::string l = seeds[rng() % seeds.size()];
        for (int k = static_cast<int>(rng() % 4); k > 0 && !l.empty(); --k) {
            const std::size_t at = rng() % l.size();
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0:
                    l[at] = c;
                    break;
                case 1:
                    l.insert(l.begin() + static_cast<std::ptrdiff_t>(at), c);
                    break;
                default:
                    l.erase(at, 1);
                    break;
            }
        }
        if (rng() % 2) l = fix_checksum(l);
        AisSentence fast, general;
        const std::string_view rf = parse_sentence(l, fast);
        const std::string_view rg = detail::parse_sentence_general(l, general);
        bool same = rf == rg;
        if (same && rf.empty()) {
            ++accepted;
            same = fast.talker == general.talker && fast.own_ship == general.own_ship &&
                   fast.fragment_count == general.fragment_count &&
                   fast.fragment_number == general.fragment_number &&
                   fast.sequence_id == general.sequence_id && fast.channel == general.channel &&
                   fast.payload.data() == general.payload.data() &&
                   fast.payload.size() == general.payload.size() &&
                   fast.fill_bits == general.fill_bits && fast.tag.time == general.tag.time &&
                   fast.tag.source == general.tag.source;
        }
        if (!same) {
            ++disagreements;
            UNSCOPED_INFO("line " << l << ": fast '" << rf << "', general '" << rg << "'");
        }
    }
    CHECK(disagreements == 0);
    CHECK(accepted > 1000);  // the comparison covered accepted lines, not only rejects
}
