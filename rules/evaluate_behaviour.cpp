// What a track does in an area: speeding, running dark, loitering, falling silent on AIS.
#include <algorithm>
#include <cstdio>

#include "rules/alert_text.hpp"
#include "rules/evaluators.hpp"

namespace picket::rules {
namespace {

std::string kn(double mps) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%.1f", mps / kMetresPerSecondPerKnot);
    return buf;
}

}  // namespace

void evaluate_speeding(RuleCycle& r) {
    const auto [in, stay_in] = r.area();
    const double v = r.c.speed_mps;
    const double limit = r.spec.above_speed_mps;
    // To start, faster than the limit by more than one sigma of the track's speed (its velocity
    // covariance along its course): a 16.5 kn ferry's track through a 100 deg turn read 29-34 kn
    // for ten seconds at +-5 kn (Gulf of Honduras seeds 7 and 11, a 30 kn limit). A speed known
    // to be over the limit starts it; once on, the speed alone keeps it (the hysteresis band).
    const double sigma_v = r.c.t.speed_sigma_mps();
    // And raised only on a speed known to be over the limit, the speed its message shows: a
    // 10 kn coaster's track (AIS and radar) read 26 kn +- 3 for ten seconds as clutter pulled
    // it, then 19.6 kn +- 14 when the dwell ended, and "19.6 kn (limit 20.0 kn)" was raised
    // (Gambia coast). The dwell itself keeps the hysteresis band (a speeding boat's filtered
    // speed dips between updates); the raise waits, while the latch is on, for a known speed.
    // And not while the track is coasting: it missed its last detections, and the plot or
    // report that finds it again after the gap, in a gate grown wide, may be another target's.
    // The covariance assumes the association was right, so one such update can make a speed
    // "known" that nothing measured: two ferries turning side by side read 38 and 45 kn
    // (+-2 kn) on their coasting tracks, a vessel's own AIS saying 21 kn (Gulf of Honduras
    // seeds 59 and 71, a 30 kn limit). Its speed is known again once it is confirmed again.
    const bool measured = r.c.t.status != TrackStatus::coasting;
    const bool over = in && measured && v - sigma_v > limit;
    // And raised only once measurements span the dwell: the dwell says the speed held that long,
    // and one update's speed, carried from cycle to cycle until the next, says nothing of how
    // long it held. A ferry at 21.5 kn turning from 030 to 302 read 34.0 kn +- 3 on its young
    // radar track's one update at 02:11:06, its next plot 12 s later, and the 10 s dwell ran
    // out on that one update; the next read 27 kn (Gulf of Honduras seed 61). A track updated
    // every scan or report waits at most one interval longer.
    auto& from = r.s.dwell_measured_from_ns;
    if (!r.s.cond.on && r.s.cond.pending_since_ns == ConditionLatch::kUnset)
        from = r.c.t.updated.ns;  // the measurement that would start a dwell this cycle
    const bool spanned = r.c.t.updated.ns - from >= r.spec.dwell.ns;
    r.level(
        over, stay_in && v > limit - r.spec.speed_hysteresis_mps, r.spec.dwell,
        [&] {
            return describe_target(r.c.t) + " at " + describe_motion(r.c.t) + r.where_text() +
                   " (limit " + kn(limit) + " kn)";
        },
        over && spanned);
}

namespace {

/// Why a dark track is dark: nothing heard, or an AIS that identifies no one.
std::string dark_reason(Mmsi invalid_mmsi) {
    if (invalid_mmsi == 0) return " (no AIS)";
    char buf[64];
    std::snprintf(buf, sizeof buf, " (AIS with invalid MMSI %09u: no identity)",
                  static_cast<unsigned>(invalid_mmsi));
    return buf;
}

}  // namespace

void evaluate_dark_target(RuleCycle& r) {
    const auto [in, stay_in] = r.area();
    bool dark = r.c.t.dark() && r.c.t.status != TrackStatus::deleted;
    // A new radar track where an identified vessel's track was just lost, within its quietest
    // AIS reporting interval, is that vessel until its next report is due: a trawler at anchor
    // reports every 3 min, and radar's new track of it was "dark" for 2 min until the next
    // report joined it (Gambia coast). Not while the rule is on: a vessel that was dark stays.
    if (dark && !r.s.cond.on && r.c.m.ais_heard_near(r.c.p, r.c.now)) dark = false;
    // A track that continues an identified vessel's lost track (TrackState::continued_mmsi) is
    // that vessel with its transponder silent: known, not dark; its silence is the AIS gap's
    // (demo seed 29: kilat, AIS off, slowed from 32 to 8 kn, radar lost its track and a new one
    // 60 m on was raised a dark target 1 min later).
    if (r.c.st.continued_mmsi != 0) dark = false;
    r.level(dark && in, dark && stay_in, r.spec.dwell, [&] {
        return describe_target(r.c.t) + dark_reason(r.c.st.invalid_mmsi) + r.where_text() + " at " +
               describe_motion(r.c.t);
    });
}

