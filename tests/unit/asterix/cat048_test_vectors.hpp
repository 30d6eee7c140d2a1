#pragma once
// Third-party ASTERIX test vectors with independently decoded reference values.
#include <string>

namespace picket::test {

// A Mode S roll-call report captured from a real radar, published as a test vector with its
// decoding in the jASTERIX project (test_cat048, "cat048ed1.15.bin"). Its expected values come
// from that independent decoder: SAC 0 SIC 1; ToD 0x416deb = 4287979 (33499.836 s); TYP 5;
// RHO 18924 (73.922 NM), THETA 16324 (89.670°); track 919; speed 2108 (463.184 kt),
// heading 5936 (32.607°); CNF 0, RAD 2. It carries /070, /090, /130, /220, /240, /250 (REP 3)
// and /230 after /170, all of which must be skipped exactly.
inline const std::string kJasterixCat048 = [] {
    const char* hex =
        "300041fff7020001416deba849ec3fc4213805c820c1ab4cbd4994b5617820038bd9eb2fbfe400608091"
        "9f39a004dd50c8480030a80000400397083c17304020fd";
    std::string out;
    for (std::size_t i = 0; hex[i] && hex[i + 1]; i += 2)
        out.push_back(static_cast<char>(std::stoi(std::string(hex + i, 2), nullptr, 16)));
    return out;
}();

}  // namespace picket::test
