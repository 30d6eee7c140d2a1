// The generic ASTERIX record walker: FSPEC, then each present item by its form (Part 1 §4.3-4.4),
// each element by its encoding, written as JSON.
#include "sensors/asterix/asterix_items.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

#include "core/json_writer.hpp"
#include "sensors/asterix/asterix_spec.hpp"

namespace picket::sensors::asterix {
namespace {

using spec::Element;
using spec::Enc;
using spec::Form;
using spec::Item;

/// Reads bit fields MSB first from a span of octets; out-of-range reads fail.
class BitReader {
public:
    BitReader(const std::uint8_t* p, std::size_t octets) : p_(p), bits_(octets * 8) {}
    /// `n` <= 64 bits at the current position.
    bool read(unsigned n, std::uint64_t& v) {
        if (pos_ + n > bits_) return false;
        v = 0;
        for (unsigned i = 0; i < n; ++i, ++pos_)
            v = (v << 1) | ((p_[pos_ / 8] >> (7 - pos_ % 8)) & 1u);
        return true;
    }
    [[nodiscard]] std::size_t octets_used() const { return (pos_ + 7) / 8; }

private:
    const std::uint8_t* p_;
    std::size_t bits_;
    std::size_t pos_{0};
};

void put_number(std::string& out, double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact representation
    out.append(buf, r.ptr);
}

void put_value(std::string& out, const Element& e, std::uint64_t raw) {
    switch (e.enc) {
        case Enc::uint_:
            if (e.lsb == 1) {
                char buf[24];
                const auto r = std::to_chars(buf, buf + sizeof buf, raw);
                out.append(buf, r.ptr);
            } else {
                put_number(out, static_cast<double>(raw) * e.lsb);
            }
            return;
        case Enc::sint: {
            const std::uint64_t sign = std::uint64_t{1} << (e.bits - 1);
            const auto v = static_cast<std::int64_t>((raw ^ sign) - sign);
            if (e.lsb == 1) {
                char buf[24];
                const auto r = std::to_chars(buf, buf + sizeof buf, v);
                out.append(buf, r.ptr);
            } else {
                put_number(out, static_cast<double>(v) * e.lsb);
            }
            return;
        }
        case Enc::octal: {
            std::string s;
            for (int shift = static_cast<int>(e.bits) - 3; shift >= 0; shift -= 3)
                s.push_back(static_cast<char>('0' + ((raw >> shift) & 7)));
            append_json_string(out, s);
            return;
        }
        case Enc::icao6:
        case Enc::ascii: {
            // ICAO Annex 10 vol. IV table 3-9: 1-26 A-Z, 32 space, 48-57 digits; the other
            // codes are unassigned and read as spaces (as Wireshark shows them).
            const unsigned w = e.enc == Enc::icao6 ? 6 : 8;
            std::string s;
            for (int shift = static_cast<int>(e.bits) - static_cast<int>(w); shift >= 0;
                 shift -= static_cast<int>(w)) {
                const auto c = static_cast<unsigned>((raw >> shift) & ((1u << w) - 1));
                if (w == 8)
                    s.push_back(static_cast<char>(c));
                else
                    s.push_back(c >= 1 && c <= 26    ? static_cast<char>('A' + c - 1)
                                : c >= 48 && c <= 57 ? static_cast<char>(c)
                                                     : ' ');
            }
            while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
            // Octets outside printable ASCII are escaped (as Latin-1 code points), so that the
            // line stays valid JSON (UTF-8) whatever a sender put in a text field.
            out.push_back('"');
            for (const char ch : s) {
                const auto c = static_cast<unsigned char>(ch);
                if (c == '"' || c == '\\') {
                    out.push_back('\\');
                    out.push_back(ch);
                } else if (c >= 0x20 && c < 0x7F) {
                    out.push_back(ch);
                } else {
                    char esc[8];
                    std::snprintf(esc, sizeof esc, "\\u%04x", c);
                    out.append(esc);
                }
            }
            out.push_back('"');
            return;
        }
        case Enc::hex: {
            static constexpr char kHex[] = "0123456789abcdef";
            std::string s;
            for (int shift = static_cast<int>(e.bits) - 4; shift >= 0; shift -= 4)
                s.push_back(kHex[(raw >> shift) & 15]);
            append_json_string(out, s);
            return;
        }
        case Enc::spare:
        case Enc::fx:
            return;
    }
}

void put_key(std::string& out, bool& first, std::string_view k) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(k);
    out.append("\":");
}

/// True when the element list prints as one plain value (a single named-less element).
bool single_value(const Element* e, std::size_t n) {
    int named = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (e[i].enc != Enc::spare && e[i].enc != Enc::fx) ++named;
    return named == 1 && n >= 1 && [&] {
        for (std::size_t i = 0; i < n; ++i)
            if (e[i].enc != Enc::spare && e[i].enc != Enc::fx) return e[i].name.empty();
        return false;
    }();
}

/// Reads `n` elements (no FX) as JSON members (or one plain value). False when past the end.
bool read_group(BitReader& r, const Element* e, std::size_t n, std::string& out) {
    const bool single = single_value(e, n);
    bool first = true;
    if (!single) out.push_back('{');
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t v = 0;
        if (!r.read(e[i].bits, v)) return false;
        if (e[i].enc == Enc::spare || e[i].enc == Enc::fx) continue;
        if (!single) put_key(out, first, e[i].name);
        put_value(out, e[i], v);
    }
    if (!single) out.push_back('}');
    return true;
}

