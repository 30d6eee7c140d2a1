#include "geo/geos_handle.hpp"

#include <cstdarg>
#include <stdexcept>

namespace picket::geo::detail {

GeosContext::GeosContext() : h_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(h_, &GeosContext::on_error, this);
}

GeosContext::~GeosContext() { GEOS_finish_r(h_); }

void GeosContext::on_error(const char* message, void* self) {
    static_cast<GeosContext*>(self)->last_error_ = message ? message : "unknown GEOS error";
}

GeomPtr checked(const GeosContext& ctx, GEOSGeometry* g, const std::string& what) {
    if (g == nullptr) throw std::runtime_error(what + ": " + ctx.last_error());
    return own(ctx, g);
}

}  // namespace picket::geo::detail
