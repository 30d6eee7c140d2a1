// `picket decode --format asterix` against Wireshark's ASTERIX dissector (Debian 12's tshark 4.0)
// on real captures (tests/golden/asterix/README.md), record by record, item by item, element by
// element, and on random records of every item of the three categories. Skipped (with a
// warning) where tshark is absent.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sensors/asterix/asterix_items.hpp"
#include "sensors/asterix/asterix_spec.hpp"
#include "sensors/asterix/capture_reader.hpp"
#include "tests/unit/asterix/pcap_writer.hpp"

using nlohmann::json;
using namespace picket::sensors::asterix;

namespace {

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string run(const std::string& cmd) {
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[65536];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        ::pclose(p);
    }
    return out;
}

/// One record, flattened: "048_010_SAC" -> its values in order (repetitions append).
struct Flat {
    std::uint64_t frame{0};
    int cat{0};
    std::map<std::string, std::vector<json>> fields;
};

json as_list(const json& v) { return v.is_array() ? v : json::array({v}); }

// tshark -T json --no-duplicate-keys: "asterix.048_010": {"asterix.048_010_SAC": "0x19", ...},
// compound subitems nested one level more, single values as "..._VALUE".
void flatten_tshark(const json& obj, std::map<std::string, std::vector<json>>& out) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string& k = it.key();
        if (k == "asterix.fspec" || k == "asterix.FX" || k == "asterix.counter") continue;
        const json& v = it.value();
        if (v.is_object()) {
            flatten_tshark(v, out);
        } else if (v.is_array() && !v.empty() && v[0].is_object()) {
            for (const json& e : v) flatten_tshark(e, out);
        } else {
            std::string key = k.rfind("asterix.", 0) == 0 ? k.substr(8) : k;
            if (key.size() > 6 && key.compare(key.size() - 6, 6, "_VALUE") == 0)
                key.resize(key.size() - 6);
            for (const json& e : as_list(v)) out[key].push_back(e);
        }
    }
}

void flatten_picket(const std::string& prefix, const json& v,
                    std::map<std::string, std::vector<json>>& out) {
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            flatten_picket(prefix + "_" + it.key(), it.value(), out);
    } else if (v.is_array()) {
        for (const json& e : v) flatten_picket(prefix, e, out);
    } else {
        out[prefix].push_back(v);
    }
}

std::vector<Flat> tshark_records(const std::string& pcap, const std::set<std::uint16_t>& ports) {
    std::string args;
    for (const auto p : ports) args += " -d udp.port==" + std::to_string(p) + ",asterix";
    const json packets = json::parse(
        run("tshark -r '" + pcap + "'" + args + " -T json --no-duplicate-keys 2>/dev/null"));
    std::vector<Flat> out;
    for (const json& pkt : packets) {
        const json& layers = pkt["_source"]["layers"];
        const auto frame = std::stoull(layers["frame"]["frame.number"].get<std::string>());
        if (!layers.contains("asterix")) continue;
        const std::size_t first = out.size();
        for (const json& block : as_list(layers["asterix"])) {
            const int cat = std::stoi(block["asterix.category"].get<std::string>());
            if (!decodable_category(static_cast<std::uint8_t>(cat))) continue;
            if (!block.contains("asterix.message")) continue;
            for (const json& m : as_list(block["asterix.message"])) {
                Flat f;
                f.frame = frame;
                f.cat = cat;
                flatten_tshark(m, f.fields);
                out.push_back(std::move(f));
            }
        }
        // A frame Wireshark could not finish ends with a partial record, which picket rejects.
        if (layers.contains("_ws.malformed") && out.size() > first) out.pop_back();
    }
    return out;
}

// Wireshark 4.0 names a few elements differently from the specification's short names.
std::string tshark_name(const std::string& k) {
    static const std::map<std::string, std::string> kAlias = {
        {"062_270_ORI", "062_270_ORIENTATION"},
        {"048_030", "048_030_CODE"},  // the repeated warning/error code has no name in the spec
    };
    auto it = kAlias.find(k);
    return it == kAlias.end() ? k : it->second;
}

