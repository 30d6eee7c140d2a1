// ASTERIX CAT048 decode throughput (goal: ≥ 5 million records/s per core, to Measurement).
//   cmake --build build --target picket_bench_asterix && build/bench/asterix/picket_bench_asterix
// Datagrams as a real radar sends them: ~1.3 kB UDP payloads of 50 target reports, half with a
// track number, velocity and track status, one CAT034 north marker in front.
#include <benchmark/benchmark.h>

#include <vector>

#include "sensors/asterix/asterix_decoder.hpp"
#include "sensors/asterix/asterix_feed.hpp"
#include "sensors/asterix/cat048_encoder.hpp"

using namespace picket;
using namespace picket::sensors;
using namespace picket::sensors::asterix;

namespace {

constexpr int kPlotsPerDatagram = 50;

std::string make_datagram() {
    std::vector<Cat048Plot> plots;
    for (int i = 0; i < kPlotsPerDatagram; ++i) {
        Cat048Plot p;
        p.source = {1, 2};
        p.time_of_day_s = 43200 + i * 0.01;
        p.polar = Cat048Plot::Polar{1000.0 + 97.0 * i, 7.2 * i};
        if (i % 2) {
            p.track_number = static_cast<std::uint16_t>(i);
            p.velocity = Cat048Plot::Velocity{5.0 + i, 3.0 * i};
        }
        plots.push_back(p);
    }
    std::string d = encode_cat034_north_marker({1, 2}, 43200, 4.0);
    append_cat048_block(plots, d);
    return d;
}

struct CountingVisitor final : AsterixVisitor {
    std::size_t records{0};
    double checksum{0};
    void cat048(const Cat048Report& r) override {
        ++records;
        checksum += r.plot.polar ? r.plot.polar->range_m : 0;
    }
    void cat034(const Cat034Report&) override {}
    void rejected(DecodeError) override {}
};

struct CountingSink final : DecodeSink {
    std::size_t measurements{0};
    double checksum{0};
    void measurement(Measurement m) override {
        ++measurements;
        checksum += std::get<PolarZ>(m.z).range_m;
    }
    void identity(const Identity&, Timestamp) override {}
    void anomaly(std::string_view, std::optional<Mmsi>, LatLon, Timestamp) override {}
    void rejected(const DecodeError&) override {}
};

void BM_Cat048DecodeRecords(benchmark::State& state) {
    const std::string d = make_datagram();
    CountingVisitor v;
    for (auto _ : state) {
        decode_asterix_datagram(d, v);
        benchmark::DoNotOptimize(v.checksum);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(v.records));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.size()));
}
BENCHMARK(BM_Cat048DecodeRecords);

void BM_Cat048FeedToMeasurement(benchmark::State& state) {
    const std::string d = make_datagram();
    FeedParams params;
    params.site.position = {-8.55, 125.57};
    // The same datagram again within seconds is an A/B copy the decoder drops: receive it 6 s
    // apart (past the copy window). The clock is judged by the server, not the decoder.
    auto dec = make_asterix_feed_decoder(params);
    CountingSink sink;
    Timestamp received = *parse_iso8601("2026-11-25T12:00:00.5Z");
    for (auto _ : state) {
        received += Duration::from_seconds(6);
        dec->decode(d, received, sink);
        benchmark::DoNotOptimize(sink.checksum);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(sink.measurements));
}
BENCHMARK(BM_Cat048FeedToMeasurement);

}  // namespace

BENCHMARK_MAIN();
