// inference_step.h — standard errors, intervals, uniform band and tests for the CLI.
//
// The multiplier bootstrap (paper §2.6, App.; bootstrap.h in the core) is not wired
// into the CLI yet: run_inference() returns "no bootstrap", and the result CSV shows NA
// in std.error, conf.low/high and band.low/high. To wire it, fill in run_inference() in
// inference_step.cpp: everything it needs (data, estimate, bandwidths, clusters, B, alpha,
// seed, tests and their range, threads, progress hooks) is passed in, and everything it
// returns is already written by output.cpp (CSV columns, JSON "inference", SVG bands).
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
#include "rddist/estimate.h"
#include "rddist/hooks.h"
#include "unit_table.h"

namespace rddist::cli {

struct TestResult {
  TestKind kind = TestKind::nullity;
  double low = 0.0, high = 1.0;  // quantile range tested
  double statistic = std::numeric_limits<double>::quiet_NaN();
  double p_value = std::numeric_limits<double>::quiet_NaN();
};

struct Inference {
  bool available = false;      // true once bootstrap results are filled in
  std::string status;          // shown in the JSON report
  int boot = 0;                // draws actually used
  double alpha = 0.05;
  std::optional<std::uint64_t> seed;  // the seed used (drawn and reported when not given)
  // One value per quantile level when available, else empty (written as NA).
  arma::vec std_error, conf_low, conf_high, band_low, band_high;
  double critical_value = std::numeric_limits<double>::quiet_NaN();
  std::vector<TestResult> tests;
  nlohmann::ordered_json details;  // anything else worth reporting
};

// THE hook for the bootstrap. Currently returns "no bootstrap".
Inference run_inference(const RdData& data, const Estimate& estimate,
                        const BandwidthChoice& bandwidths, const UnitTable& units,
                        const Settings& settings, const Hooks& hooks);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_INFERENCE_STEP_H
