#pragma once
/// One partner's share of the picture: which track states it may see (area, class), what of
/// them (identity redacted), when (no sooner than `min_delay` after they were made) and how many
/// (a rate cap). Pure: no socket, no clock but the one passed in, so tests and the output agree.
///
/// A track shared once and then no longer allowed (it left the area, its class changed) or
/// deleted is ended for the partner with a `track.deleted` message, so the partner never keeps
/// a track we stopped telling it about. Ends are never dropped by the rate cap; an update over
/// the cap is (the track's next update carries the newer state), and counted.
#include <cstdint>
#include <deque>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "core/track.hpp"
#include "src/partners/partner_rules.hpp"

namespace picket::partners {

/// A message for the partner, ready for its PUB socket and the audit log.
struct PartnerMessage {
    std::string topic;  ///< "track" or "track.deleted"
    TrackId track{0};
    Timestamp made;    ///< when the state it carries was made (the engine's clock)
    std::string json;  ///< with the partner's own seq
};

struct PartnerCounters {
    std::uint64_t shared{0};        ///< track messages sent
    std::uint64_t ended{0};         ///< track.deleted messages sent
    std::uint64_t outside_area{0};  ///< track states withheld: outside the area
    std::uint64_t class_withheld{0};
    std::uint64_t rate_capped{0};  ///< updates dropped by the rate cap
};

/// Is `p` inside the polygon `area` (lat/lon vertices, even-odd rule; small areas, not across
/// the antimeridian)?
bool inside_area(std::span<const LatLon> area, LatLon p);

class PartnerFilter {
public:
    explicit PartnerFilter(PartnerRules rules);

    /// Tracks that changed at `now` (the engine's picture): each one allowed is queued.
    void on_tracks(std::span<const Track> tracks, Timestamp now);
    /// Tracks deleted at `now`: the partner's copies end (after the same delay).
    void on_deleted(std::span<const TrackId> ids, Timestamp now);
    /// The messages due at `now` (queued `min_delay` ago or more), within the rate cap.
    std::vector<PartnerMessage> due(Timestamp now);

    [[nodiscard]] const PartnerRules& rules() const { return rules_; }
    [[nodiscard]] const PartnerCounters& counters() const { return counters_; }

private:
    struct Pending {
        Timestamp made;
        bool end{false};
        Track track;  ///< redacted already; for an end only its id
    };
    [[nodiscard]] bool allowed(const Track& t);
    void end(TrackId id, Timestamp now);

    PartnerRules rules_;
    std::deque<Pending> queue_;  ///< in `made` order
    std::set<TrackId> shared_;   ///< tracks the partner holds (or will, once the queue drains)
    std::uint64_t seq_{0};
    double tokens_{0};
    Timestamp refilled_;
    PartnerCounters counters_;
};

}  // namespace picket::partners
