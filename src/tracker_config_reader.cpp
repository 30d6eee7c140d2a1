#include "src/tracker_config_reader.hpp"

#include <stdexcept>

namespace picket::server {
namespace {

using config::Node;

/// A positive number no larger than `max` (a value beyond it is a typo, not a setting).
double positive(const Node& parent, std::string_view key, double fallback, double max) {
    const double v = parent.get_in(key, fallback, 0, max);
    if (parent.has(key) && !(v > 0)) parent.at(key).fail("must be positive");
    return v;
}

constexpr double kHour = 3600, kDay = 86400;

void read_confirm(const Node& n, filters::TrackerConfig& cfg) {
    for (const std::string& kind_name : n.keys()) {
        const auto kind = sensor_kind_from_string(kind_name);
        const Node entry = n.at(kind_name);
        if (!kind) entry.fail("unknown sensor kind '" + kind_name + "' (ais, radar, camera, ugs)");
        // An explicit M-of-N (in looks) replaces confirmation by existence for tracks this kind
        // starts; can_initiate alone leaves it as it is.
        auto& logic = cfg.life.confirm_m_of_n[static_cast<std::size_t>(*kind)];
        if (entry.has("m") || entry.has("n")) {
            logic.m = static_cast<int>(entry.at("m").as_int());
            logic.n = static_cast<int>(entry.at("n").as_int());
            if (logic.m < 1 || logic.n < logic.m || logic.n > 100)
                entry.fail("need 1 <= m <= n <= 100");
        }
        cfg.can_initiate[static_cast<std::size_t>(*kind)] = entry.get(
            "can_initiate", static_cast<bool>(cfg.can_initiate[static_cast<std::size_t>(*kind)]));
        entry.reject_unknown_keys();
    }
}

void read_class_noise(const Node& n, filters::TrackerConfig& cfg) {
    for (const std::string& class_name : n.keys()) {
        const auto c = target_class_from_string(class_name);
        const Node entry = n.at(class_name);
        if (!c) entry.fail("unknown target class '" + class_name + "'");
        auto& noise = cfg.class_noise[static_cast<std::size_t>(*c)];
        noise = filters::ProcessNoise{
            positive(entry, "acceleration_mps2", noise.accel_sigma_mps2, 100),
            positive(entry, "turn_rate_radps2", noise.turn_rate_sigma_radps2, 10)};
        entry.reject_unknown_keys();
    }
}

double probability(const Node& parent, std::string_view key, double fallback) {
    const double v = parent.get(key, fallback);
    if (parent.has(key) && !(v > 0 && v < 1)) parent.at(key).fail("must be within (0, 1)");
    return v;
}

void read_lifecycle(const Node& n, filters::TrackerConfig& cfg) {
    filters::LifecycleSettings& s = cfg.life;
    s.new_track_probability = probability(n, "new_track_probability", s.new_track_probability);
    s.confirm_probability = probability(n, "confirm_probability", s.confirm_probability);
    s.hold_probability = probability(n, "hold_probability", s.hold_probability);
    s.drop_probability = probability(n, "drop_probability", s.drop_probability);
    s.lifetime_looks = positive(n, "lifetime_looks", s.lifetime_looks, 1e9);
    s.false_track_budget = n.get_in("false_track_budget", s.false_track_budget, 0, 1e6);
    s.false_track_ratio = n.get_in("false_track_ratio", s.false_track_ratio, 0, 1);
    using Evidence = filters::LifecycleSettings::BudgetEvidence;
    const char* current = s.budget_evidence == Evidence::plot         ? "plot"
                          : s.budget_evidence == Evidence::likelihood ? "likelihood"
                                                                      : "gate";
    const std::string evidence = n.get("budget_evidence", std::string(current));
    if (evidence != "gate" && evidence != "plot" && evidence != "likelihood")
        n.at("budget_evidence").fail("budget_evidence must be gate, plot or likelihood");
    s.budget_evidence = evidence == "plot"         ? Evidence::plot
                        : evidence == "likelihood" ? Evidence::likelihood
                                                   : Evidence::gate;
    if (!(s.drop_probability < s.hold_probability && s.hold_probability <= s.confirm_probability &&
          s.new_track_probability < s.confirm_probability))
        n.fail("need drop < hold <= confirm and new_track < confirm");
    if (auto d = n.find("delete")) {
        s.delete_misses = static_cast<int>(d->at("misses").as_int());
        s.delete_of_looks = static_cast<int>(d->at("of_looks").as_int());
        if (s.delete_misses < 1 || s.delete_of_looks < s.delete_misses || s.delete_of_looks > 32)
            d->fail("need 1 <= misses <= of_looks <= 32");
        d->reject_unknown_keys();
    }
    n.reject_unknown_keys();
}

}  // namespace

void read_tracker_config(const Node& n, filters::TrackerConfig& cfg) {
    cfg.filter = n.get("filter", cfg.filter);
    try {
        (void)filters::filter_kind_from_string(cfg.filter);
    } catch (const std::invalid_argument&) {
        n.at("filter").fail("filter must be kf, ekf, ukf or imm");
    }
    cfg.association = n.get("association", cfg.association);
    if (cfg.association != "gnn" && cfg.association != "jpda" && cfg.association != "gnn_pda" &&
        cfg.association != "multi_scan")
        n.at("association").fail("association must be gnn, jpda, gnn_pda or multi_scan");
    cfg.multi_scan_looks =
        static_cast<int>(n.get_int_in("multi_scan_looks", cfg.multi_scan_looks, 1, 10));
    cfg.gate_probability = n.get("gate_probability", cfg.gate_probability);
    if (cfg.gate_probability <= 0.5 || cfg.gate_probability >= 1)
        n.at("gate_probability").fail("must be within (0.5, 1)");
    if (auto c = n.find("confirm")) read_confirm(*c, cfg);
    if (auto c = n.find("process_noise")) read_class_noise(*c, cfg);
    for (const char* gone : {"coast_after", "tentative_max_coast", "min_miss_interval"}) {
        if (n.has(gone))
            n.at(gone).fail(std::string(gone) +
                            " was replaced by the life cycle in looks (docs/tracking.md): remove "
                            "it; a radar's look interval comes from its feed");
    }
    if (auto l = n.find("lifecycle")) read_lifecycle(*l, cfg);
    cfg.max_coast_s = n.get_seconds_in("max_coast", cfg.max_coast_s, 0.1, kDay);
    cfg.max_position_sigma_m =
        positive(n, "max_position_sigma_m", cfg.max_position_sigma_m, 1'000'000);
    cfg.latency_window_s = n.get_seconds_in("latency_window", cfg.latency_window_s, 0, kHour);
    cfg.spoof_recency_s = n.get_seconds_in("spoof_recency", cfg.spoof_recency_s, 0, kDay);
    cfg.init_speed_sigma_mps = positive(n, "init_speed_sigma_mps", cfg.init_speed_sigma_mps, 1000);
    cfg.air_init_speed_sigma_mps =
        positive(n, "air_init_speed_sigma_mps", cfg.air_init_speed_sigma_mps, 1000);
    cfg.class_confidence_min = n.get_in("class_confidence_min", cfg.class_confidence_min, 0, 1);
    if (auto imm = n.find("imm")) {
        cfg.imm_cv_sojourn_s = imm->get_seconds_in("cv_sojourn", cfg.imm_cv_sojourn_s, 0.1, kDay);
        cfg.imm_ct_sojourn_s = imm->get_seconds_in("ct_sojourn", cfg.imm_ct_sojourn_s, 0.1, kDay);
        cfg.imm_cv_noise_scale = positive(*imm, "cv_noise_scale", cfg.imm_cv_noise_scale, 100);
        cfg.imm_turn_noise.turn_rate_sigma_radps2 =
            positive(*imm, "turn_rate_sigma_radps2", cfg.imm_turn_noise.turn_rate_sigma_radps2, 10);
        imm->reject_unknown_keys();
    }
    cfg.merge_distance_m = n.get_in("merge_distance_m", cfg.merge_distance_m, 0, 10'000, "m");
    cfg.merge_speed_mps = n.get_in("merge_speed_mps", cfg.merge_speed_mps, 0, 1000, "m/s");
    cfg.spoof_distance_m = positive(n, "spoof_distance_m", cfg.spoof_distance_m, 1'000'000);
    cfg.detection_probability = n.get("detection_probability", cfg.detection_probability);
    if (cfg.detection_probability <= 0 || cfg.detection_probability > 1)
        n.at("detection_probability").fail("must be within (0, 1]");
    // 0: learned per feed from the plots no track explains.
    cfg.clutter_density_per_m2 =
        n.get_in("clutter_density_per_m2", cfg.clutter_density_per_m2, 0, 1);
    cfg.grid_cell_m = positive(n, "grid_cell_m", cfg.grid_cell_m, 1'000'000);
    cfg.clutter_cell_m = n.get_in("clutter_cell_m", cfg.clutter_cell_m, 0, 1'000'000);
    n.reject_unknown_keys();
}

}  // namespace picket::server
