#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "src/outputs/metrics.hpp"

using namespace picket::outputs;

namespace {

// Text format 0.0.4 grammar, line by line (hand-written: GCC 12's <regex> trips
// -Wmaybe-uninitialized under the sanitizers). A line is a comment (HELP/TYPE) or a sample
// `name{label="value",...} value` with label values escaped as \\ \" \n.
bool name_char(char c, bool first, bool colon) {
    const bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
    return alpha || (!first && c >= '0' && c <= '9');
}

/// Consumes a metric (colon = true) or label name at `i`; false if none.
bool eat_name(const std::string& l, std::size_t& i, bool colon) {
    const std::size_t start = i;
    while (i < l.size() && name_char(l[i], i == start, colon)) ++i;
    return i > start;
}

bool valid_value(const std::string& v) {
    if (v == "+Inf" || v == "-Inf" || v == "NaN") return true;
    if (v.empty()) return false;
    char* end = nullptr;
    std::strtod(v.c_str(), &end);
    return end == v.c_str() + v.size();
}

bool valid_comment(const std::string& l) {
    for (const char* kw : {"# HELP ", "# TYPE "}) {
        if (l.rfind(kw, 0) != 0) continue;
        std::size_t i = 7;
        if (!eat_name(l, i, true)) return false;
        if (std::string(kw) == "# HELP ") return i == l.size() || l[i] == ' ';
        const std::string type = i < l.size() && l[i] == ' ' ? l.substr(i + 1) : "";
        return type == "counter" || type == "gauge" || type == "histogram" || type == "summary" ||
               type == "untyped";
    }
    return false;
}

bool valid_sample(const std::string& l) {
    std::size_t i = 0;
    if (!eat_name(l, i, true)) return false;
    if (i < l.size() && l[i] == '{') {
        ++i;
        for (bool first = true; i < l.size() && l[i] != '}'; first = false) {
            if (!first && l[i++] != ',') return false;
            if (!eat_name(l, i, false)) return false;
            if (l.compare(i, 2, "=\"") != 0) return false;
            i += 2;
            while (i < l.size() && l[i] != '"') {
                if (l[i] == '\\') {
                    if (i + 1 >= l.size() ||
                        (l[i + 1] != '\\' && l[i + 1] != '"' && l[i + 1] != 'n'))
                        return false;
                    i += 2;
                } else {
                    ++i;
                }
            }
            if (i >= l.size()) return false;
            ++i;  // closing quote
        }
        if (i >= l.size()) return false;
        ++i;  // closing brace
    }
    if (i >= l.size() || l[i] != ' ') return false;
    return valid_value(l.substr(i + 1));
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

/// Value of the sample line that starts with `prefix ` exactly.
double sample(const std::string& text, const std::string& prefix) {
    for (const auto& l : lines_of(text)) {
        if (l.rfind(prefix + " ", 0) == 0) return std::stod(l.substr(prefix.size() + 1));
    }
    FAIL("no sample " << prefix << " in\n" << text);
    return 0;
}

}  // namespace

SCENARIO("The registry renders valid Prometheus text exposition", "[metrics]") {
    Registry reg;
    reg.counter("picket_feed_messages_total", "Messages decoded per feed", {{"feed", "ais-1"}})
        .inc(41);
    reg.counter("picket_feed_messages_total", "Messages decoded per feed", {{"feed", "ais-1"}})
        .inc();
    reg.counter("picket_feed_rejects_total", "Rejected messages by reason",
                {{"feed", "radar \"north\"\\1"}, {"reason", "checksum"}})
        .inc(3);
    reg.gauge("picket_queue_depth", "Items waiting", {{"queue", "ingest"}}).set(17);
    reg.gauge("picket_live_tracks", "Tracks not deleted").set(5);
    auto& h = reg.histogram("picket_processing_latency_seconds", "Receive to publish latency",
                            {0.001, 0.01, 0.1});
    for (double v : {0.0005, 0.001, 0.002, 0.05, 0.5, 2.0}) h.observe(v);

    const std::string text = reg.render_prometheus();
    INFO(text);
    REQUIRE(text.back() == '\n');
    for (const auto& l : lines_of(text)) {
        INFO(l);
        CHECK((valid_comment(l) || valid_sample(l)));
    }
    CHECK(sample(text, R"(picket_feed_messages_total{feed="ais-1"})") == 42);
    CHECK(sample(text,
                 R"(picket_feed_rejects_total{feed="radar \"north\"\\1",reason="checksum"})") == 3);
    CHECK(sample(text, R"(picket_queue_depth{queue="ingest"})") == 17);
    CHECK(sample(text, "picket_live_tracks") == 5);
    // le is inclusive: 0.0005 and 0.001 are <= 0.001; 0.002 <= 0.01; 0.05 <= 0.1.
    CHECK(sample(text, R"(picket_processing_latency_seconds_bucket{le="0.001"})") == 2);
    CHECK(sample(text, R"(picket_processing_latency_seconds_bucket{le="0.01"})") == 3);
    CHECK(sample(text, R"(picket_processing_latency_seconds_bucket{le="0.1"})") == 4);
    CHECK(sample(text, R"(picket_processing_latency_seconds_bucket{le="+Inf"})") == 6);
    CHECK(sample(text, "picket_processing_latency_seconds_count") == 6);
    CHECK(sample(text, "picket_processing_latency_seconds_sum") == Approx(2.5535));
    // One HELP and one TYPE per family, TYPE before its samples.
    CHECK(text.find("# TYPE picket_processing_latency_seconds histogram\n") <
          text.find("picket_processing_latency_seconds_bucket"));
}

SCENARIO("The exposition-grammar checker itself rejects malformed lines", "[metrics]") {
    CHECK(valid_sample(R"(a_b:c{x="1",y="q\"\\\n"} 1.5e-3)"));
    CHECK(valid_sample("up 1"));
    CHECK(valid_sample(R"(h_bucket{le="+Inf"} 3)"));
    CHECK_FALSE(valid_sample("9up 1"));
    CHECK_FALSE(valid_sample(R"(up{x=1} 1)"));
    CHECK_FALSE(valid_sample(R"(up{x="a\q"} 1)"));
    CHECK_FALSE(valid_sample("up one"));
    CHECK_FALSE(valid_sample("up"));
    CHECK(valid_comment("# TYPE up gauge"));
    CHECK_FALSE(valid_comment("# TYPE up gauges"));
    CHECK(valid_comment("# HELP up Whether it is up"));
}

SCENARIO("Histogram buckets are cumulative and +Inf equals the count under concurrent updates",
         "[metrics]") {
    Registry reg;
    auto& h =
        reg.histogram("lat_seconds", "latency", default_latency_buckets_s(), {{"stage", "fusion"}});
    auto& c = reg.counter("events_total", "events");
    constexpr int kThreads = 4, kPerThread = 20000;
    std::vector<std::thread> threads;
    std::atomic<bool> done{false};
    std::vector<std::string> scrapes;
    std::thread scraper([&] {
        while (!done) scrapes.push_back(reg.render_prometheus());
    });
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                h.observe(1e-5 * static_cast<double>((i * 7 + t) % 3000));
                c.inc();
            }
        });
    }
    for (auto& th : threads) th.join();
    done = true;
    scraper.join();
    scrapes.push_back(reg.render_prometheus());

    CHECK(c.value() == kThreads * kPerThread);
    CHECK(h.count() == kThreads * kPerThread);
    for (const auto& text : scrapes) {
        double previous = -1;
        for (const auto& l : lines_of(text)) {
            if (l.rfind("lat_seconds_bucket", 0) != 0) continue;
            const double v = std::stod(l.substr(l.rfind(' ') + 1));
            REQUIRE(v >= previous);
            previous = v;
        }
        const std::string inf_prefix = R"(lat_seconds_bucket{stage="fusion",le="+Inf"})";
        REQUIRE(sample(text, inf_prefix) == sample(text, R"(lat_seconds_count{stage="fusion"})"));
    }
    CHECK(sample(scrapes.back(), R"(lat_seconds_count{stage="fusion"})") == kThreads * kPerThread);
}

