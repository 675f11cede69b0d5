// cli_errors.h — exit codes of the rddist tool and the two error types only the CLI throws.
//
// The core reports problems with rddist::error subclasses (see rddist/error.h); main.cpp
// turns every exception into one documented exit code, so scripts can tell a mistyped
// option (1) from bad data (2), a numerical failure (3) or an unwritable file (4):
//   0 ok · 1 usage · 2 data · 3 numerical · 4 input/output · 5 out of memory or internal.
// UsageError and IoError carry CLI-side failures, OutOfMemoryError a hint fit for the run; data problems found while reading use
// rddist::data_error, like the core, so a data error has one type wherever it is found.
#ifndef RDDIST_CLI_CLI_ERRORS_H
#define RDDIST_CLI_CLI_ERRORS_H

#include <stdexcept>
#include <string>

namespace rddist::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitData = 2,
  kExitNumerical = 3,
  kExitIo = 4,
  kExitInternal = 5,
};

// An option value the tool cannot use (bad number, unknown name, inconsistent choices).
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

// A file that cannot be opened, read or written (as opposed to one whose content is bad).
class IoError : public std::runtime_error {
 public:
  explicit IoError(const std::string& message) : std::runtime_error(message) {}
};

// Memory ran out; the message says what would need less (it depends on the command).
class OutOfMemoryError : public std::runtime_error {
 public:
  explicit OutOfMemoryError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_CLI_ERRORS_H
