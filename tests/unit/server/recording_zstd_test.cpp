// Compressed recordings (issue #18, point 2): zstd segments hold exactly the records the plain
// reference format holds, and keep its guarantees (torn tail, damaged data, seeking).
#include <zstd.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "sensors/ais/ais_encoder.hpp"
#include "src/record/packed_record.hpp"
#include "src/record/recorder.hpp"
#include "src/record/recording_reader.hpp"
#include "tests/unit/server/temp_recording.hpp"

using namespace picket;
using namespace picket::record;
namespace fs = std::filesystem;

namespace {

using testing::kT0;
using testing::TempRecording;

struct Written {
    RecordType type;
    FeedIndex feed;
    Timestamp time;
    std::string payload;
};

/// Real AIS sentences of 200 vessels sailing straight at 5-15 kn, each reporting once a second,
/// and a tick a second: what a recording of `picket serve` holds.
std::vector<Written> ais_traffic(int records) {
    constexpr int kVessels = 200;
    std::vector<Written> out;
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    struct Vessel {
        double lat, lon, course, speed_kn;
    };
    std::vector<Vessel> fleet;
    for (int v = 0; v < kVessels; ++v)
        fleet.push_back({-9 + u(rng), 124 + 3 * u(rng), 360 * u(rng), 5 + 10 * u(rng)});
    for (int i = 0; i < records; ++i) {
        const Timestamp t = kT0 + Duration::from_millis(5 * i);
        if (i % kVessels == 0) {
            out.push_back({RecordType::tick, 0, t, {}});
            continue;
        }
        Vessel& v = fleet[static_cast<std::size_t>(i % kVessels)];
        const double step_deg = v.speed_kn * 1852.0 / 3600.0 / 111'320.0;  // one second
        v.lat += step_deg * std::cos(v.course * M_PI / 180);
        v.lon += step_deg * std::sin(v.course * M_PI / 180);
        sensors::ais::PositionReportA r;
        r.mmsi = 201000000 + static_cast<Mmsi>(i % kVessels);
        r.sog_kn = v.speed_kn;
        r.cog_deg = v.course;
        r.heading_deg = static_cast<int>(v.course);
        r.lat_deg = v.lat;
        r.lon_deg = v.lon;
        r.high_accuracy = true;
        out.push_back({RecordType::message, static_cast<FeedIndex>(i % 3), t,
                       sensors::ais::encode(r).front()});
    }
    return out;
}

/// Writes `records`, flushing (one zstd frame) every `flush_every` records.
void write(const fs::path& dir, const std::vector<Written>& records, Compression c,
           std::size_t flush_every, std::uint64_t segment_bytes = 256ull << 20) {
    Recorder::Options o;
    o.compression = c;
    o.segment_bytes = segment_bytes;
    Recorder rec(dir.string(), o);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Written& w = records[i];
        rec.append(w.type, w.feed, w.time, w.payload);
        if ((i + 1) % flush_every == 0) rec.flush();
    }
}

std::vector<Written> read_all(const fs::path& dir, std::uint64_t* corrupt = nullptr) {
    RecordingReader reader(dir.string());
    std::vector<Written> out;
    while (auto r = reader.next())
        out.push_back({r->type, r->feed, r->time, std::string(r->payload)});
    if (corrupt) *corrupt = reader.corrupt();
    return out;
}

bool same(const Written& a, const Written& b) {
    return a.type == b.type && a.feed == b.feed && a.time == b.time && a.payload == b.payload;
}

std::uint64_t disk_bytes(const fs::path& dir) {
    std::uint64_t total = 0;
    for (const auto& e : fs::directory_iterator(dir)) total += e.file_size();
    return total;
}

}  // namespace

