#pragma once
/// Scores a run's alerts against the simulator's truth events: per alert kind, recall (truth
/// events some alert found), precision (alerts that found a truth event) and delay (alert time
/// minus event time), as JSON.
///
/// Matching: truth events in time order each take the earliest unused alert of the same kind
/// raised within [event - early_s, event + max_delay_s] and within distance_m of the event (or,
/// for a spoofing event, of the position the transponder reported).
/// An unused alert that would have matched an already matched event is a duplicate (a split
/// track raising twice): neither a hit nor a false alarm. The rest are false alarms.
/// precision = matched / (matched + false_alarms).
#include <array>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.hpp"
#include "core/ids.hpp"
#include "sim/truth.hpp"

namespace picket::sim {

/// The parts of a published alert that scoring needs.
struct AlertRecord {
    AlertKind kind{AlertKind::zone_entry};
    Timestamp time;
    LatLon where;
    std::optional<std::uint64_t> alert_id;
};

/// Parses one alert line: the server's `alert` topic (a GeoJSON Feature, docs/protocol.md:
/// properties.kind/time/alert_id, geometry.coordinates [lon, lat]), optionally preceded by the
/// topic word, or a flat object {"kind","time","lat","lon"}. Time is ISO 8601 or unix seconds.
/// nullopt for anything else (blank lines, other topics).
std::optional<AlertRecord> parse_alert_line(std::string_view line);

/// Reads alert lines, keeping the first line of each alert_id (later lines are state changes
/// of the same alert). Throws std::runtime_error when the file cannot be opened.
std::vector<AlertRecord> read_alerts(const std::string& path);
/// Reads an events.jsonl written by `picket sim`. Throws on a missing file or a bad line.
std::vector<TruthEvent> read_truth_events(const std::string& path);

struct KindTolerance {
    double early_s{30};
    double max_delay_s{120};
    double distance_m{2000};
};

/// Tolerances per kind. Defaults allow for the rules' own dwell times: loitering and
/// rendezvous rules fire only after the behaviour has lasted a while, an AIS gap only after the
/// silence exceeds the gap threshold.
struct ScoringTolerances {
    std::array<KindTolerance, kAlertKindCount> per_kind;
    ScoringTolerances();
    KindTolerance& operator[](AlertKind k) { return per_kind[static_cast<std::size_t>(k)]; }
    const KindTolerance& operator[](AlertKind k) const {
        return per_kind[static_cast<std::size_t>(k)];
    }
};

struct KindScore {
    AlertKind kind{AlertKind::zone_entry};
    int truth_events{0};
    int alerts{0};
    int matched{0};
    int duplicates{0};
    int false_alarms{0};
    double recall{0};     ///< matched / truth_events (1 when there were none)
    double precision{0};  ///< matched / (matched + false_alarms) (1 when no alerts)
    double mean_delay_s{0};
    double max_delay_s{0};
};

struct AlertScore {
    std::vector<KindScore> per_kind;  ///< kinds with any truth event or alert, enum order
    KindScore overall;                ///< all kinds pooled (kind field meaningless)
    std::vector<TruthEvent> missed;   ///< truth events no alert matched
};

AlertScore score_alerts(const std::vector<TruthEvent>& truth,
                        const std::vector<AlertRecord>& alerts,
                        const ScoringTolerances& tolerances);

/// {"overall":{...},"kinds":{"border_crossing":{...},...},"missed":[truth events]}
std::string to_json(const AlertScore& score);

/// `picket score --alerts FILE --events FILE [--max-delay S] [--distance M]`: the alert branch
/// of the score command. Reads both files, writes the JSON to `out`, errors to `err`; returns
/// the process exit code (0 ok, 1 bad input, 2 usage).
int run_score_alerts(const std::string& alerts_path, const std::string& events_path,
                     const ScoringTolerances& tolerances, std::ostream& out, std::ostream& err);

}  // namespace picket::sim
