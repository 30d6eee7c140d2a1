#pragma once
/// RAII around the GEOS C API (reentrant `_r` functions): a context whose errors become
/// exceptions, and owning geometry pointers. Internal to geo/; nothing outside includes GEOS.
#include <geos_c.h>

#include <memory>
#include <string>

namespace picket::geo::detail {

/// A GEOS context. GEOS reports errors through a handler; ours keeps the last message so that
/// `check()` can throw it with the caller's context. Not thread-safe: one per thread or per call.
class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    [[nodiscard]] GEOSContextHandle_t get() const { return h_; }
    [[nodiscard]] const std::string& last_error() const { return last_error_; }

private:
    static void on_error(const char* message, void* self);
    GEOSContextHandle_t h_;
    std::string last_error_;
};

/// Deleter for owned geometries; geometries are context-independent, the handle is only used for
/// error reporting, so any live context may free them.
struct GeomDeleter {
    GEOSContextHandle_t h{nullptr};
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(h, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

inline GeomPtr own(const GeosContext& ctx, GEOSGeometry* g) {
    return GeomPtr(g, GeomDeleter{ctx.get()});
}

/// Throws std::runtime_error("<what>: <GEOS message>") when g is null.
GeomPtr checked(const GeosContext& ctx, GEOSGeometry* g, const std::string& what);

}  // namespace picket::geo::detail
