#pragma once
/// The incident ledger: groups what the rules find into incidents and carries each incident
/// through the operator's workflow (docs/rules.md, "Incidents").
///
/// A rule's finding (Finding) has a key — (subject, rule, detail): "this rule about this track"
/// — that stays active while the rule's condition holds, so a rule adds one timeline entry per
/// occurrence; the same key found again while active (a ground sensor firing again) updates that
/// entry's count instead. The finding joins an incident that is still *active* (its situation
/// going on): the incident of any of its subjects (its track, the track's MMSI, a rendezvous
/// partner), else, for a sensor-only detection or a track that might explain one, a nearby
/// sensor-only incident; else it opens a new incident. A finding of a new key that continues an
/// entry of its incident — the same rule and occurrence (`Finding::occurrence`: the same ground
/// sensor or camera, the same rule condition) while that entry's situation still holds, or its
/// last track was deleted under `continues_within` ago (the tracker lost the target and found it
/// again under a new id) — counts on that entry instead of adding one: one person standing in a
/// camera's view is one detection, however many tracks the camera's frames make of them. An
/// incident stays active while any of its keys is, and `resolve_after` longer; then a later
/// occurrence is a new incident.
///
/// Workflow: open -> acknowledged -> closed (with a disposition); an open incident not
/// acknowledged within its rule's `escalate_after` is escalated once (severity one step up);
/// evidence more severe than any before re-opens an acknowledged or closed incident
/// (`reopen_on_worse`); incidents can be assigned to a patrol asset and annotated.
///
/// The ledger owns no clock: every change takes the time it happens at. Changes are queued and
/// drained with take_updates() in the order they happened, so the server can persist and publish
/// them; replaying the same inputs gives the same ids and updates in the same order.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/alert.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket::rules {

/// One rule's finding about one subject: a track id, or a tagged MMSI / detection-cluster id
/// (rule_engine_impl.hpp), the compiled rule index and a rule-specific detail (rendezvous partner,
/// anomaly situation...). Ordered so that all keys of one subject are contiguous.
struct EvidenceKey {
    std::uint64_t subject{0};
    std::uint32_t rule{0};
    std::uint64_t detail{0};
    auto operator<=>(const EvidenceKey&) const = default;
};

/// How findings group into incidents and how incidents come back (rule file `incidents:`).
struct IncidentPolicy {
    /// Evidence more severe than any before re-opens an acknowledged or closed incident.
    bool reopen_on_worse{true};
    /// An incident keeps taking evidence until all its conditions have been clear this long.
    Duration resolve_after{Duration::from_seconds(600)};
    /// A sensor-only detection this close to the latest evidence of an active sensor-only
    /// incident joins it (people walking past several sensors are one incident).
    double cluster_m{500};
    /// A ground-sensor or camera detection this close to a live track is that track's.
    double explain_m{300};
    /// Targets doing the same thing together are one incident (a group): an unidentified track's
    /// finding joins the incident of another unidentified live track that has an entry of the
    /// same rule, when the two are within `group_m` of each other (at one sigma of their
    /// positions) and the other track was seen, and its entry found, within `group_within`.
    /// (Not by class: a walker's track is labelled "vehicle" on one frame in seven, and a car
    /// beside walkers at a border doing the same is one thing happening.) Two people walking
    /// together are metres apart; 300 m is `explain_m`, the distance at which the rules already
    /// call a detection a track's. A member found further than that from every other member has
    /// separated: its findings open an incident of its own.
    double group_m{300};
    Duration group_within{Duration::from_seconds(60)};
    /// Closed incidents count towards the false-alarm share per rule over this window.
    Duration share_window{Duration::from_seconds(7 * 24 * 3600)};
};

