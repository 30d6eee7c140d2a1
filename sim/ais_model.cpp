#include "sim/ais_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

#include "sensors/ais/ais_encoder.hpp"
#include "sim/ais_reporting.hpp"

namespace picket::sim {
namespace {

namespace ais = sensors::ais;

constexpr double kTurnWindowS = 10.0;      // "changing course": course change over this window ...
constexpr double kTurnThresholdDeg = 5.0;  // ... above this
constexpr double kGpsSigmaM = 3.0;         // AIS positions come from the ship's GNSS

double course_deg(const Eigen::Vector2d& v) {
    double c = std::atan2(v.x(), v.y()) * 180.0 / std::numbers::pi;
    if (c < 0) c += 360.0;
    return c >= 360.0 ? 0.0 : c;
}
double angle_diff_deg(double a, double b) {
    double d = std::fmod(a - b + 540.0, 360.0) - 180.0;
    return d;
}
std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (s.size() > 20) s.resize(20);
    return s;
}
ais::ShipDimensions dimensions(const AisSpec& a) {
    ais::ShipDimensions d;
    if (a.length_m <= 0) return d;
    d.to_bow_m = static_cast<int>(std::lround(a.length_m * 0.6));
    d.to_stern_m = static_cast<int>(std::lround(a.length_m * 0.4));
    d.to_port_m = static_cast<int>(std::lround(a.beam_m / 2));
    d.to_starboard_m = static_cast<int>(std::lround(a.beam_m / 2));
    return d;
}
std::string join(const std::vector<std::string>& sentences) {
    std::string out;
    for (const auto& s : sentences) {
        if (!out.empty()) out += "\r\n";
        out += s;
    }
    return out;
}

}  // namespace

AisModel::AisModel(const std::vector<AisReceiverSpec>& receivers, const SimWorld& world)
    : world_(world), rng_(Rng::derive(world.seed, "ais-transponders")) {
    for (const auto& r : receivers)
        receivers_.push_back({r, world.frame.to_en(r.position),
                              Rng(Rng::derive(world.seed, "ais-rx:" + r.feed.id)), 0});
    channel_b_.assign(world.targets.size(), 0);
    first_report_s_.assign(world.targets.size(), -1.0);
    if (receivers_.empty()) return;
    for (std::size_t i = 0; i < world.targets.size(); ++i) {
        if (world.targets[i].ais.cls == AisClass::none) continue;
        const Trajectory& path = world.paths[i];
        const double t0 = std::max(0.0, path.start_s());
        if (t0 > path.end_s() || t0 >= world.duration_s) continue;
        // Transponders are not synchronised: a random phase within the first interval.
        const auto id = static_cast<std::uint32_t>(i);
        first_report_s_[i] = t0 + rng_.uniform(0, report_interval_s(i, t0));
        queue_.push({first_report_s_[i], id, What::position});
        queue_.push({t0 + rng_.uniform(0, 60.0), id, What::static_data});
    }
}

double AisModel::report_interval_s(std::size_t target, double t_s) const {
    const Trajectory& path = world_.paths[target];
    const MotionState now = path.at(t_s);
    const double sog_kn = now.vel_mps.norm() / kKnotToMps;
    if (world_.targets[target].ais.cls == AisClass::b) return class_b_interval_s(sog_kn);
    const MotionState before = path.at(t_s - kTurnWindowS);
    const bool turning = now.vel_mps.norm() > 0.5 && before.vel_mps.norm() > 0.5 &&
                         std::abs(angle_diff_deg(course_deg(now.vel_mps),
                                                 course_deg(before.vel_mps))) > kTurnThresholdDeg;
    return class_a_interval_s(sog_kn, turning, now.activity == Activity::hold);
}

std::vector<double> AisModel::position_report_times(std::size_t target) const {
    std::vector<double> out;
    if (target >= first_report_s_.size() || first_report_s_[target] < 0) return out;
    const Trajectory& path = world_.paths[target];
    const AisSpec& a = world_.targets[target].ais;
    double t = first_report_s_[target];
    // The same steps as step(): a transmission, then the next one an interval later; switched
    // off, the next one when it comes back on; none after the target is gone or the run ends.
    while (!(t > path.end_s() || t >= world_.duration_s)) {
        if (!transmitting(target, t)) {
            if (!std::isfinite(a.on_at_s)) break;
            t = a.on_at_s;
            continue;
        }
        out.push_back(t);
        t += report_interval_s(target, t);
    }
    return out;
}

bool AisModel::transmitting(std::size_t target, double t_s) const {
    const AisSpec& a = world_.targets[target].ais;
    return !(t_s >= a.off_at_s && t_s < a.on_at_s);
}

