#include "src/io/stream_instance.hpp"

#include <cstdint>
#include <random>

namespace picket::server {
namespace {

constexpr std::string_view kSeq = R"({"seq":)";
constexpr std::string_view kInstance = R"("instance":")";

/// Where the fields after the leading `{"seq":N,` start; 1 (after the brace) without one.
std::size_t after_seq(std::string_view m) {
    if (m.substr(0, kSeq.size()) != kSeq) return 1;
    std::size_t i = kSeq.size();
    while (i < m.size() && m[i] >= '0' && m[i] <= '9') ++i;
    return i < m.size() && m[i] == ',' ? i + 1 : 1;
}

}  // namespace

std::string new_stream_instance() {
    std::random_device rd;
    const std::uint64_t v = (std::uint64_t{rd()} << 32) ^ rd();
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i) out[15 - i] = kHex[(v >> (4 * i)) & 0xf];
    return out;
}

std::string with_instance(std::string_view m, std::string_view instance) {
    if (m.empty() || m.front() != '{') return std::string(m);
    const std::size_t at = after_seq(m);
    std::string out;
    out.reserve(m.size() + kInstance.size() + instance.size() + 2);
    out.append(m.substr(0, at)).append(kInstance).append(instance).push_back('"');
    // An empty object gets no trailing comma.
    if (m.substr(at, 1) != "}") out.push_back(',');
    out.append(m.substr(at));
    return out;
}

std::optional<std::string_view> leading_instance(std::string_view m) {
    const std::size_t at = after_seq(m);
    if (at == 1 || m.substr(at, kInstance.size()) != kInstance) return std::nullopt;
    const std::size_t begin = at + kInstance.size();
    const std::size_t end = m.find('"', begin);
    if (end == std::string_view::npos || end - begin > 64) return std::nullopt;
    return m.substr(begin, end - begin);
}

}  // namespace picket::server
