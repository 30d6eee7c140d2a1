#pragma once
// A DecodeSink for fuzz targets: touches every field so that reads of uninitialised or freed
// memory surface under the sanitizers, and checks invariants every decoder promises.
#include <cmath>
#include <cstdlib>

#include "sensors/feed_decoder.hpp"

namespace picket::fuzz {

struct CheckingSink final : sensors::DecodeSink {
    double sum{0};
    void measurement(Measurement m) override {
        // Decoders must never emit a non-finite number into the tracker.
        if (const auto* p = std::get_if<PolarZ>(&m.z)) {
            if (!std::isfinite(p->range_m) || !std::isfinite(p->bearing_rad) || p->range_m < 0)
                std::abort();
            sum += p->range_m + p->bearing_rad;
        } else if (const auto* q = std::get_if<PositionZ>(&m.z)) {
            if (!std::isfinite(q->where.lat_deg) || !std::isfinite(q->where.lon_deg) ||
                !q->cov_en_m2.allFinite())
                std::abort();
            sum += q->where.lat_deg;
        } else if (const auto* b = std::get_if<BearingZ>(&m.z)) {
            if (!std::isfinite(b->bearing_rad)) std::abort();
            sum += b->bearing_rad;
        }
        if (m.velocity &&
            (!std::isfinite(m.velocity->east_mps) || !std::isfinite(m.velocity->north_mps)))
            std::abort();
    }
    void identity(const Identity&, Timestamp) override {}
    void anomaly(std::string_view reason, std::optional<Mmsi>, LatLon, Timestamp) override {
        if (reason.empty()) std::abort();
    }
    void scan(double period_s, Timestamp) override {
        if (!(period_s > 0)) std::abort();
    }
    void rejected(const DecodeError& e) override {
        if (e.reason.empty()) std::abort();  // every rejection carries a reason code
    }
};

}  // namespace picket::fuzz
