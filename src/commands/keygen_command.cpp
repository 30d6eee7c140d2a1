#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/io/zap_handler.hpp"

namespace picket::cli {

int run_keygen(int argc, char** argv) {
    const Args args(argc, argv, {}, {});
    if (args.help() || args.positional().size() != 1) {
        std::fprintf(
            args.help() ? stdout : stderr,
            "usage: picket keygen NAME\n\n"
            "Writes a CurveZMQ key pair: NAME.key (public and secret, mode 0600: keep it on the\n"
            "machine that uses it) and NAME.pub (the public key, to put in the other side's\n"
            "allow-list: `allowed_clients` of a feed, or `server_public_key` of a sensor "
            "gateway).\n");
        return args.help() ? 0 : 2;
    }
    const std::string name = args.positional()[0];
    const auto [pub, sec] = server::generate_curve_keypair();
    {
        std::ofstream key(name + ".key");
        if (!key) throw std::runtime_error("cannot write " + name + ".key");
        key << "# picket CurveZMQ key pair (Z85). Keep the secret key secret.\n"
            << "public = " << pub << "\nsecret = " << sec << "\n";
    }
    ::chmod((name + ".key").c_str(), 0600);
    std::ofstream(name + ".pub") << pub << "\n";
    std::printf("wrote %s.key (secret) and %s.pub\npublic key: %s\n", name.c_str(), name.c_str(),
                pub.c_str());
    return 0;
}

}  // namespace picket::cli
