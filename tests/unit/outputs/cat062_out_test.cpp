#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "local_socket.hpp"
#include "run_command.hpp"
#include "src/outputs/cat062_out.hpp"
#include "src/outputs/cat062_output.hpp"
#include "src/outputs/cat062_track_numbers.hpp"
#include "temp_dir.hpp"
#include "test_tracks.hpp"
#include "tests/unit/asterix/pcap_writer.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

/// Tracks spread over the globe's quadrants, with velocities in every direction.
std::vector<Track> varied_tracks(int n) {
    std::vector<Track> out;
    for (int i = 0; i < n; ++i) {
        Track t = i % 2 ? sample_vessel(static_cast<TrackId>(100 + i))
                        : sample_dark_boat(static_cast<TrackId>(100 + i));
        t.position = {-60.0 + 1.7 * i, -170.0 + 6.9 * i};
        t.east_mps = 12.5 * std::sin(0.7 * i);
        t.north_mps = -9.0 * std::cos(0.3 * i);
        t.updated = sample_time() + Duration::from_seconds(0.25 * i);
        t.status = i % 3 == 0   ? TrackStatus::tentative
                   : i % 3 == 1 ? TrackStatus::confirmed
                                : TrackStatus::coasting;
        out.push_back(t);
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string part; std::getline(in, part, sep);) out.push_back(part);
    return out;
}

}  // namespace

SCENARIO("Tracks map onto CAT062 records", "[cat062]") {
    Track t = sample_vessel(70000);
    t.status = TrackStatus::coasting;
    const Timestamp now = sample_time() + Duration::from_seconds(0.5);
    const auto r = cat062_track_for(t, now, 25, 7);
    CHECK(r.source.sac == 25);
    CHECK(r.source.sic == 7);
    CHECK(r.time_of_track_s == Approx(62.0));  // updated 00:01:02 UTC
    Track never = t;
    never.updated = Timestamp{};
    CHECK(cat062_track_for(never, now, 25, 7).time_of_track_s ==
          Approx(62.5));                     // falls back to now
    CHECK(r.track_number == 70000 - 65536);  // 16-bit wrap
    CHECK(r.coasting);
    CHECK_FALSE(r.tentative);
    CHECK_FALSE(r.mono_sensor);                                           // AIS + radar
    CHECK(cat062_track_for(sample_dark_boat(), now, 25, 7).mono_sensor);  // radar only
    CHECK(r.vx_mps == 3.0);
    CHECK(r.vy_mps == 4.0);

    Track gone = sample_vessel(5);
    gone.status = TrackStatus::deleted;
    CHECK(cat062_datagram(std::span(&gone, 1), now, 25, 7).empty());
}

SCENARIO("CAT062 datagrams are split to fit the MTU, each a whole data block", "[cat062]") {
    const auto tracks = varied_tracks(120);
    const auto grams = cat062_datagrams(tracks, sample_time(), 1, 2, 1400);
    REQUIRE(grams.size() > 1);
    std::size_t records_bytes = 0;
    for (const auto& g : grams) {
        CHECK(g.size() <= 1400);
        REQUIRE(g.size() > 3);
        CHECK(static_cast<std::uint8_t>(g[0]) == 62);
        const std::size_t len =
            (static_cast<std::uint8_t>(g[1]) << 8) | static_cast<std::uint8_t>(g[2]);
        CHECK(len == g.size());  // one block per datagram
        records_bytes += g.size() - 3;
    }
    CHECK(records_bytes == cat062_datagram(tracks, sample_time(), 1, 2).size() - 3);
}

