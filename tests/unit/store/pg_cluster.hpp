#pragma once
/// The PostgreSQL test binary's throwaway cluster (scripts/pg-cluster.sh): started once by
/// main() before any test case, stopped after the last. Each test case gets a schema of its own
/// (fresh_schema), so cases never see each other's rows and the cluster is started only once.
#include <string>

namespace picket::store::testing {

/// The cluster's conninfo (without a schema): the database `postgres`, superuser `picket`.
const std::string& cluster_conninfo();
/// Creates a new empty schema and returns a conninfo whose search_path is it, then public
/// (where PostGIS lives).
std::string fresh_schema();

}  // namespace picket::store::testing