TEST_CASE("A zstd recording reads back exactly what the plain reference does", "[record]") {
    const auto records = ais_traffic(20'000);
    TempRecording plain, packed;
    write(plain.dir, records, Compression::none, 1000, 300'000);  // several segments
    write(packed.dir, records, Compression::zstd, 1000, 300'000);
    CHECK(fs::exists(packed.dir / "seg-000001.pkz"));
    CHECK_FALSE(fs::exists(packed.dir / "seg-000001.pkr"));
    std::uint64_t corrupt_plain = 1, corrupt_packed = 1;
    const auto a = read_all(plain.dir, &corrupt_plain);
    const auto b = read_all(packed.dir, &corrupt_packed);
    REQUIRE(a.size() == records.size());
    REQUIRE(b.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        INFO("record " << i);
        REQUIRE(same(a[i], records[i]));
        REQUIRE(same(b[i], records[i]));
    }
    CHECK(corrupt_plain == 0);
    CHECK(corrupt_packed == 0);
    CHECK(RecordingReader(packed.dir.string()).segments().size() > 3);

    // Seeking lands on the same record in both.
    for (const double s : {0.0, 17.3, 50.0, 99.99}) {
        RecordingReader p(plain.dir.string()), z(packed.dir.string());
        p.seek(kT0 + Duration::from_seconds(s));
        z.seek(kT0 + Duration::from_seconds(s));
        const auto rp = p.next();
        const auto rz = z.next();
        REQUIRE(rp);
        REQUIRE(rz);
        CHECK(rp->time == rz->time);
        CHECK(rp->payload == rz->payload);
    }
    auto span_p = RecordingReader(plain.dir.string()).time_span();
    auto span_z = RecordingReader(packed.dir.string()).time_span();
    REQUIRE(span_z);
    CHECK(*span_p == *span_z);

    // The point of it: AIS traffic flushed every 1000 records (what 200 ms holds at 5,000
    // messages/s) takes at least 3 times less disk.
    INFO("plain " << disk_bytes(plain.dir) << " B, zstd " << disk_bytes(packed.dir) << " B");
    CHECK(disk_bytes(plain.dir) >= 3 * disk_bytes(packed.dir));
}

TEST_CASE("A zstd segment cut short keeps every record of its whole frames", "[record]") {
    const auto records = ais_traffic(3000);
    TempRecording tmp;
    write(tmp.dir, records, Compression::zstd, 500);  // six frames of 500 records
    const fs::path seg = tmp.dir / segment_name(1, Compression::zstd);
    const auto size = fs::file_size(seg);
    for (const std::uint64_t cut : {1ull, 7ull, 100ull}) {
        TempRecording copy;
        fs::create_directories(copy.dir);
        for (const auto& e : fs::directory_iterator(tmp.dir))
            fs::copy(e.path(), copy.dir / e.path().filename());
        fs::resize_file(copy.dir / seg.filename(), size - cut);  // a write torn by kill -9
        std::uint64_t corrupt = 0;
        const auto got = read_all(copy.dir, &corrupt);
        INFO("cut " << cut);
        CHECK(got.size() == 2500);  // the last frame is lost, the five before it are whole
        CHECK(corrupt == 1);
        for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(same(got[i], records[i]));
    }
}

TEST_CASE("A damaged zstd frame ends the segment there, as a failed CRC does", "[record]") {
    const auto records = ais_traffic(3000);
    TempRecording tmp;
    write(tmp.dir, records, Compression::zstd, 1000);  // three frames
    const fs::path seg = tmp.dir / segment_name(1, Compression::zstd);
    {
        std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(-40, std::ios::end);  // inside the last frame
        const char c = static_cast<char>(f.get());
        f.seekp(-40, std::ios::end);
        f.put(static_cast<char>(c ^ 0x5A));
    }
    std::uint64_t corrupt = 0;
    const auto got = read_all(tmp.dir, &corrupt);
    CHECK(got.size() == 2000);
    CHECK(corrupt == 1);
}

TEST_CASE("A recording directory may hold plain and zstd segments; numbers never repeat",
          "[record]") {
    const auto records = ais_traffic(400);
    const std::vector<Written> first(records.begin(), records.begin() + 200);
    const std::vector<Written> second(records.begin() + 200, records.end());
    TempRecording tmp;
    write(tmp.dir, first, Compression::none, 50);   // a server before #18
    write(tmp.dir, second, Compression::zstd, 50);  // restarted with compression
    CHECK(fs::exists(tmp.dir / "seg-000001.pkr"));
    CHECK(fs::exists(tmp.dir / "seg-000002.pkz"));
    const auto got = read_all(tmp.dir);
    REQUIRE(got.size() == records.size());
    for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(same(got[i], records[i]));
    unsigned n = 0;
    Compression c = Compression::none;
    CHECK(parse_segment_name("seg-000042.pkz", n, &c));
    CHECK(n == 42);
    CHECK(c == Compression::zstd);
}

TEST_CASE("Slow feeds compress too: each frame is coded against the records before it",
          "[record]") {
    // 100 messages/s flushed every 200 ms: frames of 20 records, which alone compress poorly.
    const auto records = ais_traffic(20'000);
    TempRecording plain, packed;
    write(plain.dir, records, Compression::none, 20);
    write(packed.dir, records, Compression::zstd, 20);
    const auto b = read_all(packed.dir);
    REQUIRE(b.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) REQUIRE(same(b[i], records[i]));
    INFO("plain " << disk_bytes(plain.dir) << " B, zstd " << disk_bytes(packed.dir) << " B");
    CHECK(disk_bytes(plain.dir) >= 3 * disk_bytes(packed.dir));
    const std::string raw = [&] {
        std::ifstream in(packed.dir / segment_name(1, Compression::zstd), std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    CHECK(packed_segment_prefix(raw) == kDefaultPrefixBytes);
}

TEST_CASE("A zstd segment of format 1 (records with CRCs, no header) is still read", "[record]") {
    // What `picket serve` wrote before the packed layout: the plain records in zstd frames.
    const auto records = ais_traffic(3000);
    TempRecording plain, old;
    write(plain.dir, records, Compression::none, 1000);
    fs::create_directories(old.dir);
    std::ifstream in(plain.dir / segment_name(1), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::string frames;
    for (std::size_t at = 0; at < bytes.size();) {  // frames of whole records, as format 1 had
        std::size_t end = at;
        while (end < bytes.size() && end - at < 50'000) {
            std::uint32_t len = 0;
            for (int i = 3; i >= 0; --i)
                len =
                    len << 8 | static_cast<std::uint8_t>(bytes[end + static_cast<std::size_t>(i)]);
            end += kRecordHeaderBytes + len + kRecordTrailerBytes;
        }
        std::string frame(ZSTD_compressBound(end - at), '\0');
        frame.resize(ZSTD_compress(frame.data(), frame.size(), bytes.data() + at, end - at, 3));
        frames += frame;
        at = end;
    }
    std::ofstream(old.dir / segment_name(1, Compression::zstd), std::ios::binary) << frames;
    fs::copy(plain.dir / index_name(1), old.dir / index_name(1));
    std::uint64_t corrupt = 1;
    const auto got = read_all(old.dir, &corrupt);
    REQUIRE(got.size() == records.size());
    for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(same(got[i], records[i]));
    CHECK(corrupt == 0);
    RecordingReader z(old.dir.string());
    z.seek(kT0 + Duration::from_seconds(7.5));
    const auto r = z.next();
    REQUIRE(r);
    CHECK(r->time == kT0 + Duration::from_seconds(7.5));
}
