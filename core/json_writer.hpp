#pragma once
/// A small, fast, deterministic JSON writer for picket's outputs (tracks, alerts, decode).
/// Deterministic matters: replay must give byte-identical output, so numbers are printed with
/// a fixed number of decimals chosen by the caller, never with "shortest round-trip" guessing.
#include <cstdint>
#include <string>
#include <string_view>

namespace picket {

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    /// Writes `"name":` (with a comma when needed). Follow with exactly one value. `name` is
    /// written as is: field names are picket's own identifiers, never input (use value() for
    /// anything that came from outside).
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(std::uint64_t v);
    JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
    JsonWriter& value(unsigned v) { return value(static_cast<std::uint64_t>(v)); }
    /// A number with exactly `decimals` digits after the point; NaN/Inf become null.
    JsonWriter& value(double v, int decimals);
    JsonWriter& null();
    /// Inserts pre-serialised JSON verbatim (caller guarantees validity).
    JsonWriter& raw(std::string_view json);

    template <class T>
    JsonWriter& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }
    JsonWriter& field(std::string_view name, double v, int decimals) {
        key(name);
        return value(v, decimals);
    }

private:
    void separate();
    std::string& out_;
    bool need_comma_{false};
};

/// Appends `s` as a JSON string literal (quotes included), escaping per RFC 8259.
void append_json_string(std::string& out, std::string_view s);

}  // namespace picket
