#include <catch2/catch.hpp>

#include "src/web/client_queue.hpp"
#include "src/web/page_token.hpp"

using namespace picket::web;

TEST_CASE("loopback Host headers") {
    CHECK(is_loopback_host_header("localhost"));
    CHECK(is_loopback_host_header("localhost:8080"));
    CHECK(is_loopback_host_header("127.0.0.1:41000"));
    CHECK(is_loopback_host_header("[::1]:8080"));
    CHECK_FALSE(is_loopback_host_header("127.evil.example"));
    CHECK_FALSE(is_loopback_host_header("evil.example:8080"));
    CHECK_FALSE(is_loopback_host_header("10.0.0.1"));
    CHECK_FALSE(is_loopback_host_header(""));
}

TEST_CASE("token injection replaces the marker and escapes") {
    CHECK(inject_token("<head><!--PICKET_TOKEN--></head>", "a\"b") ==
          "<head><meta name=\"picket-token\" content=\"a&quot;b\"></head>");
    CHECK(inject_token("<head></head>", "t") == "<head></head>");
}

TEST_CASE("bearer token check") {
    CHECK(bearer_matches("Bearer s3cret", "s3cret"));
    CHECK_FALSE(bearer_matches("Bearer s3cre", "s3cret"));
    CHECK_FALSE(bearer_matches("Bearer s3cretX", "s3cret"));
    CHECK_FALSE(bearer_matches("s3cret", "s3cret"));
    CHECK_FALSE(bearer_matches("Bearer ", ""));  // empty server token: commands disabled
}

TEST_CASE("WebSocket Origin must match Host") {
    CHECK(origin_allowed("", "127.0.0.1:8080"));
    CHECK(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080"));
    CHECK_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8080"));
    CHECK_FALSE(origin_allowed("null", "127.0.0.1:8080"));
}

TEST_CASE("client queue limits by count and bytes, always takes one message") {
    ClientQueue q(3, 100);
    auto msg = [](std::size_t n) { return std::make_shared<const std::string>(n, 'x'); };
    CHECK(q.push(msg(500)));  // an empty queue takes even an oversized message
    CHECK_FALSE(q.push(msg(1)));
    q.pop();
    CHECK(q.push(msg(10)));
    CHECK(q.push(msg(10)));
    CHECK(q.push(msg(10)));
    CHECK_FALSE(q.push(msg(10)));  // count limit
    CHECK(q.bytes() == 30);
    q.clear();
    CHECK(q.push(msg(60)));
    CHECK_FALSE(q.push(msg(41)));  // byte limit
    CHECK(q.push(msg(40)));
}
