#pragma once
/// AIS autonomous reporting intervals, ITU-R M.1371-5 Annex 1 §4.2.1, Table 1 (Class A) and
/// Table 2 (Class B "CS"), and the static data rate (§4.2.1: every 6 min, and on change).
///
/// Class A (Table 1):
///   at anchor or moored, not moving faster than 3 kn ............ 3 min
///   at anchor or moored, moving faster than 3 kn ................ 10 s
///   0-14 kn .......................................................  10 s
///   0-14 kn and changing course ..................................  3 1/3 s
///   14-23 kn ......................................................  6 s
///   14-23 kn and changing course .................................  2 s
///   > 23 kn .......................................................  2 s
/// Class B CS (Table 2): not moving faster than 2 kn: 3 min; faster than 2 kn: 30 s.
namespace picket::sim {

inline constexpr double kStaticDataIntervalS = 360.0;

/// Class A position report interval (s). `changing_course` is a turn in progress (the standard
/// leaves the threshold to the unit; we use > 5° of course change over the last 10 s).
constexpr double class_a_interval_s(double sog_kn, bool changing_course, bool anchored_or_moored) {
    if (anchored_or_moored) return sog_kn > 3.0 ? 10.0 : 180.0;
    if (sog_kn > 23.0) return 2.0;
    if (sog_kn > 14.0) return changing_course ? 2.0 : 6.0;
    return changing_course ? 10.0 / 3.0 : 10.0;
}

/// Class B CS position report interval (s).
constexpr double class_b_interval_s(double sog_kn) { return sog_kn > 2.0 ? 30.0 : 180.0; }

}  // namespace picket::sim
