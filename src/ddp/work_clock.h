// work_clock.h — keeps the long loops of the DDP solver answerable (not installed).
//
// The front end learns about progress and is asked for interrupts (Esc in R, Ctrl-C)
// through rddist::Hooks. Steps of the solver differ in cost by orders of magnitude (a node
// of a few atoms, a sweep over a million stock points), so polling every n steps is either
// too often or far too rarely. A WorkClock is ticked after every step and calls
// hooks.poll() and hooks.report() once kInterval of wall time has passed since the last
// call: an interrupt is answered within kInterval plus one step, and a step is always
// small (one node, one state of a sweep, one episode). Reading the clock costs about 20 ns,
// so it is read only every `stride` ticks, for loops whose steps take well under a
// microsecond.
#ifndef RDDIST_DDP_WORK_CLOCK_H
#define RDDIST_DDP_WORK_CLOCK_H

#include <chrono>
#include <string>

#include "rddist/hooks.h"

namespace rddist {
namespace ddp {
namespace detail {

class WorkClock {
 public:
  static constexpr std::chrono::milliseconds kInterval{50};

  WorkClock(const Hooks& hooks, std::string stage, unsigned stride = 1)
      : hooks_(hooks), stage_(std::move(stage)), stride_(stride == 0 ? 1 : stride),
        last_(std::chrono::steady_clock::now()) {}

  // After one step; fraction is the share of the stage done (negative: not known).
  void tick(double fraction = -1.0) {
    if (++count_ < stride_) return;
    count_ = 0;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < kInterval) return;
    last_ = now;
    hooks_.poll();
    if (fraction >= 0.0) hooks_.report(stage_, fraction < 1.0 ? fraction : 0.999);
  }
  // The stage is complete (front ends print "done" lines on this).
  void done() const {
    hooks_.poll();
    hooks_.report(stage_, 1.0);
  }

 private:
  const Hooks& hooks_;
  std::string stage_;
  unsigned stride_, count_ = 0;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace detail
}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_WORK_CLOCK_H
