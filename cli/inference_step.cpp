// inference_step.cpp — the bootstrap hook; returns "no bootstrap" until it is wired.
#include "inference_step.h"

namespace rddist::cli {

// TODO(bootstrap): run the core's multiplier bootstrap here: B = settings.boot draws
// (0: none), level 1 - settings.alpha, multipliers seeded by settings.seed (draw and report
// one when absent), one multiplier per cluster when units.cluster is non-empty, tests
// settings.tests on [settings.test_low, settings.test_high], settings.threads threads,
// progress through hooks.report("bootstrap", fraction). Fill std_error, conf_low/high,
// band_low/high (one value per level), critical_value, tests and set available = true.
Inference run_inference(const RdData&, const Estimate&, const BandwidthChoice&,
                        const UnitTable&, const Settings& settings, const Hooks& hooks) {
  Inference inf;
  inf.available = false;
  inf.boot = 0;
  inf.alpha = settings.alpha;
  inf.seed = settings.seed;
  if (settings.boot == 0) {
    inf.status = "no bootstrap (--boot 0)";
    return inf;
  }
  inf.status = "no bootstrap: not available in this build yet";
  hooks.warn("the bootstrap is not available in this build yet: std.error, conf.low/high and "
             "band.low/high are NA" +
             std::string(settings.tests.empty() ? "" : ", and no tests were run"));
  return inf;
}

}  // namespace rddist::cli
