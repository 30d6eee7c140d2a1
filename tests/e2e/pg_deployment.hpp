#pragma once
// The e2e tests on a shared PostgreSQL store: write_deployment's config with `outputs.store`
// (a conninfo from tests/unit/store/pg_cluster.hpp) and this server's `store_site`.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/e2e/scenario_fixture.hpp"

namespace picket::e2e {

inline Deployment deployment_on(const TempDir& dir, const std::string& conninfo, int site) {
    Deployment d = write_deployment(dir, /*record=*/false);
    std::ifstream in(d.config_path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string cfg = ss.str();
    const std::string http = "  http: {enabled: false}\n";
    const auto at = cfg.find(http);
    REQUIRE(at != std::string::npos);
    cfg.insert(at + http.size(),
               "  store: \"" + conninfo + "\"\n  store_site: " + std::to_string(site) + "\n");
    write_text(d.config_path, cfg);
    return d;
}

}  // namespace picket::e2e
