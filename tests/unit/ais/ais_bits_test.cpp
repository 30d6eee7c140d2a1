// De-armouring (IEC 61162-1 §7.3.4 six-bit armouring): the 16-characters-at-a-time path must
// give exactly the bits of the per-character definition, at any bit offset, and must reject
// every character outside the two armouring ranges.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "sensors/ais/ais_bits.hpp"

using namespace picket::sensors::ais;

namespace {
// The definition, one character at a time: value c - 48, minus 8 more from '`' on.
AisBits reference(unsigned prefix_bits, const std::string& chars) {
    AisBits b;
    b.append_bits(0x5A5A5A5Au, prefix_bits);
    for (const char c : chars) {
        const unsigned v = kArmourTable[static_cast<unsigned char>(c)];
        b.append_bits(v & 63u, 6);
    }
    return b;
}
}  // namespace

TEST_CASE("append_armoured gives the per-character bits at every length and offset",
          "[ais][bits]") {
    const auto seed = static_cast<std::uint32_t>(std::random_device{}());
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    int checked = 0;
    for (std::size_t len = 1; len <= kMaxPayloadChars - 2; ++len) {
        for (unsigned prefix = 0; prefix < 8; ++prefix) {  // every bit offset within a byte
            std::string chars(len, '0');
            for (char& c : chars) c = armour_char(static_cast<unsigned>(rng()));
            AisBits fast;
            fast.append_bits(0x5A5A5A5Au, prefix);
            REQUIRE(fast.append_armoured(chars));
            const AisBits ref = reference(prefix, chars);
            REQUIRE(fast.size() == ref.size());
            // Whole buffer, including past the end (must read as zeros in both).
            for (std::size_t bit = 0; bit < kMaxPayloadBits; bit += 16)
                REQUIRE(fast.u(bit, 16) == ref.u(bit, 16));
            ++checked;
        }
    }
    CHECK(checked == 8 * static_cast<int>(kMaxPayloadChars - 2));
}

TEST_CASE("every character outside the armouring ranges is rejected wherever it is",
          "[ais][bits]") {
    for (int c = 0; c < 256; ++c) {
        const bool valid = (c >= '0' && c <= 'W') || (c >= '`' && c <= 'w');
        for (const std::size_t len : {5u, 16u, 28u, 60u}) {
            for (std::size_t at = 0; at < len; at += 3) {
                std::string chars(len, 'w');
                chars[at] = static_cast<char>(c);
                AisBits b;
                INFO("character " << c << " at " << at << " of " << len);
                REQUIRE(b.append_armoured(chars) == valid);
            }
        }
    }
}

TEST_CASE("assign_armoured after a longer message leaves zeros past the new end", "[ais][bits]") {
    AisBits b;
    REQUIRE(b.assign_armoured(std::string(160, 'w')));  // all ones
    REQUIRE(b.assign_armoured("15RTgt0PAso;90TKcjM8h6g208CQ"));
    CHECK(b.size() == 168);
    for (std::size_t bit = 168; bit < kMaxPayloadBits; bit += 8) REQUIRE(b.u(bit, 8) == 0u);
    AisBits fresh;
    REQUIRE(fresh.append_armoured("15RTgt0PAso;90TKcjM8h6g208CQ"));
    for (std::size_t bit = 0; bit < 168; bit += 8) REQUIRE(b.u(bit, 8) == fresh.u(bit, 8));
}
