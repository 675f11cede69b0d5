// inference_step.cpp — the CLI's call of the core bootstrap (see inference_step.h).
#include "inference_step.h"

#include <random>

#include "rddist/r3d/bootstrap.h"

namespace rddist::cli {

Inference run_inference(const RdData& data, const Estimate& estimate, const BandwidthChoice&,
                        const UnitTable& units, const Settings& settings, const Hooks& hooks) {
  Inference inf;
  inf.alpha = settings.alpha;
  if (settings.boot == 0) {
    inf.status = "no bootstrap (--boot 0)";
    return inf;
  }
  // Without --seed, draw one so the run can be repeated from the report.
  const std::uint64_t seed =
      settings.seed ? *settings.seed : (static_cast<std::uint64_t>(std::random_device{}()) << 21) ^
                                           std::random_device{}();
  BootstrapOptions o;
  o.draws = static_cast<arma::uword>(settings.boot);
  o.alpha = settings.alpha;
  o.seed = seed;
  o.sampler = settings.sampler;
  o.vce = settings.vce;
  o.cluster = units.cluster;
  o.threads = settings.threads;
  o.functionals = settings.functionals;
  const double low = settings.test_range_given ? settings.test_low : estimate.q_grid.min();
  const double high = settings.test_range_given ? settings.test_high : estimate.q_grid.max();
  for (TestType t : settings.tests)
    o.tests.push_back(TestSpec{t, t == TestType::gini ? estimate.q_grid.min() : low,
                               t == TestType::gini ? estimate.q_grid.max() : high});
  const BootstrapResult r = bootstrap_r3d(data, estimate, o, hooks);

  inf.available = true;
  inf.status = "multiplier bootstrap";
  inf.boot = static_cast<int>(r.draws);
  inf.seed = seed;
  inf.std_error = r.se;
  inf.conf_low = r.conf_low;
  inf.conf_high = r.conf_high;
  inf.band_low = r.band_low;
  inf.band_high = r.band_high;
  inf.critical_value = r.crit_val;
  inf.tests = r.tests;
  inf.functionals = r.functionals;
  inf.details = {{"sampler", r.sampler == Sampler::gaussian ? "gaussian" : "multipliers"},
                 {"vce", to_string(r.vce)},
                 {"clusters", r.clusters},
                 {"critical_value_above", r.crit_val_plus},
                 {"critical_value_below", r.crit_val_minus}};
  return inf;
}

}  // namespace rddist::cli
