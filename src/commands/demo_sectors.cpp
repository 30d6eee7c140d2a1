#include "src/commands/demo_sectors.hpp"

#include <stdexcept>

namespace picket::cli {

SectorPlan plan_sectors(const server::ServerConfig& demo, int n) {
    if (n < 1 || n > 8) throw std::runtime_error("--sectors must be within 1..8");
    SectorPlan plan;
    std::vector<const server::FeedConfig*> shared, split;
    for (const server::FeedConfig& f : demo.feeds)
        (f.params.kind == SensorKind::ais ? shared : split).push_back(&f);
    for (int i = 0; i < n; ++i) {
        server::ServerConfig s = demo;
        s.region_name = demo.region_name + ", sector " + std::to_string(i + 1);
        s.feeds.clear();
        s.rules_file.clear();
        s.patrol_assets_json.clear();
        const auto add = [&](const server::FeedConfig& f) {
            server::FeedConfig copy = f;
            copy.params.index = static_cast<FeedIndex>(s.feeds.size());
            s.feeds.push_back(std::move(copy));
        };
        for (const auto* f : shared) add(*f);
        for (std::size_t k = 0; k < split.size(); ++k)
            if (static_cast<int>(k % static_cast<std::size_t>(n)) == i) add(*split[k]);
        server::OutputsConfig o;
        o.publish = "tcp://127.0.0.1:" + std::to_string(5710 + 2 * i);
        o.snapshot = "tcp://127.0.0.1:" + std::to_string(5711 + 2 * i);
        o.http.enabled = false;
        s.outputs = o;
        plan.sectors.push_back(std::move(s));
    }
    server::ServerConfig r = demo;
    r.region_name = demo.region_name + ", regional";
    r.feeds.clear();
    for (int i = 0; i < n; ++i) {
        server::FeedConfig f;
        f.params.index = static_cast<FeedIndex>(i);
        f.params.id = "sector-" + std::to_string(i + 1);
        f.params.tracks = true;
        f.params.format = "picket";
        f.endpoint = plan.sectors[static_cast<std::size_t>(i)].outputs.publish;
        f.snapshot_endpoint = plan.sectors[static_cast<std::size_t>(i)].outputs.snapshot;
        f.socket = server::SocketType::sub;
        f.expected_interval_s = 0;
        r.feeds.push_back(std::move(f));
    }
    r.regional = true;
    r.fusion.origin = demo.origin;
    plan.regional = std::move(r);
    return plan;
}

}  // namespace picket::cli
