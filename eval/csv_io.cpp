#include "eval/csv_io.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string_view>

namespace picket::eval {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t b = 0;
    while (true) {
        const std::size_t e = line.find(',', b);
        out.push_back(
            trim(line.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b)));
        if (e == std::string_view::npos) break;
        b = e + 1;
    }
    return out;
}

[[noreturn]] void fail(const std::string& name, int line, const std::string& what) {
    throw std::runtime_error(name + ":" + std::to_string(line) + ": " + what);
}

// Reads the file row by row, handing each row's requested columns to `row` as numbers.
template <typename F>
void read_table(std::istream& in, const std::string& name, const std::vector<std::string>& wanted,
                F&& row) {
    std::string line;
    int ln = 0;
    std::vector<int> col(wanted.size(), -1);
    bool header = false;
    std::vector<double> values(wanted.size());
    while (std::getline(in, line)) {
        ++ln;
        const std::string_view l = trim(line);
        if (l.empty() || l.front() == '#') continue;
        const auto cells = split(l);
        if (!header) {
            for (std::size_t c = 0; c < cells.size(); ++c)
                for (std::size_t w = 0; w < wanted.size(); ++w)
                    if (cells[c] == wanted[w]) col[w] = static_cast<int>(c);
            for (std::size_t w = 0; w < wanted.size(); ++w)
                if (col[w] < 0) fail(name, ln, "missing column '" + wanted[w] + "' in header");
            header = true;
            continue;
        }
        for (std::size_t w = 0; w < wanted.size(); ++w) {
            const auto c = static_cast<std::size_t>(col[w]);
            if (c >= cells.size()) fail(name, ln, "missing value for '" + wanted[w] + "'");
            const std::string_view cell = cells[c];
            double v = 0;
            const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
            if (r.ec != std::errc() || r.ptr != cell.data() + cell.size() || !std::isfinite(v))
                fail(name, ln, "bad number '" + std::string(cell) + "' for '" + wanted[w] + "'");
            values[w] = v;
        }
        row(values, ln);
    }
    if (!header) fail(name, ln, "empty file (no header)");
}

template <typename T, typename R>
std::vector<T> read_file(const std::string& path, R reader) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open");
    return reader(in, path);
}

std::uint64_t as_id(double v, const std::string& name, int ln) {
    if (v < 0 || v != std::floor(v) || v > 9.0e15)
        fail(name, ln, "id must be a non-negative integer");
    return static_cast<std::uint64_t>(v);
}

}  // namespace

std::vector<Detection> read_detections(std::istream& in, const std::string& name) {
    std::vector<Detection> out;
    read_table(in, name, {"time", "x", "y"}, [&](const std::vector<double>& v, int) {
        out.push_back(Detection{v[0], v[1], v[2], -1});
    });
    return out;
}

std::vector<TruthPoint> read_truths(std::istream& in, const std::string& name) {
    std::vector<TruthPoint> out;
    read_table(in, name, {"time", "truth_id", "x", "y"}, [&](const std::vector<double>& v, int ln) {
        out.push_back(TruthPoint{v[0], as_id(v[1], name, ln), v[2], v[3], 0, 0});
    });
    return out;
}

std::vector<TrackPoint> read_tracks(std::istream& in, const std::string& name) {
    std::vector<TrackPoint> out;
    read_table(in, name, {"time", "track_id", "x", "y"}, [&](const std::vector<double>& v, int ln) {
        out.push_back(TrackPoint{v[0], as_id(v[1], name, ln), v[2], v[3], 0, 0});
    });
    return out;
}

std::vector<Detection> read_detections_file(const std::string& p) {
    return read_file<Detection>(
        p, [](std::istream& i, const std::string& n) { return read_detections(i, n); });
}
std::vector<TruthPoint> read_truths_file(const std::string& p) {
    return read_file<TruthPoint>(
        p, [](std::istream& i, const std::string& n) { return read_truths(i, n); });
}
std::vector<TrackPoint> read_tracks_file(const std::string& p) {
    return read_file<TrackPoint>(
        p, [](std::istream& i, const std::string& n) { return read_tracks(i, n); });
}

namespace {
// Shortest text that reads back to the same double.
void put(std::ostream& out, double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.write(buf, r.ptr - buf);
}
}  // namespace

void write_detections(std::ostream& out, const std::vector<Detection>& d) {
    out << "time,x,y,truth_id\n";
    for (const Detection& r : d) {
        put(out, r.t_s);
        out << ',';
        put(out, r.x_m);
        out << ',';
        put(out, r.y_m);
        out << ',' << r.truth_id << '\n';
    }
}

void write_truths(std::ostream& out, const std::vector<TruthPoint>& t) {
    out << "time,truth_id,x,y\n";
    for (const TruthPoint& r : t) {
        put(out, r.t_s);
        out << ',' << r.truth_id << ',';
        put(out, r.x_m);
        out << ',';
        put(out, r.y_m);
        out << '\n';
    }
}

void write_tracks_header(std::ostream& out) { out << "time,track_id,x,y,vx,vy\n"; }

void write_track_row(std::ostream& out, const TrackPoint& p) {
    put(out, p.t_s);
    out << ',' << p.track_id << ',';
    put(out, p.x_m);
    out << ',';
    put(out, p.y_m);
    out << ',';
    put(out, p.vx_mps);
    out << ',';
    put(out, p.vy_mps);
    out << '\n';
}

}  // namespace picket::eval
