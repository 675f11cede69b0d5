// main.cpp — the rddist command-line tool: subcommands and the exit-code contract.
//
// Every failure ends here as one line "rddist: error: <message>" on standard error and
// a documented exit code (cli_errors.h): 1 usage (CLI11 parse errors, bad option values,
// the core's rddist::invalid_argument, argument_error among them), 2 data (malformed
// input and the core's other errors), 3 numerical (rddist::numerical_error), 4
// input/output, 5 out of memory or internal. The core's messages are rendered with the options' names (arguments.h).
// Nothing escapes: not std::bad_alloc, not unknown exception types.
#include <CLI/CLI.hpp>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <csignal>
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "arguments.h"
#include "cli_errors.h"
#include "commands.h"
#include "rddist/error.h"
#include "rddist/version.h"

namespace {

int report(int code, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "rddist: error: %s\n", message.c_str());
  return code;
}

const char* const kMainFooter = R"(Run 'rddist <command> --help' for the options and examples of a command.

Exit codes: 0 ok, 1 usage error, 2 data error, 3 numerical error, 4 file error,
5 out of memory or internal error.)";

// CLI11's message in the tool's words where it has better ones: an option given twice
// ("--out: At Most 1 required but received 2") says so.
std::string parse_error_text(const CLI::ParseError& e) {
  const std::string text = e.what();
  const std::string marker = ": At Most 1 required but received ";
  const std::size_t at = text.find(marker);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) == nullptr || at == std::string::npos)
    return text;
  return text.substr(0, at) + " was given " + text.substr(at + marker.size()) +
         " times; give it once";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rddist::cli;
#if defined(__GLIBC__)
  // Large buffers (row chunks, grouped draws, quantile matrices) must go back to the system
  // when freed, or the peak memory of the reading step carries into the estimate. glibc
  // raises its mmap threshold whenever an mmapped block is freed, after which blocks of a
  // few megabytes come from the heap and stay resident; a fixed threshold turns that off.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  // A reader that closes the pipe early (`rddist estimate ... | head`) must not kill the
  // tool mid-write: the write fails with EPIPE instead, temporaries are removed and the
  // error is reported with exit code 4.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    const std::vector<std::string> arguments(argv, argv + argc);
    CLI::App app{"rddist: regression discontinuity with distribution-valued outcomes "
                 "(R3D, Van Dijcke 2025)",
                 "rddist"};
    app.set_version_flag("--version", std::string("rddist ") + rddist::version(),
                         "Print the version and exit");
    app.require_subcommand(1);
    app.footer(kMainFooter);
    const std::vector<Command> commands = {add_estimate_command(app, arguments),
                                           add_bwselect_command(app, arguments),
                                           add_simulate_command(app),
                                           add_dp_command(app),
                                           add_sql_command(app)};
    if (argc > 1 && argv[1][0] != '-') {  // a word where the command belongs
      bool known = false;
      std::string names;
      for (const Command& c : commands) {
        known = known || c.app->get_name() == argv[1];
        names += (names.empty() ? "" : ", ") + c.app->get_name();
      }
      if (!known)
        return report(kExitUsage, std::string("unknown command '") + argv[1] +
                                      "'; the commands are " + names +
                                      " (run 'rddist --help' for usage)");
    }
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
      std::string hint = "run 'rddist --help' for usage";
      for (const Command& c : commands)
        if (c.app->parsed()) hint = "run 'rddist " + c.app->get_name() + " --help' for usage";
      return report(kExitUsage, parse_error_text(e) + " (" + hint + ")");
    }
    for (const Command& c : commands)
      if (c.app->parsed()) return c.run();
    return report(kExitUsage, "no command given (run 'rddist --help' for usage)");
  } catch (const UsageError& e) {
    return report(kExitUsage, e.what());
  } catch (const IoError& e) {
    return report(kExitIo, e.what());
  } catch (const rddist::invalid_argument& e) {  // argument_error among them
    return report(kExitUsage, cli_message(e.text()));
  } catch (const rddist::numerical_error& e) {
    return report(kExitNumerical, cli_message(e.text()));
  } catch (const rddist::error& e) {
    return report(kExitData, cli_message(e.text()));
  } catch (const OutOfMemoryError& e) {
    return report(kExitInternal, e.what());
  } catch (const std::bad_alloc&) {
    return report(kExitInternal, "out of memory");
  } catch (const std::exception& e) {
    return report(kExitInternal, std::string("internal error: ") + e.what());
  } catch (...) {
    return report(kExitInternal, "internal error: unknown exception");
  }
}
