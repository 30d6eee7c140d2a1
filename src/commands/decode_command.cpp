// `picket decode --format ais|asterix [--raw] FILE|-`: decodes a sensor capture to JSON lines on
// stdout. One JSON object per decoded message (AIS) or record (ASTERIX); errors go to stderr with
// their line or frame numbers.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sensors/ais/ais_gpsd_stream.hpp"
#include "sensors/asterix/asterix_items.hpp"
#include "sensors/asterix/capture_reader.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"

namespace picket::cli {
namespace {

constexpr const char* kHelp =
    "usage: picket decode --format FORMAT [--raw] FILE|-\n"
    "\n"
    "Decodes a capture and prints one JSON object per message on stdout.\n"
    "\n"
    "  --format ais   NMEA 0183 AIVDM/AIVDO (one sentence per line, optional NMEA 4.10 tag\n"
    "                 blocks), printed as gpsd AIS JSON (field names of gpsd's AIS class)\n"
    "  --raw          unscaled wire values, exactly as `gpsdecode -u -s -j` prints them\n"
    "                 (without it: gpsd's scaled values, degrees and knots, as `gpsdecode -s -j`)\n"
    "  --format asterix\n"
    "                 EUROCONTROL ASTERIX: a pcap or pcapng capture of UDP datagrams, or a file\n"
    "                 of concatenated data blocks (as recorders write them). One object per\n"
    "                 record: \"cat\", \"frame\" (the capture's packet number, as tshark counts;\n"
    "                 the block's number in a block file) and every item of CAT034 ed. 1.29,\n"
    "                 CAT048 ed. 1.31 and CAT062 ed. 1.19 under \"I<cat>/<item>\", in the\n"
    "                 spec's units; other categories one object per block, its bytes as\n"
    "                 \"undecoded\" hex\n"
    "  FILE | -       input file, or - for stdin\n"
    "\n"
    "Rejected lines (AIS) or records (ASTERIX) are reported on stderr with their line or frame\n"
    "number and reason (first 1000), with a summary.\n"
    "Exit status: 0 when the input was read (even with rejects), 1 on usage or I/O error.\n";

/// A line decoder for one format: appends output for a line, returns a reject reason or "".
class LineDecoder {
public:
    virtual ~LineDecoder() = default;
    virtual std::string_view line(std::string_view text, std::string& out) = 0;
    virtual void summary(std::FILE* err) const = 0;
};

class AisLineDecoder final : public LineDecoder {
public:
    explicit AisLineDecoder(bool raw) : stream_(raw) {}
    std::string_view line(std::string_view text, std::string& out) override {
        return stream_.line(text, out);
    }
    void summary(std::FILE* err) const override {
        const auto& quirks = stream_.quirks();
        const bool any_quirk =
            std::any_of(quirks.begin(), quirks.end(), [](std::uint64_t n) { return n > 0; });
        if (stream_.rejected() == 0 && !any_quirk) return;
        std::fprintf(err, "picket decode: %llu messages, %llu rejected:",
                     static_cast<unsigned long long>(stream_.messages()),
                     static_cast<unsigned long long>(stream_.rejected()));
        for (const auto& [reason, n] : stream_.reasons())
            std::fprintf(err, " %.*s=%llu", static_cast<int>(reason.size()), reason.data(),
                         static_cast<unsigned long long>(n));
        if (any_quirk) {
            std::fputs("; sentences with vendor quirks (decoded):", err);
            for (int q = 0; q < sensors::ais::kSentenceQuirkCount; ++q) {
                if (quirks[static_cast<std::size_t>(q)] == 0) continue;
                const std::string_view name = sensors::ais::sentence_quirk_name(q);
                std::fprintf(err, " %.*s=%llu", static_cast<int>(name.size()), name.data(),
                             static_cast<unsigned long long>(quirks[static_cast<std::size_t>(q)]));
            }
        }
        std::fputc('\n', err);
    }

private:
    sensors::ais::GpsdJsonStream stream_;
};

std::unique_ptr<LineDecoder> make_line_decoder(std::string_view format, bool raw) {
    if (format == "ais") return std::make_unique<AisLineDecoder>(raw);
    return nullptr;
}

bool read_all(std::FILE* in, std::string& out) {
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) out.append(buf, n);
    return std::ferror(in) == 0;
}

/// `--format asterix`: the whole capture in memory (recordings of a radar are megabytes, and a
/// pcap must be walked as a whole), then one JSON line per record.
int decode_asterix(const std::string& input, std::FILE* in) {
    std::string file;
    const bool ok = read_all(in, file);
    if (in != stdin) std::fclose(in);
    if (!ok) {
        std::fprintf(stderr, "picket decode: read error on %s\n", input.c_str());
        return 1;
    }
    const sensors::asterix::Capture capture = sensors::asterix::read_capture(file);
    std::string out;
    // Rejects on stderr with the frame they came from (the first 1000), counted by reason.
    struct Rejects final : sensors::asterix::RecordRejects {
        const std::string* input{nullptr};
        std::uint64_t frame{0};
        std::uint64_t reported{0};
        std::map<std::string, std::uint64_t, std::less<>> reasons;
        void rejected(std::string_view reason, const std::string& detail) override {
            ++reasons[std::string(reason)];
            if (reported++ < 1000)
                std::fprintf(stderr, "%s: frame %llu: %.*s%s%s\n", input->c_str(),
                             static_cast<unsigned long long>(frame),
                             static_cast<int>(reason.size()), reason.data(),
                             detail.empty() ? "" : " ", detail.c_str());
        }
    } rejects;
    rejects.input = &input;
    std::uint64_t records = 0;
    for (const auto& payload : capture.payloads) {
        rejects.frame = payload.frame;
        records += sensors::asterix::datagram_json(payload.bytes, payload.frame, out, rejects);
        if (out.size() >= (1u << 20)) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            out.clear();
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    if (!capture.error.empty())
        std::fprintf(stderr, "picket decode: %s: %s\n", input.c_str(), capture.error.c_str());
    if (!rejects.reasons.empty() || capture.skipped > 0) {
        std::fprintf(stderr, "picket decode: %llu records, %llu packets not UDP datagrams:",
                     static_cast<unsigned long long>(records),
                     static_cast<unsigned long long>(capture.skipped));
        for (const auto& [reason, n] : rejects.reasons)
            std::fprintf(stderr, " %s=%llu", reason.c_str(), static_cast<unsigned long long>(n));
        std::fputc('\n', stderr);
    }
    return capture.error.empty() ? 0 : 1;
}

}  // namespace

int run_decode(int argc, char** argv) {
    std::string format;
    bool raw = false;
    std::string input;
    try {
        const Args args(argc, argv, {"format"}, {"raw"});
        if (args.help()) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        format = args.get("format").value_or("");
        raw = args.has("raw");
        if (args.positional().size() != 1) throw std::runtime_error("expected one input FILE or -");
        input = args.positional()[0];
    } catch (const std::exception& e) {
        std::fprintf(stderr, "picket decode: %s\n", e.what());
        return 1;
    }
    auto decoder = make_line_decoder(format, raw);
    if (!decoder && format != "asterix") {
        std::fprintf(stderr, "picket decode: unknown --format '%s' (known: ais, asterix)\n",
                     format.c_str());
        return 1;
    }
    std::FILE* in = input == "-" ? stdin : std::fopen(input.c_str(), "rb");
    if (!in) {
        std::fprintf(stderr, "picket decode: cannot open %s: %s\n", input.c_str(),
                     std::strerror(errno));
        return 1;
    }
    if (format == "asterix") return decode_asterix(input == "-" ? "stdin" : input, in);

    // Read in large chunks, split lines in place, and write stdout in large chunks: the decode
    // itself is a few hundred ns per line, so per-line I/O calls would dominate.
    constexpr std::size_t kChunk = 1 << 20;
    std::string buf;
    std::string out;
    out.reserve(kChunk + 4096);
    std::uint64_t line_no = 0;
    std::uint64_t reported = 0;
    std::size_t start = 0;
    std::string chunk(kChunk, '\0');
    const auto process_line = [&](std::string_view l) {
        ++line_no;
        const std::string_view reason = decoder->line(l, out);
        if (!reason.empty() && reported < 1000) {
            ++reported;
            std::fprintf(stderr, "%s:%llu: %.*s\n", input == "-" ? "stdin" : input.c_str(),
                         static_cast<unsigned long long>(line_no), static_cast<int>(reason.size()),
                         reason.data());
        }
        if (out.size() >= kChunk) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            out.clear();
        }
    };
    for (;;) {
        const std::size_t n = std::fread(chunk.data(), 1, kChunk, in);
        if (n == 0) break;
        buf.erase(0, start);
        start = 0;
        buf.append(chunk.data(), n);
        for (;;) {
            const std::size_t nl = buf.find('\n', start);
            if (nl == std::string::npos) break;
            process_line(std::string_view(buf).substr(start, nl - start));
            start = nl + 1;
        }
    }
    if (start < buf.size()) process_line(std::string_view(buf).substr(start));
    const bool read_error = std::ferror(in) != 0;
    if (in != stdin) std::fclose(in);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    decoder->summary(stderr);
    if (read_error) {
        std::fprintf(stderr, "picket decode: read error on %s\n", input.c_str());
        return 1;
    }
    return 0;
}

}  // namespace picket::cli
