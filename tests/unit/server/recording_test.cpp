#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "src/record/recorder.hpp"
#include "src/record/recording_reader.hpp"
#include "tests/unit/server/temp_recording.hpp"

using namespace picket;
using namespace picket::record;
namespace fs = std::filesystem;

namespace {

using testing::kT0;
using testing::TempRecording;

}  // namespace

TEST_CASE("A recording reads back every record in order, across segments", "[record]") {
    TempRecording tmp;
    {
        Recorder::Options small;
        small.segment_bytes = 4096;  // force several segments
        Recorder rec(tmp.dir.string(), small);
        for (int i = 0; i < 500; ++i)
            rec.append(i % 10 == 0 ? RecordType::tick : RecordType::message,
                       static_cast<FeedIndex>(i % 3), kT0 + Duration::from_millis(100 * i),
                       "payload-" + std::to_string(i));
    }
    RecordingReader reader(tmp.dir.string());
    CHECK(reader.segments().size() > 3);
    int n = 0;
    while (auto r = reader.next()) {
        CHECK(r->time == kT0 + Duration::from_millis(100 * n));
        CHECK(r->feed == n % 3);
        CHECK(r->payload == "payload-" + std::to_string(n));
        ++n;
    }
    CHECK(n == 500);
    CHECK(reader.corrupt() == 0);
}

TEST_CASE("Index files are never read as segments (regression)", "[record]") {
    // "seg-000001.idx" once matched the segment pattern and was replayed as corrupt data.
    unsigned number = 0;
    CHECK(parse_segment_name("seg-000042.pkr", number));
    CHECK(number == 42);
    CHECK_FALSE(parse_segment_name("seg-000042.idx", number));
    CHECK_FALSE(parse_segment_name("seg-00004a.pkr", number));
    CHECK_FALSE(parse_segment_name("config-path.txt", number));
}

TEST_CASE("A torn tail after a crash is detected and everything before it is kept", "[record]") {
    TempRecording tmp;
    {
        Recorder rec(tmp.dir.string());
        for (int i = 0; i < 100; ++i)
            rec.append(RecordType::message, 0, kT0 + Duration::from_seconds(i), "x");
    }
    const fs::path seg = tmp.dir / segment_name(1);
    fs::resize_file(seg, fs::file_size(seg) - 7);  // a write cut short by kill -9
    RecordingReader reader(tmp.dir.string());
    int n = 0;
    while (reader.next()) ++n;
    CHECK(n == 99);
    CHECK(reader.corrupt() == 1);
}

TEST_CASE("A flipped byte fails the record's CRC", "[record]") {
    TempRecording tmp;
    {
        Recorder rec(tmp.dir.string());
        for (int i = 0; i < 10; ++i)
            rec.append(RecordType::message, 0, kT0 + Duration::from_seconds(i), "abcdef");
    }
    const fs::path seg = tmp.dir / segment_name(1);
    {
        std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(5 * 25 + 16);  // inside the 6th record's payload (25 bytes per record)
        f.put('Z');
    }
    RecordingReader reader(tmp.dir.string());
    int n = 0;
    while (reader.next()) ++n;
    CHECK(n == 5);
    CHECK(reader.corrupt() == 1);
}

TEST_CASE("Seeking uses the index to start at the first record at or after a time", "[record]") {
    TempRecording tmp;
    {
        Recorder rec(tmp.dir.string());
        for (int i = 0; i < 3600; ++i)
            rec.append(RecordType::message, 0, kT0 + Duration::from_seconds(i), "p");
    }
    RecordingReader reader(tmp.dir.string());
    reader.seek(kT0 + Duration::from_seconds(1800.5));
    auto r = reader.next();
    REQUIRE(r);
    CHECK(r->time == kT0 + Duration::from_seconds(1801));
    auto span = RecordingReader(tmp.dir.string()).time_span();
    REQUIRE(span);
    CHECK(span->first == kT0);
    CHECK(span->second == kT0 + Duration::from_seconds(3599));
}
