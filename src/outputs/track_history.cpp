#include "src/outputs/track_history.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>

#include "src/outputs/sqlite_statement.hpp"

namespace picket::outputs {
namespace {

namespace fs = std::filesystem;
using sqlite::Statement;

constexpr std::int64_t kNsPerDay = 86'400 * kNsPerSecond;
constexpr const char* kPrefix = "track-points-";
constexpr const char* kSuffix = ".db";
/// Day files hold at most this many days open for writing (today and yesterday: points of a
/// late feed may still land in yesterday's file just after midnight).
constexpr std::size_t kOpenDays = 2;

/// Schema 2 (issue #18: history <= 2 GB a day at 10,000 tracks): status, class and standing are
/// small integer codes (the enums' order, which only ever grows at the end), one byte or none on
/// disk where their names took 20. The code tables and the view `track_points_named` keep a day
/// file readable on its own (sqlite3, QGIS, pandas). Files of schema 1 (names as TEXT) are read as
/// before: track_point_from_row() takes either form.
constexpr const char* kDaySchema = R"sql(
CREATE TABLE IF NOT EXISTS track_points(
  track_id INTEGER NOT NULL, time_ns INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, east_mps REAL NOT NULL, north_mps REAL NOT NULL,
  sigma_m REAL NOT NULL, status INTEGER NOT NULL, class INTEGER NOT NULL,
  standing INTEGER NOT NULL, mmsi INTEGER, name TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS track_status(code INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS target_class(code INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS standing(code INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW IF NOT EXISTS track_points_named AS
  SELECT p.track_id, p.time_ns, p.lat, p.lon, p.east_mps, p.north_mps, p.sigma_m,
         s.name AS status, c.name AS class, o.name AS standing, p.mmsi, p.name, p.label
  FROM track_points p LEFT JOIN track_status s ON s.code = p.status
  LEFT JOIN target_class c ON c.code = p.class LEFT JOIN standing o ON o.code = p.standing;
)sql";

constexpr const char* kColumns =
    "track_id, time_ns, lat, lon, east_mps, north_mps, sigma_m, status, class, standing, mmsi, "
    "name, label";

std::int64_t day_of(Timestamp t) {
    // Floor division that holds at the extremes (an unbounded export window).
    return t.ns / kNsPerDay - (t.ns % kNsPerDay < 0 ? 1 : 0);
}

constexpr std::array kStatuses{TrackStatus::tentative, TrackStatus::confirmed,
                               TrackStatus::coasting, TrackStatus::deleted};
constexpr std::array kClasses{TargetClass::unknown, TargetClass::vessel,  TargetClass::fast_boat,
                              TargetClass::person,  TargetClass::vehicle, TargetClass::aircraft};
constexpr std::array kStandings{Standing::unknown, Standing::friendly, Standing::neutral,
                                Standing::suspect, Standing::hostile};

std::optional<TrackStatus> track_status_from(std::string_view s) {
    for (auto v : kStatuses) {
        if (to_string(v) == s) return v;
    }
    return std::nullopt;
}

/// The code tables of a new day file: every value of each enum, its code and its name.
void fill_code_tables(sqlite3* db) {
    const auto fill = [db](const char* table, const auto& values) {
        Statement insert(
            db,
            (std::string("INSERT OR REPLACE INTO ") + table + "(code, name) VALUES(?, ?)").c_str());
        for (const auto v : values) {
            sqlite::ResetGuard guard(insert);
            insert.bind(1, static_cast<std::int64_t>(v)).bind(2, to_string(v));
            insert.step();
        }
    };
    fill("track_status", kStatuses);
    fill("target_class", kClasses);
    fill("standing", kStandings);
}

/// An enum column of either schema: a code (schema 2) or a name (schema 1).
template <typename Enum, std::size_t N, typename FromName>
std::optional<Enum> enum_column(const Statement& s, int column, const std::array<Enum, N>& values,
                                FromName from_name) {
    if (s.is_text(column)) return from_name(s.text(column));
    const std::int64_t code = s.i64(column);
    if (code < 0 || code >= static_cast<std::int64_t>(N)) return std::nullopt;
    return values[static_cast<std::size_t>(code)];
}

/// "track-points-2026-11-25.db" -> its day number; nullopt for any other name.
std::optional<std::int64_t> parse_day_file(const std::string& name) {
    const std::string prefix = kPrefix, suffix = kSuffix;
    if (name.size() != prefix.size() + 10 + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    const auto t = parse_iso8601(name.substr(prefix.size(), 10) + "T00:00:00Z");
    if (!t) return std::nullopt;
    return day_of(*t);
}

}  // namespace

/// One day's database: its connection and statements.
class TrackHistory::Day {
public:
    Day(const std::string& path, bool read_only) {
        const int flags =
            read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("track history: cannot open '" + path + "': " + msg);
        }
        try {
            sqlite3_busy_timeout(db_, 5000);
            if (!read_only) {
                if (path != ":memory:") sqlite::exec(db_, "PRAGMA journal_mode=WAL");
                sqlite::exec(db_, "PRAGMA synchronous=NORMAL");
                sqlite::exec(db_, "BEGIN");
                sqlite::exec(db_, kDaySchema);
                // A file created by an older server keeps its schema (1) and TEXT columns.
                if (sqlite::user_version(db_) == 0) {
                    fill_code_tables(db_);
                    sqlite::exec(db_, "PRAGMA user_version=2");
                }
                names_as_text = sqlite::user_version(db_) < 2;
                sqlite::exec(db_, "COMMIT");
                insert = std::make_unique<Statement>(
                    db_, (std::string("INSERT INTO track_points(") + kColumns +
                          ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)")
                             .c_str());
                remove_before =
                    std::make_unique<Statement>(db_, "DELETE FROM track_points WHERE time_ns < ?");
                begin = std::make_unique<Statement>(db_, "BEGIN");
                commit = std::make_unique<Statement>(db_, "COMMIT");
            }
            between = std::make_unique<Statement>(
                db_, (std::string("SELECT ") + kColumns +
                      " FROM track_points WHERE time_ns BETWEEN ? AND ?")
                         .c_str());
            count = std::make_unique<Statement>(db_, "SELECT count(*) FROM track_points");
        } catch (...) {
            close();
            throw;
        }
    }
    ~Day() { close(); }
    Day(const Day&) = delete;
    Day& operator=(const Day&) = delete;

    [[nodiscard]] sqlite3* db() const { return db_; }
    std::unique_ptr<Statement> insert, remove_before, begin, commit, between, count;
    bool names_as_text{false};  ///< a schema-1 file: status, class, standing stored as names

private:
    void close() {
        insert.reset();
        remove_before.reset();
        begin.reset();
        commit.reset();
        between.reset();
        count.reset();
        sqlite3_close_v2(db_);
        db_ = nullptr;
    }
    sqlite3* db_{nullptr};
};

TrackHistory::TrackHistory(std::string directory, Options options)
    : dir_(std::move(directory)), options_(options), in_memory_(dir_ == ":memory:") {
    if (in_memory_ || options_.read_only) return;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("track history: cannot create " + dir_ + ": " + ec.message());
}

TrackHistory::~TrackHistory() = default;

std::string TrackHistory::day_file_name(std::int64_t day) {
    return kPrefix + to_iso8601(Timestamp{day * kNsPerDay}).substr(0, 10) + kSuffix;
}

TrackHistory::Day* TrackHistory::day(std::int64_t number, bool create) const {
    if (auto it = open_.find(number); it != open_.end()) return it->second.get();
    if (in_memory_) {
        if (!create) return nullptr;
        return open_.emplace(number, std::make_unique<Day>(":memory:", false)).first->second.get();
    }
    const std::string path = (fs::path(dir_) / day_file_name(number)).string();
    if (!create && !fs::exists(path)) return nullptr;
    return open_.emplace(number, std::make_unique<Day>(path, options_.read_only || !create))
        .first->second.get();
}

void TrackHistory::close_all_but(std::int64_t keep) const {
    if (in_memory_) return;  // closing an in-memory day would delete it
    for (auto it = open_.begin(); it != open_.end();) {
        if (it->first != keep && (open_.size() > kOpenDays || it->first < keep - 1)) {
            it = open_.erase(it);
        } else {
            ++it;
        }
    }
}

void TrackHistory::save(std::span<const TrackPoint> points) {
    if (options_.read_only) throw std::runtime_error("track history: opened read-only");
    std::size_t i = 0;
    while (i < points.size()) {
        const std::int64_t number = day_of(points[i].time);
        Day* d = day(number, true);
        if (!d->insert) {  // opened read-only by a query before: open it for writing
            open_.erase(number);
            d = day(number, true);
        }
        d->begin->run();
        try {
            // Every point of this day, in order; the next day's (rare: midnight) in its own file.
            for (; i < points.size() && day_of(points[i].time) == number; ++i) {
                const TrackPoint& p = points[i];
                if (p.status == TrackStatus::deleted) continue;
                auto [it, fresh] = last_written_ns_.try_emplace(p.track_id, p.time.ns);
                if (!fresh) {
                    if (p.time.ns <= it->second) continue;
                    it->second = p.time.ns;
                }
                Statement& s = *d->insert;
                sqlite::ResetGuard guard(s);
                s.bind(1, static_cast<std::int64_t>(p.track_id))
                    .bind(2, p.time.ns)
                    .bind(3, p.position.lat_deg)
                    .bind(4, p.position.lon_deg)
                    .bind(5, p.east_mps)
                    .bind(6, p.north_mps)
                    .bind(7, p.sigma_m)
                    .bind_opt(11, p.mmsi)
                    .bind(12, p.name)
                    .bind(13, p.label);
                if (d->names_as_text) {
                    s.bind(8, to_string(p.status))
                        .bind(9, to_string(p.target_class))
                        .bind(10, to_string(p.standing));
                } else {
                    s.bind(8, static_cast<std::int64_t>(p.status))
                        .bind(9, static_cast<std::int64_t>(p.target_class))
                        .bind(10, static_cast<std::int64_t>(p.standing));
                }
                s.step();
            }
            d->commit->run();
        } catch (...) {
            sqlite3_exec(d->db(), "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        close_all_but(number);
    }
    // Forget tracks not written for a day: the map stays the size of the live picture.
    if (++saves_since_sweep_ >= 10'000 && !points.empty()) {
        saves_since_sweep_ = 0;
        const std::int64_t horizon = points.back().time.ns - kNsPerDay;
        std::erase_if(last_written_ns_, [&](const auto& e) { return e.second < horizon; });
    }
}

std::vector<std::int64_t> TrackHistory::days() const {
    std::vector<std::int64_t> out;
    if (in_memory_) {
        for (const auto& [number, d] : open_) out.push_back(number);
        return out;
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_, ec))
        if (auto n = parse_day_file(e.path().filename().string())) out.push_back(*n);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<TrackPoint> TrackHistory::between(Timestamp from, Timestamp to) const {
    std::vector<TrackPoint> out;
    for (const std::int64_t number : days()) {
        if (number < day_of(from) || number > day_of(to)) continue;
        Day* d = day(number, false);
        if (!d) continue;
        Statement& s = *d->between;
        sqlite::ResetGuard guard(s);
        s.bind(1, from.ns).bind(2, to.ns);
        while (s.step()) {
            out.push_back(track_point_from_row(s));
        }
    }
    sort_by_track_and_time(out);
    return out;
}

std::int64_t TrackHistory::prune_before(Timestamp cutoff) {
    if (options_.read_only) throw std::runtime_error("track history: opened read-only");
    std::int64_t removed = 0;
    const std::int64_t cutoff_day = day_of(cutoff);
    for (const std::int64_t number : days()) {
        if (number > cutoff_day) break;
        Day* d = day(number, false);
        if (!d) continue;
        if (number < cutoff_day) {
            // The whole day goes: count it, close it, delete its files.
            {
                Statement& c = *d->count;
                sqlite::ResetGuard guard(c);
                if (c.step()) removed += c.i64(0);
            }
            open_.erase(number);
            if (!in_memory_) {
                const fs::path path = fs::path(dir_) / day_file_name(number);
                std::error_code ec;
                fs::remove(path, ec);
                fs::remove(path.string() + "-wal", ec);
                fs::remove(path.string() + "-shm", ec);
            }
        } else {
            if (!d->remove_before) {
                open_.erase(number);
                d = day(number, true);
            }
            Statement& r = *d->remove_before;
            sqlite::ResetGuard guard(r);
            r.bind(1, cutoff.ns);
            r.step();
            removed += sqlite3_changes64(d->db());
        }
    }
    return removed;
}

std::uint64_t TrackHistory::disk_bytes() const {
    if (in_memory_) return 0;
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_, ec))
        if (e.path().filename().string().rfind(kPrefix, 0) == 0 && e.is_regular_file(ec))
            total += e.file_size(ec);
    return total;
}

TrackPoint track_point_from_row(const sqlite::Statement& s) {
    TrackPoint p;
    p.track_id = static_cast<TrackId>(s.i64(0));
    p.time.ns = s.i64(1);
    p.position = {s.f64(2), s.f64(3)};
    p.east_mps = s.f64(4);
    p.north_mps = s.f64(5);
    p.sigma_m = s.f64(6);
    p.status = enum_column(s, 7, kStatuses, track_status_from).value_or(TrackStatus::tentative);
    p.target_class =
        enum_column(s, 8, kClasses, target_class_from_string).value_or(TargetClass::unknown);
    p.standing = enum_column(s, 9, kStandings, standing_from_string).value_or(Standing::unknown);
    if (!s.is_null(10)) p.mmsi = static_cast<Mmsi>(s.i64(10));
    p.name = s.text(11);
    p.label = s.text(12);
    return p;
}

void sort_by_track_and_time(std::vector<TrackPoint>& points) {
    std::stable_sort(points.begin(), points.end(), [](const TrackPoint& a, const TrackPoint& b) {
        return a.track_id != b.track_id ? a.track_id < b.track_id : a.time < b.time;
    });
}

}  // namespace picket::outputs
