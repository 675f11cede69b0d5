// bandwidth_step.h — where the estimate's bandwidths come from: the user or the selector.
//
// With --bandwidth the user's values are used as given. Automatic selection (paper §4,
// App.; bandwidth.h in the core) is not wired into the CLI yet:
// kBandwidthSelectionAvailable is false and select_bandwidths() throws a UsageError.
// To wire it: implement select_bandwidths() in bandwidth_step.cpp (fill `details` with the
// pilot quantities for the JSON report) and set the flag to true; `estimate` without
// --bandwidth and the `bwselect` subcommand both go through here.
#ifndef RDDIST_CLI_BANDWIDTH_STEP_H
#define RDDIST_CLI_BANDWIDTH_STEP_H

#include <nlohmann/json.hpp>

#include "options.h"
#include "rddist/estimate.h"
#include "rddist/hooks.h"

namespace rddist::cli {

// Flip to true once select_bandwidths() is implemented; checked before any data is read.
constexpr bool kBandwidthSelectionAvailable = false;

struct BandwidthChoice {
  Bandwidths bandwidths;
  bool selected = false;           // false: given with --bandwidth
  nlohmann::ordered_json details;  // selection diagnostics for the JSON report (pilot h, B±, V±, f̂)
};

// The user's bandwidths when given, otherwise select_bandwidths().
BandwidthChoice choose_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks);

// Automatic (I)MSE-optimal selection for the design in `settings` (s, coverage, compat).
BandwidthChoice select_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks);

// The message given while selection is not available.
extern const char* const kNoSelectionMessage;

}  // namespace rddist::cli

#endif  // RDDIST_CLI_BANDWIDTH_STEP_H
