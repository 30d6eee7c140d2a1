#include "tests/e2e/e2e_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <ogrsf_frmts.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace picket::e2e {

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("picket-e2e-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

namespace {

// Ports below the kernel's ephemeral range (ip_local_port_range, 32768-60999 on Debian) and
// above the fixed ones the demo and browser tests use (5600-6000, 8080). A port the kernel hands
// out for port 0 comes from the ephemeral range, which every outgoing connection on the machine
// draws its source port from too: between our close and the test's bind, another test's ZeroMQ
// connect could take it ("cannot bind", seen once in cot_picture under four parallel suites).
constexpr int kFirstTestPort = 20000;
constexpr int kTestPorts = 12000;

bool can_bind(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

int any_free_port() {
    // A random start per call: parallel test processes each walk their own part of the range.
    static std::mt19937 rng{std::random_device{}()};
    const int start = std::uniform_int_distribution<int>(0, kTestPorts - 1)(rng);
    for (int i = 0; i < kTestPorts; ++i) {
        const int port = kFirstTestPort + (start + i) % kTestPorts;
        if (can_bind(port)) return port;
    }
    throw std::runtime_error("no free loopback port in 20000-31999");
}

}  // namespace

int free_port() {
    // The kernel may hand the same free port out again once it is closed: one test's two feeds
    // got one port ("endpoint already used by feed 'cam'", picket_tests_e2e_clock). A port is
    // handed out once per process.
    static std::mutex m;
    static std::set<int> given;
    const std::lock_guard lock(m);  // also guards any_free_port's generator
    for (;;) {
        const int port = any_free_port();
        if (given.insert(port).second) return port;
    }
}

std::string loopback(int port) { return "tcp://127.0.0.1:" + std::to_string(port); }

void write_polygon_layer(const std::string& path, const std::string& layer,
                         const std::vector<std::pair<std::string, std::string>>& name_wkt) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw std::runtime_error("GDAL has no GPKG driver");
    GDALDataset* ds = driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds) throw std::runtime_error("cannot create " + path);
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* lyr = ds->CreateLayer(layer.c_str(), &wgs84, wkbMultiPolygon, nullptr);
    OGRFieldDefn name("name", OFTString);
    lyr->CreateField(&name);
    for (const auto& [n, wkt] : name_wkt) {
        OGRFeature* f = OGRFeature::CreateFeature(lyr->GetLayerDefn());
        f->SetField("name", n.c_str());
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkt(wkt.c_str(), &wgs84, &g) != OGRERR_NONE)
            throw std::runtime_error("bad WKT " + wkt);
        f->SetGeometryDirectly(g);
        if (lyr->CreateFeature(f) != OGRERR_NONE) throw std::runtime_error("cannot write feature");
        OGRFeature::DestroyFeature(f);
    }
    GDALClose(ds);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool file_contains(const std::string& path, std::string_view what) {
    return read_text(path).find(what) != std::string::npos;
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

Subscriber::Subscriber(zmq::context_t& ctx, const std::string& endpoint)
    : socket_(ctx, zmq::socket_type::sub) {
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(endpoint);
}

void Subscriber::drain(std::chrono::milliseconds wait) {
    socket_.set(zmq::sockopt::rcvtimeo, static_cast<int>(wait.count()));
    while (true) {
        zmq::message_t topic, body;
        if (!socket_.recv(topic)) return;
        if (!socket_.recv(body)) return;
        messages.emplace_back(topic.to_string(), nlohmann::json::parse(body.to_string()));
    }
}

std::optional<std::pair<std::string, nlohmann::json>> Subscriber::next(
    std::chrono::milliseconds wait) {
    socket_.set(zmq::sockopt::rcvtimeo, static_cast<int>(wait.count()));
    zmq::message_t topic, body;
    if (!socket_.recv(topic) || !socket_.recv(body)) return std::nullopt;
    messages.emplace_back(topic.to_string(), nlohmann::json::parse(body.to_string()));
    return messages.back();
}

std::vector<nlohmann::json> Subscriber::of_topic(const std::string& topic) const {
    std::vector<nlohmann::json> out;
    for (const auto& [t, j] : messages)
        if (t == topic) out.push_back(j);
    return out;
}

}  // namespace picket::e2e
