// A real radar capture through picket with defaults plus the radar's site (issue 15): of the
// targets the radar's own tracker confirms (CAT048 I048/161 track number with I048/170 CNF
// "confirmed"), how many does picket confirm?
//
// The capture is a pcap/pcapng of UDP datagrams (receive time = capture time) or a file of
// concatenated data blocks as recorders write them (receive time = the block's first I048/140 on
// --date). Every datagram goes into the server's FusionEngine as feed 0 (a radar, `format:
// asterix`, the given site, every other setting its default), ticks once a second of receive
// time. A radar target is one (SAC, SIC, track number) from its first report until its
// end-of-track record (I048/170 TRE) or 60 s without a report (track numbers are reused). picket
// confirms a target when one of its confirmed plots was fused into a confirmed picket track:
// the track's update time equals the plot's time and its position is the plot's (within
// max(1.5 km, 4 % of range): the plot's ground position is taken at its slant range, which
// overstates it by up to ~3 km for an airliner near the radar; the time of day has 1/128 s
// resolution, so few plots share one).
//
//   picket_bench_real_radar CAPTURE --site LAT,LON,HEIGHT_M [--date YYYY-MM-DD]
//                           [--watches surface|air] [--tracker YAML] [--no-velocity]
//                           [--no-address] [--no-status] [--missed]
// --watches sets the feed's `watches` (what an operator of an en-route radar would set); --tracker
// (e.g. '{init_speed_sigma_mps: 150}') sets tracker keys for an experiment; the goal's figure is
// without either. --no-velocity strips I048/200 from every plot (the initiation spread's own
// figure, as for a radar that sends no velocity). --no-address strips I048/220 (no Mode S identity:
// picket before issue 15's identity work); --no-status sends every plot as its radar track's
// tentative one (I048/170 CNF), so that an address confirms a track on a second look only.
// --missed lists each radar-confirmed target picket
// did not confirm.
//   (bench/asterix/real_radar.sh fetches the public captures and runs this)
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "geo/local_frame.hpp"
#include "sensors/asterix/asterix_decoder.hpp"
#include "sensors/asterix/capture_reader.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"

using namespace picket;
namespace asx = picket::sensors::asterix;

namespace {

constexpr double kGapS = 60.0;
constexpr std::int64_t kDayNs =
    86400LL * kNsPerSecond;  // a track number silent this long starts a new target

struct Plot {
    std::size_t target;
    LatLon where;  ///< at slant range: see the header
    double range_m;
    bool radar_confirmed;
};

struct Target {
    bool radar_confirmed{false};
    bool picket_confirmed{false};
    std::size_t plots{0}, confirmed_plots{0}, matched_plots{0};
    double speed_sum_mps{0};  ///< of the radar's own velocity (I048/200), for the breakdown
    std::size_t speeds{0};
    double min_range_m{1e12};
    Timestamp first, last;
    std::size_t tentative_plots{0};  ///< its plots fused into a tentative picket track
};

/// The radar's own tracks, as targets, and each plot indexed by its time (ns).
class Reference {
public:
    explicit Reference(LatLon site) : site_(site) {}

    void add(const asx::Cat048Report& r, Timestamp t) {
        const auto& p = r.plot;
        if (!p.track_number || !p.polar) return;
        const std::uint32_t key = (std::uint32_t{p.source.sac} << 20) |
                                  (std::uint32_t{p.source.sic} << 12) | *p.track_number;
        auto [it, fresh] = open_.try_emplace(key, Open{targets_.size(), t});
        if (fresh || (t - it->second.last).seconds() > kGapS) {
            it->second = Open{targets_.size(), t};
            targets_.emplace_back();
        }
        it->second.last = t;
        Target& target = targets_[it->second.target];
        if (target.plots == 0) target.first = t;
        target.last = t;
        const bool confirmed = r.has_status && p.confirmed;
        ++target.plots;
        target.confirmed_plots += confirmed;
        target.radar_confirmed |= confirmed;
        if (p.velocity) target.speed_sum_mps += p.velocity->ground_speed_mps, ++target.speeds;
        target.min_range_m = std::min(target.min_range_m, p.polar->range_m);
        plots_.emplace(
            t.ns, Plot{it->second.target,
                       geo::geodesic_destination(site_, p.polar->azimuth_deg, p.polar->range_m),
                       p.polar->range_m, confirmed});
        if (p.track_end) open_.erase(it);
    }

