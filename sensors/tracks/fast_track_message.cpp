#include "sensors/tracks/fast_track_message.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace picket::sensors {
namespace {

/// A JSON number token as nlohmann reads it: without a fraction it is an integer (so "-0" is
/// 0, not -0.0, and "12" is unsigned), with one a double read by a correctly rounded
/// conversion (strtod there, from_chars here: the same double).
struct Number {
    bool integer{false};
    bool negative{false};
    std::uint64_t magnitude{0};
    double value{0};
    [[nodiscard]] bool is_unsigned() const { return integer && !negative; }
};

/// Reads a value the reference would read the same way, or fails (`ok_ = false`) on anything
/// outside the plain shape; once failed every read fails, so callers check only at the end.
class Scanner {
public:
    explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

    [[nodiscard]] bool ok() const { return ok_; }
    bool fail() { return ok_ = false; }

    void skip_ws() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    /// Consumes `c` after whitespace if it is next.
    bool take(char c) {
        skip_ws();
        if (ok_ && p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!take(c)) fail();
    }
    [[nodiscard]] bool at_end() {
        skip_ws();
        return p_ == end_;
    }
    /// `null` next (consumed): the reference treats a null field as absent.
    bool take_null() {
        skip_ws();
        if (ok_ && end_ - p_ >= 4 && std::string_view(p_, 4) == "null") {
            p_ += 4;
            return true;
        }
        return false;
    }

    /// A string of printable ASCII without escapes: its bytes are then the decoded value.
    std::string_view string() {
        skip_ws();
        if (!ok_ || p_ >= end_ || *p_ != '"') return fail(), std::string_view{};
        const char* start = ++p_;
        while (p_ < end_) {
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') return {start, static_cast<std::size_t>(p_++ - start)};
            if (c < 0x20 || c >= 0x80 || c == '\\') break;
            ++p_;
        }
        fail();
        return {};
    }

    Number number() {
        skip_ws();
        Number n;
        const char* start = p_;
        if (p_ < end_ && *p_ == '-') {
            n.negative = true;
            ++p_;
        }
        const char* digits = p_;
        if (p_ >= end_ || !is_digit(*p_)) return fail(), n;
        if (*p_ == '0') {
            ++p_;
        } else {
            while (p_ < end_ && is_digit(*p_)) ++p_;
        }
        // 18 digits never overflow a uint64 (nor, negated, an int64): nlohmann would turn an
        // overflowing integer into a double; the reference decides those.
        if (p_ - digits > 18) return fail(), n;
        for (const char* d = digits; d < p_; ++d)
            n.magnitude = n.magnitude * 10 + static_cast<std::uint64_t>(*d - '0');
        n.integer = true;
        if (p_ < end_ && *p_ == '.') {
            ++p_;
            if (p_ >= end_ || !is_digit(*p_)) return fail(), n;
            while (p_ < end_ && is_digit(*p_)) ++p_;
            n.integer = false;
        }
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) return fail(), n;
        if (n.integer) {
            n.value = n.negative ? static_cast<double>(-static_cast<std::int64_t>(n.magnitude))
                                 : static_cast<double>(n.magnitude);
        } else {
            const auto r = std::from_chars(start, p_, n.value);
            if (r.ec != std::errc{} || r.ptr != p_ || !std::isfinite(n.value)) return fail(), n;
        }
        return n;
    }
    std::uint64_t unsigned_integer() {
        const Number n = number();
        if (!n.is_unsigned()) fail();
        return n.magnitude;
    }

    /// Skips any value, checking its syntax (nested up to a small depth).
    void skip_value(int depth = 0) {
        skip_ws();
        if (!ok_ || p_ >= end_ || depth > 16) return void(fail());
        switch (*p_) {
            case '"':
                string();
                return;
            case '{':
                ++p_;
                if (take('}')) return;
                do {
                    string();
                    expect(':');
                    skip_value(depth + 1);
                } while (ok_ && take(','));
                expect('}');
                return;
            case '[':
                ++p_;
                if (take(']')) return;
                do skip_value(depth + 1);
                while (ok_ && take(','));
                expect(']');
                return;
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                number();
        }
    }

    /// Reads `{"key": value, ...}`, calling `on_key(key)` with the scanner at each value; the
    /// callback must consume the value (or fail).
    template <class F>
    void object(F&& on_key) {
        expect('{');
        if (take('}')) return;
        do {
            const std::string_view key = string();
            expect(':');
            if (!ok_) return;
            on_key(key);
        } while (ok_ && take(','));
        expect('}');
    }
    /// Reads `[value, ...]`, calling `on_item()` at each value.
    template <class F>
    void array(F&& on_item) {
        expect('[');
        if (take(']')) return;
        do on_item();
        while (ok_ && take(','));
        expect(']');
    }

private:
    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    void literal(std::string_view word) {
        if (end_ - p_ >= static_cast<std::ptrdiff_t>(word.size()) &&
            std::string_view(p_, word.size()) == word)
            p_ += word.size();
        else
            fail();
    }

