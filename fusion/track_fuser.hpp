#pragma once
/// The regional picture from other systems' tracks (track-to-track fusion, docs/tracking.md):
/// each source track (a sector picket's, a CAT062 system's) is associated with at most one
/// regional track, at most one per source; a regional track's estimate is the covariance
/// intersection of its members after each source's translation bias is taken off, leaving out
/// any member whose sensors are all behind another member too (never a sensor counted twice).
/// Regional ids are the fuser's own, never reused, and keep their members across updates. When
/// a source restarts (its ids start again), its tracks leave their regional tracks, and a
/// regional track left with no member is held (coasting) for `restart_hold_s`: the restarted
/// source's new tracks join the regional tracks by state, so the regional ids survive.
/// Pure: no clock, no I/O; the same calls give the same picture.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/source_track.hpp"
#include "core/track.hpp"
#include "fusion/covariance_intersection.hpp"
#include "fusion/regional_index.hpp"
#include "fusion/source_bias.hpp"
#include "geo/local_frame.hpp"

namespace picket::fusion {

struct FuserConfig {
    LatLon origin;                 ///< the regional plane (the server's region origin)
    double gate_chi2{13.82};       ///< association gate on the 2-D position difference (99.9 %)
    double max_distance_m{3000};   ///< never associate farther apart than this, however wide
    double mmsi_distance_m{5000};  ///< the same MMSI associates within this, gate or not
    double max_age_s{120};         ///< a member not updated for this long leaves its track
    double accel_sigma_mps2{0.5};  ///< to bring members to a common time (white acceleration)
    /// A member farther than gate × this from the others, this many updates running, leaves.
    double detach_factor{4};
    int detach_after{3};
    int merge_after{2};  ///< regional tracks agreeing on this many merge passes become one
    /// A regional track whose members all left with a restarted source waits this long for a
    /// new source track to join it (a restarted sector needs a few scans to confirm again).
    double restart_hold_s{60};
    /// Bias before association: two single-source regional tracks of different sources that
    /// are each other's nearest within this, with no other within twice the distance, are a
    /// pair for the bias estimate (a bias beyond the gate would otherwise never be learnt).
    double bias_search_m{600};
    BiasConfig bias;
    /// Sources shown, never fused (a partner's tracks for display only): each of their tracks
    /// is a regional track of its own, which no other source's track joins or merges with.
    std::vector<FeedIndex> display_only;
    /// Association compares a source track with the regional tracks a grid finds near it
    /// (fusion/regional_index.hpp); false: with every regional track, the plain reference
    /// (the same picture: tested).
    bool indexed_association{true};
    /// The merge pass checks each pair's positions before its members and identities, from
    /// per-track facts found once a pass (fusion/fuser_merge.cpp); false: the plain order, a map
    /// lookup per fact per pair, the reference (the same merges: tested).
    bool fast_merge_pass{true};
};

struct FuserCounters {
    std::uint64_t source_updates{0};
    std::uint64_t out_of_order{0};  ///< an update older than the one held: ignored
    std::uint64_t associated{0};    ///< a source track joined an existing regional track
    std::uint64_t created{0};       ///< regional tracks started
    std::uint64_t merged{0};        ///< regional duplicates merged
    std::uint64_t detached{0};      ///< members that left a track they no longer agreed with
    std::uint64_t redundant{0};     ///< member-fusions that left out a member (shared sensors)
    std::uint64_t aged_out{0};
    std::uint64_t source_ended{0};
    std::uint64_t source_restarts{0};
    std::uint64_t held{0};     ///< regional tracks held empty after a source restarted
    std::uint64_t rebound{0};  ///< held regional tracks a source track joined again
    std::uint64_t hold_expired{0};
};

class TrackFuser {
public:
    explicit TrackFuser(FuserConfig config);

    /// A source's track, new or updated. Tentative source tracks neither start nor join one.
    void on_track(FeedIndex source, SourceTrack t);
    /// The source ended its track `id`.
    void on_ended(FeedIndex source, std::uint64_t id);
    /// The source's whole picture: its tracks not in `live` are gone.
    void on_picture(FeedIndex source, std::span<const std::uint64_t> live);
    /// The source restarted: its track ids are void (it reuses them) but its targets are not.
    /// Its tracks leave; a regional track left empty is held for a new source track to join.
    void on_source_restart(FeedIndex source);
    /// Time passes: members age out, duplicates merge, biases are re-solved (once a second).
    void advance(Timestamp now);