    /// A picket track fused a measurement at `updated` and is now at `position`: the plot it was.
    void picket_update(const Track& track) {
        ++updates[static_cast<int>(track.status)];
        if (track.status != TrackStatus::confirmed && track.status != TrackStatus::tentative)
            return;
        const auto [lo, hi] = plots_.equal_range(track.updated.ns);
        if (lo != hi && track.status == TrackStatus::confirmed) ++confirmed_at_plot_time;
        Plot* best = nullptr;
        double best_d = 0;
        for (auto it = lo; it != hi; ++it) {
            const double d = geo::geodesic_distance_m(it->second.where, track.position);
            if (!best || d < best_d) best = &it->second, best_d = d;
        }
        if (!best || best_d > std::max(1500.0, 0.04 * best->range_m)) return;
        if (track.status == TrackStatus::tentative) {
            ++targets_[best->target].tentative_plots;
            return;
        }
        ++confirmed_on_plot;
        Target& t = targets_[best->target];
        if (best->radar_confirmed) {
            t.picket_confirmed = true;
            ++t.matched_plots;
            best->radar_confirmed = false;  // count each plot once
        }
    }

    /// Forgets plots older than `before` (picket's updates come within its latency window).
    void forget(Timestamp before) { plots_.erase(plots_.begin(), plots_.lower_bound(before.ns)); }

    [[nodiscard]] const std::vector<Target>& targets() const { return targets_; }

