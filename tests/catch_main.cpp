// The single Catch2 main for every test executable (compiled once: Catch2 v2 is header-only).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
