#pragma once
// Helpers shared by the tests that hold picket's gpsd-compatible JSON against gpsd's own decoder
// (`gpsdecode`, Debian gpsd-clients 3.22): running it, reading JSON lines, decoding with picket.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sensors/ais/ais_gpsd_stream.hpp"

namespace picket::test {

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// One JSON object per line; blank lines skipped.
inline std::vector<nlohmann::json> parse_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
}

/// picket's `decode --format ais [--raw]` engine over a whole text.
inline std::string decode_all(const std::string& nmea, bool raw) {
    sensors::ais::GpsdJsonStream stream(raw);
    std::string out;
    std::istringstream in(nmea);
    std::string line;
    while (std::getline(in, line)) stream.line(line, out);
    return out;
}

inline bool have_gpsdecode() { return std::system("command -v gpsdecode >/dev/null 2>&1") == 0; }

/// gpsdecode with `args` on `input`; only its AIS objects are kept (it also prints other NMEA).
inline std::string run_gpsdecode(const std::string& args, const std::string& input) {
    static int n = 0;
    const std::string path =
        "/tmp/picket_gpsdecode_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".nmea";
    std::ofstream(path, std::ios::binary) << input;
    std::string out;
    if (FILE* p = ::popen(("gpsdecode " + args + " < " + path + " 2>/dev/null").c_str(), "r")) {
        char buf[65536];
        std::size_t got;
        while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
        ::pclose(p);
    }
    std::remove(path.c_str());
    std::string ais;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (line.find("\"class\":\"AIS\"") != std::string::npos) ais += line + "\n";
    return ais;
}

}  // namespace picket::test
