#include "src/commands/commands.hpp"

#include <charconv>
#include <cstdint>
#include <exception>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "src/outputs/gpkg_export.hpp"
#include "src/store/open_store.hpp"
#include "src/store/pg_store.hpp"

namespace picket::cli {
namespace {

constexpr const char* kUsage =
    "usage: picket export --db STORE --gpkg OUT [--from ISO] [--to ISO] [--site N]\n"
    "\n"
    "Writes the store's track history (layer 'tracks', one LineString per track), alerts\n"
    "(layer 'alerts', Points) and operator actions (table 'actions') to the GeoPackage OUT,\n"
    "overwriting it. --from/--to bound the window (RFC 3339 UTC, e.g. 2026-11-25T00:00:00Z);\n"
    "the default is everything.\n"
    "STORE is a SQLite file (outputs.database) or a shared PostgreSQL store's URL or conninfo\n"
    "(outputs.store, e.g. postgresql://reader@db/picket). A PostgreSQL store holds every\n"
    "server's alerts and actions (all exported) and each server's own track history: --site\n"
    "picks whose (outputs.store_site, default 0). The export only reads (a read-only role is\n"
    "enough) and the store may be in use by running servers.\n";

int usage_error(const std::string& msg) {
    std::cerr << "picket export: " << msg << "\n" << kUsage;
    return 2;
}

}  // namespace

int run_export(int argc, char** argv) {
    std::string db, gpkg;
    int site = 0;
    Timestamp from{std::numeric_limits<std::int64_t>::min()};
    Timestamp to{std::numeric_limits<std::int64_t>::max()};
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (i + 1 >= argc) return usage_error("missing value after " + std::string(arg));
        const std::string_view value = argv[++i];
        if (arg == "--db") {
            db = value;
        } else if (arg == "--gpkg") {
            gpkg = value;
        } else if (arg == "--site") {
            const auto r = std::from_chars(value.data(), value.data() + value.size(), site);
            if (r.ec != std::errc{} || r.ptr != value.data() + value.size() || site < 0 ||
                site > store::PgStore::kMaxSite)
                return usage_error("bad --site '" + std::string(value) + "' (0.." +
                                   std::to_string(store::PgStore::kMaxSite) + ")");
        } else if (arg == "--from" || arg == "--to") {
            const std::optional<Timestamp> t = parse_iso8601(value);
            if (!t)
                return usage_error("bad time '" + std::string(value) + "' for " + std::string(arg));
            (arg == "--from" ? from : to) = *t;
        } else {
            return usage_error("unknown option " + std::string(arg));
        }
    }
    if (db.empty() || gpkg.empty()) return usage_error("--db and --gpkg are required");
    if (to < from) return usage_error("--to is before --from");
    try {
        const auto store = store::open_store(db, {.site = site, .read_only = true});
        const auto summary = outputs::export_geopackage(*store, gpkg, from, to);
        std::cout << "wrote " << gpkg << ": " << summary.tracks << " tracks ("
                  << summary.tracks_single_point << " single-point tracks skipped), "
                  << summary.alerts << " alerts, " << summary.actions << " operator actions\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "picket export: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace picket::cli
