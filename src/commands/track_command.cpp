// `picket track --in detections.csv --out tracks.csv [--sigma M] [--config FILE]`: batch
// tracking over a CSV of detections in local metres (see docs/tracking.md for the formats).
// The tracker is the server's (filters::Tracker); only the input and output differ.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

#include "config/yaml_reader.hpp"
#include "eval/batch_tracking.hpp"
#include "eval/csv_io.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/tracker_config_reader.hpp"

namespace picket::cli {
namespace {

constexpr const char* kHelp =
    "usage: picket track --in detections.csv --out tracks.csv [--sigma M] [--config FILE]\n"
    "                    [--filter kf|ekf|ukf|imm] [--association gnn|jpda|gnn_pda|\n"
    "                    multi_scan]\n"
    "\n"
    "Runs the tracker over detections and writes the confirmed tracks after every scan.\n"
    "\n"
    "  --in FILE          CSV with a header; required columns time,x,y (seconds; local east and\n"
    "                     north, metres); other columns are ignored. One scan = the rows with the\n"
    "                     same time; rows need not be sorted.\n"
    "  --out FILE         CSV written: time,track_id,x,y,vx,vy (- for stdout). One row per\n"
    "                     confirmed track (not coasting) after each scan, its state predicted to\n"
    "                     the scan time.\n"
    "  --sigma M          detection noise per axis, metres (default 20)\n"
    "  --config FILE      YAML: the tracker settings, either at the top level or under `tracker:`\n"
    "                     (the keys of the server config's tracker section, docs/tracking.md)\n"
    "  --filter, --association   override the config\n"
    "\n"
    "A summary (scans, tracks, counters) goes to stderr. Exit status 0, or 1 on an error.\n";

filters::TrackerConfig load_config(const std::string& path) {
    const config::Node root = config::Node::load_file(path);
    filters::TrackerConfig cfg;
    if (auto t = root.find("tracker")) {
        server::read_tracker_config(*t, cfg);
    } else {
        server::read_tracker_config(root, cfg);
    }
    return cfg;
}

}  // namespace

int run_track(int argc, char** argv) {
    try {
        const Args args(argc, argv, {"in", "out", "sigma", "config", "filter", "association"}, {});
        if (args.help()) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (!args.has("in") || !args.has("out"))
            throw std::runtime_error("--in and --out are required (see --help)");
        eval::BatchOptions opt;
        if (auto c = args.get("config")) opt.tracker = load_config(*c);
        // Batch files are in local metres: the frame origin is arbitrary but fixed.
        opt.tracker.origin = LatLon{0, 0};
        if (auto f = args.get("filter")) opt.tracker.filter = *f;
        if (auto a = args.get("association")) opt.tracker.association = *a;
        (void)filters::filter_kind_from_string(opt.tracker.filter);
        opt.sigma_m = args.number("sigma", 20);
        if (!(opt.sigma_m > 0)) throw std::runtime_error("--sigma must be positive");
        const auto detections = eval::read_detections_file(*args.get("in"));
        const eval::BatchResult r = eval::run_batch(detections, opt);
        const std::string out_path = *args.get("out");
        std::ofstream file;
        if (out_path != "-") {
            file.open(out_path);
            if (!file) throw std::runtime_error(out_path + ": cannot write");
        }
        std::ostream& out = out_path == "-" ? std::cout : file;
        eval::write_tracks_header(out);
        for (const eval::TrackPoint& p : r.tracks) eval::write_track_row(out, p);
        out.flush();
        if (!out) throw std::runtime_error(out_path + ": write failed");
        const auto& c = r.counters;
        std::fprintf(stderr,
                     "picket track: %zu detections, %zu scans, %zu track rows; initiated %llu, "
                     "confirmed %llu, "
                     "deleted %llu, merged %llu\n",
                     detections.size(), r.scans, r.tracks.size(),
                     static_cast<unsigned long long>(c.initiated),
                     static_cast<unsigned long long>(c.confirmed),
                     static_cast<unsigned long long>(c.deleted),
                     static_cast<unsigned long long>(c.merged));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "picket track: %s\n", e.what());
        return 1;
    }
}

}  // namespace picket::cli
