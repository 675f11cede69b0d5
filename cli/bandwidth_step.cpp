// bandwidth_step.cpp — user bandwidths now; automatic selection to be wired (see header).
#include "bandwidth_step.h"

#include "cli_errors.h"

namespace rddist::cli {

const char* const kNoSelectionMessage =
    "automatic bandwidth selection is not available in this build yet; pass --bandwidth "
    "(and --bandwidth-treatment for a fuzzy design)";

BandwidthChoice choose_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks) {
  if (settings.bandwidth.is_empty()) return select_bandwidths(data, settings, hooks);
  BandwidthChoice choice;
  choice.bandwidths.num = settings.bandwidth;
  choice.bandwidths.den = settings.bandwidth_treatment;
  choice.selected = false;
  return choice;
}

// TODO(bandwidth): call the core's selector here (paper §4): s = settings.s, kernel,
// method, compat, coverage shrinkage (settings.coverage), fuzzy h_T. Then set
// kBandwidthSelectionAvailable = true in bandwidth_step.h.
BandwidthChoice select_bandwidths(const RdData&, const Settings&, const Hooks&) {
  throw UsageError(kNoSelectionMessage);
}

}  // namespace rddist::cli
