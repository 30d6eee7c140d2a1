#pragma once
/// Opens the configured store: a PostgreSQL URL ("postgresql://host/db", "postgres://...") or
/// conninfo ("host=... dbname=...") is the shared PostgreSQL + PostGIS store (pg_store.hpp);
/// anything else is the path of the embedded SQLite file (src/outputs/alert_store.hpp).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "src/outputs/store.hpp"

namespace picket::store {

struct StoreOptions {
    int site{0};  ///< PostgreSQL: this server's number among those sharing the database
    /// Reading only (picket export): nothing created, nothing written; the store must exist.
    bool read_only{false};
};

/// True when `location` names a PostgreSQL database rather than a file.
bool is_postgresql(std::string_view location);
/// What is wrong with a PostgreSQL location's syntax (libpq's words), or nullopt when it parses.
std::optional<std::string> postgresql_syntax_error(const std::string& location);
/// Opens (and creates when new) the store. Throws std::runtime_error with the reason.
std::unique_ptr<outputs::Store> open_store(const std::string& location, StoreOptions options = {});

}  // namespace picket::store