/// Wireshark 4.0 shows I048/020's extension 2 groups (ADSB, SCN, PAI: EP then VAL) as one
/// two-bit value each: fold picket's EP and VAL into EP * 2 + VAL under the group's name.
void fold_groups(std::map<std::string, std::vector<json>>& f) {
    for (const char* g : {"048_020_ADSB", "048_020_SCN", "048_020_PAI"}) {
        const std::string ep = std::string(g) + "_EP", val = std::string(g) + "_VAL";
        if (!f.count(ep) || !f.count(val)) continue;
        f[g] = {f[ep][0].get<int>() * 2 + f[val][0].get<int>()};
        f.erase(ep);
        f.erase(val);
    }
}

struct NoRejects final : RecordRejects {
    std::vector<std::string> reasons;
    void rejected(std::string_view reason, const std::string& detail) override {
        reasons.push_back(std::string(reason) + " " + detail);
    }
};

std::vector<Flat> picket_records(const Capture& capture, NoRejects& rejects) {
    std::string text;
    for (const auto& p : capture.payloads) datagram_json(p.bytes, p.frame, text, rejects);
    std::vector<Flat> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const json j = json::parse(line);
        if (j.contains("undecoded")) continue;
        Flat f;
        f.frame = j["frame"].get<std::uint64_t>();
        f.cat = j["cat"].get<int>();
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key().empty() || it.key()[0] != 'I') continue;
            std::string k = it.key().substr(1);  // "048/010" -> "048_010"
            k[3] = '_';
            flatten_picket(k, it.value(), f.fields);
        }
        fold_groups(f.fields);
        out.push_back(std::move(f));
    }
    return out;
}

/// tshark prints hex for some integers ("0x19"), Mode 3/A codes as the decimal value of the
/// octal digits, doubles with up to 15 significant digits, strings with trailing spaces.
bool same_value(const std::string& key, const json& mine, const json& theirs) {
    const std::string t = theirs.is_string() ? theirs.get<std::string>() : theirs.dump();
    if (mine.is_string()) {
        std::string s = mine.get<std::string>();
        // Mode 1/2/3/A codes (octal digits) against Wireshark's value of the 12 bits.
        const bool octal = key.find("MODE") != std::string::npos ||
                           key.find("LMC") != std::string::npos ||
                           key.find("EM1") != std::string::npos;
        if (octal && !s.empty() && s.find_first_not_of("01234567") == std::string::npos)
            return std::stoll(s, nullptr, 8) == std::stoll(t, nullptr, 0);
        std::string tt = t;
        while (!tt.empty() && tt.back() == ' ') tt.pop_back();
        if (s == tt) return true;
        // Mode S MB data and the like: hex digits against Wireshark's integer (hex or decimal).
        if (s.empty() || s.size() > 16 ||
            s.find_first_not_of("0123456789abcdef") != std::string::npos)
            return false;
        return std::stoull(s, nullptr, 16) == std::stoull(t, nullptr, 0);
    }
    const double a = mine.get<double>();
    const double b =
        t.rfind("0x", 0) == 0 ? static_cast<double>(std::stoull(t, nullptr, 16)) : std::stod(t);
    if (key == "034_120_HGT" && a < 0) return a + 65536 == b;  // Wireshark 4.0 reads HGT unsigned
    return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b));
}

/// Compares two record lists; returns how many records are equal, failing the test on each
/// difference.
std::size_t compare(const std::vector<Flat>& mine, const std::vector<Flat>& theirs) {
    CHECK(mine.size() == theirs.size());
    std::size_t equal = 0;
    for (std::size_t i = 0; i < std::min(mine.size(), theirs.size()); ++i) {
        const Flat& a = mine[i];
        const Flat& b = theirs[i];
        INFO("record " << i << " frame " << b.frame << " CAT" << b.cat);
        CHECK(a.frame == b.frame);
        CHECK(a.cat == b.cat);
        bool ok = a.frame == b.frame && a.cat == b.cat;
        std::set<std::string> theirs_seen;
        for (const auto& [k, values] : a.fields) {
            const std::string tk = tshark_name(k);
            theirs_seen.insert(tk);
            auto it = b.fields.find(tk);
            INFO(k);
            if (it == b.fields.end()) {
                FAIL_CHECK("only picket has it: " << json(values).dump());
                ok = false;
                continue;
            }
            // Wireshark 4.0 shows only the first code of I048/030 (it reads them all: the record
            // lengths agree), so only the first can be compared.
            const bool first_only = k == "048_030" && it->second.size() == 1;
            const bool equal_count = values.size() == it->second.size() || first_only;
            bool same = equal_count;
            for (std::size_t j = 0; same && j < std::min(values.size(), it->second.size()); ++j)
                same = same_value(k, values[j], it->second[j]);
            if (!same) {
                FAIL_CHECK("picket " << json(values).dump() << " tshark "
                                     << json(it->second).dump());
                ok = false;
            }
        }
        for (const auto& [k, values] : b.fields) {
            if (theirs_seen.count(k) || k == "spare") continue;
            FAIL_CHECK("only tshark has " << k << ": " << json(values).dump());
            ok = false;
        }
        equal += ok ? 1 : 0;
    }
    return equal;
}

