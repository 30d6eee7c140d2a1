#include "src/server_config.hpp"

#include "sensors/tracks/tracks_feed.hpp"

#include <zmq.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "config/yaml_reader.hpp"
#include "core/json_writer.hpp"
#include "src/store/open_store.hpp"
#include "src/store/pg_store.hpp"
#include "src/tracker_config_reader.hpp"

namespace picket::server {
namespace {

using config::Node;
namespace fs = std::filesystem;

std::string resolve(const std::string& base_dir, const std::string& p) {
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (fs::path(base_dir) / p).lexically_normal().string();
}

LatLon read_latlon(const Node& n) {
    LatLon p{n.at("lat").as_double(), n.at("lon").as_double()};
    if (p.lat_deg < -90 || p.lat_deg > 90) n.at("lat").fail("latitude must be within [-90, 90]");
    if (p.lon_deg < -180 || p.lon_deg > 180)
        n.at("lon").fail("longitude must be within [-180, 180]");
    return p;
}

std::string read_z85_key(const Node& n) {
    std::string key = n.as_string();
    if (key.size() != 40) n.fail("a CurveZMQ key is 40 Z85 characters (see `picket keygen`)");
    std::uint8_t raw[32];
    if (zmq_z85_decode(raw, key.c_str()) == nullptr) n.fail("not a valid Z85 key");
    return key;
}

std::string read_key_file(const Node& n, const std::string& base_dir) {
    const std::string path = resolve(base_dir, n.as_string());
    std::ifstream in(path);
    if (!in) n.fail("cannot read key file " + path);
    std::string line;
    while (std::getline(in, line)) {
        // `picket keygen` writes "public = ..." and "secret = ..." lines; take the secret one.
        const auto eq = line.find('=');
        if (line.rfind("secret", 0) == 0 && eq != std::string::npos) {
            std::string key = line.substr(eq + 1);
            key.erase(0, key.find_first_not_of(" \t\""));
            key.erase(key.find_last_not_of(" \t\"\r") + 1);
            if (key.size() == 40) return key;
        }
    }
    n.fail("no 'secret = <40-char Z85 key>' line in " + path);
}

std::optional<CurveConfig> read_curve(const std::optional<Node>& node,
                                      const std::string& base_dir) {
    if (!node) return std::nullopt;
    CurveConfig c;
    if (auto f = node->find("server_secret_key_file")) {
        c.server_secret_key = read_key_file(*f, base_dir);
    } else {
        c.server_secret_key = read_z85_key(node->at("server_secret_key"));
    }
    const Node allowed = node->at("allowed_clients");
    for (const Node& k : allowed.elements()) c.allowed_client_keys.push_back(read_z85_key(k));
    // Refuse to start CURVE without an allow-list: an empty list would admit nobody, and a
    // missing one would tempt a "temporary" open door.
    if (c.allowed_client_keys.empty())
        allowed.fail("CURVE needs at least one allowed client public key");
    node->reject_unknown_keys();
    return c;
}

/// A duration key within [lo, hi] seconds (`lo` itself refused when `lo_open`); refused with
/// file:line otherwise. Checked before converting: 1e12 s does not fit in integer nanoseconds.
Duration duration_within(const Node& n, std::string_view key, double fallback, double lo,
                         bool lo_open, double hi, std::string_view meaning) {
    const auto v = n.find(key);
    if (!v) return Duration::from_seconds(fallback);
    const double s = v->as_seconds();
    if (s < lo || (lo_open && s == lo) || s > hi) {
        char range[64];
        std::snprintf(range, sizeof range, "%s%g s, %g s]", lo_open ? "(" : "[", lo, hi);
        v->fail(std::string(key) + " must be within " + range + ": " + std::string(meaning));
    }
    return Duration::from_seconds(s);
}

FeedClockConfig read_feed_clock(const Node& n) {
    constexpr double kDay = 86400;
    FeedClockConfig c;
    c.max_skew = duration_within(
        n, "max_clock_skew", 30, 0, true, kDay,
        "records stamped further than this from their receive time are rejected (there is no "
        "'off': to replay an old capture, start the server clock at its time with `clock: "
        "{start: ...}`, or give the feed a clock_offset)");
    c.tolerance = duration_within(n, "clock_tolerance", 2, 0, true, 60,
                                  "how far a healthy feed's clock may disagree with the server's");
    if (c.tolerance > c.max_skew)
        n.at("clock_tolerance").fail("clock_tolerance must not exceed max_clock_skew");
    c.expected_latency =
        duration_within(n, "expected_latency", 0, 0, false, kDay,
                        "how late this feed's data is by nature (satellite AIS: minutes)");
    if (auto off = n.find("clock_offset")) {
        if (off->as_string() == "learn") {
            c.offset_mode = FeedClockConfig::Offset::learn;
        } else {
            c.offset_mode = FeedClockConfig::Offset::fixed;
            c.offset = duration_within(n, "clock_offset", 0, -366 * kDay, false, 366 * kDay,
                                       "the feed's clock minus the server's (or 'learn')");
        }
    }
    return c;
}

/// The sensor kind each wire format carries, and whether its measurements are relative to the
/// feed's site (range/bearing) so that a feed without one would put them anywhere.
struct FormatRule {
    std::string_view format;
    SensorKind kind;
    bool needs_site;
};
constexpr FormatRule kFormatRules[] = {
    {"nmea-ais", SensorKind::ais, false},      {"asterix", SensorKind::radar, true},
    {"nmea-arpa", SensorKind::radar, true},    {"json-plot", SensorKind::radar, true},
    {"camera-json", SensorKind::camera, true}, {"ugs-json", SensorKind::ugs, true},
};

/// Refuses a format that another kind of sensor speaks (`kind: ais, format: asterix` decoded
/// radar plots against no site: 6,000 km away) and a missing site where the format needs one.
void check_format_and_site(const Node& n, const FeedConfig& f) {
    for (const FormatRule& r : kFormatRules) {
        if (r.format != f.params.format) continue;
        if (r.kind != f.params.kind)
            n.at("format").fail("format '" + f.params.format + "' carries " +
                                std::string(to_string(r.kind)) + " data, but this feed's kind is " +
                                std::string(to_string(f.params.kind)));
        if (r.needs_site && !n.has("site"))
            n.fail("a " + std::string(to_string(f.params.kind)) +
                   " feed needs a 'site' (lat, lon, height_m): format " + f.params.format +
                   " measures relative to it");
        return;
    }
}

FeedConfig read_feed(const Node& n, FeedIndex index, const std::string& base_dir) {
    FeedConfig f;
    f.params.index = index;
    f.params.id = n.at("id").as_string();
    const Node kind = n.at("kind");
    f.params.tracks = kind.as_string() == "tracks";
    if (!f.params.tracks) {
        const auto k = sensor_kind_from_string(kind.as_string());
        if (!k)
            kind.fail("unknown feed kind '" + kind.as_string() +
                      "' (ais, radar, camera, ugs, tracks)");
        f.params.kind = *k;
    }
    const Node format = n.at("format");
    f.params.format = format.as_string();
    const auto formats = f.params.tracks ? sensors::tracks_feed_formats() : sensors::feed_formats();
    bool known = false;
    for (auto name : formats) known = known || name == f.params.format;
    if (!known) {
        std::string list;
        for (auto name : formats) list += (list.empty() ? "" : ", ") + std::string(name);
        format.fail("unknown wire format '" + f.params.format + "' for a " +
                    (f.params.tracks ? "tracks" : "sensor") + " feed (" + list + ")");
    }
    // Another picket's snapshot service: late joining and gap recovery (docs/protocol.md).
    if (auto snap = n.find("snapshot")) {
        if (!f.params.tracks || f.params.format != "picket")
            snap->fail(
                "'snapshot' is for a tracks feed in format picket (another picket's "
                "snapshot service)");
        f.snapshot_endpoint = snap->as_string();
    }
    if (auto d = n.find("display_only")) {
        if (!f.params.tracks) d->fail("'display_only' is for a tracks feed (a partner's tracks)");
        f.display_only = d->as_bool();
    }
    if (auto w = n.find("watches")) {
        if (f.params.tracks || f.params.kind != SensorKind::radar)
            w->fail("'watches' is for a radar feed (surface, sea or air)");
        const std::string what = w->as_string();
        if (what == "air")
            f.watches = filters::Watches::air;
        else if (what == "sea")
            f.watches = filters::Watches::sea;
        else if (what != "surface")
            w->fail(
                "watches must be 'surface' (boats, vehicles, people), 'sea' (boats: land "
                "masked) or 'air' (aircraft)");
    }
    f.endpoint = n.at("endpoint").as_string();
    f.redundant_endpoint = n.get("redundant_endpoint", std::string());
    if (f.redundant_endpoint == f.endpoint)
        n.at("redundant_endpoint").fail("must differ from 'endpoint'");
    const std::string socket = n.get("socket", "sub");
    if (socket == "sub")
        f.socket = SocketType::sub;
    else if (socket == "pull")
        f.socket = SocketType::pull;
    else
        n.at("socket").fail("socket must be 'sub' (connect) or 'pull' (bind)");
    if (!f.params.tracks) check_format_and_site(n, f);
    if (auto site = n.find("site")) {
        f.params.site.position = read_latlon(*site);
        // From the Dead Sea shore to a mountain-top radar; boresight either way round.
        f.params.site.height_m = site->get_in("height_m", 0.0, -500, 9000, "m");
        f.params.site.boresight_deg = site->get_in("boresight_deg", 0.0, -360, 360, "degrees");
        f.params.range_m = site->get_in("range_m", 0.0, 0, 1'000'000, "m");
        if (f.params.range_m > 0 && f.params.kind != SensorKind::camera)
            site->at("range_m").fail(
                "range_m is a camera's detection range: other sensors' data carry their range");
        site->reject_unknown_keys();
    }
    if (auto noise = n.find("noise")) {
        f.params.sigma_range_m = noise->get_in("sigma_range_m", 0.0, 0, 10'000, "m");
        f.params.sigma_bearing_deg = noise->get_in("sigma_bearing_deg", 0.0, 0, 45, "degrees");
        f.params.sigma_position_m = noise->get_in("sigma_position_m", 0.0, 0, 100'000, "m");
        f.params.sigma_velocity_mps = noise->get_in("sigma_velocity_mps", 0.0, 0, 1000, "m/s");
        noise->reject_unknown_keys();
    }
    f.clock = read_feed_clock(n);
    // 0 = no silence check; a week is longer than any sensor is expected to stay quiet.
    f.expected_interval_s = n.get_seconds_in("expected_interval", 0.0, 0, 7 * 86400.0);
    f.max_message_bytes =
        n.get_int_in("max_message_bytes", static_cast<std::int64_t>(1 << 20), 1, 256 << 20);
    f.curve = read_curve(n.find("curve"), base_dir);
    n.reject_unknown_keys();
    return f;
}

/// True for endpoints only this machine can reach: tcp:// on a loopback address or localhost,
/// ipc:// (file permissions) and inproc://.
bool is_local_endpoint(const std::string& endpoint) {
    if (endpoint.rfind("ipc://", 0) == 0 || endpoint.rfind("inproc://", 0) == 0) return true;
    if (endpoint.rfind("tcp://", 0) != 0) return false;
    const std::string host = endpoint.substr(6, endpoint.rfind(':') - 6);
    return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

/// The operator command socket: authenticated (CURVE with an allow-list) or, only by explicit
/// opt-in, unauthenticated on a local endpoint. No command socket at all by default.
void read_command_socket(const Node& node, const std::string& base_dir, OutputsConfig& o) {
    o.commands_curve = read_curve(node.find("commands_curve"), base_dir);
    o.insecure_local_commands = node.get("insecure_local_commands", false);
    const auto commands = node.find("commands");
    if (o.insecure_local_commands && o.commands_curve)
        node.at("insecure_local_commands")
            .fail(
                "commands_curve is set: the command socket is authenticated, remove "
                "insecure_local_commands");
    if (commands) {
        o.commands = commands->as_string();
    } else if (o.commands_curve || o.insecure_local_commands) {
        o.commands = "tcp://127.0.0.1:5702";
    }
    if (o.commands.empty()) return;
    if (!o.commands_curve && !o.insecure_local_commands)
        commands->fail(
            "an unauthenticated command socket would let any local user acknowledge, close and "
            "mute alerts: add commands_curve (operators' keys, see `picket keygen`), or set "
            "insecure_local_commands: true to accept that, or remove 'commands' (the control "
            "room's commands go through the web server)");
    if (o.insecure_local_commands && !is_local_endpoint(o.commands))
        (commands ? *commands : node.at("insecure_local_commands"))
            .fail(
                "insecure_local_commands needs a loopback (tcp://127.0.0.1:PORT) or ipc:// "
                "endpoint; anything reachable from the network needs commands_curve");
}

OutputsConfig read_outputs(const std::optional<Node>& node, const std::string& base_dir) {
    OutputsConfig o;
    if (!node) return o;
    o.publish = node->get("publish", o.publish);
    o.snapshot = node->get("snapshot", o.snapshot);
    read_command_socket(*node, base_dir, o);
    if (auto http = node->find("http")) {
        o.http.enabled = http->get("enabled", true);
        o.http.bind = http->get("bind", o.http.bind);
        o.http.port = static_cast<std::uint16_t>(http->get_int_in("port", o.http.port, 0, 65535));
        o.http.token = http->get("token", "");
        o.http.static_dir = resolve(base_dir, http->get("static_dir", ""));
        if (auto hosts = http->find("allowed_hosts")) {
            for (const Node& h : hosts->elements()) {
                const std::string name = h.as_string();
                if (name.empty() || name.find_first_of(":/ \t[]@") != std::string::npos)
                    h.fail("expected a host name without scheme or port, e.g. picket.ops.example");
                o.http.allowed_hosts.push_back(name);
            }
        }
        o.http.tiles_dir = resolve(base_dir, http->get("tiles_dir", ""));
        http->reject_unknown_keys();
    }
    if (auto cot = node->find("cot")) {
        o.cot.udp = cot->get("udp", "");
        o.cot.tak_server = cot->get("tak_server", "");
        o.cot.stale_s = cot->get_seconds_in("stale", o.cot.stale_s, 1, 86400);
        if (cot->find("tracks")) {
            const std::string tracks = cot->at("tracks").as_string();
            if (tracks != "confirmed" && tracks != "all")
                cot->at("tracks").fail("tracks must be 'confirmed' or 'all'");
            o.cot.all_tracks = tracks == "all";
        }
        o.cot.alert_stale_s = cot->get_seconds_in("alert_stale", o.cot.alert_stale_s, 1, 86400);
        o.cot.alert_refresh_s =
            cot->get_seconds_in("alert_refresh", o.cot.alert_refresh_s, 1, 86400);
        if (o.cot.alert_refresh_s >= o.cot.alert_stale_s)
            cot->at(cot->find("alert_refresh") ? "alert_refresh" : "alert_stale")
                .fail("alert_refresh must be shorter than alert_stale");
        o.cot.emergencies = cot->get("emergencies", o.cot.emergencies);
        cot->reject_unknown_keys();
    }
    if (auto a = node->find("cat062")) {
        o.cat062.udp = a->at("udp").as_string();
        // SAC/SIC: one octet each on the wire (ASTERIX I062/010).
        o.cat062.sac = static_cast<int>(a->get_int_in("sac", 0, 0, 255));
        o.cat062.sic = static_cast<int>(a->get_int_in("sic", 1, 0, 255));
        o.cat062.number_hold_off_s =
            a->get_seconds_in("number_hold_off", o.cat062.number_hold_off_s, 0, 86400);
        a->reject_unknown_keys();
    }
    o.database = resolve(base_dir, node->get("database", ""));
    if (auto st = node->find("store")) {
        if (node->find("database"))
            st->fail("set either database (an SQLite file) or store (PostgreSQL), not both");
        const std::string location = st->as_string();
        if (!store::is_postgresql(location))
            st->fail(
                "store must be a PostgreSQL URL (postgresql://host/dbname) or conninfo "
                "(host=... dbname=...); an SQLite file is outputs.database");
        if (auto why = store::postgresql_syntax_error(location)) st->fail(*why);
        o.database = location;
        o.store_file = st->file();
        o.store_line = st->line();
    }
    o.store_site = static_cast<int>(node->get_int_in("store_site", 0, 0, store::PgStore::kMaxSite));
    if (auto h = node->find("history")) {
        o.history.interval_s = h->get_seconds("interval", o.history.interval_s);
        if (o.history.interval_s < 0) h->at("interval").fail("must not be negative");
        o.history.position_m = h->get("position_m", o.history.position_m);
        if (o.history.position_m <= 0) h->at("position_m").fail("must be positive");
        o.history.course_deg = h->get("course_deg", o.history.course_deg);
        if (o.history.course_deg <= 0 || o.history.course_deg > 180)
            h->at("course_deg").fail("must be within (0, 180]");
        o.history.speed_mps = h->get("speed_mps", o.history.speed_mps);
        if (o.history.speed_mps <= 0) h->at("speed_mps").fail("must be positive");
        const auto days = h->get("retention_days", std::int64_t{o.history.retention_days});
        if (days < 0 || days > 100'000) h->at("retention_days").fail("must be within 0..100000");
        o.history.retention_days = static_cast<int>(days);
        h->reject_unknown_keys();
    }
    o.recording = resolve(base_dir, node->get("recording", ""));
    const auto nice = node->get("background_nice", std::int64_t{o.background_nice});
    if (nice < 0 || nice > 19) node->at("background_nice").fail("must be within 0..19");
    o.background_nice = static_cast<int>(nice);
    o.recording_flush_s = node->get_seconds("recording_flush", o.recording_flush_s);
    if (o.recording_flush_s <= 0 || o.recording_flush_s > 60)
        node->at("recording_flush").fail("must be within (0, 60 s]");
    if (auto c = node->find("recording_compression")) {
        const std::string v = c->as_string();
        if (v == "zstd") {
            o.recording_compression = record::Compression::zstd;
        } else if (v == "none") {
            o.recording_compression = record::Compression::none;
        } else {
            c->fail("unknown compression '" + v + "' (zstd, none)");
        }
    }
    o.track_log = resolve(base_dir, node->get("track_log", ""));
    node->reject_unknown_keys();
    return o;
}

/// A regional server (docs/tracking.md, "Track-to-track fusion"): every feed a `tracks` feed,
/// and the optional `fusion:` section.
void read_fusion(const Node& root, ServerConfig& c) {
    std::size_t tracks = 0;
    for (const FeedConfig& f : c.feeds) tracks += f.params.tracks ? 1 : 0;
    c.fusion.origin = c.origin;
    const auto node = root.find("fusion");
    if (tracks == 0) {
        if (node) node->fail("a 'fusion' section needs feeds of kind 'tracks'");
        return;
    }
    if (tracks != c.feeds.size())
        root.at("feeds").fail(
            "a regional server's feeds are all of kind 'tracks' (other systems' tracks); "
            "sensors go to a sector server whose track stream this one reads");
    c.regional = true;
    if (!node) return;
    fusion::FuserConfig& f = c.fusion;
    f.gate_chi2 = node->get_in("gate_chi2", f.gate_chi2, 1, 100, "chi-square, 2 dof");
    f.max_distance_m = node->get_in("max_distance_m", f.max_distance_m, 10, 100'000, "m");
    f.mmsi_distance_m = node->get_in("mmsi_distance_m", f.mmsi_distance_m, 0, 100'000, "m");
    f.max_age_s = node->get_seconds_in("max_age", f.max_age_s, 1, 86400);
    f.restart_hold_s = node->get_seconds_in("restart_hold", f.restart_hold_s, 0, 3600);
    f.accel_sigma_mps2 =
        node->get_in("acceleration_sigma_mps2", f.accel_sigma_mps2, 0.001, 100, "m/s²");
    if (auto b = node->find("bias")) {
        f.bias.enabled = b->get("enabled", true);
        f.bias.min_pairs =
            static_cast<std::uint32_t>(b->get_int_in("min_pairs", f.bias.min_pairs, 1, 1'000'000));
        f.bias.max_bias_m = b->get_in("max_bias_m", f.bias.max_bias_m, 0, 100'000, "m");
        f.bias_search_m = b->get_in("search_m", f.bias_search_m, 0, 100'000, "m");
        if (auto ref = b->find("reference")) {
            const std::string id = ref->as_string();
            for (const FeedConfig& feed : c.feeds)
                if (feed.params.id == id) f.bias.reference = feed.params.index;
            if (!f.bias.reference) ref->fail("no feed '" + id + "'");
        }
        b->reject_unknown_keys();
    }
    node->reject_unknown_keys();
}

/// `standby:` (docs/configuration.md, docs/deployment.md "Hot standby").
StandbyConfig read_standby(const std::optional<Node>& node, const OutputsConfig& o,
                           const std::string& base_dir) {
    StandbyConfig s;
    const auto standby_path = [](const std::string& p) { return p.empty() ? p : p + ".standby"; };
    // A shared PostgreSQL store is the standby's too (the same alert ids upserted).
    const bool shared_store = store::is_postgresql(o.database);
    s.database = shared_store ? o.database : standby_path(o.database);
    s.recording = standby_path(o.recording);
    s.track_log = standby_path(o.track_log);
    if (!node) return s;
    s.endpoint = node->at("endpoint").as_string();
    s.lease_s = node->get_seconds_in("lease", s.lease_s, 0.2, 60);
    if (auto d = node->find("database")) s.database = resolve(base_dir, d->as_string());
    if (auto r = node->find("recording")) s.recording = resolve(base_dir, r->as_string());
    if (auto t = node->find("track_log")) s.track_log = resolve(base_dir, t->as_string());
    for (const auto& [mine, primary, key] : {std::tuple{&s.database, &o.database, "database"},
                                             std::tuple{&s.recording, &o.recording, "recording"},
                                             std::tuple{&s.track_log, &o.track_log, "track_log"}})
        if (!mine->empty() && *mine == *primary && !(shared_store && *mine == o.database))
            node->at(key).fail(std::string("the standby's ") + key +
                               " must differ from the primary's (outputs." + key + ")");
    node->reject_unknown_keys();
    s.shares_store = shared_store && s.database == o.database;
    return s;
}

/// `partners:` (docs/configuration.md): one CURVE PUB per partner with its export rules.
PartnersConfig read_partners(const std::optional<Node>& node, const std::string& base_dir) {
    PartnersConfig out;
    if (!node) return out;
    for (const Node& p : node->at("share").elements()) {
        partners::PartnerRules r;
        r.name = p.at("name").as_string();
        if (r.name.empty() || r.name.size() > 64) p.at("name").fail("a name of 1 to 64 characters");
        for (const auto& other : out.share)
            if (other.name == r.name) p.at("name").fail("duplicate partner '" + r.name + "'");
        r.endpoint = p.at("endpoint").as_string();
        // No share without CurveZMQ: the partner's key is who it is in the audit log.
        const auto curve = read_curve(p.at("curve"), base_dir);
        r.server_secret_key = curve->server_secret_key;
        r.allowed_client_keys = curve->allowed_client_keys;
        if (auto area = p.find("area")) {
            for (const Node& v : area->elements()) {
                r.area.push_back(read_latlon(v));
                v.reject_unknown_keys();
            }
            if (r.area.size() < 3) area->fail("an area polygon needs at least 3 vertices");
        }
        if (auto classes = p.find("classes"))
            for (const Node& c : classes->elements()) {
                const auto cls = target_class_from_string(c.as_string());
                if (!cls) c.fail("unknown class '" + c.as_string() + "'");
                r.classes.push_back(*cls);
            }
        r.min_delay_s = p.get_seconds_in("min_delay", 0, 0, 86400);
        r.redact_identity = p.get("redact_identity", true);
        r.max_rate_per_s = p.get_in("max_rate", 0.0, 0, 1'000'000, "messages/s (0: no cap)");
        p.reject_unknown_keys();
        out.share.push_back(std::move(r));
    }
    if (!out.share.empty()) out.audit_log = resolve(base_dir, node->at("audit_log").as_string());
    node->reject_unknown_keys();
    return out;
}

ServerConfig read_config(const Node& root, const std::string& base_dir) {
    ServerConfig c;
    c.file = root.file();
    const Node region = root.at("region");
    c.region_name = region.get("name", "");
    c.origin = read_latlon(region.at("origin"));
    region.at("origin").reject_unknown_keys();
    region.reject_unknown_keys();

    FeedIndex index = 0;
    for (const Node& f : root.at("feeds").elements()) {
        FeedConfig feed = read_feed(f, index++, base_dir);
        for (const FeedConfig& other : c.feeds) {
            if (other.params.id == feed.params.id)
                f.at("id").fail("duplicate feed id '" + feed.params.id + "'");
            if (other.endpoint == feed.endpoint || other.redundant_endpoint == feed.endpoint)
                f.at("endpoint").fail("endpoint already used by feed '" + other.params.id + "'");
            if (!feed.redundant_endpoint.empty() &&
                (other.endpoint == feed.redundant_endpoint ||
                 other.redundant_endpoint == feed.redundant_endpoint))
                f.at("redundant_endpoint")
                    .fail("endpoint already used by feed '" + other.params.id + "'");
        }
        c.feeds.push_back(std::move(feed));
    }

    c.tracker.origin = c.origin;
    if (auto t = root.find("tracker")) read_tracker_config(*t, c.tracker);
    read_fusion(root, c);

    if (auto rules = root.find("rules")) {
        c.rules_file = resolve(base_dir, rules->as_string());
        if (!fs::exists(c.rules_file)) rules->fail("rule file not found: " + c.rules_file);
    }
    c.outputs = read_outputs(root.find("outputs"), base_dir);
    c.partners = read_partners(root.find("partners"), base_dir);
    c.standby = read_standby(root.find("standby"), c.outputs, base_dir);
    for (FeedIndex i = 0; i < c.feeds.size(); ++i)
        if (c.feeds[i].display_only) c.fusion.display_only.push_back(i);
    if (auto clock = root.find("clock")) {
        c.clock.speed = clock->get("speed", 1.0);
        if (!(c.clock.speed > 0 && c.clock.speed <= kMaxClockSpeed))
            clock->at("speed").fail("speed must be within (0, 10000]");
        c.clock.start = clock->get("start", "");
        if (!c.clock.start.empty() && c.clock.start != "now" && !parse_iso8601(c.clock.start))
            clock->at("start").fail("expected 'now' or an ISO 8601 UTC time");
        clock->reject_unknown_keys();
    }
    c.tick_s = root.get_seconds("tick", 1.0);
    if (c.tick_s <= 0 || c.tick_s > 60) root.at("tick").fail("tick must be within (0, 60] seconds");
    if (auto assets = root.find("patrol_assets")) {
        for (const Node& a : assets.value().elements()) {
            const LatLon p = read_latlon(a);
            const std::string id = a.at("id").as_string();
            std::string js;
            JsonWriter w(js);
            w.begin_object().field("id", id).field("name", a.get("name", id));
            w.field("kind", a.get("kind", "vessel"))
                .field("lat", p.lat_deg, 7)
                .field("lon", p.lon_deg, 7);
            (void)a.at("max_speed_mps");  // required
            const double max_speed = a.get_in("max_speed_mps", 0, 0.1, 350, "m/s");
            w.field("max_speed_mps", max_speed, 2).field("available", true);
            w.end_object();
            a.reject_unknown_keys();
            c.patrol_assets_json.push_back(std::move(js));
        }
    }
    root.reject_unknown_keys();
    return c;
}

}  // namespace

ServerConfig parse_server_config(const std::string& text, const std::string& name,
                                 const std::string& base_dir) {
    return read_config(Node::load_string(text, name), base_dir);
}

ServerConfig load_server_config(const std::string& path) {
    const Node root = Node::load_file(path);
    ServerConfig c = read_config(root, fs::absolute(path).parent_path().string());
    c.file = fs::absolute(path).lexically_normal().string();
    return c;
}

}  // namespace picket::server
