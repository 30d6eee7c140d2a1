#pragma once
/// Simulated scenes with known truth for the accuracy tests and the benchmark: targets, their
/// true states at every scan, and the detections a sensor with Pd, clutter and Gaussian
/// position noise would report. Seeded: a seed gives the same scene on every machine.
#include <cstdint>
#include <vector>

namespace picket::eval {

/// Truth CSV row (`time,truth_id,x,y`); velocity kept for tests.
struct TruthPoint {
    double t_s{0};
    std::uint64_t truth_id{0};
    double x_m{0};
    double y_m{0};
    double vx_mps{0};
    double vy_mps{0};
};

/// Detection CSV row (`time,x,y`); truth_id is -1 for clutter (written as an extra column).
struct Detection {
    double t_s{0};
    double x_m{0};
    double y_m{0};
    std::int64_t truth_id{-1};
};

struct Scene {
    std::vector<TruthPoint> truth;      ///< sorted by time, then truth id
    std::vector<Detection> detections;  ///< sorted by time; within a scan in random order
};

/// Constant-velocity targets on a jittered grid (spacing large enough that no two ever come
/// within `min_separation_m`), headings uniform, speeds uniform in [speed_min, speed_max],
/// perturbed by continuous white-noise acceleration of density accel_sigma^2 (the same
/// model as filters/motion_models.hpp, sampled exactly).
struct CvSceneConfig {
    int targets{10};
    double duration_s{120};
    double scan_s{2};
    double speed_min_mps{3};
    double speed_max_mps{12};
    double accel_sigma_mps2{0.05};
    double min_separation_m{2000};
    double pd{0.9};
    double clutter_per_scan{10};  ///< mean number of false alarms per scan, uniform over the area
    double sigma_m{20};           ///< detection noise per axis
    std::uint64_t seed{1};
};
Scene make_cv_scene(const CvSceneConfig& cfg);

/// Manoeuvring boats: straight for `straight_s`, a coordinated turn of `turn_deg` at
/// `turn_rate_dps`, straight again; targets far apart. Exact truth (no process noise).
struct TurnSceneConfig {
    int targets{10};
    double speed_mps{15.4333};  ///< 30 kn
    double turn_deg{90};
    double turn_rate_dps{6};
    double straight_s{60};
    double scan_s{2};
    double pd{0.9};
    double clutter_per_scan{5};
    double sigma_m{20};
    double spacing_m{10000};
    std::uint64_t seed{2};
};
Scene make_turn_scene(const TurnSceneConfig& cfg);

/// Issue 13's scenes (the kind bench/tracking/compare_stonesoup.py generates): `targets`
/// nearly-constant-velocity targets over the run, about `density_per_km2` of them per km^2 in a
/// square, speeds uniform in [speed_min, speed_max], headings uniform; half present from the
/// start and the others born at a uniform time in the first 60 % of the run; half live to the
/// end, the others die at a uniform time at least 20 % of the run after birth. Truth ids count
/// from 1; a target is in the truth only while alive.
struct OpenSceneConfig {
    int targets{100};
    int scans{100};
    double scan_s{1};
    double speed_min_mps{3};
    double speed_max_mps{15};
    double accel_sigma_mps2{0.2236};  ///< sqrt(0.05): q = 0.05 m^2/s^3
    double density_per_km2{1};
    double pd{0.9};
    double clutter_per_target{0.5};  ///< false plots per scan = this x targets, uniform
    double sigma_m{10};
    std::uint64_t seed{1};
};
Scene make_open_scene(const OpenSceneConfig& cfg);

/// Pairs of targets meeting: each pair, far from every other, moves at constant velocity (exact,
/// no process noise: the miss distance is what it is said to be) and passes at its closest
/// `miss_min_m`..`miss_max_m` apart at mid-run. `crossing_deg_min`..`max` is the angle between
/// the two headings (near 0: side by side, one overtaking the other; 90: a right-angle crossing);
/// the two speeds differ by at least `speed_gap_mps`. Detections as in `detect` with
/// `clutter_per_target` x 2 x pairs false plots per scan.
struct EncounterSceneConfig {
    int pairs{20};
    int scans{100};
    double scan_s{1};
    double miss_min_m{30};
    double miss_max_m{50};
    double crossing_deg_min{30};
    double crossing_deg_max{150};
    double speed_min_mps{3};
    double speed_max_mps{15};
    double speed_gap_mps{2};
    double pair_spacing_m{5000};
    double pd{0.9};
    double clutter_per_target{0.5};
    double sigma_m{10};
    std::uint64_t seed{1};
};
Scene make_encounter_scene(const EncounterSceneConfig& cfg);

/// Pairs of targets moving together (a convoy of two, boats in company): the same constant
/// velocity (exact), side by side `separation_m` apart across their heading, for the whole run.
/// Detections as in EncounterSceneConfig.
struct ConvoySceneConfig {
    int pairs{20};
    int scans{100};
    double scan_s{1};
    double separation_m{50};
    double speed_min_mps{3};
    double speed_max_mps{15};
    double pair_spacing_m{5000};
    double pd{0.9};
    double clutter_per_target{0.5};
    double sigma_m{10};
    std::uint64_t seed{1};
};
Scene make_convoy_scene(const ConvoySceneConfig& cfg);

/// Adds detections (Pd, noise, clutter over the truth's bounding box + margin) to a truth.
void detect(Scene& scene, double pd, double sigma_m, double clutter_per_scan, double scan_s,
            std::uint64_t seed);

}  // namespace picket::eval
