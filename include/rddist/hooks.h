// hooks.h — how the core talks back to its front end.
//
// The core computes; it does not own a console. Warnings, progress reports and
// interrupt checks go through this small struct of callbacks, which each front end fills
// in (R: warning() and checkUserInterrupt(); CLI: stderr and a progress bar). Every
// callback is optional: an empty Hooks object makes the core silent.
#ifndef RDDIST_HOOKS_H
#define RDDIST_HOOKS_H

#include <functional>
#include <string>

namespace rddist {

struct Hooks {
  // A condition the user should know about; the computation continues.
  std::function<void(const std::string& message)> warning;
  // Progress of a long step: stage name and the fraction done, in [0, 1].
  std::function<void(const std::string& stage, double fraction)> progress;
  // Called between chunks of long work; throws rddist::interrupted to stop.
  std::function<void()> check_interrupt;

  void warn(const std::string& message) const {
    if (warning) warning(message);
  }
  void report(const std::string& stage, double fraction) const {
    if (progress) progress(stage, fraction);
  }
  void poll() const {
    if (check_interrupt) check_interrupt();
  }
};

}  // namespace rddist

#endif  // RDDIST_HOOKS_H
