#pragma once
/// A minimal, strict option parser for the subcommands: --name VALUE, --flag, and positionals.
/// Unknown options are errors (a typo must not be ignored).
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace picket::cli {

class Args {
public:
    /// `with_value`: options that take a value; `flags`: options that do not.
    Args(int argc, char** argv, const std::set<std::string>& with_value,
         const std::set<std::string>& flags) {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--help" || a == "-h") {
                help_ = true;
            } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
                std::string name = a.substr(2), value;
                const auto eq = name.find('=');
                const bool inline_value = eq != std::string::npos;
                if (inline_value) {
                    value = name.substr(eq + 1);
                    name = name.substr(0, eq);
                }
                if (flags.count(name) && !inline_value) {
                    values_[name] = "1";
                } else if (with_value.count(name)) {
                    if (!inline_value) {
                        if (i + 1 >= argc)
                            throw std::runtime_error("option --" + name + " needs a value");
                        value = argv[++i];
                    }
                    values_[name] = value;
                } else {
                    throw std::runtime_error("unknown option " + a + " (see --help)");
                }
            } else {
                positional_.push_back(a);
            }
        }
    }
    [[nodiscard]] bool help() const { return help_; }
    [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) > 0; }
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const {
        auto it = values_.find(name);
        if (it == values_.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] double number(const std::string& name, double fallback) const {
        auto v = get(name);
        if (!v) return fallback;
        std::size_t used = 0;
        double d = 0;
        try {
            d = std::stod(*v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v->size())
            throw std::runtime_error("option --" + name + ": '" + *v + "' is not a number");
        return d;
    }
    [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }

private:
    bool help_{false};
    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
};

}  // namespace picket::cli
