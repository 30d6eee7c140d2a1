// e2e::free_port: the ports the end-to-end tests bind. A port from the kernel's ephemeral range
// can be taken by any outgoing connection on the machine between the check and the bind (the
// simulator's "cannot bind" aborted cot_picture once, under four test suites at a time).
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "tests/e2e/e2e_support.hpp"

using namespace picket;

TEST_CASE("free ports lie below the kernel's ephemeral range, each handed out once", "[e2e]") {
    int ephemeral_low = 32768, ephemeral_high = 60999;  // Linux's default
    std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low >> ephemeral_high;
    std::set<int> seen;
    for (int i = 0; i < 200; ++i) {
        const int port = e2e::free_port();
        CHECK(port > 6000);  // above the demo's and browser tests' fixed ports (5600-6000)
        CHECK(port < ephemeral_low);
        CHECK(seen.insert(port).second);
    }
}
