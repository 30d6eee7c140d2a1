#pragma once
/// A seeded random source with its own distributions. std::normal_distribution and friends are
/// not specified bit-for-bit by the standard, so scenes would change between standard
/// libraries; the engine (std::mt19937_64) is fully specified, and these transforms are ours.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace picket::eval {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Standard normal by Box-Muller (both values used).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1 = uniform();
        while (u1 <= 0) u1 = uniform();
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(2 * std::numbers::pi * u2);
        has_spare_ = true;
        return r * std::cos(2 * std::numbers::pi * u2);
    }
    double normal(double mean, double sigma) { return mean + sigma * normal(); }
    /// Poisson by inversion (Knuth) for small means, rounded normal above 50.
    std::uint64_t poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 50) {
            const double v = std::round(normal(mean, std::sqrt(mean)));
            return v < 0 ? 0 : static_cast<std::uint64_t>(v);
        }
        const double l = std::exp(-mean);
        std::uint64_t k = 0;
        double p = uniform();
        while (p > l) {
            ++k;
            p *= uniform();
        }
        return k;
    }

private:
    std::mt19937_64 engine_;
    double spare_{0};
    bool has_spare_{false};
};

}  // namespace picket::eval
