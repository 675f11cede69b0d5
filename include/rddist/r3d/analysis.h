// analysis.h — the front door of the R3D pipeline (paper §2–§4): run a whole request.
//
// run_analysis() checks the request, keeps the units it selects (donut, placebo side;
// unit_selection.h), warns of mass points in the running variable, selects only the
// bandwidths that were not given (paper App. ), estimates τ̂ once (§2.5) and runs
// the multiplier bootstrap on that estimate (§2.6). The result reports every value it used, defaults resolved: the
// options and bandwidths inside the estimate, the selector's plug-ins, and the draws,
// level, seed, sampler, residual adjustment and test ranges of the bootstrap.
#ifndef RDDIST_R3D_ANALYSIS_H
#define RDDIST_R3D_ANALYSIS_H

#include <optional>

#include "rddist/hooks.h"
#include "rddist/r3d/request.h"

namespace rddist {

struct AnalysisResult {
  SelectedUnits units;            // the units used (the estimate's units are these)
  Bandwidths bandwidths;          // the bandwidths used
  bool outcome_selected = false;  // the outcome bandwidth came from the selector
  bool treatment_selected = false;
  std::optional<BandwidthSelection> selection;  // when something was selected
  std::optional<Estimate> estimate;             // from Stage::estimate on
  std::optional<BootstrapResult> inference;     // at Stage::inference
};

AnalysisResult run_analysis(const AnalysisRequest& request, const Hooks& hooks = Hooks());

}  // namespace rddist

#endif  // RDDIST_R3D_ANALYSIS_H
