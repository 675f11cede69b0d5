// commands.h — the subcommands of the rddist tool.
//
// Each add_*_command registers a subcommand with its options, help text and examples on
// the main CLI11 app and returns a runner; main.cpp runs the runner of the subcommand that
// was parsed. Runners return the exit code on success and throw on failure (main.cpp maps
// exceptions to exit codes, see cli_errors.h).
#ifndef RDDIST_CLI_COMMANDS_H
#define RDDIST_CLI_COMMANDS_H

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace rddist::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// `arguments` is the full command line, recorded in the JSON report.
Command add_estimate_command(CLI::App& parent, const std::vector<std::string>& arguments);
Command add_bwselect_command(CLI::App& parent, const std::vector<std::string>& arguments);
Command add_simulate_command(CLI::App& parent);
Command add_dp_command(CLI::App& parent);
Command add_sql_command(CLI::App& parent);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_COMMANDS_H
