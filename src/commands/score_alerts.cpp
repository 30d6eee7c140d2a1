// `picket score --alerts FILE --events FILE`: alert-vs-truth scoring (logic in sim/alert_scoring).
#include "src/commands/score_alerts.hpp"

#include <fstream>
#include <iostream>

#include "sim/alert_scoring.hpp"
#include "src/commands/args.hpp"

namespace picket::cli {
namespace {
constexpr const char* kHelp =
    R"(usage: picket score --alerts FILE --events FILE [--max-delay S] [--distance M] [--out FILE]

Scores the incidents a run raised (JSON lines of the server's `alert` topic: GeoJSON features
with an evidence `timeline`, docs/protocol.md; older alert lines count as one-entry incidents;
or flat {"kind","time","lat","lon"} objects) against the truth events `picket sim --truth DIR`
wrote (DIR/events.jsonl). An evidence entry explains a truth event of the same kind and rule
raised between 30 s before and a kind-dependent delay after it (120 s; approach and speeding
300 s, dark target and AIS anomaly 600 s, rendezvous and AIS gap 1200 s, loitering 1800 s,
ground detection 60 s), within a distance (2 km; 3-5 km for behaviours, 30 km for AIS gaps,
500 m for ground sensors). Dark targets, AIS anomalies: within 1.1 km of where the target
was at the entry's time, when DIR/truth.csv is there (else 5 km of where the event began).
Prints:
  overall, kinds, rules   truth_events, scripted_events, matched, recall, scripted_recall,
                          evidence, false_evidence, precision, mean_delay_s, max_delay_s
  incidents               incidents, false_incidents (none of their evidence explains a truth
                          event), precision, false_per_hour (run length from DIR/run.json),
                          events_found, split_events, incidents_per_event
  missed, false_incidents the truth events no evidence found, the incidents nothing explains

  --max-delay S   one delay limit for every kind (seconds)
  --distance M    one distance limit for every kind (metres; both limits of the two above)
  --out FILE      write the JSON there instead of standard output
)";
}  // namespace

int run_score_alerts_command(int argc, char** argv) {
    try {
        const Args args(argc, argv, {"alerts", "events", "max-delay", "distance", "out"}, {});
        if (args.help()) {
            std::cout << kHelp;
            return 0;
        }
        if (!args.has("alerts") || !args.has("events") || !args.positional().empty()) {
            std::cerr << kHelp;
            return 2;
        }
        sim::ScoringTolerances tol;
        for (auto& k : tol.per_kind) {
            k.max_delay_s = args.number("max-delay", k.max_delay_s);
            k.distance_m = args.number("distance", k.distance_m);
            if (k.along_path_m > 0) k.along_path_m = args.number("distance", k.along_path_m);
        }
        if (auto out = args.get("out")) {
            std::ofstream file(*out);
            if (!file) {
                std::cerr << "picket score: cannot write " << *out << '\n';
                return 1;
            }
            return sim::run_score_alerts(*args.get("alerts"), *args.get("events"), tol, file,
                                         std::cerr);
        }
        return sim::run_score_alerts(*args.get("alerts"), *args.get("events"), tol, std::cout,
                                     std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "picket score: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace picket::cli
