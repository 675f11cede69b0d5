// progress.h — a one-line progress bar on standard error for long steps.
//
// Shown only when standard error is a terminal and --quiet is not given, so logs and
// pipes never receive control characters. Redrawn at most ten times a second (the core
// may report far more often). A negative fraction means "size unknown" (standard input):
// the bar then shows only the stage name and a spinner. hooks() plugs the bar into the
// core's rddist::Hooks, together with a sink for warnings.
#ifndef RDDIST_CLI_PROGRESS_H
#define RDDIST_CLI_PROGRESS_H

#include <chrono>
#include <functional>
#include <string>

#include "rddist/hooks.h"

namespace rddist::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool wanted);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  bool enabled() const { return enabled_; }
  void update(const std::string& stage, double fraction);
  // Erases the bar (before printing a message, and at the end).
  void clear();

  // Hooks reporting progress here and sending warnings to `warn`.
  Hooks hooks(std::function<void(const std::string&)> warn);

 private:
  bool enabled_ = false;
  bool shown_ = false;
  std::string stage_;
  int spin_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_PROGRESS_H
