#pragma once
/// gpsd-compatible AIS JSON (gpsd's "AIS" class, https://gpsd.io/gpsd_json.html#_ais): the same
/// field names and, with raw = true, the same unscaled values as `gpsdecode -u -j`; with
/// raw = false the scaled conventions of `gpsdecode -j` (degrees with 6 decimals, knots,
/// met-hydro offsets, legends instead of codes ...). Both agree with gpsd 3.22 on every message
/// of gpsd's sample.aivdm; docs/ais.md lists the DAC/FID payloads gpsd decodes and picket keeps
/// as "data".
#include <string>
#include <string_view>

#include "sensors/ais/ais_messages.hpp"

namespace picket::sensors::ais {

/// Appends one JSON object (no trailing newline) to `out`. `device` is gpsd's "device" field
/// ("stdin" for gpsdecode); empty leaves it out.
void write_gpsd_json(const AisMessage& msg, bool raw, std::string& out,
                     std::string_view device = "stdin");

/// gpsd's legends, exposed for the docs and tests.
std::string_view nav_status_text(unsigned status);
std::string_view ship_type_text(unsigned ship_type);
std::string_view epfd_text(unsigned epfd);

}  // namespace picket::sensors::ais
