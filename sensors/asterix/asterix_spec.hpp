#pragma once
/// Every data item of ASTERIX CAT034, CAT048 and CAT062 as data: its structure (EUROCONTROL
/// ASTERIX Part 1 §4.4: fixed, extended, repetitive, explicit, compound) and its elements'
/// names, widths, encodings and LSBs. One generic walker (asterix_items.hpp) decodes any record
/// of these categories with it, item by item, for `picket decode --format asterix`; the feed
/// decoders keep their own hand-written paths for the few items they use.
///
/// Editions: CAT034 1.29, CAT048 1.31, CAT062 1.19 (the ones Wireshark 4.0 decodes by default).
/// Element names are the specification's short names (SAC, SIC, RHO, THETA, ...); a fixed item
/// or subitem of a single element has an empty element name and prints as a plain value.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace picket::sensors::asterix::spec {

/// How an element's bits read.
enum class Enc : std::uint8_t {
    uint_,  ///< unsigned integer; times lsb when lsb != 1
    sint,   ///< two's complement; times lsb
    octal,  ///< Mode 1/2/3/A code: printed as octal digits
    icao6,  ///< ICAO 6-bit characters (ICAO Annex 10 vol. IV), 6 bits each
    ascii,  ///< 8-bit characters
    hex,    ///< raw bits as hex digits (Mode S MB data, ACAS resolution advisory)
    spare,  ///< not reported
    fx,     ///< the FX bit closing one part of an extended item (Part 1 §4.4.2)
};

struct Element {
    std::string_view name;  ///< empty: the item's only element, or spare / fx
    std::uint16_t bits;
    Enc enc;
    double lsb;  ///< 1: an integer, or a code
};

enum class Form : std::uint8_t {
    absent,         ///< an FRN or compound subfield the edition does not define
    fixed,          ///< elements filling a whole number of octets
    extended,       ///< parts closed by FX bits (the elements hold Enc::fx markers)
    repetitive,     ///< REP octet, then REP times the elements
    repetitive_fx,  ///< the elements (ending with FX) repeated while FX is set
    explicit_len,   ///< LEN octet (counting itself), then LEN - 1 octets (SP, RE)
    compound,       ///< FX-chained presence bits, then the present subitems in order
};

struct Item {
    std::string_view name;  ///< "010" for a data item, the spec's short name for a subitem
    Form form;
    const Element* elements;
    std::uint8_t element_count;
    const Item* subitems;
    std::uint8_t subitem_count;
};

/// A category's User Application Profile: items by FRN - 1 (absent: a spare FRN).
struct Uap {
    std::uint8_t category;
    std::string_view edition;
    const Item* items;
    std::uint8_t item_count;
};

/// The UAP of `category` (34, 48, 62), nullptr for any other.
const Uap* uap_for(std::uint8_t category);

// Builders for the tables.
template <std::size_t N>
constexpr Item fixed(std::string_view name, const Element (&e)[N]) {
    return {name, Form::fixed, e, static_cast<std::uint8_t>(N), nullptr, 0};
}
template <std::size_t N>
constexpr Item extended(std::string_view name, const Element (&e)[N]) {
    return {name, Form::extended, e, static_cast<std::uint8_t>(N), nullptr, 0};
}
template <std::size_t N>
constexpr Item repetitive(std::string_view name, const Element (&e)[N]) {
    return {name, Form::repetitive, e, static_cast<std::uint8_t>(N), nullptr, 0};
}
template <std::size_t N>
constexpr Item repetitive_fx(std::string_view name, const Element (&e)[N]) {
    return {name, Form::repetitive_fx, e, static_cast<std::uint8_t>(N), nullptr, 0};
}
constexpr Item explicit_len(std::string_view name) {
    return {name, Form::explicit_len, nullptr, 0, nullptr, 0};
}
template <std::size_t N>
constexpr Item compound(std::string_view name, const Item (&s)[N]) {
    return {name, Form::compound, nullptr, 0, s, static_cast<std::uint8_t>(N)};
}
constexpr Item absent() { return {{}, Form::absent, nullptr, 0, nullptr, 0}; }

}  // namespace picket::sensors::asterix::spec