template <class Encode>
void AisModel::broadcast(std::size_t target, double t_s, Encode&& encode,
                         std::vector<SimMessage>& out) {
    const Eigen::Vector2d here = world_.paths[target].at(t_s).en;
    const char channel = channel_b_[target] ? 'B' : 'A';
    channel_b_[target] = !channel_b_[target];
    for (Receiver& rx : receivers_) {
        if ((here - rx.en).norm() > rx.spec.range_m) continue;
        if (rx.rng.chance(rx.spec.dropout)) continue;
        ais::EncodeOptions opt;
        opt.channel = channel;
        opt.sequence_id = rx.sequence_id;
        opt.tag_time = world_.time_at(t_s);
        opt.tag_source = rx.spec.station;
        std::vector<std::string> sentences = encode(opt);
        if (sentences.size() > 1) rx.sequence_id = (rx.sequence_id + 1) % 10;
        out.push_back(
            {rx.spec.feed.id, rx.spec.feed.endpoint, world_.time_at(t_s), join(sentences)});
    }
}

void AisModel::send_position(std::size_t target, double t_s, std::vector<SimMessage>& out) {
    const TargetSpec& spec = world_.targets[target];
    const AisSpec& a = spec.ais;
    const MotionState now = world_.paths[target].at(t_s);
    LatLon reported;
    if (t_s >= a.spoof_from_s && t_s < a.spoof_to_s) {
        reported = a.spoof_position;
    } else {
        const Eigen::Vector2d noise(rng_.normal(kGpsSigmaM), rng_.normal(kGpsSigmaM));
        reported = world_.frame.to_latlon(now.en + noise);
    }
    const double sog_kn = now.vel_mps.norm() / kKnotToMps;
    const double cog = course_deg(now.vel_mps);
    const bool moving = sog_kn > 0.2;
    const Timestamp when = world_.time_at(t_s);
    const int utc_second = static_cast<int>(((when.ns / kNsPerSecond) % 60 + 60) % 60);
    if (a.cls == AisClass::a) {
        ais::PositionReportA m;
        m.type = 1;
        m.mmsi = a.mmsi;
        m.nav_status = now.activity == Activity::hold ? 1  // at anchor
                       : (now.activity == Activity::loiter && spec.kind == TargetKind::fishing) ? 7
                                                                                                : 0;
        m.rot_deg_per_min = 0.0;
        m.sog_kn = sog_kn;
        m.high_accuracy = true;
        m.lat_deg = reported.lat_deg;
        m.lon_deg = reported.lon_deg;
        if (moving) {
            m.cog_deg = cog;
            m.heading_deg = static_cast<int>(std::lround(cog)) % 360;
        }
        m.utc_second = utc_second;
        broadcast(
            target, t_s, [&](const ais::EncodeOptions& o) { return ais::encode(m, o); }, out);
    } else {
        ais::PositionReportB m;
        m.mmsi = a.mmsi;
        m.sog_kn = sog_kn;
        m.lat_deg = reported.lat_deg;
        m.lon_deg = reported.lon_deg;
        if (moving) m.cog_deg = cog;
        m.utc_second = utc_second;
        broadcast(
            target, t_s, [&](const ais::EncodeOptions& o) { return ais::encode(m, o); }, out);
    }
}

void AisModel::send_static(std::size_t target, double t_s, std::vector<SimMessage>& out) {
    const AisSpec& a = world_.targets[target].ais;
    if (a.cls == AisClass::a) {
        ais::StaticVoyageData m;
        m.mmsi = a.mmsi;
        m.imo = a.imo;
        m.callsign = upper(a.callsign);
        m.name = upper(a.name);
        m.ship_type = a.ship_type;
        m.dims = dimensions(a);
        broadcast(
            target, t_s, [&](const ais::EncodeOptions& o) { return ais::encode(m, o); }, out);
    } else {
        ais::StaticDataBPartA pa;
        pa.mmsi = a.mmsi;
        pa.name = upper(a.name);
        broadcast(
            target, t_s, [&](const ais::EncodeOptions& o) { return ais::encode(pa, o); }, out);
        ais::StaticDataBPartB pb;
        pb.mmsi = a.mmsi;
        pb.ship_type = a.ship_type;
        pb.callsign = upper(a.callsign);
        pb.dims = dimensions(a);
        broadcast(
            target, t_s, [&](const ais::EncodeOptions& o) { return ais::encode(pb, o); }, out);
    }
}

void AisModel::step(std::vector<SimMessage>& out) {
    const Due due = queue_.top();
    queue_.pop();
    const std::size_t i = due.target;
    const Trajectory& path = world_.paths[i];
    if (due.t_s > path.end_s() || due.t_s >= world_.duration_s) return;  // gone: stop its schedule
    const AisSpec& a = world_.targets[i].ais;
    if (!transmitting(i, due.t_s)) {
        // Switched off: the next transmission is when it comes back on (if ever).
        if (std::isfinite(a.on_at_s)) queue_.push({a.on_at_s, due.target, due.what});
        return;
    }
    if (due.what == What::position) {
        send_position(i, due.t_s, out);
        queue_.push({due.t_s + report_interval_s(i, due.t_s), due.target, What::position});
    } else {
        send_static(i, due.t_s, out);
        queue_.push({due.t_s + kStaticDataIntervalS, due.target, What::static_data});
    }
}

}  // namespace picket::sim
