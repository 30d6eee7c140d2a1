#pragma once
/// Strict YAML reading for picket's config and rule files. Every error names the file, the line
/// and the key path, e.g.
///   config/demo.yaml:14:5: feeds[1].endpoint: expected a string, got a sequence
/// Unknown keys are errors too (a typo must not silently fall back to a default): each mapping
/// remembers which keys were read, and `reject_unknown_keys()` reports the first one that was not.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace picket::config {

class ConfigError : public std::runtime_error {
public:
    ConfigError(const std::string& file, int line, int column, const std::string& key,
                const std::string& what);
    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] int line() const { return line_; }
    [[nodiscard]] const std::string& key() const { return key_; }

private:
    std::string file_;
    int line_;
    std::string key_;
};

class Node {
public:
    /// Parses a file. Throws ConfigError when it is missing, unreadable or not valid YAML.
    static Node load_file(const std::string& path);
    /// Parses text (tests, embedded defaults); `name` stands in for the file name in errors.
    static Node load_string(const std::string& text, const std::string& name);

    [[nodiscard]] bool is_map() const { return node_.IsMap(); }
    [[nodiscard]] bool is_sequence() const { return node_.IsSequence(); }
    [[nodiscard]] bool is_null() const { return !node_ || node_.IsNull(); }
    [[nodiscard]] int line() const { return node_.Mark().line + 1; }
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::string& file() const { return *file_; }

    [[nodiscard]] bool has(std::string_view key) const;
    /// The value under `key`; throws "missing key" when absent.
    [[nodiscard]] Node at(std::string_view key) const;
    [[nodiscard]] std::optional<Node> find(std::string_view key) const;
    /// Elements of a sequence (throws when this is not a sequence; null counts as empty).
    [[nodiscard]] std::vector<Node> elements() const;
    /// Keys of a mapping, in file order (all count as read).
    [[nodiscard]] std::vector<std::string> keys() const;

    [[nodiscard]] std::string as_string() const;
    [[nodiscard]] double as_double() const;
    [[nodiscard]] std::int64_t as_int() const;
    [[nodiscard]] bool as_bool() const;
    /// A duration: a number of seconds, or a string with a unit: "250ms", "30s", "5min", "2h".
    [[nodiscard]] double as_seconds() const;
    [[nodiscard]] std::vector<std::string> as_string_list() const;

    // Shorthands with defaults for optional keys.
    [[nodiscard]] std::string get(std::string_view key, const std::string& fallback) const;
    [[nodiscard]] std::string get(std::string_view key, const char* fallback) const {
        return get(key, std::string(fallback));
    }
    [[nodiscard]] double get(std::string_view key, double fallback) const;
    [[nodiscard]] std::int64_t get(std::string_view key, std::int64_t fallback) const;
    [[nodiscard]] int get(std::string_view key, int fallback) const {
        return static_cast<int>(get(key, static_cast<std::int64_t>(fallback)));
    }
    [[nodiscard]] bool get(std::string_view key, bool fallback) const;
    [[nodiscard]] double get_seconds(std::string_view key, double fallback) const;

    // Optional keys whose value must lie in a closed range [lo, hi]: a value outside is refused
    // with file:line and the range ("must be within [0, 10000] m"). The fallback is not checked.
    [[nodiscard]] double get_in(std::string_view key, double fallback, double lo, double hi,
                                std::string_view unit = {}) const;
    [[nodiscard]] std::int64_t get_int_in(std::string_view key, std::int64_t fallback,
                                          std::int64_t lo, std::int64_t hi) const;
    /// Durations, range in seconds; the message shows it with units ("within [0s, 1h]").
    [[nodiscard]] double get_seconds_in(std::string_view key, double fallback, double lo_s,
                                        double hi_s) const;

    /// Throws for the first key of this mapping that nobody read. Call after reading a mapping.
    void reject_unknown_keys() const;
    /// Throws a ConfigError pointing at this node.
    [[noreturn]] void fail(const std::string& what) const;

private:
    /// Keys read so far, per mapping (by key path), shared by every Node of one document: a
    /// mapping reached twice through at() is still one mapping.
    using ReadKeys = std::map<std::string, std::set<std::string, std::less<>>, std::less<>>;
    Node(YAML::Node node, std::shared_ptr<const std::string> file, std::string path,
         std::shared_ptr<ReadKeys> read_keys);
    [[nodiscard]] Node child(const YAML::Node& n, std::string path) const;
    [[nodiscard]] std::string kind_name() const;

    YAML::Node node_;
    std::shared_ptr<const std::string> file_;
    std::string path_;
    std::shared_ptr<ReadKeys> read_keys_;
    std::set<std::string, std::less<>>& my_read_keys() const { return (*read_keys_)[path_]; }
};

}  // namespace picket::config
