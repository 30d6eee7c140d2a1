#include "sensors/ais/ais_gpsd_stream.hpp"

#include <bit>

#include "sensors/ais/ais_json.hpp"

namespace picket::sensors::ais {

std::string_view GpsdJsonStream::count_reject(std::string_view reason) {
    ++rejected_;
    ++reasons_[reason];
    return reason;
}

std::string_view GpsdJsonStream::line(std::string_view text, std::string& out) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    if (i == text.size() || text[i] == '#') return {};
    auto sentence = parse_sentence(text);
    if (!sentence) return count_reject(sentence.error().reason);
    for (unsigned q = sentence->quirks; q != 0; q &= q - 1) ++quirks_[std::countr_zero(q)];
    std::string_view reason;
    const AisBits* bits = reassembler_.add(*sentence, Timestamp{0}, reason);
    if (!bits) return reason.empty() ? std::string_view{} : count_reject(reason);
    auto msg = decode(*bits);
    if (!msg) return count_reject(msg.error().reason);
    if (auto* sb = std::get_if<StaticB>(&*msg)) merger_.process(*sb, sentence->channel);
    write_gpsd_json(*msg, raw_, out);
    out.push_back('\n');
    ++messages_;
    return {};
}

}  // namespace picket::sensors::ais
