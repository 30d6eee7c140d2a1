#include "core/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace picket {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    // Fast path: most strings (names, ISO times, enum names) need no escaping at all.
    bool plain = true;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        out.append(s);
        out.push_back('"');
        return;
    }
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[c >> 4]);
                    out.push_back(kHex[c & 15]);
                } else {
                    out.push_back(ch);
                }
        }
    }
    out.push_back('"');
}

void JsonWriter::separate() {
    if (need_comma_) out_.push_back(',');
    need_comma_ = true;
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    out_.push_back('{');
    need_comma_ = false;
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    out_.push_back('}');
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::begin_array() {
    separate();
    out_.push_back('[');
    need_comma_ = false;
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    out_.push_back(']');
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    // Keys are picket's own field names (plain ASCII, see the header): no escaping pass.
    out_.push_back('"');
    out_.append(name);
    out_.append("\":", 2);
    need_comma_ = false;
    return *this;
}
JsonWriter& JsonWriter::value(std::string_view s) {
    separate();
    append_json_string(out_, s);
    return *this;
}
JsonWriter& JsonWriter::value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
}
JsonWriter& JsonWriter::value(std::int64_t v) {
    separate();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
}
JsonWriter& JsonWriter::value(std::uint64_t v) {
    separate();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
}
JsonWriter& JsonWriter::value(double v, int decimals) {
    separate();
    if (!std::isfinite(v)) {
        out_ += "null";
        return *this;
    }
    if (v == 0) v = 0;  // no "-0.000"
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    // A value that rounds to zero must not print as "-0.00".
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string_view::npos)
        text.remove_prefix(1);
    out_.append(text);
    return *this;
}
JsonWriter& JsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    out_.append(json);
    return *this;
}

}  // namespace picket
