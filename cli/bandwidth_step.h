// bandwidth_step.h — where the estimate's bandwidths come from: the user or the selector.
//
// With --bandwidth the user's values are used as given (a fuzzy design without
// --bandwidth-treatment selects only the treatment bandwidth). Otherwise the core's
// (I)MSE-optimal selection (paper §4, App.; bandwidth.h) runs with the command
// line's s, kernel, method, compat and coverage settings; its pilot quantities go to the
// JSON report. `estimate` without --bandwidth and `bwselect` both go through here.
#ifndef RDDIST_CLI_BANDWIDTH_STEP_H
#define RDDIST_CLI_BANDWIDTH_STEP_H

#include <nlohmann/json.hpp>

#include "options.h"
#include "rddist/r3d/estimate.h"
#include "rddist/hooks.h"

namespace rddist::cli {

struct BandwidthChoice {
  Bandwidths bandwidths;
  bool selected = false;           // false: given with --bandwidth
  nlohmann::ordered_json details;  // selection diagnostics for the JSON report (pilot h, B±, V±, f̂)
};

// The user's bandwidths when given, otherwise select_bandwidths().
BandwidthChoice choose_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks);

// Automatic (I)MSE-optimal selection for the design in `settings` (s, coverage, compat).
BandwidthChoice select_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_BANDWIDTH_STEP_H