void evaluate_loitering(RuleCycle& r) {
    const auto [in, stay_in] = r.area();
    const double mean = r.c.st.mean_speed_mps();
    const double limit = r.spec.below_speed_mps;
    const bool enter = in && mean < limit;
    // A mean given its lost track's start this cycle: a dwell begun on the old mean holds only
    // if the corrected mean passes the strict test (TrackState::rejudge_mean).
    const bool stay = r.c.st.rejudge_mean && !r.s.cond.on
                          ? enter
                          : stay_in && mean < limit + r.spec.speed_hysteresis_mps;
    r.level(enter, stay, r.spec.dwell, [&] {
        return describe_target(r.c.t) + " loitering below " + kn(limit) + " kn for " +
               describe_duration(r.spec.dwell.seconds()) + r.where_text();
    });
}

void TrackState::note_ais_report(Timestamp last_ais) {
    if (!(ais_seen < last_ais)) return;
    if (ais_seen.ns != 0) {
        ais_gaps_s[ais_gap_next] = static_cast<float>((last_ais - ais_seen).seconds());
        ais_gap_next = static_cast<std::uint8_t>((ais_gap_next + 1) % kAisGapsKept);
        ais_gaps = static_cast<std::uint8_t>(std::min<std::size_t>(ais_gaps + 1u, kAisGapsKept));
    }
    ais_seen = last_ais;
}

double TrackState::ais_interval_s() const {
    if (ais_gaps == 0) return 0;
    // No vessel's nominal interval is longer than the quietest one ITU-R M.1371 allows: a
    // longer gap was a silence or lost reports, not a rate.
    return std::min(
        static_cast<double>(*std::min_element(ais_gaps_s.begin(), ais_gaps_s.begin() + ais_gaps)),
        kAisQuietestReport.seconds());
}

void evaluate_ais_gap(RuleCycle& r) {
    const auto [in, stay_in] = r.area();
    const Track& t = r.c.t;
    // A spoof suspect is not silent: its transponder keeps reporting a position the sensors
    // contradict, and the tracker keeps those reports out of the track (so last_ais stays
    // behind). The anomaly incident says what it is doing; a gap would be a false second story.
    // An unidentified track that continues an identified vessel's lost track is that vessel:
    // radar still holds it, its transponder still silent (TrackState::continued_mmsi). The demo's
    // kilat (seeds 3 and 97) switches its AIS off at 45 s and radar loses its track at 80-200 s,
    // before the 3 min gap; the new radar track of it was "dark" and no gap was ever raised.
    const Mmsi continued = t.identity ? 0 : r.c.st.continued_mmsi;
    const std::optional<Timestamp> last_ais =
        t.identity ? t.last_ais
                   : (continued != 0 ? std::optional{r.c.st.continued_last_ais} : std::nullopt);
    // One silence, one entry: one its lost track had raised is not raised again (demo seed 41:
    // kilat's gap raised at 3 min, its track lost at 25 min, the new one "silent for 25 min").
    const auto& gaps = r.c.m.gap_rules;
    const auto at = std::find(gaps.begin(), gaps.end(), r.rule) - gaps.begin();
    const bool raised_before =
        continued != 0 && at < 64 && ((r.c.st.continued_gaps_raised >> at) & 1U) != 0;
    // Two missed reports at least, by the vessel's own interval (kAisGapIntervals); a lost
    // track's continuation has only its silence, not its rate.
    const double interval_s = continued != 0 ? 0.0 : r.c.st.ais_interval_s();
    const Duration gap =
        std::max(r.spec.gap, Duration::from_seconds(kAisGapIntervals * interval_s));
    const bool silent =
        last_ais && !t.spoof_suspect && !raised_before && t.updated - *last_ais > gap;
    r.level(in && silent, stay_in && silent, Duration{0}, [&] {
        return describe_target(t) +
               (continued != 0 ? ", MMSI " + std::to_string(continued) + " found again," : "") +
               " AIS silent for " + describe_duration((t.updated - *last_ais).seconds()) +
               " while radar holds it" + r.where_text();
    });
}

void evaluate_rendezvous_area(RuleCycle& r) { r.area(); }

Evaluator evaluator_for(AlertKind kind) {
    switch (kind) {
        case AlertKind::zone_entry:
            return evaluate_zone_entry;
        case AlertKind::zone_exit:
            return evaluate_zone_exit;
        case AlertKind::zone_presence:
            return evaluate_zone_presence;
        case AlertKind::border_crossing:
            return evaluate_border_crossing;
        case AlertKind::approach:
            return evaluate_approach;
        case AlertKind::speeding:
            return evaluate_speeding;
        case AlertKind::dark_target:
            return evaluate_dark_target;
        case AlertKind::loitering:
            return evaluate_loitering;
        case AlertKind::ais_gap:
            return evaluate_ais_gap;
        case AlertKind::rendezvous:
            return evaluate_rendezvous_area;
        case AlertKind::ais_anomaly:
        case AlertKind::ground_detection:
            return nullptr;
    }
    return nullptr;
}

}  // namespace picket::rules