SCENARIO("A declared family is exported before its first series", "[metrics]") {
    Registry r;
    r.declare_counter("picket_feed_rejected_total", "Input rejected per feed and reason");
    r.declare_gauge("picket_depth", "Depth");
    CHECK(r.render_prometheus() ==
          "# HELP picket_feed_rejected_total Input rejected per feed and reason\n"
          "# TYPE picket_feed_rejected_total counter\n"
          "# HELP picket_depth Depth\n# TYPE picket_depth gauge\n");
    r.counter("picket_feed_rejected_total", "ignored: declared first",
              {{"feed", "ais"}, {"reason", "checksum"}})
        .inc(2);
    CHECK(r.render_prometheus().find(
              "# TYPE picket_feed_rejected_total counter\n"
              "picket_feed_rejected_total{feed=\"ais\",reason=\"checksum\"} 2\n") !=
          std::string::npos);
    CHECK_THROWS_AS(r.declare_gauge("picket_feed_rejected_total", "x"), std::logic_error);
    CHECK_THROWS_AS(r.declare_counter("bad name", "x"), std::invalid_argument);
}

SCENARIO("Programmer errors in metric names are refused", "[metrics]") {
    Registry reg;
    CHECK_THROWS_AS(reg.counter("9lives", "x"), std::invalid_argument);
    CHECK_THROWS_AS(reg.counter("ok_total", "x", {{"bad-label", "v"}}), std::invalid_argument);
    CHECK_THROWS_AS(reg.histogram("h", "x", {0.1}, {{"le", "1"}}), std::invalid_argument);
    CHECK_THROWS_AS(reg.histogram("h2", "x", {0.2, 0.1}), std::invalid_argument);
    reg.counter("twice", "x");
    CHECK_THROWS_AS(reg.gauge("twice", "x"), std::logic_error);
}
