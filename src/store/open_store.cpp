#include "src/store/open_store.hpp"

#include <libpq-fe.h>

#include <cctype>

#include "src/outputs/alert_store.hpp"
#include "src/store/pg_store.hpp"

namespace picket::store {

bool is_postgresql(std::string_view location) {
    if (location.starts_with("postgresql://") || location.starts_with("postgres://")) return true;
    // A conninfo starts with "keyword=": a file path has a '/' or '.' before any '='.
    std::size_t i = 0;
    while (i < location.size() &&
           (std::isalpha(static_cast<unsigned char>(location[i])) || location[i] == '_'))
        ++i;
    std::size_t j = i;
    while (j < location.size() && location[j] == ' ') ++j;
    return i > 0 && j < location.size() && location[j] == '=';
}

std::optional<std::string> postgresql_syntax_error(const std::string& location) {
    char* err = nullptr;
    if (PQconninfoOption* opts = PQconninfoParse(location.c_str(), &err)) {
        PQconninfoFree(opts);
        return std::nullopt;
    }
    std::string why = err ? err : "cannot parse";
    PQfreemem(err);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return why;
}

std::unique_ptr<outputs::Store> open_store(const std::string& location, StoreOptions options) {
    if (is_postgresql(location))
        return std::make_unique<PgStore>(
            location, PgStore::Options{.site = options.site, .read_only = options.read_only});
    outputs::SqliteStore::Options sqlite;
    sqlite.read_only = options.read_only;
    return std::make_unique<outputs::SqliteStore>(location, sqlite);
}

}  // namespace picket::store
