#include "src/store/pg_history.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "src/outputs/evidence_json.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_schema.hpp"
#include "src/store/pg_store.hpp"

namespace picket::store {
namespace {

using pg::Params;
using pg::Result;

std::int64_t day_of(Timestamp t) { return t.ns / kNsPerDay - (t.ns % kNsPerDay < 0 ? 1 : 0); }

/// The partitions of track_points and their lower bounds ("FOR VALUES FROM ('<ns>') TO ...").
constexpr const char* kPartitions =
    "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
    "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'track_points'::regclass";

std::optional<std::int64_t> lower_bound_ns(std::string_view bound) {
    const auto from = bound.find("FROM ('");
    if (from == std::string_view::npos) return std::nullopt;
    const char* p = bound.data() + from + 7;
    std::int64_t v = 0;
    const auto r = std::from_chars(p, bound.data() + bound.size(), v);
    if (r.ec != std::errc{}) return std::nullopt;
    return v;
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

std::string PgHistory::partition_name(std::int64_t day) {
    std::string date = to_iso8601(Timestamp{day * kNsPerDay}).substr(0, 10);  // 2026-12-07
    std::replace(date.begin(), date.end(), '-', '_');
    return "track_points_" + date;
}

PgHistory::PgHistory(const std::string& conninfo, Options options)
    : options_(options), conn_(std::make_unique<pg::Connection>(conninfo)) {
    conn_->exec("SET synchronous_commit = on");
    if (options.read_only) {
        conn_->exec("SET default_transaction_read_only = on");
        check_pg_schema(*conn_);
    } else {
        ensure_pg_schema(*conn_);
    }
    for (const std::int64_t d : days()) partitions_.insert(d);
}

PgHistory::~PgHistory() = default;

std::vector<std::int64_t> PgHistory::days() const {
    const Result r = conn_->exec(kPartitions);
    std::vector<std::int64_t> out;
    for (int i = 0; i < r.rows(); ++i)
        if (auto ns = lower_bound_ns(r.text(i, 1))) out.push_back(day_of(Timestamp{*ns}));
    std::sort(out.begin(), out.end());
    return out;
}

void PgHistory::ensure_partition(std::int64_t day) {
    if (partitions_.count(day)) return;
    // Two servers may reach a new day together: the DDL is serialised by the schema's lock.
    conn_->transaction([&] {
        conn_->exec("SELECT pg_advisory_xact_lock(7361426375)");
        conn_->exec("CREATE TABLE IF NOT EXISTS " + quoted(partition_name(day)) +
                    " PARTITION OF track_points FOR VALUES FROM (" +
                    std::to_string(day * kNsPerDay) + ") TO (" +
                    std::to_string((day + 1) * kNsPerDay) + ")");
    });
    partitions_.insert(day);
}

void PgHistory::save(std::span<const outputs::TrackPoint> points) {
    std::string data;
    std::unordered_map<TrackId, std::int64_t> written;  // applied once the commit returns
    std::set<std::int64_t> days_touched;
    const std::string site = std::to_string(options_.site);
    for (const outputs::TrackPoint& p : points) {
        if (p.status == TrackStatus::deleted) continue;
        std::int64_t& last = written.try_emplace(p.track_id, INT64_MIN).first->second;
        if (last == INT64_MIN)
            if (auto it = last_written_ns_.find(p.track_id); it != last_written_ns_.end())
                last = it->second;
        if (p.time.ns <= last) continue;
        last = p.time.ns;
        days_touched.insert(day_of(p.time));
        data += site;
        for (const std::string& v :
             {std::to_string(p.track_id), std::to_string(p.time.ns),
              pg::double_text(p.position.lat_deg), pg::double_text(p.position.lon_deg),
              pg::double_text(p.east_mps), pg::double_text(p.north_mps),
              pg::double_text(p.sigma_m)}) {
            data += '\t';
            data += v;
        }
        for (std::string_view v :
             {to_string(p.status), to_string(p.target_class), to_string(p.standing)}) {
            data += '\t';
            pg::append_copy_text(data, v);
        }
        data += '\t';
        data += p.mmsi ? std::to_string(*p.mmsi) : std::string("\\N");
        data += '\t';
        pg::append_copy_text(data, p.name);
        data += '\t';
        pg::append_copy_text(data, p.label);
        data += '\n';
    }
    if (data.empty()) return;
    try {
        for (const std::int64_t d : days_touched) ensure_partition(d);
        // One COPY is one transaction: all of it or nothing.
        conn_->copy_in(
            "COPY track_points(site, track_id, time_ns, lat, lon, east_mps, north_mps, sigma_m, "
            "status, class, standing, mmsi, name, label) FROM STDIN",
            data);
    } catch (...) {
        // Another server's retention may have dropped a day we thought we had: ask again.
        partitions_.clear();
        try {
            for (const std::int64_t d : days()) partitions_.insert(d);
        } catch (...) {  // the connection is gone too: the next save() asks again
        }
        throw;
    }
    for (const auto& [id, ns] : written) last_written_ns_[id] = ns;
}

std::vector<outputs::TrackPoint> PgHistory::between(Timestamp from, Timestamp to) const {
    const Result r = conn_->exec(
        "SELECT track_id, time_ns, lat, lon, east_mps, north_mps, sigma_m, status, class, "
        "standing, mmsi, name, label FROM track_points WHERE site = $1 AND time_ns BETWEEN $2 "
        "AND $3 ORDER BY track_id, time_ns",
        Params().add(std::int64_t{options_.site}).add(from.ns).add(to.ns));
    std::vector<outputs::TrackPoint> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        outputs::TrackPoint p;
        p.track_id = static_cast<TrackId>(r.i64(i, 0));
        p.time = Timestamp{r.i64(i, 1)};
        p.position = {r.f64(i, 2), r.f64(i, 3)};
        p.east_mps = r.f64(i, 4);
        p.north_mps = r.f64(i, 5);
        p.sigma_m = r.f64(i, 6);
        p.status = outputs::track_status_from(r.text(i, 7)).value_or(TrackStatus::tentative);
        p.target_class = target_class_from_string(r.text(i, 8)).value_or(TargetClass::unknown);
        p.standing = standing_from_string(r.text(i, 9)).value_or(Standing::unknown);
        if (!r.is_null(i, 10)) p.mmsi = static_cast<Mmsi>(r.i64(i, 10));
        p.name = r.text(i, 11);
        p.label = r.text(i, 12);
        out.push_back(std::move(p));
    }
    return out;
}

std::int64_t PgHistory::prune_before(Timestamp cutoff) {
    const std::int64_t cutoff_day = day_of(cutoff);
    std::int64_t removed = 0;
    conn_->transaction([&] {
        conn_->exec("SELECT pg_advisory_xact_lock(7361426375)");
        const Result parts = conn_->exec(kPartitions);
        for (int i = 0; i < parts.rows(); ++i) {
            const auto ns = lower_bound_ns(parts.text(i, 1));
            if (!ns || day_of(Timestamp{*ns}) >= cutoff_day) continue;
            const std::string name = quoted(parts.text(i, 0));
            removed += conn_->exec("SELECT count(*) FROM " + name).i64(0, 0);
            conn_->exec("DROP TABLE " + name);
            partitions_.erase(day_of(Timestamp{*ns}));
        }
        removed += conn_
                       ->exec("DELETE FROM track_points WHERE site = $1 AND time_ns < $2",
                              Params().add(std::int64_t{options_.site}).add(cutoff.ns))
                       .affected();
    });
    return removed;
}

std::uint64_t PgHistory::disk_bytes() const {
    const Result r = conn_->exec(
        "SELECT COALESCE(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
        "WHERE inhparent = 'track_points'::regclass");
    return static_cast<std::uint64_t>(r.i64(0, 0));
}

}  // namespace picket::store
