// inference_step.h — standard errors, intervals, uniform band, tests and functionals for
// the CLI: the core's multiplier bootstrap (paper §2.6, App.; bootstrap.h) run with
// the command line's settings. With --boot 0 nothing is computed and the inference columns
// of the result CSV are NA.
#ifndef RDDIST_CLI_INFERENCE_STEP_H
#define RDDIST_CLI_INFERENCE_STEP_H

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bandwidth_step.h"
#include "options.h"
#include "rddist/r3d/estimate.h"
#include "rddist/hooks.h"
#include "unit_table.h"

namespace rddist::cli {

struct Inference {
  bool available = false;      // true once bootstrap results are filled in
  std::string status;          // shown in the JSON report
  int boot = 0;                // draws actually used
  double alpha = 0.05;
  std::optional<std::uint64_t> seed;  // the seed used (drawn and reported when not given)
  // One value per quantile level when available, else empty (written as NA).
  arma::vec std_error, conf_low, conf_high, band_low, band_high;
  double critical_value = std::numeric_limits<double>::quiet_NaN();
  std::vector<rddist::TestResult> tests;
  std::vector<rddist::FunctionalResult> functionals;
  nlohmann::ordered_json details;  // anything else worth reporting
};

// The bootstrap for `estimate`; the seed is drawn (and reported) when none was given.
Inference run_inference(const RdData& data, const Estimate& estimate,
                        const BandwidthChoice& bandwidths, const UnitTable& units,
                        const Settings& settings, const Hooks& hooks);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_INFERENCE_STEP_H
