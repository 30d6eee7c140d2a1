#include "config/yaml_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
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

/// Duplicate keys: YAML forbids them, yaml-cpp keeps both and lookups return the first, so a
/// second `port:` further down a file would be silently ignored. Walks the whole document once.
/// Aliases can make a small file a huge tree ("billion laughs"): the walk is bounded.
void reject_duplicate_keys(const YAML::Node& node, const std::string& path, const std::string& file,
                           std::size_t& visited, int depth) {
    constexpr std::size_t kMaxNodes = 1'000'000;
    constexpr int kMaxDepth = 64;
    const auto mark = node.Mark();
    if (++visited > kMaxNodes || depth > kMaxDepth)
        throw ConfigError(file, mark.line + 1, mark.column + 1, path,
                          "document too deep or too large (aliases expanding?)");
    if (node.IsMap()) {
        std::map<std::string, int> first_line;
        for (const auto& kv : node) {
            if (!kv.first.IsScalar()) continue;
            const std::string key = kv.first.Scalar();
            const std::string key_path = join_path(path, key);
            const auto [it, inserted] = first_line.emplace(key, kv.first.Mark().line + 1);
            if (!inserted)
                throw ConfigError(file, kv.first.Mark().line + 1, kv.first.Mark().column + 1,
                                  key_path,
                                  "duplicate key '" + key + "' (first at line " +
                                      std::to_string(it->second) + ")");
            reject_duplicate_keys(kv.second, key_path, file, visited, depth + 1);
        }
    } else if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            reject_duplicate_keys(node[i], path + "[" + std::to_string(i) + "]", file, visited,
                                  depth + 1);
    }
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
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError(name, e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + e.msg);
    }
    std::size_t visited = 0;
    reject_duplicate_keys(root, "", name, visited, 0);
    return Node(root, file, "", std::make_shared<ReadKeys>());
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

namespace {

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

/// 0.25 -> "250ms", 90 -> "90s", 3600 -> "1h", 86400 -> "24h".
std::string seconds_text(double s) {
    if (s != 0 && s < 1) return number_text(s * 1000) + "ms";
    if (s >= 3600 && std::fmod(s, 3600) == 0) return number_text(s / 3600) + "h";
    if (s >= 60 && std::fmod(s, 60) == 0) return number_text(s / 60) + "min";
    return number_text(s) + "s";
}

}  // namespace

double Node::get_in(std::string_view key, double fallback, double lo, double hi,
                    std::string_view unit) const {
    auto n = find(key);
    if (!n) return fallback;
    const double v = n->as_double();
    if (!(v >= lo && v <= hi)) {
        const std::string u = unit.empty() ? "" : " " + std::string(unit);
        n->fail("must be within [" + number_text(lo) + ", " + number_text(hi) + "]" + u + ", got " +
                n->node_.Scalar());
    }
    return v;
}

std::int64_t Node::get_int_in(std::string_view key, std::int64_t fallback, std::int64_t lo,
                              std::int64_t hi) const {
    auto n = find(key);
    if (!n) return fallback;
    const std::int64_t v = n->as_int();
    if (v < lo || v > hi)
        n->fail("must be within [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                n->node_.Scalar());
    return v;
}

double Node::get_seconds_in(std::string_view key, double fallback, double lo_s, double hi_s) const {
    auto n = find(key);
    if (!n) return fallback;
    const double v = n->as_seconds();
    if (!(v >= lo_s && v <= hi_s))
        n->fail("must be within [" + seconds_text(lo_s) + ", " + seconds_text(hi_s) + "], got " +
                n->node_.Scalar());
    return v;
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
