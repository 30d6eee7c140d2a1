#pragma once
/// Radar detection physics for the surface radar model: a Swerling 1 (slowly fluctuating)
/// target in thermal noise with square-law detection, for which
///     Pd = Pfa^(1 / (1 + SNR))                       (Skolnik, Radar Handbook, §2.6)
/// and the radar equation SNR ∝ σ / R⁴. The model is calibrated by one point: a target of
/// `rcs_ref_m2` at `range_ref_m` is detected with probability `pd_ref`, which fixes
///     SNR_ref = ln(Pfa) / ln(Pd_ref) - 1.
/// Beyond the radar horizon (4/3-earth refraction) nothing is detected.
namespace picket::sim {

struct RadarDetectionModel {
    double pd_ref{0.9};
    double range_ref_m{20'000};
    double rcs_ref_m2{10};
    double pfa{1e-6};

    /// Signal-to-noise ratio (linear) of a target of `rcs_m2` at `range_m`.
    [[nodiscard]] double snr(double range_m, double rcs_m2) const;
    /// Probability of detection in one scan.
    [[nodiscard]] double pd(double range_m, double rcs_m2) const;
};

/// Radar horizon (m) for an antenna at `antenna_height_m` and a target whose top is at
/// `target_height_m`, standard 4/3-earth refraction: d = 4.12 km (√h_a + √h_t), h in metres.
double radar_horizon_m(double antenna_height_m, double target_height_m);

}  // namespace picket::sim