    /// Live regional tracks in id order, as published.
    [[nodiscard]] const std::vector<Track>& tracks() const { return public_; }
    struct Changes {
        std::vector<TrackId> updated;
        std::vector<TrackId> deleted;
    };
    Changes take_changes();

    bool set_standing(TrackId id, Standing s);
    bool set_class(TrackId id, TargetClass c);
    bool set_label(TrackId id, std::string label);

    [[nodiscard]] const SourceBias& bias() const { return bias_; }
    [[nodiscard]] const FuserCounters& counters() const { return counters_; }
    /// A live regional track's sources and the sensors behind them (published beside it).
    [[nodiscard]] std::shared_ptr<const TrackLineage> lineage(TrackId id) const;
    /// The regional track source `source`'s track `id` is a member of, if any.
    [[nodiscard]] std::optional<TrackId> regional_of(FeedIndex source, std::uint64_t id) const;
    /// The merge pass' candidates as they stand: per pair of regional tracks that would merge
    /// if they stayed so (FuserConfig::merge_after passes), the lower id -> its best partner.
    /// The fast way (FuserConfig::fast_merge_pass) and the plain reference; the same map.
    [[nodiscard]] std::map<TrackId, TrackId> merge_partners() const;
    [[nodiscard]] std::map<TrackId, TrackId> merge_partners_reference() const;

private:
    using Key = std::pair<FeedIndex, std::uint64_t>;
    struct Member {
        SourceTrack track;
        Eigen::Vector4d x;  ///< in the regional plane, uncorrected for bias
        std::optional<TrackId> regional;
        int disagreements{0};
    };
    struct Regional {
        std::vector<Key> members;  ///< sorted
        Estimate fused;            ///< bias-corrected, at `time`
        Timestamp time;
        Timestamp born;
        bool has_estimate{false};
        std::optional<TrackId> merge_with;
        /// Held with no member since (a source restarted), and the MMSI its members had.
        std::optional<Timestamp> held_since;
        std::optional<Mmsi> held_mmsi;
        int merge_count{0};
        // Operator's settings survive re-fusion.
        std::optional<TargetClass> class_override;
        Standing standing{Standing::unknown};
        std::string label;
    };

    /// A member's estimate in the regional plane, bias taken off, predicted to `t`.
    [[nodiscard]] Estimate corrected_at(const Key& k, const Member& m, Timestamp t) const;
    [[nodiscard]] Estimate predicted(const Estimate& e, Timestamp from, Timestamp to) const;
    /// Squared Mahalanobis distance of two estimates' positions (their covariances summed).
    [[nodiscard]] static double distance2(const Estimate& a, const Estimate& b);
    [[nodiscard]] double metres(const Estimate& a, const Estimate& b) const;
    [[nodiscard]] bool identity_conflict(const SourceTrack& t, TrackId r) const;
    [[nodiscard]] bool display_only(FeedIndex source) const;
    [[nodiscard]] bool has_display_only(const Regional& r) const;
    [[nodiscard]] std::optional<Mmsi> mmsi_of(TrackId r) const;
    void associate(const Key& k, Member& m);
    void check_membership(const Key& k, Member& m);
    void detach(const Key& k, Member& m);
    /// `hold`: a regional track left empty is held (a restart), not deleted.
    void remove_member(const Key& k, bool hold = false);
    void hold(TrackId r, std::optional<Mmsi> mmsi);
    void erase_regional(TrackId r);
    void refuse(TrackId r);
    void merge_pass();
    void unassociated_bias_pass();
    void merge(TrackId keep, TrackId gone);
    void mark(TrackId r) { changed_.push_back(r); }
    void publish(TrackId r);

    FuserConfig config_;
    geo::LocalFrame frame_;
    SourceBias bias_;
    std::map<Key, Member> members_;
    std::map<TrackId, Regional> regional_;
    RegionalIndex index_;        ///< the regional tracks with an estimate, by position
    std::vector<Track> public_;  ///< id order
    std::map<TrackId, std::shared_ptr<const TrackLineage>> lineage_;
    std::vector<TrackId> changed_;
    std::vector<TrackId> deleted_;
    TrackId next_id_{1};
    Timestamp now_;
    Timestamp last_pass_;
    FuserCounters counters_;
};

}  // namespace picket::fusion
