// The engine of `picket decode --format ais [--raw]` as a standalone tool, for timing when the
// `picket` executable is not built: FILE in, gpsd JSON lines out, large buffered writes.
#include <cstdio>
#include <cstring>
#include <string>

#include "sensors/ais/ais_gpsd_stream.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: ais_decode_file [--raw] FILE\n");
        return 1;
    }
    const bool raw = argc > 2 && std::strcmp(argv[1], "--raw") == 0;
    std::FILE* in = std::fopen(argv[argc - 1], "rb");
    if (!in) return 1;
    picket::sensors::ais::GpsdJsonStream stream(raw);
    std::string buf, out;
    std::string chunk(1 << 20, '\0');
    std::size_t start = 0, n;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), in)) > 0) {
        buf.erase(0, start);
        start = 0;
        buf.append(chunk.data(), n);
        for (std::size_t nl; (nl = buf.find('\n', start)) != std::string::npos; start = nl + 1) {
            stream.line(std::string_view(buf).substr(start, nl - start), out);
            if (out.size() > (1 << 20)) {
                std::fwrite(out.data(), 1, out.size(), stdout);
                out.clear();
            }
        }
    }
    stream.line(std::string_view(buf).substr(start), out);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fclose(in);
    return 0;
}
