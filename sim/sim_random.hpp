#pragma once
/// Deterministic random numbers for the simulator. The standard library's distributions are
/// implementation-defined (libstdc++ and libc++ give different normals from the same engine), so
/// the few distributions the sim needs are written here on top of SplitMix64: the same seed gives
/// the same scenario on every platform and compiler.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string_view>

namespace picket::sim {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    /// Seed for an independent stream named `name` (a sensor id, a target name) under `seed`:
    /// each sensor draws from its own stream, so adding a camera does not change the radar's plots.
    static std::uint64_t derive(std::uint64_t seed, std::string_view name) {
        std::uint64_t h = 1469598103934665603ull ^ seed;  // FNV-1a over the name, keyed by seed
        for (const char c : name) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        return h;
    }

    std::uint64_t next_u64() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    bool chance(double p) { return uniform() < p; }
    /// Standard normal (Box-Muller; one draw per call for simplicity of state).
    double normal() {
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    double normal(double sigma) { return sigma * normal(); }
    /// Poisson count with mean `mean` (Knuth for small means, normal approximation above 50).
    int poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 50) {
            const double x = std::round(mean + std::sqrt(mean) * normal());
            return x < 0 ? 0 : static_cast<int>(x);
        }
        const double limit = std::exp(-mean);
        int k = 0;
        double p = uniform();
        while (p > limit) {
            ++k;
            p *= uniform();
        }
        return k;
    }
    /// Exponential waiting time with the given mean.
    double exponential(double mean) {
        double u = uniform();
        while (u <= 0.0) u = uniform();
        return -mean * std::log(u);
    }

private:
    std::uint64_t state_;
};

}  // namespace picket::sim
