#pragma once
/// Every `picket` subcommand: `int run_NAME(int argc, char** argv)` with argv[0] = "NAME".
/// Each lives in its own file in src/commands/ and prints its own --help.
namespace picket::cli {

int run_serve(int argc, char** argv);
int run_demo(int argc, char** argv);
int run_decode(int argc, char** argv);
int run_sim(int argc, char** argv);
int run_replay(int argc, char** argv);
int run_track(int argc, char** argv);
int run_score(int argc, char** argv);
int run_zones(int argc, char** argv);
int run_export(int argc, char** argv);
int run_keygen(int argc, char** argv);

}  // namespace picket::cli