    const char* p_;
    const char* end_;
    bool ok_{true};
};

/// The fields the reference reads from a track Feature, as they were on the wire.
struct Fields {
    std::optional<std::uint64_t> track_id;
    bool have_geometry{false};
    std::vector<double> coordinates;
    std::optional<std::string_view> time, status, class_name, name, callsign, last_ais;
    std::optional<double> east, north, sigma;
    std::optional<std::uint64_t> mmsi, ship_type;
    std::optional<std::vector<double>> cov;
    std::vector<std::string_view> sensors, feeds;
};

/// Marks `bit` seen; a key seen twice fails (nlohmann keeps the last: the reference decides).
bool first_time(unsigned& seen, unsigned bit, Scanner& s) {
    if (seen & bit) return s.fail();
    seen |= bit;
    return true;
}

std::optional<std::string_view> string_or_null(Scanner& s) {
    if (s.take_null()) return std::nullopt;
    return s.string();
}

void read_strings(Scanner& s, std::vector<std::string_view>& out) {
    if (s.take_null()) return;
    s.array([&] { out.push_back(s.string()); });
}

void read_geometry(Scanner& s, Fields& f) {
    unsigned seen = 0;
    s.object([&](std::string_view key) {
        if (key == "coordinates") {
            if (!first_time(seen, 1, s)) return;
            s.array([&] { f.coordinates.push_back(s.number().value); });
        } else {
            s.skip_value();  // "type": the reference does not read it
        }
    });
    f.have_geometry = true;
}

void read_properties(Scanner& s, Fields& f) {
    unsigned seen = 0;
    s.object([&](std::string_view key) {
        // Every field the reference reads: once, with the type picket writes (or null).
        const auto once = [&](unsigned bit) { return first_time(seen, bit, s); };
        if (key == "track_id") {
            if (once(1u << 0)) f.track_id = s.unsigned_integer();
        } else if (key == "status") {
            if (once(1u << 1)) f.status = string_or_null(s);
        } else if (key == "time") {
            if (once(1u << 2)) f.time = s.string();
        } else if (key == "east_mps") {
            if (once(1u << 3)) f.east = s.number().value;
        } else if (key == "north_mps") {
            if (once(1u << 4)) f.north = s.number().value;
        } else if (key == "sigma_m") {
            if (once(1u << 5)) f.sigma = s.number().value;
        } else if (key == "class") {
            if (once(1u << 6)) f.class_name = string_or_null(s);
        } else if (key == "mmsi") {
            if (once(1u << 7) && !s.take_null()) f.mmsi = s.unsigned_integer();
        } else if (key == "name") {
            if (once(1u << 8)) f.name = string_or_null(s);
        } else if (key == "callsign") {
            if (once(1u << 9)) f.callsign = string_or_null(s);
        } else if (key == "ship_type") {
            if (once(1u << 10) && !s.take_null()) f.ship_type = s.unsigned_integer();
        } else if (key == "last_ais") {
            if (once(1u << 11)) f.last_ais = string_or_null(s);
        } else if (key == "sensors") {
            if (once(1u << 12)) read_strings(s, f.sensors);
        } else if (key == "feeds") {
            if (once(1u << 13)) read_strings(s, f.feeds);
        } else if (key == "cov") {
            if (once(1u << 14) && !s.take_null()) {
                f.cov.emplace();
                s.array([&] { f.cov->push_back(s.number().value); });
            }
        } else {
            s.skip_value();  // born, speed_mps, standing, label, sources, …: not read
        }
    });
}

std::optional<TrackStatus> status_from(std::string_view s) {
    if (s == "tentative") return TrackStatus::tentative;
    if (s == "confirmed") return TrackStatus::confirmed;
    if (s == "coasting") return TrackStatus::coasting;
    return std::nullopt;
}