/// What the rule engine hands the ledger.
struct Finding {
    EvidenceKey key;
    Evidence entry;  ///< kind, severity, rule, zone, track(s), mmsi, where, first, message
    Track state;     ///< the track (or detection) state that raised it
    /// Who it is about, most specific first (a track, its MMSI; both tracks of a rendezvous).
    std::vector<std::uint64_t> subjects;
    /// No track explains it: it may join a nearby sensor-only incident (`cluster_m`).
    bool sensor_only{false};
    /// A track's finding: it may adopt a nearby sensor-only incident (the track that the ground
    /// sensors were feeling for).
    bool may_adopt{false};
    std::optional<Duration> escalate_after;
    /// Findings of one rule with the same occurrence in one incident are one situation (the
    /// sensor of a ground detection, the key's detail otherwise).
    std::uint64_t occurrence{0};
    /// How long after its last track was deleted an entry is still continued by a new track's
    /// finding of the same occurrence; 0: never (each crossing or entry is an event of its own).
    Duration continues_within{Duration::from_seconds(0)};
    /// A track's camera frame that does not fix where along its ray the target is (a bearing, a
    /// range from a vague depression angle): the camera and the ray. The track explained it by
    /// the ray, and the ray is also what says which incident it is of: a target another
    /// incident's evidence puts on the same ray within `explain_m` (IncidentLedger::route).
    struct Ray {
        LatLon site;
        double bearing_deg{0};
    };
    std::optional<Ray> ray;
};

/// The false-alarm share of one rule over the policy's window.
struct RuleShare {
    std::string rule;
    int closed{0};        ///< incidents closed in the window with evidence from this rule
    int false_alarms{0};  ///< ... closed as false alarms
    [[nodiscard]] double share() const { return closed > 0 ? double(false_alarms) / closed : 0.0; }
};

/// One closure, for the false-alarm share (restored from the store at startup).
using Closure = IncidentClosure;

class IncidentLedger {
public:
    /// `next_id` is the first id to hand out (ids start at 1; 0 means "none").
    explicit IncidentLedger(AlertId next_id = 1, IncidentPolicy policy = {});

    /// Restart: seeds the id counter and the incidents still open or acknowledged in the
    /// database. They are not active (the tracks they were about are gone): they take no new
    /// evidence, and escalate after `escalate_after` from when they were raised, if given.
    void restore(std::vector<Alert> not_closed, AlertId next_id,
                 const std::map<std::string, Duration>& escalate_after_by_rule = {});
    /// Restart: closures within the share window, for the false-alarm share.
    void restore_closures(std::vector<Closure> closures);

    /// Adds a finding at `now` (see the file comment). Returns the incident's id, or nullopt when
    /// the finding changed nothing (the same key again with nothing new).
    std::optional<AlertId> add(Finding f, Timestamp now);
    [[nodiscard]] bool key_active(const EvidenceKey& key) const { return keys_.contains(key); }
    /// The key's condition has cleared (after the rule's own hysteresis): its next occurrence is
    /// a new timeline entry, and the incident may resolve once nothing of it is active.
    void clear_key(const EvidenceKey& key, Timestamp now);
    /// Every key of a subject (a deleted track: its id is never reused). `lost`: the deleted
    /// track's last state; a new track found where the target would be by now (at its last
    /// velocity, for up to kLostCoast) may continue the incident, as one found where it was.
    void clear_subject(std::uint64_t subject, Timestamp now, const Track* lost = nullptr);
    /// How far ahead a lost track's last velocity says where its target is.
    static constexpr Duration kLostCoast = Duration::from_seconds(180);
    /// The incident a subject's findings go to now (active incidents only).
    [[nodiscard]] std::optional<AlertId> incident_of(std::uint64_t subject) const;

    /// Operator actions. Return false (and change nothing) for an unknown incident or one whose
    /// state does not allow it: acknowledge an open one; close one not closed; assign or
    /// annotate one not closed (notes on a closed incident still in memory are kept too).
    bool acknowledge(AlertId id, const std::string& by, Timestamp at);
    bool close(AlertId id, const std::string& by, Timestamp at, Disposition d = Disposition::none);
    bool assign(AlertId id, const std::string& asset, const std::string& by, Timestamp at);
    bool add_note(AlertId id, const std::string& by, Timestamp at, std::string text);

    /// Escalates overdue open incidents, resolves incidents quiet for `resolve_after`, forgets
    /// closures older than the share window.
    void tick(Timestamp now);

    /// Open and acknowledged incidents, by id (for snapshots).
    [[nodiscard]] std::vector<Alert> open_incidents() const;
    /// An incident the ledger still holds (open, acknowledged, or closed but active).
    [[nodiscard]] const Alert* find(AlertId id) const;
    [[nodiscard]] AlertId next_id() const { return next_id_; }
    [[nodiscard]] std::size_t active_keys() const { return keys_.size(); }
    [[nodiscard]] std::size_t active_incidents() const;
    [[nodiscard]] const IncidentPolicy& policy() const { return policy_; }
    /// False-alarm share per rule, by rule name, over the share window ending at `now`.
    [[nodiscard]] std::vector<RuleShare> rule_shares() const;

