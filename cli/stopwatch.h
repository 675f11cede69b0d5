// stopwatch.h — wall-clock seconds for the per-step timings of the JSON report.
#ifndef RDDIST_CLI_STOPWATCH_H
#define RDDIST_CLI_STOPWATCH_H

#include <chrono>

namespace rddist::cli {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_STOPWATCH_H
