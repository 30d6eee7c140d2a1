#include <catch2/catch.hpp>

#include "core/json_writer.hpp"

using namespace picket;

TEST_CASE("JsonWriter writes nested objects with commas in the right places", "[core][json]") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().field("a", 1).key("b").begin_array().value(true).null().value("x").end_array();
    w.field("c", 1.23456, 3).end_object();
    CHECK(out == R"({"a":1,"b":[true,null,"x"],"c":1.235})");
}

TEST_CASE("JsonWriter escapes control characters and quotes", "[core][json]") {
    std::string out;
    append_json_string(out, "a\"b\\c\n\x01");
    CHECK(out == R"("a\"b\\c\n\u0001")");
}

TEST_CASE("JsonWriter never prints negative zero or non-finite numbers", "[core][json]") {
    std::string out;
    JsonWriter w(out);
    w.begin_array()
        .value(-0.0001, 2)
        .value(std::numeric_limits<double>::quiet_NaN(), 2)
        .end_array();
    CHECK(out == "[0.00,null]");
}
