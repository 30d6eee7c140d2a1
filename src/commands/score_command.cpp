// `picket score --truth truths.csv --tracks tracks.csv [--c 100 --p 1]`: OSPA, GOSPA (alpha = 2,
// with its localisation / missed / false split), position RMSE, ID switches, fragmentations,
// false tracks and initiation delay, as JSON on stdout. With --alerts it scores alerts against
// the simulator's truth events instead (score_alerts.cpp).
#include <cstdio>
#include <stdexcept>
#include <string>

#include "core/json_writer.hpp"
#include "eval/csv_io.hpp"
#include "eval/track_metrics.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/commands/score_alerts.hpp"

namespace picket::cli {
namespace {

constexpr const char* kHelp =
    "usage: picket score --truth truths.csv --tracks tracks.csv [--c METRES] [--p ORDER]\n"
    "       picket score --alerts alerts.jsonl --events events.jsonl [...]   (see --alerts "
    "--help)\n"
    "\n"
    "Scores tracks against truth and prints one JSON object on stdout.\n"
    "\n"
    "  --truth FILE   CSV time,truth_id,x,y (seconds, integer id, local metres); other columns "
    "ignored\n"
    "  --tracks FILE  CSV time,track_id,x,y[,vx,vy] as written by `picket track`\n"
    "  --c METRES     OSPA/GOSPA cut-off and the association distance for track metrics (default "
    "100)\n"
    "  --p ORDER      OSPA/GOSPA order p >= 1 (default 1)\n"
    "\n"
    "Times are matched exactly; at each time truths and tracks are paired by the GOSPA assignment\n"
    "(pairs closer than c). Output fields (per-time means unless stated):\n"
    "  ospa, gospa, gospa_localisation, gospa_missed, gospa_false (GOSPA alpha = 2 terms before "
    "the\n"
    "  1/p root), missed, false (counts), position_rmse_m (assigned pairs),\n"
    "  position_rmse_settled_m (pairs of a truth on one track for 10 time steps), id_switches,\n"
    "  id_switches_mot (CLEAR-MOT: a truth keeps its track while within c), fragmentations,\n"
    "  false_tracks (track ids never paired), truths_never_tracked,\n"
    "  initiation_delay_mean_s / _max_s (first pairing - first truth time).\n";

bool wants_alerts(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--alerts" || a.rfind("--alerts=", 0) == 0) return true;
    }
    return false;
}

}  // namespace

int run_score(int argc, char** argv) {
    if (wants_alerts(argc, argv)) return run_score_alerts_command(argc, argv);
    try {
        const Args args(argc, argv, {"truth", "tracks", "c", "p"}, {});
        if (args.help()) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (!args.has("truth") || !args.has("tracks"))
            throw std::runtime_error("--truth and --tracks are required (see --help)");
        eval::ScoreOptions opt;
        opt.c_m = args.number("c", 100);
        opt.p = args.number("p", 1);
        if (!(opt.c_m > 0) || !(opt.p >= 1)) throw std::runtime_error("need --c > 0 and --p >= 1");
        const auto truth = eval::read_truths_file(*args.get("truth"));
        const auto tracks = eval::read_tracks_file(*args.get("tracks"));
        const eval::ScoreReport r = eval::score(truth, tracks, opt);
        std::string out;
        JsonWriter w(out);
        w.begin_object();
        w.field("c", opt.c_m, 3).field("p", opt.p, 3);
        w.field("times", static_cast<std::uint64_t>(r.times));
        w.field("truths", static_cast<std::uint64_t>(r.truths));
        w.field("track_ids", static_cast<std::uint64_t>(r.track_ids));
        w.field("ospa", r.ospa_mean, 4);
        w.field("gospa", r.gospa_mean, 4);
        w.field("gospa_localisation", r.gospa_localisation_mean, 4);
        w.field("gospa_missed", r.gospa_missed_mean, 4);
        w.field("gospa_false", r.gospa_false_mean, 4);
        w.field("missed", r.missed_mean, 4);
        w.field("false", r.false_mean, 4);
        w.field("position_rmse_m", r.position_rmse_m, 4);
        w.field("assigned_pairs", static_cast<std::uint64_t>(r.assigned_pairs));
        w.field("id_switches", static_cast<std::uint64_t>(r.id_switches));
        w.field("id_switches_mot", static_cast<std::uint64_t>(r.id_switches_mot));
        w.field("position_rmse_settled_m", r.position_rmse_settled_m, 4);
        w.field("fragmentations", static_cast<std::uint64_t>(r.fragmentations));
        w.field("false_tracks", static_cast<std::uint64_t>(r.false_tracks));
        w.field("truths_never_tracked", static_cast<std::uint64_t>(r.truths_never_tracked));
        w.field("initiation_delay_mean_s", r.initiation_delay_mean_s, 3);
        w.field("initiation_delay_max_s", r.initiation_delay_max_s, 3);
        w.end_object();
        std::printf("%s\n", out.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "picket score: %s\n", e.what());
        return 1;
    }
}

}  // namespace picket::cli