    std::uint64_t updates[4]{};  ///< picket track updates by status (TrackStatus order)
    std::uint64_t confirmed_at_plot_time{0}, confirmed_on_plot{0};

private:
    struct Open {
        std::size_t target;
        Timestamp last;
    };
    LatLon site_;
    std::map<std::uint32_t, Open> open_;
    std::vector<Target> targets_;
    std::multimap<std::int64_t, Plot> plots_;
};

class Matcher final : public server::EngineOutput {
public:
    explicit Matcher(Reference& ref) : ref_(ref) {}
    void publish(std::string_view, const std::string&) override {}
    void tracks_changed(std::span<const Track> tracks, Timestamp) override {
        for (const Track& t : tracks) ref_.picket_update(t);
    }

private:
    Reference& ref_;
};

/// Collects a datagram's CAT048 reports.
class Reports final : public asx::AsterixVisitor {
public:
    void cat048(const asx::Cat048Report& r) override {
        if (r.has_time) list.push_back(r);
    }
    void cat034(const asx::Cat034Report&) override {}
    void rejected(DecodeError) override {}
    std::vector<asx::Cat048Report> list;
};

/// `time_of_day_s` on the day of `day`, or of the day before/after when that is nearer to
/// `near` (a capture that crosses midnight).
Timestamp on_day(Timestamp day_start, double time_of_day_s, Timestamp near) {
    Timestamp t = day_start + Duration::from_seconds(time_of_day_s);
    const Duration day = Duration::from_seconds(86400);
    if (near.ns != 0) {
        if ((t - near).seconds() > 43200) t = t - day;
        if ((near - t).seconds() > 43200) t = t + day;
    }
    return t;
}

std::vector<double> numbers(const std::string& text) {
    std::vector<double> out;
    std::stringstream s(text);
    for (std::string part; std::getline(s, part, ',');) out.push_back(std::stod(part));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string path, site_text, date = "1970-01-01", tracker, watches;
        bool list_missed = false, no_velocity = false, no_address = false, no_status = false;
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--missed") {
                list_missed = true;
            } else if (a == "--no-velocity") {
                no_velocity = true;
            } else if (a == "--no-address") {
                no_address = true;
            } else if (a == "--no-status") {
                no_status = true;
            } else if (a == "--site" && i + 1 < argc) {
                site_text = argv[++i];
            } else if (a == "--watches" && i + 1 < argc) {
                watches = argv[++i];
            } else if (a == "--tracker" && i + 1 < argc) {
                tracker = argv[++i];
            } else if (a == "--date" && i + 1 < argc) {
                date = argv[++i];
            } else {
                path = a;
            }
        }
        const auto site = numbers(site_text);
        if (path.empty() || site.size() != 3)
            throw std::runtime_error(
                "usage: picket_bench_real_radar CAPTURE --site LAT,LON,HEIGHT_M "
                "[--date YYYY-MM-DD] [--watches surface|air] [--tracker YAML] [--no-velocity] "
                "[--no-address] [--no-status] [--missed]");
        const auto day_start = parse_iso8601(date + "T00:00:00Z");
        if (!day_start) throw std::runtime_error("--date: not YYYY-MM-DD");

        std::ifstream in(path, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        const std::string file = bytes.str();
        const asx::Capture capture = asx::read_capture(file);
        if (!capture.error.empty()) throw std::runtime_error(path + ": " + capture.error);

        // Defaults plus the radar's site: the documented minimum for a radar feed.
        std::ostringstream cfg;
        cfg.precision(10);
        cfg << "region: {name: bench, origin: {lat: " << site[0] << ", lon: " << site[1]
            << "}}\nfeeds:\n  - {id: radar, kind: radar, format: asterix, "
               "endpoint: 'tcp://127.0.0.1:1', socket: sub,\n     site: {lat: "
            << site[0] << ", lon: " << site[1] << ", height_m: " << site[2] << "}";
        if (!watches.empty()) cfg << ", watches: " << watches;
        cfg << "}\n";
        if (!tracker.empty()) cfg << "tracker: " << tracker << "\n";
        const server::ServerConfig config = server::parse_server_config(
            cfg.str(), "bench.yaml", std::filesystem::temp_directory_path().string());

        Reference ref(LatLon{site[0], site[1]});
        Matcher out(ref);
        server::FusionEngine engine(config, out);
        Timestamp last_tick{0}, received{0}, received_first{0};
        std::uint64_t records = 0, datagrams = 0;
        for (const auto& payload : capture.payloads) {
            Reports reports;
            asx::decode_asterix_datagram(payload.bytes, reports);
            if (capture.format == asx::CaptureFormat::blocks) {
                if (reports.list.empty()) continue;
                received = on_day(*day_start, reports.list.front().plot.time_of_day_s, received);
            } else {
                received = Timestamp{payload.time_ns};
            }
            // Plots carry their time of day only: the day is --date's for a block file, the
            // capture's for a pcap.
            const Timestamp day = capture.format == asx::CaptureFormat::blocks
                                      ? *day_start
                                      : Timestamp{received.ns - received.ns % kDayNs};
            for (const auto& r : reports.list)
                ref.add(r, on_day(day, r.plot.time_of_day_s, received));
            records += reports.list.size();
            ++datagrams;
            if (last_tick.ns == 0) last_tick = received_first = received;
            while ((received - last_tick).seconds() >= 1.0) {
                last_tick = last_tick + Duration::from_seconds(1.0);
                engine.on_tick(last_tick);
                ref.forget(last_tick - Duration::from_seconds(120));
            }
            if (no_velocity || no_address || no_status) {
                // The same plots without I048/200 (what the feed's initiation spread alone does),
                // without I048/220 (no Mode S identity), or with every track tentative (I048/170
                // CNF: the identity confirms on a second look only).
                std::vector<asx::Cat048Plot> plots;
                for (const auto& r : reports.list) {
                    plots.push_back(r.plot);
                    if (no_velocity) plots.back().velocity.reset();
                    if (no_address) plots.back().aircraft_address.reset();
                    if (no_status) plots.back().confirmed = false;
                }
                engine.on_message(0, received, asx::encode_cat048_block(plots));
            } else {
                engine.on_message(0, received, payload.bytes);
            }
        }
        engine.on_tick(received + Duration::from_seconds(1.0));

        std::size_t confirmed = 0, both = 0, plots = 0, matched = 0;
        for (const Target& t : ref.targets()) {
            if (!t.radar_confirmed) continue;
            ++confirmed;
            both += t.picket_confirmed;
            plots += t.confirmed_plots;
            matched += t.matched_plots;
        }
        const auto& h = engine.feeds().front();
        std::printf(
            "%s: %llu datagrams, %llu CAT048 records with a time; radar targets %zu, confirmed "
            "by the radar %zu; confirmed by picket %zu (%.1f %%); radar-confirmed plots on a "
            "confirmed picket track %zu of %zu (%.1f %%)\n",
            path.c_str(), static_cast<unsigned long long>(datagrams),
            static_cast<unsigned long long>(records), ref.targets().size(), confirmed, both,
            confirmed ? 100.0 * static_cast<double>(both) / static_cast<double>(confirmed) : 0.0,
            matched, plots,
            plots ? 100.0 * static_cast<double>(matched) / static_cast<double>(plots) : 0.0);
        // By the radar's mean ground speed of the target: picket's defaults are a surface
        // surveillance tracker's (boats, vehicles, people), an en-route radar's targets fly.
        const struct {
            const char* name;
            double lo, hi;
        } bands[] = {{"< 50 m/s", 0, 50}, {"50-150 m/s", 50, 150}, {">= 150 m/s", 150, 1e9}};
        for (const auto& b : bands) {
            std::size_t n = 0, ok = 0;
            for (const Target& t : ref.targets()) {
                if (!t.radar_confirmed || !t.speeds) continue;
                const double v = t.speed_sum_mps / static_cast<double>(t.speeds);
                if (v < b.lo || v >= b.hi) continue;
                ++n;
                ok += t.picket_confirmed;
            }
            std::printf("  radar-confirmed targets at %s: %zu, confirmed by picket %zu (%.1f %%)\n",
                        b.name, n, ok,
                        n ? 100.0 * static_cast<double>(ok) / static_cast<double>(n) : 0.0);
        }
        // The radar's short tracks: a target picket leaves tentative may have had too few looks.
        std::size_t missed = 0, missed_short = 0;
        for (const Target& t : ref.targets()) {
            if (!t.radar_confirmed || t.picket_confirmed) continue;
            ++missed;
            missed_short += t.confirmed_plots < 6;
        }
        if (list_missed) {
            // Each radar-confirmed target picket missed: when (s after the capture's first
            // record), how long, how many plots, how far, how fast, and how many of its plots a
            // tentative picket track took.
            const Timestamp t0 = received_first;
            std::printf(
                "  missed: start_s span_s plots radar_confirmed tentative_taken "
                "min_range_km speed_mps\n");
            for (const Target& t : ref.targets()) {
                if (!t.radar_confirmed || t.picket_confirmed) continue;
                std::printf("  missed: %7.1f %6.1f %3zu %3zu %3zu %6.1f %6.1f\n",
                            (t.first - t0).seconds(), (t.last - t.first).seconds(), t.plots,
                            t.confirmed_plots, t.tentative_plots, t.min_range_m / 1000,
                            t.speeds ? t.speed_sum_mps / static_cast<double>(t.speeds) : -1.0);
            }
        }
        std::printf("  not confirmed by picket: %zu, of which %zu with < 6 radar-confirmed plots\n",
                    missed, missed_short);
        // By the radar track's length: the radar reports some tracks once, confirmed (on this
        // capture mostly primary tracks with I048/020 TYP 0, no detection); a plot tracker
        // needs a second look, or an identity (a Mode S address) that vouches for the first.
        const struct {
            const char* name;
            std::size_t lo, hi;
        } lengths[] = {{"1", 1, 1}, {"2", 2, 2}, {"3-5", 3, 5}, {">= 6", 6, 1u << 30}};
        for (const auto& b : lengths) {
            std::size_t n = 0, ok = 0;
            for (const Target& t : ref.targets()) {
                if (!t.radar_confirmed || t.confirmed_plots < b.lo || t.confirmed_plots > b.hi)
                    continue;
                ++n;
                ok += t.picket_confirmed;
            }
            std::printf(
                "  radar-confirmed targets with %s radar-confirmed plots: %zu, confirmed by "
                "picket %zu (%.1f %%)\n",
                b.name, n, ok, n ? 100.0 * static_cast<double>(ok) / static_cast<double>(n) : 0.0);
        }
        const auto& tc = engine.tracker().counters();
        std::printf(
            "tracker: initiated %llu, confirmed %llu, address_conflicts %llu, address_restarts "
            "%llu\n",
            static_cast<unsigned long long>(tc.initiated),
            static_cast<unsigned long long>(tc.confirmed),
            static_cast<unsigned long long>(tc.address_conflicts),
            static_cast<unsigned long long>(tc.address_restarts));
        std::printf("feed: %llu messages, %llu measurements, rejected:",
                    static_cast<unsigned long long>(h.messages),
                    static_cast<unsigned long long>(h.measurements));
        for (const auto& [reason, n] : h.rejected)
            std::printf(" %s=%llu", reason.c_str(), static_cast<unsigned long long>(n));
        std::printf(
            "\npicket track updates: tentative %llu, confirmed %llu (at a plot's time %llu, on "
            "that plot %llu), coasting %llu\n",
            static_cast<unsigned long long>(ref.updates[0]),
            static_cast<unsigned long long>(ref.updates[1]),
            static_cast<unsigned long long>(ref.confirmed_at_plot_time),
            static_cast<unsigned long long>(ref.confirmed_on_plot),
            static_cast<unsigned long long>(ref.updates[2]));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "picket_bench_real_radar: %s\n", e.what());
        return 1;
    }
}