std::set<std::uint16_t> ports_of(const Capture& c) {
    std::set<std::uint16_t> ports;
    for (const auto& p : c.payloads) ports.insert(p.udp_dst_port == 0 ? 8600 : p.udp_dst_port);
    return ports;
}

/// A block file as tshark can read it: one block per UDP datagram, so frame numbers match the
/// block numbers picket gives.
std::string temp_pcap_of_blocks(const Capture& c, const std::string& tag) {
    std::vector<std::string> datagrams;
    for (const auto& p : c.payloads) datagrams.emplace_back(p.bytes);
    const std::string path =
        (std::filesystem::temp_directory_path() /
         ("picket_tshark_records_" + tag + "_" + std::to_string(::getpid()) + ".pcap"))
            .string();
    REQUIRE(picket::test::write_udp_pcap(path, datagrams, 8600));
    return path;
}

struct Golden {
    const char* file;
    std::size_t records;  ///< CAT034/048/062 records in it
};
constexpr Golden kCaptures[] = {
    {"croatia-cat_034_048.pcap", 162}, {"croatia-cat_062_065.pcap", 2},
    {"croatia-cat048.raw", 1},         {"croatia-cat034.raw", 1},
    {"croatia-cat062cat065.raw", 2},   {"goasterix-sample.ast", 12},
};

}  // namespace

TEST_CASE("picket decodes every record of the real ASTERIX captures", "[asterix][golden][real]") {
    for (const Golden& g : kCaptures) {
        INFO(g.file);
        const std::string bytes = read_file(std::string("tests/golden/asterix/") + g.file);
        REQUIRE(!bytes.empty());
        const Capture c = read_capture(bytes);
        CHECK(c.error.empty());
        NoRejects rejects;
        CHECK(picket_records(c, rejects).size() == g.records);
        CHECK(rejects.reasons.empty());
    }
}

TEST_CASE("tshark agrees with picket on every record of the real ASTERIX captures",
          "[asterix][golden][real][tshark]") {
    if (!have_tshark()) {
        WARN("tshark not installed (scripts/setup.sh installs it): skipped");
        return;
    }
    for (const Golden& g : kCaptures) {
        INFO(g.file);
        const std::string path = std::string("tests/golden/asterix/") + g.file;
        const std::string bytes = read_file(path);
        const Capture c = read_capture(bytes);
        NoRejects rejects;
        const auto mine = picket_records(c, rejects);
        std::string pcap = path;
        if (c.format == CaptureFormat::blocks) pcap = temp_pcap_of_blocks(c, "golden");
        const auto theirs = tshark_records(pcap, ports_of(c));
        if (c.format == CaptureFormat::blocks) std::filesystem::remove(pcap);
        CHECK(compare(mine, theirs) == g.records);
    }
}

