// The UAPs of ASTERIX CAT034 ed. 1.29, CAT048 ed. 1.31 and CAT062 ed. 1.19 as data (the DSL is in
// asterix_spec.hpp). Item structures, element widths and LSBs are those of the EUROCONTROL
// specifications (Part 2b Cat 034, Part 4 Cat 048, Part 9 Cat 062), taken from their
// machine-readable form in zoranbosnjak/asterix-specs (BSD-3-Clause) and checked record by
// record against Wireshark's dissector on real captures (tests/unit/asterix). Arrays are named by
// category and a running number; each UAP at the end of its section lists its items by FRN.
#include "sensors/asterix/asterix_spec.hpp"

namespace picket::sensors::asterix::spec {
namespace {

// --- CAT034 edition 1.29 ----------------------------------------------------------------------

constexpr Element e034_1[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e034_2[] = {{"SAC", 8, Enc::uint_, 1}, {"SIC", 8, Enc::uint_, 1}};
constexpr Element e034_3[] = {{"", 8, Enc::uint_, 360.0 / 256.0}};
constexpr Element e034_4[] = {{"", 24, Enc::uint_, 1.0 / 128.0}};
constexpr Element e034_5[] = {{"", 16, Enc::uint_, 1.0 / 128.0}};
constexpr Element e034_6[] = {{"NOGO", 1, Enc::uint_, 1},   {"RDPC", 1, Enc::uint_, 1},
                              {"RDPR", 1, Enc::uint_, 1},   {"OVLRDP", 1, Enc::uint_, 1},
                              {"OVLXMT", 1, Enc::uint_, 1}, {"MSC", 1, Enc::uint_, 1},
                              {"TSV", 1, Enc::uint_, 1},    {"", 1, Enc::spare, 1}};
constexpr Element e034_7[] = {{"ANT", 1, Enc::uint_, 1},
                              {"CHAB", 2, Enc::uint_, 1},
                              {"OVL", 1, Enc::uint_, 1},
                              {"MSC", 1, Enc::uint_, 1},
                              {"", 3, Enc::spare, 1}};
constexpr Element e034_8[] = {{"ANT", 1, Enc::uint_, 1},
                              {"CHAB", 2, Enc::uint_, 1},
                              {"OVL", 1, Enc::uint_, 1},
                              {"MSC", 1, Enc::uint_, 1},
                              {"", 3, Enc::spare, 1}};
constexpr Element e034_9[] = {
    {"ANT", 1, Enc::uint_, 1},    {"CHAB", 2, Enc::uint_, 1},   {"OVLSUR", 1, Enc::uint_, 1},
    {"MSC", 1, Enc::uint_, 1},    {"SCF", 1, Enc::uint_, 1},    {"DLF", 1, Enc::uint_, 1},
    {"OVLSCF", 1, Enc::uint_, 1}, {"OVLDLF", 1, Enc::uint_, 1}, {"", 7, Enc::spare, 1}};
constexpr Item s034_10[] = {
    fixed("COM", e034_6), absent(), absent(), fixed("PSR", e034_7), fixed("SSR", e034_8),
    fixed("MDS", e034_9)};
constexpr Element e034_11[] = {{"", 1, Enc::spare, 1},
                               {"REDRDP", 3, Enc::uint_, 1},
                               {"REDXMT", 3, Enc::uint_, 1},
                               {"", 1, Enc::spare, 1}};
constexpr Element e034_12[] = {{"POL", 1, Enc::uint_, 1},
                               {"REDRAD", 3, Enc::uint_, 1},
                               {"STC", 2, Enc::uint_, 1},
                               {"", 2, Enc::spare, 1}};
constexpr Element e034_13[] = {{"REDRAD", 3, Enc::uint_, 1}, {"", 5, Enc::spare, 1}};
constexpr Element e034_14[] = {
    {"REDRAD", 3, Enc::uint_, 1}, {"CLU", 1, Enc::uint_, 1}, {"", 4, Enc::spare, 1}};
constexpr Item s034_15[] = {
    fixed("COM", e034_11), absent(), absent(), fixed("PSR", e034_12), fixed("SSR", e034_13),
    fixed("MDS", e034_14)};
constexpr Element e034_16[] = {{"TYP", 5, Enc::uint_, 1}, {"COUNT", 11, Enc::uint_, 1}};
constexpr Element e034_17[] = {{"RNG", 8, Enc::sint, 1.0 / 128.0},
                               {"AZM", 8, Enc::sint, 360.0 / 16384.0}};
constexpr Element e034_18[] = {{"RHOST", 16, Enc::uint_, 1.0 / 256.0},
                               {"RHOEND", 16, Enc::uint_, 1.0 / 256.0},
                               {"THETAST", 16, Enc::uint_, 360.0 / 65536.0},
                               {"THETAEND", 16, Enc::uint_, 360.0 / 65536.0}};
constexpr Element e034_19[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e034_20[] = {{"HGT", 16, Enc::sint, 1.0},
                               {"LAT", 24, Enc::sint, 180.0 / 8388608.0},
                               {"LON", 24, Enc::sint, 180.0 / 8388608.0}};
constexpr Item kUap034[] = {
    fixed("010", e034_2),     fixed("000", e034_1),       fixed("030", e034_4),
    fixed("020", e034_3),     fixed("041", e034_5),       compound("050", s034_10),
    compound("060", s034_15), repetitive("070", e034_16), fixed("100", e034_18),
    fixed("110", e034_19),    fixed("120", e034_20),      fixed("090", e034_17),
    explicit_len("RE"),       explicit_len("SP"),
};

// --- CAT048 edition 1.31 ----------------------------------------------------------------------

constexpr Element e048_1[] = {{"SAC", 8, Enc::uint_, 1}, {"SIC", 8, Enc::uint_, 1}};
constexpr Element e048_2[] = {
    {"TYP", 3, Enc::uint_, 1},     {"SIM", 1, Enc::uint_, 1},     {"RDP", 1, Enc::uint_, 1},
    {"SPI", 1, Enc::uint_, 1},     {"RAB", 1, Enc::uint_, 1},     {"", 1, Enc::fx, 1},
    {"TST", 1, Enc::uint_, 1},     {"ERR", 1, Enc::uint_, 1},     {"XPP", 1, Enc::uint_, 1},
    {"ME", 1, Enc::uint_, 1},      {"MI", 1, Enc::uint_, 1},      {"FOEFRI", 2, Enc::uint_, 1},
    {"", 1, Enc::fx, 1},           {"ADSB_EP", 1, Enc::uint_, 1}, {"ADSB_VAL", 1, Enc::uint_, 1},
    {"SCN_EP", 1, Enc::uint_, 1},  {"SCN_VAL", 1, Enc::uint_, 1}, {"PAI_EP", 1, Enc::uint_, 1},
    {"PAI_VAL", 1, Enc::uint_, 1}, {"", 1, Enc::spare, 1},        {"", 1, Enc::fx, 1}};
constexpr Element e048_3[] = {{"", 7, Enc::uint_, 1}, {"", 1, Enc::fx, 1}};
constexpr Element e048_4[] = {{"RHO", 16, Enc::uint_, 1.0 / 256.0},
                              {"THETA", 16, Enc::uint_, 360.0 / 65536.0}};
constexpr Element e048_5[] = {{"X", 16, Enc::sint, 1.0 / 128.0}, {"Y", 16, Enc::sint, 1.0 / 128.0}};
constexpr Element e048_6[] = {{"V", 1, Enc::uint_, 1},
                              {"G", 1, Enc::uint_, 1},
                              {"L", 1, Enc::uint_, 1},
                              {"", 1, Enc::spare, 1},
                              {"MODE2", 12, Enc::octal, 1}};
constexpr Element e048_7[] = {{"V", 1, Enc::uint_, 1},
                              {"G", 1, Enc::uint_, 1},
                              {"L", 1, Enc::uint_, 1},
                              {"MODE1", 5, Enc::uint_, 1}};
constexpr Element e048_8[] = {
    {"", 4, Enc::spare, 1},    {"QA4", 1, Enc::uint_, 1}, {"QA2", 1, Enc::uint_, 1},
    {"QA1", 1, Enc::uint_, 1}, {"QB4", 1, Enc::uint_, 1}, {"QB2", 1, Enc::uint_, 1},
    {"QB1", 1, Enc::uint_, 1}, {"QC4", 1, Enc::uint_, 1}, {"QC2", 1, Enc::uint_, 1},
    {"QC1", 1, Enc::uint_, 1}, {"QD4", 1, Enc::uint_, 1}, {"QD2", 1, Enc::uint_, 1},
    {"QD1", 1, Enc::uint_, 1}};
constexpr Element e048_9[] = {{"", 3, Enc::spare, 1},    {"QA4", 1, Enc::uint_, 1},
                              {"QA2", 1, Enc::uint_, 1}, {"QA1", 1, Enc::uint_, 1},
                              {"QB2", 1, Enc::uint_, 1}, {"QB1", 1, Enc::uint_, 1}};
constexpr Element e048_10[] = {{"V", 1, Enc::uint_, 1},
                               {"G", 1, Enc::uint_, 1},
                               {"L", 1, Enc::uint_, 1},
                               {"", 1, Enc::spare, 1},
                               {"MODE3A", 12, Enc::octal, 1}};
constexpr Element e048_11[] = {
    {"", 4, Enc::spare, 1},    {"QA4", 1, Enc::uint_, 1}, {"QA2", 1, Enc::uint_, 1},
    {"QA1", 1, Enc::uint_, 1}, {"QB4", 1, Enc::uint_, 1}, {"QB2", 1, Enc::uint_, 1},
    {"QB1", 1, Enc::uint_, 1}, {"QC4", 1, Enc::uint_, 1}, {"QC2", 1, Enc::uint_, 1},
    {"QC1", 1, Enc::uint_, 1}, {"QD4", 1, Enc::uint_, 1}, {"QD2", 1, Enc::uint_, 1},
    {"QD1", 1, Enc::uint_, 1}};
constexpr Element e048_12[] = {
    {"V", 1, Enc::uint_, 1}, {"G", 1, Enc::uint_, 1}, {"FL", 14, Enc::uint_, 1.0 / 4.0}};
constexpr Element e048_13[] = {
    {"V", 1, Enc::uint_, 1},      {"G", 1, Enc::uint_, 1},   {"", 2, Enc::spare, 1},
    {"MODEC", 12, Enc::uint_, 1}, {"", 4, Enc::spare, 1},    {"QC1", 1, Enc::uint_, 1},
    {"QA1", 1, Enc::uint_, 1},    {"QC2", 1, Enc::uint_, 1}, {"QA2", 1, Enc::uint_, 1},
    {"QC4", 1, Enc::uint_, 1},    {"QA4", 1, Enc::uint_, 1}, {"QB1", 1, Enc::uint_, 1},
    {"QD1", 1, Enc::uint_, 1},    {"QB2", 1, Enc::uint_, 1}, {"QD2", 1, Enc::uint_, 1},
    {"QB4", 1, Enc::uint_, 1},    {"QD4", 1, Enc::uint_, 1}};
constexpr Element e048_14[] = {{"", 2, Enc::spare, 1}, {"3DH", 14, Enc::sint, 25.0}};
constexpr Element e048_15[] = {
    {"D", 1, Enc::uint_, 1}, {"", 5, Enc::spare, 1}, {"CAL", 10, Enc::sint, 1.0}};
constexpr Element e048_16[] = {
    {"DOP", 16, Enc::uint_, 1.0}, {"AMB", 16, Enc::uint_, 1.0}, {"FRQ", 16, Enc::uint_, 1.0}};
constexpr Item s048_17[] = {fixed("CAL", e048_15), repetitive("RDS", e048_16)};
constexpr Element e048_18[] = {{"", 8, Enc::uint_, 360.0 / 8192.0}};
constexpr Element e048_19[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e048_20[] = {{"", 8, Enc::sint, 1.0}};
constexpr Element e048_21[] = {{"", 8, Enc::uint_, 360.0 / 8192.0}};
constexpr Element e048_22[] = {{"", 8, Enc::sint, 1.0}};
constexpr Element e048_23[] = {{"", 8, Enc::sint, 1.0 / 256.0}};
constexpr Element e048_24[] = {{"", 8, Enc::sint, 360.0 / 16384.0}};
constexpr Item s048_25[] = {fixed("SRL", e048_18), fixed("SRR", e048_19), fixed("SAM", e048_20),
                            fixed("PRL", e048_21), fixed("PAM", e048_22), fixed("RPD", e048_23),
                            fixed("APD", e048_24)};
constexpr Element e048_26[] = {{"", 24, Enc::uint_, 1.0 / 128.0}};
constexpr Element e048_27[] = {{"", 4, Enc::spare, 1}, {"TRN", 12, Enc::uint_, 1}};
constexpr Element e048_28[] = {
    {"CNF", 1, Enc::uint_, 1}, {"RAD", 2, Enc::uint_, 1}, {"DOU", 1, Enc::uint_, 1},
    {"MAH", 1, Enc::uint_, 1}, {"CDM", 2, Enc::uint_, 1}, {"", 1, Enc::fx, 1},
    {"TRE", 1, Enc::uint_, 1}, {"GHO", 1, Enc::uint_, 1}, {"SUP", 1, Enc::uint_, 1},
    {"TCC", 1, Enc::uint_, 1}, {"", 3, Enc::spare, 1},    {"", 1, Enc::fx, 1}};
constexpr Element e048_29[] = {{"GSP", 16, Enc::uint_, 1.0 / 16384.0},
                               {"HDG", 16, Enc::uint_, 360.0 / 65536.0}};
constexpr Element e048_30[] = {{"SIGX", 8, Enc::uint_, 1.0 / 128.0},
                               {"SIGY", 8, Enc::uint_, 1.0 / 128.0},
                               {"SIGV", 8, Enc::uint_, 1.0 / 16384.0},
                               {"SIGH", 8, Enc::uint_, 360.0 / 4096.0}};
constexpr Element e048_31[] = {{"", 24, Enc::hex, 1}};  // I048/220: an address, in hex
constexpr Element e048_32[] = {
    {"COM", 3, Enc::uint_, 1}, {"STAT", 3, Enc::uint_, 1}, {"SI", 1, Enc::uint_, 1},
    {"", 1, Enc::spare, 1},    {"MSSC", 1, Enc::uint_, 1}, {"ARC", 1, Enc::uint_, 1},
    {"AIC", 1, Enc::uint_, 1}, {"B1A", 1, Enc::uint_, 1},  {"B1B", 4, Enc::uint_, 1}};
constexpr Element e048_33[] = {{"", 48, Enc::icao6, 1}};
constexpr Element e048_34[] = {
    {"MBDATA", 56, Enc::uint_, 1}, {"BDS1", 4, Enc::uint_, 1}, {"BDS2", 4, Enc::uint_, 1}};
constexpr Element e048_35[] = {{"", 56, Enc::uint_, 1}};
constexpr Item kUap048[] = {
    fixed("010", e048_1),         fixed("140", e048_26),    extended("020", e048_2),
    fixed("040", e048_4),         fixed("070", e048_10),    fixed("090", e048_12),
    compound("130", s048_25),     fixed("220", e048_31),    fixed("240", e048_33),
    repetitive("250", e048_34),   fixed("161", e048_27),    fixed("042", e048_5),
    fixed("200", e048_29),        extended("170", e048_28), fixed("210", e048_30),
    repetitive_fx("030", e048_3), fixed("080", e048_11),    fixed("100", e048_13),
    fixed("110", e048_14),        compound("120", s048_17), fixed("230", e048_32),
    fixed("260", e048_35),        fixed("055", e048_7),     fixed("050", e048_6),
    fixed("065", e048_9),         fixed("060", e048_8),     explicit_len("SP"),
    explicit_len("RE"),
};

// --- CAT062 edition 1.19 ----------------------------------------------------------------------

constexpr Element e062_1[] = {{"SAC", 8, Enc::uint_, 1}, {"SIC", 8, Enc::uint_, 1}};
constexpr Element e062_2[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e062_3[] = {{"", 16, Enc::uint_, 1}};
constexpr Element e062_4[] = {{"V", 1, Enc::uint_, 1},
                              {"G", 1, Enc::uint_, 1},
                              {"CH", 1, Enc::uint_, 1},
                              {"", 1, Enc::spare, 1},
                              {"MODE3A", 12, Enc::octal, 1}};
constexpr Element e062_5[] = {{"", 24, Enc::uint_, 1.0 / 128.0}};
constexpr Element e062_6[] = {
    {"MON", 1, Enc::uint_, 1},  {"SPI", 1, Enc::uint_, 1},  {"MRH", 1, Enc::uint_, 1},
    {"SRC", 3, Enc::uint_, 1},  {"CNF", 1, Enc::uint_, 1},  {"", 1, Enc::fx, 1},
    {"SIM", 1, Enc::uint_, 1},  {"TSE", 1, Enc::uint_, 1},  {"TSB", 1, Enc::uint_, 1},
    {"FPC", 1, Enc::uint_, 1},  {"AFF", 1, Enc::uint_, 1},  {"STP", 1, Enc::uint_, 1},
    {"KOS", 1, Enc::uint_, 1},  {"", 1, Enc::fx, 1},        {"AMA", 1, Enc::uint_, 1},
    {"MD4", 2, Enc::uint_, 1},  {"ME", 1, Enc::uint_, 1},   {"MI", 1, Enc::uint_, 1},
    {"MD5", 2, Enc::uint_, 1},  {"", 1, Enc::fx, 1},        {"CST", 1, Enc::uint_, 1},
    {"PSR", 1, Enc::uint_, 1},  {"SSR", 1, Enc::uint_, 1},  {"MDS", 1, Enc::uint_, 1},
    {"ADS", 1, Enc::uint_, 1},  {"SUC", 1, Enc::uint_, 1},  {"AAC", 1, Enc::uint_, 1},
    {"", 1, Enc::fx, 1},        {"SDS", 2, Enc::uint_, 1},  {"EMS", 3, Enc::uint_, 1},
    {"PFT", 1, Enc::uint_, 1},  {"FPLT", 1, Enc::uint_, 1}, {"", 1, Enc::fx, 1},
    {"DUPT", 1, Enc::uint_, 1}, {"DUPF", 1, Enc::uint_, 1}, {"DUPM", 1, Enc::uint_, 1},
    {"SFC", 1, Enc::uint_, 1},  {"IDD", 1, Enc::uint_, 1},  {"IEC", 1, Enc::uint_, 1},
    {"", 1, Enc::spare, 1},     {"", 1, Enc::fx, 1}};
constexpr Element e062_7[] = {{"X", 24, Enc::sint, 1.0 / 2.0}, {"Y", 24, Enc::sint, 1.0 / 2.0}};
constexpr Element e062_8[] = {{"LAT", 32, Enc::sint, 180.0 / 33554432.0},
                              {"LON", 32, Enc::sint, 180.0 / 33554432.0}};
constexpr Element e062_9[] = {{"M5", 1, Enc::uint_, 1}, {"ID", 1, Enc::uint_, 1},
                              {"DA", 1, Enc::uint_, 1}, {"M1", 1, Enc::uint_, 1},
                              {"M2", 1, Enc::uint_, 1}, {"M3", 1, Enc::uint_, 1},
                              {"MC", 1, Enc::uint_, 1}, {"X", 1, Enc::uint_, 1}};
constexpr Element e062_10[] = {{"", 2, Enc::spare, 1}, {"PIN", 14, Enc::uint_, 1},
                               {"", 3, Enc::spare, 1}, {"NAT", 5, Enc::uint_, 1},
                               {"", 2, Enc::spare, 1}, {"MIS", 6, Enc::uint_, 1}};
constexpr Element e062_11[] = {{"LAT", 24, Enc::sint, 180.0 / 8388608.0},
                               {"LON", 24, Enc::sint, 180.0 / 8388608.0}};
constexpr Element e062_12[] = {
    {"", 1, Enc::spare, 1}, {"RES", 1, Enc::uint_, 1}, {"GA", 14, Enc::sint, 25.0}};
constexpr Element e062_13[] = {{"", 4, Enc::spare, 1}, {"EM1", 12, Enc::octal, 1}};
constexpr Element e062_14[] = {{"", 8, Enc::sint, 1.0 / 128.0}};
constexpr Element e062_15[] = {{"", 3, Enc::spare, 1},   {"X5", 1, Enc::uint_, 1},
                               {"XC", 1, Enc::uint_, 1}, {"X3", 1, Enc::uint_, 1},
                               {"X2", 1, Enc::uint_, 1}, {"X1", 1, Enc::uint_, 1}};
constexpr Item s062_16[] = {fixed("SUM", e062_9), fixed("PMN", e062_10), fixed("POS", e062_11),
                            fixed("GA", e062_12), fixed("EM1", e062_13), fixed("TOS", e062_14),
                            fixed("XP", e062_15)};
constexpr Element e062_17[] = {{"", 4, Enc::spare, 1}, {"MODE2", 12, Enc::octal, 1}};
constexpr Element e062_18[] = {{"", 16, Enc::sint, 25.0 / 4.0}};
constexpr Element e062_19[] = {{"QNH", 1, Enc::uint_, 1}, {"CTB", 15, Enc::sint, 1.0 / 4.0}};
constexpr Element e062_20[] = {{"", 16, Enc::sint, 1.0 / 4.0}};
constexpr Element e062_21[] = {{"VX", 16, Enc::sint, 1.0 / 4.0}, {"VY", 16, Enc::sint, 1.0 / 4.0}};
constexpr Element e062_22[] = {{"TRANS", 2, Enc::uint_, 1},
                               {"LONG", 2, Enc::uint_, 1},
                               {"VERT", 2, Enc::uint_, 1},
                               {"ADF", 1, Enc::uint_, 1},
                               {"", 1, Enc::spare, 1}};
constexpr Element e062_23[] = {{"AX", 8, Enc::sint, 1.0 / 4.0}, {"AY", 8, Enc::sint, 1.0 / 4.0}};
constexpr Element e062_24[] = {{"", 16, Enc::sint, 25.0 / 4.0}};
constexpr Element e062_25[] = {
    {"STI", 2, Enc::uint_, 1}, {"", 6, Enc::spare, 1}, {"CHR", 48, Enc::icao6, 1}};
constexpr Element e062_26[] = {{"LENGTH", 7, Enc::uint_, 1.0},
                               {"", 1, Enc::fx, 1},
                               {"ORIENTATION", 7, Enc::uint_, 360.0 / 128.0},
                               {"", 1, Enc::fx, 1},
                               {"WIDTH", 7, Enc::uint_, 1.0},
                               {"", 1, Enc::fx, 1}};
constexpr Element e062_27[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_28[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_29[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_30[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_31[] = {{"", 16, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_32[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_33[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_34[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_35[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_36[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Item s062_37[] = {fixed("TRK", e062_27), fixed("PSR", e062_28), fixed("SSR", e062_29),
                            fixed("MDS", e062_30), fixed("ADS", e062_31), fixed("ES", e062_32),
                            fixed("VDL", e062_33), fixed("UAT", e062_34), fixed("LOP", e062_35),
                            fixed("MLT", e062_36)};
constexpr Element e062_38[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_39[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_40[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_41[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_42[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_43[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_44[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_45[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_46[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_47[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_48[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_49[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_50[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_51[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_52[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_53[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_54[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_55[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_56[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_57[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_58[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_59[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_60[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_61[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_62[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_63[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_64[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_65[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_66[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_67[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_68[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Item s062_69[] = {
    fixed("MFL", e062_38), fixed("MD1", e062_39), fixed("MD2", e062_40), fixed("MDA", e062_41),
    fixed("MD4", e062_42), fixed("MD5", e062_43), fixed("MHG", e062_44), fixed("IAS", e062_45),
    fixed("TAS", e062_46), fixed("SAL", e062_47), fixed("FSS", e062_48), fixed("TID", e062_49),
    fixed("COM", e062_50), fixed("SAB", e062_51), fixed("ACS", e062_52), fixed("BVR", e062_53),
    fixed("GVR", e062_54), fixed("RAN", e062_55), fixed("TAR", e062_56), fixed("TAN", e062_57),
    fixed("GSP", e062_58), fixed("VUN", e062_59), fixed("MET", e062_60), fixed("EMC", e062_61),
    fixed("POS", e062_62), fixed("GAL", e062_63), fixed("PUN", e062_64), fixed("MB", e062_65),
    fixed("IAR", e062_66), fixed("MAC", e062_67), fixed("BPS", e062_68)};
constexpr Element e062_70[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e062_71[] = {{"SAC", 8, Enc::uint_, 1}, {"SIC", 8, Enc::uint_, 1}};
constexpr Element e062_72[] = {{"RHO", 16, Enc::uint_, 1.0 / 256.0},
                               {"THETA", 16, Enc::uint_, 360.0 / 65536.0}};
constexpr Element e062_73[] = {{"", 16, Enc::sint, 25.0}};
constexpr Element e062_74[] = {
    {"V", 1, Enc::uint_, 1}, {"G", 1, Enc::uint_, 1}, {"LMC", 14, Enc::sint, 1.0 / 4.0}};
constexpr Element e062_75[] = {{"V", 1, Enc::uint_, 1},
                               {"G", 1, Enc::uint_, 1},
                               {"L", 1, Enc::uint_, 1},
                               {"", 1, Enc::spare, 1},
                               {"MODE3A", 12, Enc::octal, 1}};
constexpr Element e062_76[] = {{"TYP", 3, Enc::uint_, 1},
                               {"SIM", 1, Enc::uint_, 1},
                               {"RAB", 1, Enc::uint_, 1},
                               {"TST", 1, Enc::uint_, 1},
                               {"", 2, Enc::spare, 1}};
constexpr Item s062_77[] = {fixed("SID", e062_71), fixed("POS", e062_72), fixed("HEIGHT", e062_73),
                            fixed("MDC", e062_74), fixed("MDA", e062_75), fixed("TYP", e062_76)};
constexpr Element e062_78[] = {{"", 24, Enc::uint_, 1}};
constexpr Element e062_79[] = {{"", 48, Enc::icao6, 1}};
constexpr Element e062_80[] = {{"", 16, Enc::uint_, 360.0 / 65536.0}};
constexpr Element e062_81[] = {{"IM", 1, Enc::uint_, 1}, {"IAS", 15, Enc::uint_, 1}};
constexpr Element e062_82[] = {{"", 16, Enc::uint_, 1.0}};
constexpr Element e062_83[] = {
    {"SAS", 1, Enc::uint_, 1}, {"SRC", 2, Enc::uint_, 1}, {"ALT", 13, Enc::sint, 25.0}};
constexpr Element e062_84[] = {{"MV", 1, Enc::uint_, 1},
                               {"AH", 1, Enc::uint_, 1},
                               {"AM", 1, Enc::uint_, 1},
                               {"ALT", 13, Enc::sint, 25.0}};
constexpr Element e062_85[] = {{"NAV", 1, Enc::uint_, 1},
                               {"NVB", 1, Enc::uint_, 1},
                               {"", 5, Enc::spare, 1},
                               {"", 1, Enc::fx, 1}};
constexpr Element e062_86[] = {{"TCA", 1, Enc::uint_, 1},
                               {"NC", 1, Enc::uint_, 1},
                               {"TCPN", 6, Enc::uint_, 1},
                               {"ALT", 16, Enc::sint, 10.0},
                               {"LAT", 24, Enc::sint, 180.0 / 8388608.0},
                               {"LON", 24, Enc::sint, 180.0 / 8388608.0},
                               {"PT", 4, Enc::uint_, 1},
                               {"TD", 2, Enc::uint_, 1},
                               {"TRA", 1, Enc::uint_, 1},
                               {"TOA", 1, Enc::uint_, 1},
                               {"TOV", 24, Enc::uint_, 1.0},
                               {"TTR", 16, Enc::uint_, 1.0 / 100.0}};
constexpr Element e062_87[] = {{"COM", 3, Enc::uint_, 1}, {"STAT", 3, Enc::uint_, 1},
                               {"", 2, Enc::spare, 1},    {"SSC", 1, Enc::uint_, 1},
                               {"ARC", 1, Enc::uint_, 1}, {"AIC", 1, Enc::uint_, 1},
                               {"B1A", 1, Enc::uint_, 1}, {"B1B", 4, Enc::uint_, 1}};
constexpr Element e062_88[] = {{"AC", 2, Enc::uint_, 1}, {"MN", 2, Enc::uint_, 1},
                               {"DC", 2, Enc::uint_, 1}, {"GBS", 1, Enc::uint_, 1},
                               {"", 6, Enc::spare, 1},   {"STAT", 3, Enc::uint_, 1}};
constexpr Element e062_89[] = {{"", 56, Enc::hex, 1}};
constexpr Element e062_90[] = {{"", 16, Enc::sint, 25.0 / 4.0}};
constexpr Element e062_91[] = {{"", 16, Enc::sint, 25.0 / 4.0}};
constexpr Element e062_92[] = {{"", 16, Enc::sint, 1.0 / 100.0}};
constexpr Element e062_93[] = {{"TI", 2, Enc::uint_, 1},
                               {"", 6, Enc::spare, 1},
                               {"ROT", 7, Enc::sint, 1.0 / 4.0},
                               {"", 1, Enc::spare, 1}};
constexpr Element e062_94[] = {{"", 16, Enc::uint_, 360.0 / 65536.0}};
constexpr Element e062_95[] = {{"", 16, Enc::sint, 1.0 / 16384.0}};
constexpr Element e062_96[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e062_97[] = {{"WS", 1, Enc::uint_, 1},     {"WD", 1, Enc::uint_, 1},
                               {"TMP", 1, Enc::uint_, 1},    {"TRB", 1, Enc::uint_, 1},
                               {"", 4, Enc::spare, 1},       {"WSD", 16, Enc::uint_, 1.0},
                               {"WDD", 16, Enc::uint_, 1.0}, {"TMPD", 16, Enc::sint, 1.0 / 4.0},
                               {"TRBD", 8, Enc::uint_, 1}};
constexpr Element e062_98[] = {{"", 8, Enc::uint_, 1}};
constexpr Element e062_99[] = {{"LAT", 24, Enc::sint, 180.0 / 8388608.0},
                               {"LON", 24, Enc::sint, 180.0 / 8388608.0}};
constexpr Element e062_100[] = {{"", 16, Enc::sint, 25.0 / 4.0}};
constexpr Element e062_101[] = {{"", 4, Enc::spare, 1}, {"PUN", 4, Enc::uint_, 1}};
constexpr Element e062_102[] = {{"", 64, Enc::hex, 1}};
constexpr Element e062_103[] = {{"", 16, Enc::uint_, 1.0}};
constexpr Element e062_104[] = {{"", 16, Enc::uint_, 1.0 / 125.0}};
constexpr Element e062_105[] = {{"", 4, Enc::spare, 1}, {"BPS", 12, Enc::uint_, 1.0 / 10.0}};
constexpr Item s062_106[] = {
    fixed("ADR", e062_78),      fixed("ID", e062_79),     fixed("MHG", e062_80),
    fixed("IAS", e062_81),      fixed("TAS", e062_82),    fixed("SAL", e062_83),
    fixed("FSS", e062_84),      extended("TIS", e062_85), repetitive("TID", e062_86),
    fixed("COM", e062_87),      fixed("SAB", e062_88),    fixed("ACS", e062_89),
    fixed("BVR", e062_90),      fixed("GVR", e062_91),    fixed("RAN", e062_92),
    fixed("TAR", e062_93),      fixed("TAN", e062_94),    fixed("GS", e062_95),
    fixed("VUN", e062_96),      fixed("MET", e062_97),    fixed("EMC", e062_98),
    fixed("POS", e062_99),      fixed("GAL", e062_100),   fixed("PUN", e062_101),
    repetitive("MB", e062_102), fixed("IAR", e062_103),   fixed("MAC", e062_104),
    fixed("BPS", e062_105)};
constexpr Element e062_107[] = {{"SAC", 8, Enc::uint_, 1}, {"SIC", 8, Enc::uint_, 1}};
constexpr Element e062_108[] = {{"", 56, Enc::ascii, 1}};
constexpr Element e062_109[] = {
    {"TYP", 2, Enc::uint_, 1}, {"", 3, Enc::spare, 1}, {"NBR", 27, Enc::uint_, 1}};
constexpr Element e062_110[] = {{"GATOAT", 2, Enc::uint_, 1},
                                {"FR1FR2", 2, Enc::uint_, 1},
                                {"RVSM", 2, Enc::uint_, 1},
                                {"HPR", 1, Enc::uint_, 1},
                                {"", 1, Enc::spare, 1}};
constexpr Element e062_111[] = {{"", 32, Enc::ascii, 1}};
constexpr Element e062_112[] = {{"", 8, Enc::ascii, 1}};
constexpr Element e062_113[] = {{"", 32, Enc::ascii, 1}};
constexpr Element e062_114[] = {{"", 32, Enc::ascii, 1}};
constexpr Element e062_115[] = {
    {"NU1", 8, Enc::ascii, 1}, {"NU2", 8, Enc::ascii, 1}, {"LTR", 8, Enc::ascii, 1}};
constexpr Element e062_116[] = {{"", 16, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_117[] = {{"CENTRE", 8, Enc::uint_, 1}, {"POSITION", 8, Enc::uint_, 1}};
constexpr Element e062_118[] = {
    {"TYP", 5, Enc::uint_, 1}, {"DAY", 2, Enc::uint_, 1}, {"", 4, Enc::spare, 1},
    {"HOR", 5, Enc::uint_, 1}, {"", 2, Enc::spare, 1},    {"MIN", 6, Enc::uint_, 1},
    {"AVS", 1, Enc::uint_, 1}, {"", 1, Enc::spare, 1},    {"SEC", 6, Enc::uint_, 1}};
constexpr Element e062_119[] = {{"", 48, Enc::ascii, 1}};
constexpr Element e062_120[] = {
    {"EMP", 2, Enc::uint_, 1}, {"AVL", 2, Enc::uint_, 1}, {"", 4, Enc::spare, 1}};
constexpr Element e062_121[] = {{"", 56, Enc::ascii, 1}};
constexpr Element e062_122[] = {{"", 56, Enc::ascii, 1}};
constexpr Element e062_123[] = {
    {"", 3, Enc::spare, 1}, {"VA", 1, Enc::uint_, 1}, {"MODE3A", 12, Enc::octal, 1}};
constexpr Element e062_124[] = {{"", 56, Enc::ascii, 1}};
constexpr Item s062_125[] = {
    fixed("TAG", e062_107), fixed("CS", e062_108),  fixed("IFI", e062_109),
    fixed("FCT", e062_110), fixed("TAC", e062_111), fixed("WTC", e062_112),
    fixed("DEP", e062_113), fixed("DST", e062_114), fixed("RDS", e062_115),
    fixed("CFL", e062_116), fixed("CTL", e062_117), repetitive("TOD", e062_118),
    fixed("AST", e062_119), fixed("STS", e062_120), fixed("STD", e062_121),
    fixed("STA", e062_122), fixed("PEM", e062_123), fixed("PEC", e062_124)};
constexpr Element e062_126[] = {{"X", 16, Enc::uint_, 1.0 / 2.0}, {"Y", 16, Enc::uint_, 1.0 / 2.0}};
constexpr Element e062_127[] = {{"", 16, Enc::sint, 1.0 / 2.0}};
constexpr Element e062_128[] = {{"LAT", 16, Enc::uint_, 180.0 / 33554432.0},
                                {"LON", 16, Enc::uint_, 180.0 / 33554432.0}};
constexpr Element e062_129[] = {{"", 8, Enc::uint_, 25.0 / 4.0}};
constexpr Element e062_130[] = {{"", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_131[] = {{"X", 8, Enc::uint_, 1.0 / 4.0}, {"Y", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_132[] = {{"X", 8, Enc::uint_, 1.0 / 4.0}, {"Y", 8, Enc::uint_, 1.0 / 4.0}};
constexpr Element e062_133[] = {{"", 8, Enc::uint_, 25.0 / 4.0}};
constexpr Item s062_134[] = {fixed("APC", e062_126), fixed("COV", e062_127), fixed("APW", e062_128),
                             fixed("AGA", e062_129), fixed("ABA", e062_130), fixed("ATV", e062_131),
                             fixed("AA", e062_132),  fixed("ARC", e062_133)};
constexpr Element e062_135[] = {
    {"IDENT", 8, Enc::uint_, 1}, {"TRACK", 15, Enc::uint_, 1}, {"", 1, Enc::fx, 1}};
constexpr Item kUap062[] = {
    fixed("010", e062_1),
    absent(),
    fixed("015", e062_2),
    fixed("070", e062_5),
    fixed("105", e062_8),
    fixed("100", e062_7),
    fixed("185", e062_21),
    fixed("210", e062_23),
    fixed("060", e062_4),
    fixed("245", e062_25),
    compound("380", s062_106),
    fixed("040", e062_3),
    extended("080", e062_6),
    compound("290", s062_37),
    fixed("200", e062_22),
    compound("295", s062_69),
    fixed("136", e062_20),
    fixed("130", e062_18),
    fixed("135", e062_19),
    fixed("220", e062_24),
    compound("390", s062_125),
    extended("270", e062_26),
    fixed("300", e062_70),
    compound("110", s062_16),
    fixed("120", e062_17),
    repetitive_fx("510", e062_135),
    compound("500", s062_134),
    compound("340", s062_77),
    absent(),
    absent(),
    absent(),
    absent(),
    absent(),
    explicit_len("RE"),
    explicit_len("SP"),
};

}  // namespace

const Uap* uap_for(std::uint8_t category) {
    static constexpr Uap k034{34, "1.29", kUap034, static_cast<std::uint8_t>(std::size(kUap034))};
    static constexpr Uap k048{48, "1.31", kUap048, static_cast<std::uint8_t>(std::size(kUap048))};
    static constexpr Uap k062{62, "1.19", kUap062, static_cast<std::uint8_t>(std::size(kUap062))};
    switch (category) {
        case 34:
            return &k034;
        case 48:
            return &k048;
        case 62:
            return &k062;
        default:
            return nullptr;
    }
}

}  // namespace picket::sensors::asterix::spec