/// The SourceTrack the reference builds from these fields, or nullopt where it would reject
/// (the reference then says why).
std::optional<SourceTrack> build(const Fields& f, const SourceTrackDefaults& defaults) {
    if (!f.track_id || !f.have_geometry || f.coordinates.size() < 2) return std::nullopt;
    SourceTrack t;
    t.id = *f.track_id;
    t.position = {f.coordinates[1], f.coordinates[0]};
    if (std::abs(t.position.lat_deg) > 90 || std::abs(t.position.lon_deg) > 180)
        return std::nullopt;
    if (!f.time) return std::nullopt;
    const auto when = parse_iso8601(*f.time);
    if (!when) return std::nullopt;
    t.time = *when;
    if (!f.east || !f.north) return std::nullopt;
    t.east_mps = *f.east;
    t.north_mps = *f.north;
    if (std::abs(t.east_mps) > 1000 || std::abs(t.north_mps) > 1000) return std::nullopt;
    if (f.status) {
        const auto st = status_from(*f.status);
        if (!st) return std::nullopt;
        t.status = *st;
    }
    if (f.cov) {
        if (f.cov->size() != 10) return std::nullopt;
        std::size_t k = 0;
        for (int r = 0; r < 4; ++r)
            for (int c = r; c < 4; ++c) t.cov(r, c) = t.cov(c, r) = (*f.cov)[k++];
    } else {
        if (!f.sigma || *f.sigma <= 0) return std::nullopt;
        const double s = *f.sigma;
        const double sv = defaults.sigma_velocity_mps;
        t.cov = Eigen::Vector4d(s * s, s * s, sv * sv, sv * sv).asDiagonal();
    }
    for (int i = 0; i < 4; ++i) t.cov(i, i) += 1e-6;  // the reference's floor, same reason
    if (!valid_covariance(t.cov)) return std::nullopt;
    if (f.class_name)
        if (const auto cls = target_class_from_string(*f.class_name)) t.target_class = *cls;
    if (f.mmsi && *f.mmsi > 0 && *f.mmsi < (1u << 30)) {
        Identity ident;
        ident.mmsi = static_cast<Mmsi>(*f.mmsi);
        ident.name = std::string(f.name.value_or(""));
        ident.callsign = std::string(f.callsign.value_or(""));
        if (f.ship_type && *f.ship_type < 256)
            ident.ship_type = static_cast<std::uint8_t>(*f.ship_type);
        t.identity = std::move(ident);
    }
    if (f.last_ais) t.last_ais = parse_iso8601(*f.last_ais);
    for (const std::string_view k : f.sensors)
        if (const auto kind = sensor_kind_from_string(k)) t.seen_by.add(*kind);
    for (const std::string_view n : f.feeds)
        if (!n.empty() && n.size() <= 128) t.sensors.emplace_back(n);
    if (t.sensors.empty() && !defaults.feed_id.empty()) t.sensors.push_back(defaults.feed_id);
    std::sort(t.sensors.begin(), t.sensors.end());
    t.sensors.erase(std::unique(t.sensors.begin(), t.sensors.end()), t.sensors.end());
    return t;
}

}  // namespace

std::optional<FastTrackMessage> fast_decode_track_message(std::string_view message,
                                                          const SourceTrackDefaults& defaults) {
    Scanner s(message);
    FastTrackMessage m;
    Fields f;
    std::optional<std::uint64_t> seq, top_track_id;
    bool feature = false, have_properties = false;
    unsigned seen = 0;
    s.object([&](std::string_view key) {
        if (key == "seq") {
            if (first_time(seen, 1u << 0, s)) seq = s.unsigned_integer();
        } else if (key == "instance") {
            if (!first_time(seen, 1u << 1, s)) return;
            m.instance = s.string();
            if (m.instance->empty() || m.instance->size() > 64) s.fail();
        } else if (key == "type") {
            if (first_time(seen, 1u << 2, s) && s.string() != "Feature") s.fail();
            feature = true;
        } else if (key == "geometry") {
            if (first_time(seen, 1u << 3, s)) read_geometry(s, f);
        } else if (key == "properties") {
            if (first_time(seen, 1u << 4, s)) read_properties(s, f);
            have_properties = true;
        } else if (key == "track_id") {
            if (first_time(seen, 1u << 5, s)) top_track_id = s.unsigned_integer();
        } else if (key == "id" || key == "time") {
            s.skip_value();  // the Feature's id, the deletion's time: not read
        } else {
            s.fail();  // "tracks" (a snapshot) or anything else: the reference's business
        }
    });
    if (!s.ok() || !s.at_end() || !seq) return std::nullopt;
    m.seq = *seq;
    if (feature) {
        if (!have_properties) return std::nullopt;
        auto t = build(f, defaults);
        if (!t) return std::nullopt;
        m.kind = FastTrackMessage::Kind::track;
        m.track = std::move(*t);
        return m;
    }
    if (top_track_id && !have_properties) {
        m.kind = FastTrackMessage::Kind::ended;
        m.ended_id = *top_track_id;
        return m;
    }
    return std::nullopt;
}

}  // namespace picket::sensors