namespace {

/// Random bits, MSB first, into octets.
class BitWriter {
public:
    void put(std::uint64_t v, unsigned bits) {
        for (unsigned i = bits; i-- > 0;) {
            if (pos_ % 8 == 0) out_.push_back(0);
            if ((v >> i) & 1) out_.back() = static_cast<char>(out_.back() | (0x80 >> (pos_ % 8)));
            ++pos_;
        }
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
    std::size_t pos_{0};
};

std::uint64_t random_bits(std::mt19937_64& rng, unsigned bits) {
    return bits >= 64 ? rng() : rng() & ((std::uint64_t{1} << bits) - 1);
}

/// Random bits for an element; text gets characters of its alphabet (letters, digits, space):
/// how a decoder shows other codes is a matter of display, not of decoding.
std::uint64_t random_value(std::mt19937_64& rng, const picket::sensors::asterix::spec::Element& e) {
    using picket::sensors::asterix::spec::Enc;
    if (e.enc != Enc::icao6 && e.enc != Enc::ascii) return random_bits(rng, e.bits);
    const unsigned w = e.enc == Enc::icao6 ? 6 : 8;
    static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
    std::uint64_t v = 0;
    for (unsigned i = 0; i < e.bits / w; ++i) {
        const char ch = kChars[rng() % (sizeof kChars - 1)];
        const unsigned code = w == 8                   ? static_cast<unsigned char>(ch)
                              : ch >= 'A' && ch <= 'Z' ? static_cast<unsigned>(ch - 'A' + 1)
                                                       : static_cast<unsigned>(ch);
        v = (v << w) | code;
    }
    return v;
}

/// Random content for one item of any form (SP/RE excepted: their contents are free-form).
std::string random_item(const picket::sensors::asterix::spec::Item& item, std::mt19937_64& rng) {
    using picket::sensors::asterix::spec::Enc;
    using picket::sensors::asterix::spec::Form;
    BitWriter w;
    const auto group = [&](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            w.put(random_value(rng, item.elements[i]), item.elements[i].bits);
    };
    switch (item.form) {
        case Form::fixed:
            group(item.element_count);
            return w.take();
        case Form::extended: {
            std::size_t parts = 0;
            for (std::size_t i = 0; i < item.element_count; ++i)
                parts += item.elements[i].enc == Enc::fx ? 1 : 0;
            const std::size_t keep = 1 + rng() % parts;
            std::size_t part = 0;
            for (std::size_t i = 0; i < item.element_count && part < keep; ++i) {
                const auto& e = item.elements[i];
                if (e.enc == Enc::fx) {
                    ++part;
                    w.put(part < keep ? 1 : 0, 1);
                } else {
                    w.put(random_value(rng, e), e.bits);
                }
            }
            return w.take();
        }
        case Form::repetitive: {
            const unsigned rep = 1 + static_cast<unsigned>(rng() % 3);
            w.put(rep, 8);
            for (unsigned k = 0; k < rep; ++k) group(item.element_count);
            return w.take();
        }
        case Form::repetitive_fx: {
            const unsigned rep = 1 + static_cast<unsigned>(rng() % 3);
            for (unsigned k = 0; k < rep; ++k) {
                group(item.element_count - 1u);
                w.put(k + 1 < rep ? 1 : 0, 1);
            }
            return w.take();
        }
        case Form::compound: {
            std::vector<std::size_t> present;
            for (std::size_t k = 0; k < item.subitem_count; ++k)
                if (item.subitems[k].form != Form::absent &&
                    item.subitems[k].form != Form::explicit_len && rng() % 3 == 0)
                    present.push_back(k);
            if (present.empty()) present.push_back(0);
            const std::size_t octets = present.back() / 7 + 1;
            std::string primary(octets, '\0');
            for (const std::size_t k : present)
                primary[k / 7] = static_cast<char>(primary[k / 7] | (0x80 >> (k % 7)));
            for (std::size_t o = 0; o + 1 < octets; ++o)
                primary[o] = static_cast<char>(primary[o] | 1);
            std::string out = primary;
            for (const std::size_t k : present) out += random_item(item.subitems[k], rng);
            return out;
        }
        case Form::explicit_len:
        case Form::absent:
            break;
    }
    return {};
}

}  // namespace

TEST_CASE("tshark agrees with picket on random records carrying every item", "[asterix][tshark]") {
    if (!have_tshark()) {
        WARN("tshark not installed (scripts/setup.sh installs it): skipped");
        return;
    }
    using picket::sensors::asterix::spec::Form;
    std::mt19937_64 rng(20261206);
    std::vector<std::string> datagrams;
    std::size_t expected = 0;
    for (const std::uint8_t cat : {34, 48, 62}) {
        const auto* uap = picket::sensors::asterix::spec::uap_for(cat);
        REQUIRE(uap != nullptr);
        // I062/510 is left out: Wireshark 4.0 reads its extents one bit out of place and flags
        // every record with it malformed (spec: 3-octet parts, UNIT 8 bits, TRACK 15, FX).
        std::vector<std::size_t> items;
        for (std::size_t k = 0; k < uap->item_count; ++k)
            if (uap->items[k].form != Form::absent && uap->items[k].form != Form::explicit_len &&
                !(cat == 62 && uap->items[k].name == "510"))
                items.push_back(k);
        // Each item alone in five records (a disagreement names its item), then random subsets.
        for (std::size_t r = 0; r < items.size() * 5 + 100; ++r) {
            std::vector<std::size_t> frns;
            if (r < items.size() * 5) {
                frns.push_back(items[r / 5]);
            } else {
                for (const std::size_t k : items)
                    if (rng() % 2 == 0) frns.push_back(k);
                if (frns.empty()) frns.push_back(items.front());
            }
            const std::size_t octets = frns.back() / 7 + 1;
            std::string record(octets, '\0');
            for (const std::size_t k : frns)
                record[k / 7] = static_cast<char>(record[k / 7] | (0x80 >> (k % 7)));
            for (std::size_t o = 0; o + 1 < octets; ++o)
                record[o] = static_cast<char>(record[o] | 1);
            for (const std::size_t k : frns) record += random_item(uap->items[k], rng);
            std::string block(1, static_cast<char>(cat));
            block.push_back(static_cast<char>((record.size() + 3) >> 8));
            block.push_back(static_cast<char>((record.size() + 3) & 0xFF));
            datagrams.push_back(block + record);
            ++expected;
        }
    }
    Capture c;
    c.format = CaptureFormat::blocks;
    for (std::size_t i = 0; i < datagrams.size(); ++i)
        c.payloads.push_back({i + 1, datagrams[i], 8600, 0});
    NoRejects rejects;
    const auto mine = picket_records(c, rejects);
    CHECK(rejects.reasons.empty());
    const std::string pcap = temp_pcap_of_blocks(c, "random");
    const auto theirs = tshark_records(pcap, {8600});
    if (std::getenv("PICKET_KEEP_PCAP") == nullptr) std::filesystem::remove(pcap);
    CHECK(compare(mine, theirs) == expected);
}

TEST_CASE("picket decode --format asterix prints every record of a file or of stdin",
          "[asterix][golden][cli]") {
    const char* bin = std::getenv("PICKET_BINARY");
    if (bin == nullptr || ::access(bin, X_OK) != 0) {
        WARN("PICKET_BINARY not set or not built: CLI test skipped");
        return;
    }
    for (const Golden& g : kCaptures) {
        INFO(g.file);
        const std::string path = std::string("tests/golden/asterix/") + g.file;
        const std::string bytes = read_file(path);  // the capture holds views into it
        const Capture c = read_capture(bytes);
        NoRejects rejects;
        std::string expected;
        for (const auto& p : c.payloads) datagram_json(p.bytes, p.frame, expected, rejects);
        // The command prints what the engine prints, whether the capture is named or piped.
        CHECK(run(std::string(bin) + " decode --format asterix " + path + " 2>/dev/null") ==
              expected);
        CHECK(run(std::string(bin) + " decode --format asterix - < " + path + " 2>/dev/null") ==
              expected);
        std::size_t records = 0;
        std::istringstream in(expected);
        for (std::string line; std::getline(in, line);)
            records += json::parse(line).contains("undecoded") ? 0 : 1;
        CHECK(records == g.records);
    }
    // Bad input: a truncated block is reported on stderr with its frame, the run goes on.
    const std::string bad = (std::filesystem::temp_directory_path() /
                             ("picket_decode_bad_" + std::to_string(::getpid()) + ".ast"))
                                .string();
    std::ofstream(bad, std::ios::binary) << std::string("\x30\x00\x09\x80\x19", 5);
    const std::string err = run(std::string(bin) + " decode --format asterix " + bad + " 2>&1");
    std::filesystem::remove(bad);
    CHECK(err.find("frame 1") != std::string::npos);
}
