#pragma once
/// The alert half of `picket score`: alerts (the server's `alert` topic as JSON lines) against
/// the simulator's truth events (events.jsonl). score_command.cpp hands over when it sees
/// --alerts:
///     if (args has --alerts) return picket::cli::run_score_alerts_command(argc, argv);
namespace picket::cli {

/// `picket score --alerts FILE --events FILE [--max-delay S] [--distance M] [--out FILE]`
/// (argv[0] = "score"). Prints recall, precision and delay per alert kind as JSON.
int run_score_alerts_command(int argc, char** argv);

}  // namespace picket::cli
