// Per-source translation bias from associated pairs: relative to the reference source, solved
// by least squares over every pair, robust to noise.
#include <catch2/catch.hpp>

#include <random>

#include "fusion/source_bias.hpp"

using namespace picket::fusion;

TEST_CASE("biases are recovered relative to the reference source", "[fusion][bias]") {
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0, 30);
    const Eigen::Vector2d truth[3] = {{0, 0}, {150, -80}, {-60, 200}};
    SourceBias bias;
    for (int n = 0; n < 400; ++n) {
        for (picket::FeedIndex a = 0; a < 3; ++a)
            for (picket::FeedIndex b = a + 1; b < 3; ++b) {
                if (a == 0 && b == 2) continue;  // 0 and 2 never overlap: only through 1
                const Eigen::Vector2d e(noise(rng), noise(rng));
                bias.add_pair(a, b, truth[a] - truth[b] + e);
            }
    }
    bias.solve();
    CHECK(bias.bias(0).norm() < 1e-12);
    CHECK((bias.bias(1) - truth[1]).norm() < 10);
    CHECK((bias.bias(2) - truth[2]).norm() < 10);
    CHECK(bias.bias(9).norm() == 0);  // never seen
}

TEST_CASE("a configured reference, and too few pairs leave biases at zero", "[fusion][bias]") {
    BiasConfig c;
    c.reference = 1;
    SourceBias bias(c);
    for (int n = 0; n < 10; ++n) bias.add_pair(0, 1, {100, 0});
    bias.solve();
    CHECK(bias.bias(0).norm() == 0);  // 10 < min_pairs
    for (int n = 0; n < 30; ++n) bias.add_pair(1, 0, {-100, 0});
    bias.solve();
    CHECK(bias.bias(1).norm() < 1e-9);
    CHECK((bias.bias(0) - Eigen::Vector2d(100, 0)).norm() < 1e-9);
}