SCENARIO("tshark decodes picket's CAT062 without warnings and with the same kinematics",
         "[cat062][tshark]") {
    if (!have_program("tshark")) {
        WARN("tshark not installed: skipped");
        return;
    }
    TempDir dir;
    const auto tracks = varied_tracks(30);
    const Timestamp now = sample_time() + Duration::from_seconds(3600.25);
    const auto grams = cat062_datagrams(tracks, now, 25, 7, 1400);
    const std::string pcap = dir.file("cat062.pcap");
    REQUIRE(picket::test::write_udp_pcap(pcap, grams, 8600));

    const std::string decode_as = " -d udp.port==8600,asterix ";
    // Malformed packets and expert infos show up in verbose output; there must be none.
    const auto verbose = run_command("tshark -r " + pcap + decode_as + "-V 2>&1");
    REQUIRE(verbose.exit_code == 0);
    CHECK(verbose.out.find("Malformed") == std::string::npos);
    CHECK(verbose.out.find("Expert Info") == std::string::npos);
    const auto expert = run_command("tshark -r " + pcap + decode_as + "-q -z expert 2>&1");
    CHECK(expert.out.find("Warning") == std::string::npos);
    CHECK(expert.out.find("Error") == std::string::npos);

    const auto fields = run_command("tshark -r " + pcap + decode_as +
                                    "-T fields -E separator=';' -E aggregator=, -e "
                                    "asterix.062_040_VALUE -e asterix.062_105_LAT "
                                    "-e asterix.062_105_LON -e asterix.062_185_VX -e "
                                    "asterix.062_185_VY -e asterix.062_070_VALUE "
                                    "-e asterix.062_010_SAC -e asterix.062_010_SIC 2>/dev/null");
    REQUIRE(fields.exit_code == 0);
    std::vector<std::vector<std::string>> columns(8);
    for (const auto& line : split(fields.out, '\n')) {
        const auto cols = split(line, ';');
        REQUIRE(cols.size() == 8);
        for (std::size_t c = 0; c < 8; ++c) {
            for (const auto& v : split(cols[c], ',')) columns[c].push_back(v);
        }
    }
    REQUIRE(columns[0].size() == tracks.size());
    const double lsb_deg = 180.0 / (1 << 25);  // I062/105 LSB
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        INFO("track " << i);
        CHECK(std::stoul(columns[0][i], nullptr, 0) == tracks[i].id);  // tshark prints 0x...
        CHECK(std::abs(std::stod(columns[1][i]) - tracks[i].position.lat_deg) <= lsb_deg);
        CHECK(std::abs(std::stod(columns[2][i]) - tracks[i].position.lon_deg) <= lsb_deg);
        CHECK(std::abs(std::stod(columns[3][i]) - tracks[i].east_mps) <= 0.125);  // LSB 0.25 m/s
        CHECK(std::abs(std::stod(columns[4][i]) - tracks[i].north_mps) <= 0.125);
        // updated 00:01:02 + 0.25 i s; LSB 1/128 s
        CHECK(std::abs(std::stod(columns[5][i]) - (62.0 + 0.25 * static_cast<double>(i))) <=
              1.0 / 128);
        CHECK(std::stoul(columns[6][i], nullptr, 0) == 25);
        CHECK(std::stoul(columns[7][i], nullptr, 0) == 7);
    }
}

SCENARIO("CAT062 track numbers: one per live track, reused only after a hold-off", "[cat062]") {
    const Timestamp t0 = sample_time();
    TrackNumberPool pool(Duration::from_seconds(10), 1, 3);
    CHECK(pool.capacity() == 3);
    CHECK(pool.acquire(100, t0) == 1);
    CHECK(pool.acquire(200, t0) == 2);
    CHECK(pool.acquire(100, t0) == 1);  // same track, same number
    pool.release(100, t0);
    // Never-used numbers come first, then the freed ones once held off long enough.
    CHECK(pool.acquire(300, t0) == 3);
    CHECK_FALSE(pool.acquire(400, t0 + Duration::from_seconds(9)));
    CHECK(pool.acquire(400, t0 + Duration::from_seconds(10)) == 1);
    CHECK_FALSE(pool.acquire(500, t0 + Duration::from_seconds(100)));  // all three live
    CHECK(pool.find(200) == 2);
    CHECK_FALSE(pool.find(100));
    pool.release(999, t0);  // unknown: no-op
    CHECK(pool.live() == 3);

    WHEN("ids grow past 65,536 with tracks coming and going, as a day of traffic does") {
        TrackNumberPool big(Duration::from_seconds(600));
        std::mt19937_64 rng(15);
        std::map<TrackId, std::uint16_t> live;     // the reference: who holds what
        std::map<std::uint16_t, TrackId> holder;   // and the other way round
        std::map<std::uint16_t, Timestamp> freed;  // when each number was last freed
        TrackId next = 1;
        Timestamp now = t0;
        int reused = 0;
        for (int step = 0; step < 200000; ++step) {
            now = now + Duration::from_seconds(0.5);
            if (live.size() < 3000 || rng() % 2) {
                const TrackId id = next++;
                const auto n = big.acquire(id, now);
                REQUIRE(n.has_value());
                REQUIRE(holder.count(*n) == 0);  // never two live tracks with one number
                if (auto f = freed.find(*n); f != freed.end()) {
                    REQUIRE(now - f->second >= Duration::from_seconds(600));
                    ++reused;
                }
                live[id] = *n;
                holder[*n] = id;
            } else {
                auto it = live.begin();
                std::advance(it, static_cast<long>(rng() % live.size()));
                big.release(it->first, now);
                freed[it->second] = now;
                holder.erase(it->second);
                live.erase(it);
            }
        }
        CHECK(next > 70000);  // ids went past 16 bits
        CHECK(reused > 1000);
        CHECK(big.live() == live.size());
    }
}