/// Decodes the item at p (at most `avail` octets). Returns the octets used, 0 on failure.
std::size_t read_item(const Item& item, const std::uint8_t* p, std::size_t avail, std::string& out,
                      std::string_view& reason);

std::size_t read_compound(const Item& item, const std::uint8_t* p, std::size_t avail,
                          std::string& out, std::string_view& reason) {
    // Part 1 §4.4.5: primary subfield of FX-chained presence octets (7 subfields each).
    std::size_t primary = 0;
    while (true) {
        if (primary >= avail) {
            reason = "truncated";
            return 0;
        }
        if ((p[primary++] & 1) == 0) break;
    }
    std::size_t used = primary;
    bool first = true;
    out.push_back('{');
    for (std::size_t i = 0; i < primary; ++i) {
        for (int bit = 0; bit < 7; ++bit) {
            if ((p[i] & (0x80 >> bit)) == 0) continue;
            const std::size_t k = i * 7 + static_cast<std::size_t>(bit);
            if (k >= item.subitem_count || item.subitems[k].form == Form::absent) {
                reason = "bad_item";  // a subfield the edition does not define: length unknown
                return 0;
            }
            const Item& sub = item.subitems[k];
            put_key(out, first, sub.name);
            const std::size_t n = read_item(sub, p + used, avail - used, out, reason);
            if (n == 0) return 0;
            used += n;
        }
    }
    out.push_back('}');
    return used;
}

std::size_t read_item(const Item& item, const std::uint8_t* p, std::size_t avail, std::string& out,
                      std::string_view& reason) {
    switch (item.form) {
        case Form::fixed: {
            BitReader r(p, avail);
            if (!read_group(r, item.elements, item.element_count, out)) break;
            return r.octets_used();
        }
        case Form::extended: {
            // Part 1 §4.4.2: parts closed by FX; all parts' elements in one object.
            BitReader r(p, avail);
            bool first = true;
            out.push_back('{');
            for (std::size_t i = 0; i < item.element_count; ++i) {
                const Element& e = item.elements[i];
                std::uint64_t v = 0;
                if (!r.read(e.bits, v)) {
                    reason = "truncated";
                    return 0;
                }
                if (e.enc == Enc::fx) {
                    if (v == 0) break;
                    continue;
                }
                if (e.enc == Enc::spare) continue;
                put_key(out, first, e.name.empty() ? std::string_view("VALUE") : e.name);
                put_value(out, e, v);
            }
            out.push_back('}');
            return r.octets_used();
        }
        case Form::repetitive: {
            // Part 1 §4.4.3: REP, then REP fixed-length repetitions.
            if (avail < 1) break;
            const unsigned rep = p[0];
            BitReader r(p + 1, avail - 1);
            out.push_back('[');
            for (unsigned k = 0; k < rep; ++k) {
                if (k > 0) out.push_back(',');
                if (!read_group(r, item.elements, item.element_count, out)) {
                    reason = "truncated";
                    return 0;
                }
            }
            out.push_back(']');
            return 1 + r.octets_used();
        }
        case Form::repetitive_fx: {
            // The elements (ending with FX) again while FX is set (I048/030, I062/510).
            BitReader r(p, avail);
            out.push_back('[');
            for (bool more = true, first_rep = true; more; first_rep = false) {
                if (!first_rep) out.push_back(',');
                const std::size_t n = item.element_count - 1;  // the last element is FX
                if (!read_group(r, item.elements, n, out)) {
                    reason = "truncated";
                    return 0;
                }
                std::uint64_t fx = 0;
                if (!r.read(1, fx)) {
                    reason = "truncated";
                    return 0;
                }
                more = fx != 0;
            }
            out.push_back(']');
            return r.octets_used();
        }
        case Form::explicit_len: {
            // Part 1 §4.4.4: LEN counts itself; 0 cannot be.
            if (avail < 1) break;
            const std::size_t len = p[0];
            if (len == 0) {
                reason = "bad_item";
                return 0;
            }
            if (len > avail) break;
            static constexpr char kHex[] = "0123456789abcdef";
            out.push_back('"');
            for (std::size_t i = 1; i < len; ++i) {
                out.push_back(kHex[p[i] >> 4]);
                out.push_back(kHex[p[i] & 15]);
            }
            out.push_back('"');
            return len;
        }
        case Form::compound:
            return read_compound(item, p, avail, out, reason);
        case Form::absent:
            reason = "bad_fspec";
            return 0;
    }
    if (reason.empty()) reason = "truncated";
    return 0;
}

