#include <catch2/catch.hpp>

#include "config/yaml_reader.hpp"

using picket::config::ConfigError;
using picket::config::Node;

TEST_CASE("Unknown keys are reported with file, line and key path", "[config]") {
    const Node root = Node::load_string("a: 1\nb:\n  c: 2\n  typo: 3\n", "test.yaml");
    CHECK(root.at("a").as_int() == 1);
    const Node b = root.at("b");
    CHECK(b.at("c").as_int() == 2);
    try {
        b.reject_unknown_keys();
        FAIL("an unknown key was accepted");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()) == "test.yaml:4:3: b.typo: unknown key 'typo'");
        CHECK(e.line() == 4);
    }
}

TEST_CASE("A mapping reached twice is still one mapping for unknown-key checks (regression)",
          "[config]") {
    // region.origin was read through one at() and checked through another: its keys looked unread.
    const Node root = Node::load_string("origin: {lat: 1, lon: 2}\n", "t.yaml");
    CHECK(root.at("origin").at("lat").as_double() == 1);
    CHECK(root.at("origin").at("lon").as_double() == 2);
    CHECK_NOTHROW(root.at("origin").reject_unknown_keys());
}

TEST_CASE("Wrong types and bad durations name the key", "[config]") {
    const Node root =
        Node::load_string("n: abc\nd: 5 parsecs\nok: 250ms\nlist: [1, 2]\n", "t.yaml");
    CHECK_THROWS_WITH(root.at("n").as_double(), "t.yaml:1:4: n: expected a number, got 'abc'");
    CHECK_THROWS_WITH(root.at("list").as_string(),
                      "t.yaml:4:7: list: expected a string, got a sequence");
    CHECK_THROWS_AS(root.at("d").as_seconds(), ConfigError);
    CHECK(root.at("ok").as_seconds() == Approx(0.25));
    CHECK_THROWS_WITH(root.at("missing"), "t.yaml:1:1: missing required key 'missing'");
}

TEST_CASE("Invalid YAML and missing files stop with the file named", "[config]") {
    CHECK_THROWS_WITH(Node::load_string("a: [1, 2\n", "broken.yaml"),
                      Catch::Contains("broken.yaml:"));
    CHECK_THROWS_WITH(Node::load_file("/nonexistent/picket.yaml"),
                      Catch::StartsWith("/nonexistent/picket.yaml: cannot open file"));
}