namespace {

/// One CAT062 record as tshark decoded it.
struct Decoded {
    std::size_t frame;
    unsigned number;
    bool tse, tsb;
};

/// First value of `key` anywhere under `j`.
const nlohmann::json* find_key(const nlohmann::json& j, const std::string& key) {
    if (j.is_object()) {
        if (auto it = j.find(key); it != j.end()) return &*it;
        for (const auto& [k, v] : j.items())
            if (auto* f = find_key(v, key)) return f;
    } else if (j.is_array()) {
        for (const auto& v : j)
            if (auto* f = find_key(v, key)) return f;
    }
    return nullptr;
}

/// Collects every object that is one CAT062 record (it holds its own I062/010 item).
void records_in(const nlohmann::json& j, std::size_t frame, std::vector<Decoded>& out) {
    if (j.is_array()) {
        for (const auto& v : j) records_in(v, frame, out);
        return;
    }
    if (!j.is_object()) return;
    if (j.contains("asterix.062_010")) {
        const auto* n = find_key(j, "asterix.062_040_VALUE");
        const auto* tse = find_key(j, "asterix.062_080_TSE");
        const auto* tsb = find_key(j, "asterix.062_080_TSB");
        REQUIRE(n != nullptr);
        out.push_back({frame, static_cast<unsigned>(std::stoul(n->get<std::string>(), nullptr, 0)),
                       tse && std::stoul(tse->get<std::string>(), nullptr, 0) != 0,
                       tsb && std::stoul(tsb->get<std::string>(), nullptr, 0) != 0});
        return;
    }
    for (const auto& [k, v] : j.items()) records_in(v, frame, out);
}

}  // namespace

SCENARIO("CAT062 out ends tracks and reuses numbers safely, as tshark decodes it",
         "[cat062][tshark]") {
    if (!have_program("tshark")) {
        WARN("tshark not installed: skipped");
        return;
    }
    // Five numbers for up to eight tracks alive at once, freed numbers held off 20 s: tracks
    // are left out for want of a number, numbers come back after the hold-off, never earlier.
    LocalSocket rx(SOCK_DGRAM);
    Cat062OutputConfig cfg;
    cfg.udp = "127.0.0.1:" + std::to_string(rx.port);
    cfg.period = Duration::from_seconds(1);
    cfg.number_hold_off = Duration::from_seconds(20);
    cfg.first_number = 1;
    cfg.last_number = 5;
    Cat062Output out(cfg);
    std::mt19937_64 rng(62);
    std::vector<Track> live;
    TrackId next = 1;
    std::vector<std::string> grams;
    std::vector<Timestamp> sent_at;  // the output's clock when each datagram went out
    std::vector<TrackId> ended;
    const auto collect = [&](Timestamp now) {
        for (auto& g : drain(rx.fd, 0)) {
            grams.push_back(std::move(g));
            sent_at.push_back(now);
        }
    };
    for (int step = 0; step < 300; ++step) {
        const Timestamp now = sample_time() + Duration::from_seconds(step);
        if (live.size() < 8 && rng() % 3 != 0) {
            Track t = varied_tracks(1)[0];
            t.id = next++;
            t.updated = now;
            live.push_back(t);
        }
        if (!live.empty() && rng() % 4 == 0) {
            const auto i = rng() % live.size();
            const TrackId id = live[i].id;
            live.erase(live.begin() + static_cast<long>(i));
            if (out.numbers().find(id)) ended.push_back(id);
            out.tracks_deleted(std::span(&id, 1), now);
            collect(now);
        }
        out.publish(live, now);
        collect(now);
    }
    REQUIRE(out.numbers_exhausted() > 0);
    REQUIRE(ended.size() > 10);

    TempDir dir;
    const std::string pcap = dir.file("cat062-life.pcap");
    REQUIRE(picket::test::write_udp_pcap(pcap, grams, 8600));
    const std::string decode_as = " -d udp.port==8600,asterix ";
    const auto verbose = run_command("tshark -r " + pcap + decode_as + "-V 2>&1");
    REQUIRE(verbose.exit_code == 0);
    CHECK(verbose.out.find("Malformed") == std::string::npos);
    CHECK(verbose.out.find("Expert Info") == std::string::npos);
    const auto json = run_command("tshark -r " + pcap + decode_as + "-T json 2>/dev/null");
    REQUIRE(json.exit_code == 0);
    const auto packets = nlohmann::json::parse(json.out);
    std::vector<Decoded> recs;
    for (std::size_t f = 0; f < packets.size(); ++f) records_in(packets[f], f, recs);

    // Replay what a receiver sees: a number is live from its TSB to its TSE.
    std::map<unsigned, bool> live_number;
    std::map<unsigned, Timestamp> ended_at;
    int tse = 0, tsb = 0, reused = 0;
    for (const Decoded& r : recs) {
        INFO("frame " << r.frame << " number " << r.number);
        REQUIRE(r.number >= 1);
        REQUIRE(r.number <= 5);
        const Timestamp t = sent_at[r.frame];
        if (r.tsb) {
            ++tsb;
            CHECK_FALSE(live_number[r.number]);  // never two live tracks with one number
            if (auto e = ended_at.find(r.number); e != ended_at.end()) {
                CHECK(t - e->second >= Duration::from_seconds(20));  // never within the hold-off
                ++reused;
            }
            live_number[r.number] = true;
        } else {
            CHECK(live_number[r.number]);  // every record between its track's TSB and TSE
        }
        if (r.tse) {
            ++tse;
            live_number[r.number] = false;
            ended_at[r.number] = t;
        }
    }
    CHECK(tse == static_cast<int>(ended.size()));  // each ended track, once
    CHECK(tsb >= tse);
    CHECK(reused > 5);
}
