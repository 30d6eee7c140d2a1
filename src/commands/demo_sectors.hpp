#pragma once
// `picket demo --sectors N`: the demo's sensors split over N sector servers, and a regional
// server that fuses their track streams (kind: tracks) and runs the rules; the control room
// shows the regional picture. All in one process, over loopback ZeroMQ, as they would run on
// separate machines (docs/deployment.md).
#include <memory>
#include <string>
#include <vector>

#include "src/server_config.hpp"

namespace picket::cli {

struct SectorPlan {
    std::vector<server::ServerConfig> sectors;
    server::ServerConfig regional;
};

/// Splits `demo` (the single server's config) into `n` sectors: every sector hears the AIS
/// network (a sensor that reaches them all, as a national AIS network does), the other sensors
/// go round-robin. Sector i publishes on 127.0.0.1:5710+2i (snapshot 5711+2i), without rules or
/// web; the regional server keeps the demo's outputs, rules and store, and reads the sectors.
SectorPlan plan_sectors(const server::ServerConfig& demo, int n);

}  // namespace picket::cli
