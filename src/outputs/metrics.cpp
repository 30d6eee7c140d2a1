#include "src/outputs/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace picket::outputs {
namespace {

bool valid_name(std::string_view s, bool allow_colon) {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                           (allow_colon && c == ':');
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) return false;
    }
    return true;
}

/// Go's strconv.FormatFloat(v, 'g', -1, 64) is what Prometheus clients print; %.17g round-trips
/// and the exposition grammar accepts any Go ParseFloat syntax, plus +Inf/-Inf/NaN.
void append_number(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
    } else if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
    } else {
        char buf[40];
        // Shortest of %.15g / %.17g that round-trips keeps "0.1" readable.
        std::snprintf(buf, sizeof buf, "%.15g", v);
        if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
        out += buf;
    }
}

void append_label_value(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void append_help(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void append_labels(std::string& out, const std::vector<std::pair<std::string, std::string>>& labels,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
    if (labels.empty() && extra_name.empty()) return;
    out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out += k;
        out += "=\"";
        append_label_value(out, v);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!first) out += ',';
        out += extra_name;
        out += "=\"";
        out += extra_value;
        out += '"';
    }
    out += '}';
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (!std::isfinite(bounds_[i]) || (i > 0 && !(bounds_[i] > bounds_[i - 1]))) {
            throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
        }
    }
    per_bucket_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
    for (std::size_t i = 0; i <= bounds_.size(); ++i) per_bucket_[i].store(0);
}

void Histogram::observe(double v) {
    // Bucket i holds bounds_[i-1] < v <= bounds_[i] (Prometheus "le" is inclusive).
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    const auto i = static_cast<std::size_t>(it - bounds_.begin());
    per_bucket_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t Histogram::cumulative_count(std::size_t i) const {
    std::uint64_t c = 0;
    for (std::size_t k = 0; k <= std::min(i, bounds_.size()); ++k) {
        c += per_bucket_[k].load(std::memory_order_relaxed);
    }
    return c;
}

std::vector<double> default_latency_buckets_s() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,  10.0};
}

Registry::Family& Registry::family_for(std::string_view name, std::string_view help, Type type,
                                       const std::vector<double>* bounds) {
    if (auto it = by_name_.find(name); it != by_name_.end()) {
        if (it->second->type != type) {
            throw std::logic_error("metric '" + std::string(name) +
                                   "' registered with another type");
        }
        return *it->second;
    }
    auto f = std::make_unique<Family>();
    f->name = std::string(name);
    f->help = std::string(help);
    f->type = type;
    if (bounds) f->bounds = *bounds;
    Family& fam = *f;
    by_name_.emplace(f->name, &fam);
    families_.push_back(std::move(f));
    return fam;
}

void Registry::declare_counter(std::string_view name, std::string_view help) {
    if (!valid_name(name, true)) {
        throw std::invalid_argument("invalid metric name '" + std::string(name) + "'");
    }
    std::lock_guard lock(mu_);
    family_for(name, help, Type::counter, nullptr);
}

void Registry::declare_gauge(std::string_view name, std::string_view help) {
    if (!valid_name(name, true)) {
        throw std::invalid_argument("invalid metric name '" + std::string(name) + "'");
    }
    std::lock_guard lock(mu_);
    family_for(name, help, Type::gauge, nullptr);
}

Registry::Series& Registry::series_for(std::string_view name, std::string_view help, Type type,
                                       const Labels& labels, const std::vector<double>* bounds) {
    if (!valid_name(name, true)) {
        throw std::invalid_argument("invalid metric name '" + std::string(name) + "'");
    }
    for (const auto& [k, v] : labels) {
        // "le" is reserved for histogram buckets; names starting "__" are reserved by Prometheus.
        if (!valid_name(k, false) || k.rfind("__", 0) == 0 ||
            (type == Type::histogram && k == "le")) {
            throw std::invalid_argument("invalid label name '" + k + "' on " + std::string(name));
        }
    }
    std::lock_guard lock(mu_);
    Family* fam = &family_for(name, help, type, bounds);
    for (auto& s : fam->series) {
        if (s->labels == labels) return *s;
    }
    auto s = std::make_unique<Series>();
    s->labels = labels;
    switch (type) {
        case Type::counter:
            s->counter = std::make_unique<Counter>();
            break;
        case Type::gauge:
            s->gauge = std::make_unique<Gauge>();
            break;
        case Type::histogram:
            s->histogram = std::make_unique<Histogram>(fam->bounds);
            break;
    }
    fam->series.push_back(std::move(s));
    return *fam->series.back();
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
    return *series_for(name, help, Type::counter, labels, nullptr).counter;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
    return *series_for(name, help, Type::gauge, labels, nullptr).gauge;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& upper_bounds, const Labels& labels) {
    return *series_for(name, help, Type::histogram, labels, &upper_bounds).histogram;
}

std::string Registry::render_prometheus() const {
    std::string out;
    std::lock_guard lock(mu_);
    for (const auto& f : families_) {
        out += "# HELP ";
        out += f->name;
        out += ' ';
        append_help(out, f->help);
        out += "\n# TYPE ";
        out += f->name;
        out += f->type == Type::counter ? " counter\n"
               : f->type == Type::gauge ? " gauge\n"
                                        : " histogram\n";
        for (const auto& s : f->series) {
            if (f->type != Type::histogram) {
                out += f->name;
                append_labels(out, s->labels);
                out += ' ';
                if (s->counter)
                    append_number(out, static_cast<double>(s->counter->value()));
                else
                    append_number(out, s->gauge->value());
                out += '\n';
                continue;
            }
            const Histogram& h = *s->histogram;
            // Read the buckets once and derive _count from them, so that +Inf == _count holds in
            // every scrape even while another thread observes.
            std::uint64_t cumulative = 0;
            const auto& b = h.upper_bounds();
            for (std::size_t i = 0; i <= b.size(); ++i) {
                cumulative = h.cumulative_count(i);
                std::string le;
                if (i < b.size())
                    append_number(le, b[i]);
                else
                    le = "+Inf";
                out += f->name;
                out += "_bucket";
                append_labels(out, s->labels, "le", le);
                out += ' ';
                out += std::to_string(cumulative);
                out += '\n';
            }
            out += f->name;
            out += "_sum";
            append_labels(out, s->labels);
            out += ' ';
            append_number(out, h.sum());
            out += '\n';
            out += f->name;
            out += "_count";
            append_labels(out, s->labels);
            out += ' ';
            out += std::to_string(cumulative);
            out += '\n';
        }
    }
    return out;
}

}  // namespace picket::outputs
