// The disk a recording takes against what the same records take in the plain reference layout
// (`.pkr`: 15-byte header, payload, 4-byte CRC per record), per record type: the figure behind
// issue #18's "recording at least 3x smaller". Reads any recording directory (plain, zstd format
// 1 or 2) with the server's own reader, so the count is of records that replay would see.
//
//   picket_bench_recording_size DIR [DIR...]
#include <cstdio>
#include <map>
#include <string>

#include "src/record/recording_reader.hpp"

using namespace picket::record;

namespace {

const char* type_name(RecordType t) {
    switch (t) {
        case RecordType::message:
            return "message";
        case RecordType::tick:
            return "tick";
        case RecordType::command:
            return "command";
        case RecordType::alert:
            return "alert";
    }
    return "other";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: picket_bench_recording_size DIR [DIR...]\n");
        return 2;
    }
    for (int a = 1; a < argc; ++a) {
        try {
            RecordingReader reader(argv[a]);
            std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> per_type;
            std::uint64_t plain = 0, records = 0;
            while (auto r = reader.next()) {
                const std::uint64_t bytes =
                    kRecordHeaderBytes + r->payload.size() + kRecordTrailerBytes;
                plain += bytes;
                ++records;
                auto& t = per_type[type_name(r->type)];
                ++t.first;
                t.second += bytes;
            }
            const std::uint64_t disk = reader.total_bytes();
            std::printf(
                "%s: %llu records, %llu segments, plain %.2f MB, on disk %.2f MB, %.2fx "
                "smaller, %.1f B/record (%llu corrupt)\n",
                argv[a], static_cast<unsigned long long>(records),
                static_cast<unsigned long long>(reader.segments().size()), plain / 1e6, disk / 1e6,
                disk ? static_cast<double>(plain) / disk : 0.0,
                records ? static_cast<double>(disk) / records : 0.0,
                static_cast<unsigned long long>(reader.corrupt()));
            for (const auto& [name, t] : per_type)
                std::printf("  %-8s %10llu records, plain %.2f MB\n", name.c_str(),
                            static_cast<unsigned long long>(t.first), t.second / 1e6);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", argv[a], e.what());
            return 1;
        }
    }
    return 0;
}
