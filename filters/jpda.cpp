#include "filters/jpda.hpp"

#include <cstddef>

namespace picket::filters {
namespace {

struct Enumerator {
    int tracks;
    int meas;
    const std::vector<double>& lr;
    double miss;
    std::vector<double>& beta;
    std::vector<int> choice;  // per track: measurement index or -1
    std::vector<char> taken;
    long events{0};
    long max_events;
    double total{0};

    bool run(int t, double weight) {
        if (t == tracks) {
            if (++events > max_events) return false;
            total += weight;
            for (int i = 0; i < tracks; ++i) {
                const int m = choice[static_cast<std::size_t>(i)];
                const int col = m < 0 ? meas : m;
                beta[static_cast<std::size_t>(i * (meas + 1) + col)] += weight;
            }
            return true;
        }
        choice[static_cast<std::size_t>(t)] = -1;
        if (!run(t + 1, weight * miss)) return false;
        for (int m = 0; m < meas; ++m) {
            const double l = lr[static_cast<std::size_t>(t * meas + m)];
            if (l <= 0 || taken[static_cast<std::size_t>(m)]) continue;
            taken[static_cast<std::size_t>(m)] = 1;
            choice[static_cast<std::size_t>(t)] = m;
            const bool ok = run(t + 1, weight * l);
            taken[static_cast<std::size_t>(m)] = 0;
            if (!ok) return false;
        }
        return true;
    }
};

}  // namespace

bool jpda_marginals(int tracks, int meas, const std::vector<double>& lr, double miss_weight,
                    std::vector<double>& beta, long max_events) {
    beta.assign(static_cast<std::size_t>(tracks * (meas + 1)), 0.0);
    Enumerator e{tracks,
                 meas,
                 lr,
                 miss_weight,
                 beta,
                 std::vector<int>(static_cast<std::size_t>(tracks), -1),
                 std::vector<char>(static_cast<std::size_t>(meas), 0),
                 0,
                 max_events,
                 0.0};
    if (!e.run(0, 1.0)) return false;
    if (!(e.total > 0)) return false;
    for (double& b : beta) b /= e.total;
    return true;
}

}  // namespace picket::filters