    /// New and changed incidents since the last call, in the order the changes happened.
    std::vector<Alert> take_updates();

private:
    /// What a timeline entry is and whether its situation still holds (its active keys).
    struct Occurrence {
        std::uint32_t rule{0};
        std::uint64_t occurrence{0};
        Duration continues_within{Duration::from_seconds(0)};
        int keys{0};                          ///< active keys counted on the entry
        std::optional<Timestamp> deleted_at;  ///< its last key went with a deleted track
    };
    struct Entry {
        Alert a;
        std::map<std::uint32_t, Occurrence> occurrences;  ///< by timeline seq
        std::optional<Timestamp> escalate_at;
        int keys{0};  ///< active keys
        Timestamp quiet_since;
        bool sensor_only{false};
        Severity evidence_max{Severity::info};
        std::optional<Timestamp> repeat_published;  ///< last repeat-only update published
        /// The last state of the incident's latest deleted track (clear_subject's `last`).
        std::optional<Track> lost;
        /// The latest state of each track its findings were about (a group's members, where
        /// they are), from the findings' own states.
        std::map<TrackId, Track> members;
        /// A second target joined it as a group: its members may separate.
        bool group{false};
        /// Its latest sensor-only detection (where and when it was found, its uncertainty): a
        /// track that explains it adopts the incident (route).
        std::optional<Track> detection;
    };
    struct KeyRef {
        AlertId id;
        std::uint32_t seq;  ///< its timeline entry
    };

    Entry* entry(AlertId id);
    void queue(Entry& e, IncidentChange change, const std::string& by, Timestamp at);
    void schedule_escalation(Entry& e, std::optional<Duration> after, Timestamp from);
    /// Where `f` goes: the incident of one of its subjects, else a group it joins (`joins`),
    /// else a nearby sensor-only or lost target's incident; nullopt: a new incident.
    std::optional<AlertId> route(const Finding& f, bool& joins) const;
    /// The active incident whose live member `f`'s track is together with in the same situation
    /// (IncidentPolicy::group_m), if any.
    [[nodiscard]] std::optional<AlertId> group_of(const Finding& f) const;
    /// `f`'s track is a member of the group `e` and no longer with any other member.
    [[nodiscard]] bool separated(const Entry& e, const Finding& f) const;
    /// `e`'s latest deleted track had no identity and was lost within kLostCoast: a new track
    /// without identity may be its target found again.
    [[nodiscard]] bool lost_unidentified(const Entry& e, const Finding& f) const;
    /// The track `t` is alive and its findings go to `e`.
    [[nodiscard]] bool member_alive(const Entry& e, TrackId t) const;
    /// The timeline entry of `e` that `f` continues (see the file comment), if any.
    Evidence* continued_entry(Entry& e, const Finding& f, Timestamp now);
    /// Remembers the state of `f`'s track as the incident's member.
    static void note_member(Entry& e, const Finding& f);
    /// Remembers `f` as the incident's latest sensor-only detection, if it is one.
    static void note_detection(Entry& e, const Finding& f);
    /// `f` counted again on the timeline entry `ev` of `e`; published at most every
    /// kRepeatPublishInterval.
    AlertId count_again(Entry& e, Evidence& ev, Finding& f, Timestamp now);
    /// A key of the entry `ref` went away: by its condition clearing, or with its track.
    void key_gone(const KeyRef& ref, Timestamp now, bool track_deleted);
    /// Every track the incident was about has been deleted (its subjects cleared).
    [[nodiscard]] bool tracks_gone(const Entry& e) const;
    static void refresh_headline(Alert& a);
    void resolve(Entry& e, Timestamp now);
    void forget_if_done(AlertId id);

    IncidentPolicy policy_;
    AlertId next_id_;
    std::map<AlertId, Entry> incidents_;                   // not closed, or closed but still active
    std::map<EvidenceKey, KeyRef> keys_;                   // active keys
    std::unordered_map<std::uint64_t, AlertId> subjects_;  // subjects of active incidents
    std::map<Timestamp, std::vector<AlertId>> escalations_;
    std::map<AlertId, Closure> closures_;  // within the share window
    std::vector<Alert> updates_;
};

}  // namespace picket::rules
