#include "config/yaml_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace picket::config {
namespace {

std::string join_path(const std::string& parent, std::string_view key) {
    if (parent.empty()) return std::string(key);
    return parent + "." + std::string(key);
}

std::string format_error(const std::string& file, int line, int column, const std::string& key,
                         const std::string& what) {
    std::ostringstream os;
    os << file;
    if (line > 0) os << ':' << line << ':' << column;
    os << ": ";
    if (!key.empty()) os << key << ": ";
    os << what;
    return os.str();
}

}  // namespace

ConfigError::ConfigError(const std::string& file, int line, int column, const std::string& key,
                         const std::string& what)
    : std::runtime_error(format_error(file, line, column, key, what)),
      file_(file),
      line_(line),
      key_(key) {}

Node::Node(YAML::Node node, std::shared_ptr<const std::string> file, std::string path,
           std::shared_ptr<ReadKeys> read_keys)
    : node_(std::move(node)),
      file_(std::move(file)),
      path_(std::move(path)),
      read_keys_(std::move(read_keys)) {}

Node Node::load_string(const std::string& text, const std::string& name) {
    auto file = std::make_shared<const std::string>(name);
    try {
        return Node(YAML::Load(text), file, "", std::make_shared<ReadKeys>());
    } catch (const YAML::Exception& e) {
        throw ConfigError(name, e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + e.msg);
    }
}

Node Node::load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError(path, 0, 0, "", std::string("cannot open file: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return load_string(text.str(), path);
}

Node Node::child(const YAML::Node& n, std::string path) const {
    return Node(n, file_, std::move(path), read_keys_);
}

void Node::fail(const std::string& what) const {
    const auto mark = node_ ? node_.Mark() : YAML::Mark::null_mark();
    const bool known = mark.line >= 0 && mark.pos >= 0;
    throw ConfigError(*file_, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, path_, what);
}

std::string Node::kind_name() const {
    if (!node_ || node_.IsNull()) return "nothing";
    if (node_.IsMap()) return "a mapping";
    if (node_.IsSequence()) return "a sequence";
    return "'" + node_.Scalar() + "'";
}

bool Node::has(std::string_view key) const {
    return node_.IsMap() && node_[std::string(key)].IsDefined();
}

std::optional<Node> Node::find(std::string_view key) const {
    if (!node_.IsMap()) {
        if (is_null()) return std::nullopt;
        fail("expected a mapping, got " + kind_name());
    }
    my_read_keys().insert(std::string(key));
    const YAML::Node n = node_[std::string(key)];
    if (!n.IsDefined()) return std::nullopt;
    return child(n, join_path(path_, key));
}

Node Node::at(std::string_view key) const {
    auto n = find(key);
    if (!n) fail("missing required key '" + std::string(key) + "'");
    return *n;
}

std::vector<Node> Node::elements() const {
    std::vector<Node> out;
    if (is_null()) return out;
    if (!node_.IsSequence()) fail("expected a sequence, got " + kind_name());
    for (std::size_t i = 0; i < node_.size(); ++i)
        out.push_back(child(node_[i], path_ + "[" + std::to_string(i) + "]"));
    return out;
}

std::vector<std::string> Node::keys() const {
    std::vector<std::string> out;
    if (is_null()) return out;
    if (!node_.IsMap()) fail("expected a mapping, got " + kind_name());
    for (const auto& kv : node_) {
        out.push_back(kv.first.as<std::string>());
        my_read_keys().insert(out.back());
    }
    return out;
}

std::string Node::as_string() const {
    if (!node_.IsScalar()) fail("expected a string, got " + kind_name());
    return node_.Scalar();
}

double Node::as_double() const {
    if (!node_.IsScalar()) fail("expected a number, got " + kind_name());
    const std::string& s = node_.Scalar();
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v))
        fail("expected a number, got '" + s + "'");
    return v;
}

std::int64_t Node::as_int() const {
    if (!node_.IsScalar()) fail("expected an integer, got " + kind_name());
    const std::string& s = node_.Scalar();
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno != 0)
        fail("expected an integer, got '" + s + "'");
    return v;
}

bool Node::as_bool() const {
    if (!node_.IsScalar()) fail("expected true or false, got " + kind_name());
    const std::string& s = node_.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail("expected true or false, got '" + s + "'");
}

double Node::as_seconds() const {
    if (!node_.IsScalar()) fail("expected a duration, got " + kind_name());
    const std::string& s = node_.Scalar();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end == s.c_str() || !std::isfinite(v))
        fail("expected a duration such as 30s, 250ms, 5min or 2h, got '" + s + "'");
    const std::string_view unit(end);
    if (unit.empty() || unit == "s") return v;
    if (unit == "ms") return v / 1000.0;
    if (unit == "min") return v * 60.0;
    if (unit == "h") return v * 3600.0;
    fail("unknown duration unit '" + std::string(unit) + "' (use ms, s, min or h)");
}

std::vector<std::string> Node::as_string_list() const {
    std::vector<std::string> out;
    for (const Node& e : elements()) out.push_back(e.as_string());
    return out;
}

std::string Node::get(std::string_view key, const std::string& fallback) const {
    auto n = find(key);
    return n ? n->as_string() : fallback;
}
double Node::get(std::string_view key, double fallback) const {
    auto n = find(key);
    return n ? n->as_double() : fallback;
}
std::int64_t Node::get(std::string_view key, std::int64_t fallback) const {
    auto n = find(key);
    return n ? n->as_int() : fallback;
}
bool Node::get(std::string_view key, bool fallback) const {
    auto n = find(key);
    return n ? n->as_bool() : fallback;
}
double Node::get_seconds(std::string_view key, double fallback) const {
    auto n = find(key);
    return n ? n->as_seconds() : fallback;
}

void Node::reject_unknown_keys() const {
    if (!node_.IsMap()) return;
    for (const auto& kv : node_) {
        const std::string key = kv.first.as<std::string>();
        if (my_read_keys().count(key) == 0) {
            child(kv.first, join_path(path_, key)).fail("unknown key '" + key + "'");
        }
    }
}

}  // namespace picket::config
