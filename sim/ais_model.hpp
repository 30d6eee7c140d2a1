#pragma once
/// AIS: every target with a transponder transmits position reports at the ITU-R M.1371
/// autonomous rates (ais_reporting.hpp) and static data every 6 minutes; each shore receiver in
/// range hears a transmission unless it drops it, and forwards it as NMEA AIVDM sentences with
/// an NMEA 4.10 tag block (c: time, s: station). One ZeroMQ message per transmission heard:
/// a type 1 (Class A) or 18 (Class B) sentence, the two sentences of a type 5, or a 24A / 24B.
/// Transponders switched off or spoofing do exactly that, per their AisSpec.
#include <Eigen/Core>
#include <queue>
#include <vector>

#include "sim/sim_random.hpp"
#include "sim/sim_world.hpp"

namespace picket::sim {

class AisModel final : public SensorModel {
public:
    AisModel(const std::vector<AisReceiverSpec>& receivers, const SimWorld& world);

    [[nodiscard]] double next_s() const override {
        return queue_.empty() ? kNever : queue_.top().t_s;
    }
    void step(std::vector<SimMessage>& out) override;

    /// Position report interval the transponder of `target` uses at time t (s).
    [[nodiscard]] double report_interval_s(std::size_t target, double t_s) const;
    /// When `target` transmits a position report, in scenario seconds, over the whole run: the
    /// schedule step() follows (before any receiver drops one). Empty without AIS or receivers.
    /// The truth of AIS gaps is measured from these (a Class B at rest reports every 3 min).
    [[nodiscard]] std::vector<double> position_report_times(std::size_t target) const;

private:
    enum class What : std::uint8_t { position, static_data };
    struct Due {
        double t_s;
        std::uint32_t target;
        What what;
        bool operator>(const Due& o) const {
            if (t_s != o.t_s) return t_s > o.t_s;
            if (target != o.target) return target > o.target;
            return what > o.what;
        }
    };
    struct Receiver {
        AisReceiverSpec spec;
        Eigen::Vector2d en;
        Rng rng;
        int sequence_id{0};
    };

    [[nodiscard]] bool transmitting(std::size_t target, double t_s) const;
    void send_position(std::size_t target, double t_s, std::vector<SimMessage>& out);
    void send_static(std::size_t target, double t_s, std::vector<SimMessage>& out);
    /// Hands one transmission (already encoded per receiver by `encode`) to every receiver
    /// in range that does not drop it.
    template <class Encode>
    void broadcast(std::size_t target, double t_s, Encode&& encode, std::vector<SimMessage>& out);

    const SimWorld& world_;
    std::vector<Receiver> receivers_;
    Rng rng_;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> queue_;
    std::vector<char> channel_b_;         ///< per target: alternate radio channels A/B
    std::vector<double> first_report_s_;  ///< per target: its first position report; -1: none
};

}  // namespace picket::sim