Expected<std::size_t, DecodeError> fail(std::string_view reason, std::string detail = {}) {
    return Unexpected<DecodeError>{DecodeError{reason, std::move(detail)}};
}

}  // namespace

bool decodable_category(std::uint8_t category) { return spec::uap_for(category) != nullptr; }

std::size_t datagram_json(std::string_view bytes, std::uint64_t frame, std::string& out,
                          RecordRejects& rejects) {
    const auto* d = reinterpret_cast<const std::uint8_t*>(bytes.data());
    const std::size_t size = bytes.size();
    const std::string frame_key = "{\"frame\":" + std::to_string(frame) + ",";
    std::size_t records = 0;
    std::size_t pos = 0;
    while (pos < size) {
        // Part 1 §4.2: CAT, LEN (the whole block), records.
        if (size - pos < 3) {
            rejects.rejected("truncated", "data block header");
            break;
        }
        const std::uint8_t cat = d[pos];
        const std::size_t len = static_cast<std::size_t>(d[pos + 1]) << 8 | d[pos + 2];
        if (len < 3 || len > size - pos) {
            rejects.rejected("bad_length",
                             "CAT" + std::to_string(cat) + " LEN " + std::to_string(len));
            break;  // no trustworthy LEN: the next block cannot be found
        }
        if (!decodable_category(cat)) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += frame_key + "\"cat\":" + std::to_string(cat) + ",\"undecoded\":\"";
            for (std::size_t i = pos; i < pos + len; ++i) {
                out.push_back(kHex[d[i] >> 4]);
                out.push_back(kHex[d[i] & 15]);
            }
            out += "\"}\n";
        } else {
            for (std::size_t rec = pos + 3; rec < pos + len;) {
                const std::size_t mark = out.size();
                out += frame_key;
                auto used = record_json(cat, d + rec, pos + len - rec, out);
                if (!used) {
                    out.resize(mark);  // records carry no length: the rest of the block is lost
                    rejects.rejected(used.error().reason, used.error().detail);
                    break;
                }
                out += "}\n";
                ++records;
                rec += *used;
            }
        }
        pos += len;
    }
    return records;
}

Expected<std::size_t, DecodeError> item_length(std::uint8_t category, unsigned frn,
                                               const std::uint8_t* data, std::size_t size) {
    const spec::Uap* uap = spec::uap_for(category);
    if (uap == nullptr) return fail("unknown_category");
    if (frn == 0 || frn > uap->item_count || uap->items[frn - 1].form == Form::absent)
        return fail("bad_fspec", "FRN " + std::to_string(frn));
    std::string scratch;  // the JSON is thrown away: only the walk's length is wanted
    std::string_view reason;
    const std::size_t n = read_item(uap->items[frn - 1], data, size, scratch, reason);
    if (n == 0) return fail(reason);
    return n;
}

Expected<std::size_t, DecodeError> record_json(std::uint8_t category, const std::uint8_t* data,
                                               std::size_t size, std::string& out) {
    const spec::Uap* uap = spec::uap_for(category);
    if (uap == nullptr) return fail("unknown_category");
    // FSPEC (Part 1 §4.3.3): FX-chained octets, FRN 1 at the top bit of the first.
    std::size_t fspec = 0;
    while (true) {
        if (fspec >= size) return fail("truncated", "FSPEC");
        if ((data[fspec++] & 1) == 0) break;
    }
    if (fspec * 7 > static_cast<std::size_t>(uap->item_count) + 6) return fail("bad_fspec");
    out.append("\"cat\":");
    out.append(std::to_string(category));
    std::size_t used = fspec;
    std::string_view reason;
    char key[16];
    for (std::size_t i = 0; i < fspec; ++i) {
        for (int bit = 0; bit < 7; ++bit) {
            if ((data[i] & (0x80 >> bit)) == 0) continue;
            const std::size_t frn = i * 7 + static_cast<std::size_t>(bit) + 1;
            if (frn > uap->item_count || uap->items[frn - 1].form == Form::absent)
                return fail("bad_fspec", "FRN " + std::to_string(frn));
            const Item& item = uap->items[frn - 1];
            const int n = std::snprintf(key, sizeof key, ",\"I%03u/%.*s\":", category,
                                        static_cast<int>(item.name.size()), item.name.data());
            out.append(key, static_cast<std::size_t>(n));
            const std::size_t got = read_item(item, data + used, size - used, out, reason);
            if (got == 0)
                return fail(reason, "I" + std::to_string(category) + "/" + std::string(item.name));
            used += got;
        }
    }
    return used;
}

}  // namespace picket::sensors::asterix
