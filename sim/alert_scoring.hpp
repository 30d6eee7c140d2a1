#pragma once
/// Scores a run's incidents against the simulator's truth events (docs/sim.md, "Scoring").
///
/// An incident (the server's `alert` topic, docs/protocol.md) carries a timeline of evidence: one
/// entry per rule that found something about its target(s). Scoring works on both levels:
///
///  - Evidence: an entry *explains* a truth event of the same kind (and the same rule, when both
///    name one; and the same vessel, when both know its MMSI) raised within [event - early_s,
///    event + max_delay_s] and within distance_m of the event (or, for a spoof, of the position
///    the transponder reported). Per kind: recall (truth
///    events matched one-to-one, earliest entry first), precision (entries that explain some
///    event), delay (entry time - event time).
///  - Incidents: an incident is *false* when none of its entries explains any truth event.
///    precision = explained incidents / incidents; false incidents per hour of the run; and, per
///    truth event found, how many distinct incidents explain it (one situation split into several
///    incidents, or raised again, counts more than one).
///
/// Before protocol version 2 every alert was its own incident with one entry: such lines are read
/// that way, so old recordings score too.
#include <array>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.hpp"
#include "core/ids.hpp"
#include "sim/truth.hpp"

namespace picket::sim {

/// One evidence entry of an incident, as scoring needs it.
struct EvidenceRecord {
    AlertKind kind{AlertKind::zone_entry};
    std::string rule;  ///< empty when unknown
    Timestamp time;
    LatLon where;
    Mmsi mmsi{0};  ///< the identity the evidence is about (0: none known)
    /// The same finding again (a ground sensor re-firing, counted on its timeline entry), at
    /// the entry's `last` time, or another target of a group's entry (its `targets` after the
    /// first, protocol version 3), when and where that one joined: it may find a truth event
    /// (recall) but is not an entry of its own (precision, evidence counts).
    bool repeat{false};
    /// Which entry of its incident this is (the timeline entry's `seq`, 0 when the line has
    /// none) and, for a group's further target, that target's track (0 otherwise): two entries
    /// of one kind and rule at the same second, two tracks crossing together, are two entries.
    std::uint64_t entry{0};
    std::uint64_t target{0};
};

/// An incident as published: its id and every evidence entry seen in any of its updates.
struct IncidentRecord {
    std::uint64_t id{0};
    std::vector<EvidenceRecord> evidence;
};

/// Parses one line of the `alert` topic (a GeoJSON Feature, optionally preceded by the topic
/// word): the incident id and its evidence (the `timeline` entries, or the alert itself before
/// protocol version 2), or a flat object {"kind","time","lat","lon"[,"rule"]}. nullopt for
/// anything else (blank lines, other topics).
std::optional<IncidentRecord> parse_alert_line(std::string_view line);

/// Reads alert lines and merges the updates of each incident (same id) into one record with
/// every distinct evidence entry. Lines without an id are incidents of their own. Throws
/// std::runtime_error when the file cannot be opened.
std::vector<IncidentRecord> read_incidents(const std::string& path);
/// Reads an events.jsonl written by `picket sim`. Throws on a missing file or a bad line.
std::vector<TruthEvent> read_truth_events(const std::string& path);
/// The run's length in seconds from the run.json `picket sim --truth DIR` writes next to
/// events.jsonl; nullopt when there is none.
std::optional<double> read_run_duration_s(const std::string& events_path);

/// Where each truth target was, second by second (the truth.csv `picket sim --truth DIR` writes
/// next to events.jsonl): an entry about a state that held for a while is judged against where
/// its target was when the entry was raised, not where the state began.
class TruthPaths {
public:
    /// One sample; each target's samples in time order.
    void add(TruthId id, Timestamp t, LatLon where);
    /// The target's position at `t`: the nearest sample (1 s apart: a fast boat's 7 m), its first
    /// or last outside its life; nullopt for a target without samples.
    [[nodiscard]] std::optional<LatLon> at(TruthId id, Timestamp t) const;
    [[nodiscard]] bool empty() const { return by_id_.empty(); }

private:
    std::map<TruthId, std::vector<std::pair<Timestamp, LatLon>>> by_id_;
};
/// The samples of targets `ids` from truth.csv beside `events_path` (columns found by the
/// header's names time, truth_id, lat, lon); empty when there is no such file. Throws on a bad
/// row.
TruthPaths read_truth_paths(const std::string& events_path, const std::set<TruthId>& ids);

struct KindTolerance {
    double early_s{30};
    double max_delay_s{120};
    double distance_m{2000};
    /// > 0: when the target's path is known (TruthPaths), the entry must lie within this of where
    /// the target was at the entry's time, instead of within distance_m of where the event began
    /// (distance_m still applies to a spoof's reported position, and when no path is known).
    double along_path_m{0};
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

/// Evidence-level figures of one kind (or one rule, or all pooled).
struct KindScore {
    AlertKind kind{AlertKind::zone_entry};
    std::string rule;  ///< per-rule scores only
    int truth_events{0};
    int scripted_events{0};
    int matched{0};             ///< truth events found (one-to-one with entries)
    int scripted_matched{0};    ///< scripted truth events found
    int evidence{0};            ///< entries of this kind
    int false_evidence{0};      ///< entries that explain no truth event
    double recall{0};           ///< matched / truth_events (1 when there were none)
    double scripted_recall{0};  ///< scripted_matched / scripted_events (1 when none)
    double precision{0};        ///< (evidence - false_evidence) / evidence (1 when none)
    double mean_delay_s{0};
    double max_delay_s{0};
};

/// Incident-level figures.
struct IncidentScore {
    int incidents{0};
    int false_incidents{0};
    double precision{0};  ///< (incidents - false) / incidents (1 when none)
    double false_per_hour{0};
    double run_hours{0};
    int events_found{0};            ///< truth events some incident explains
    int split_events{0};            ///< ... by more than one incident
    double incidents_per_event{0};  ///< mean distinct incidents per found event
};

struct AlertScore {
    std::vector<KindScore> per_kind;  ///< kinds with any truth event or evidence, enum order
    std::vector<KindScore> per_rule;  ///< rules named by truth or evidence, by name
    KindScore overall;                ///< all kinds pooled (kind field meaningless)
    IncidentScore incidents;
    std::vector<TruthEvent> missed;  ///< truth events no entry matched
    std::vector<IncidentRecord> false_incidents;
    /// Each split event (found by more than one incident) and the ids of its incidents: what a
    /// reader of a run looks at for incidents per event.
    std::vector<std::pair<TruthEvent, std::vector<std::uint64_t>>> splits;
};

/// `run_s`: the run's length, for false incidents per hour (0: from the first to the last time
/// seen in truth and incidents). `paths`: the targets' true paths (KindTolerance::along_path_m),
/// null or empty: every kind is judged from where its event began.
AlertScore score_alerts(const std::vector<TruthEvent>& truth,
                        const std::vector<IncidentRecord>& incidents,
                        const ScoringTolerances& tolerances, double run_s = 0,
                        const TruthPaths* paths = nullptr);

/// {"overall":{...},"incidents":{...},"kinds":{...},"rules":{...},"missed":[truth events],
///  "false_incidents":[{"id","evidence":[...]}],
///  "splits":[{"event":{...},"incidents":[id,...]}]}
std::string to_json(const AlertScore& score);

/// `picket score --alerts FILE --events FILE [--max-delay S] [--distance M]`: the alert branch
/// of the score command. Reads both files, writes the JSON to `out`, errors to `err`; returns
/// the process exit code (0 ok, 1 bad input, 2 usage). `run_s` <= 0: run.json, else the span.
int run_score_alerts(const std::string& alerts_path, const std::string& events_path,
                     const ScoringTolerances& tolerances, std::ostream& out, std::ostream& err,
                     double run_s = 0);

}  // namespace picket::sim
