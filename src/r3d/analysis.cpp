// analysis.cpp — checking a request and running it stage by stage (see analysis.h).
#include "rddist/r3d/analysis.h"

#include <cmath>

#include "rddist/error.h"

namespace rddist {
namespace {

BandwidthOptions selector_options(const AnalysisRequest& r, bool outcome) {
  BandwidthOptions o = r.bandwidth.selection;
  o.estimate = r.estimate;
  o.threads = r.threads;
  o.outcome = outcome;
  return o;
}

// The given bandwidths where there are any, the selector's otherwise.
AnalysisResult choose_bandwidths(const AnalysisRequest& r, const RdData& data, const Hooks& hooks) {
  AnalysisResult out;
  const bool fuzzy = r.estimate.fuzzy;
  out.outcome_selected = r.bandwidth.outcome.is_empty() || r.last_stage == Stage::bandwidths;
  out.treatment_selected = fuzzy && (!std::isfinite(r.bandwidth.treatment) || r.last_stage == Stage::bandwidths);
  out.bandwidths.num = r.bandwidth.outcome;
  out.bandwidths.den = r.bandwidth.treatment;
  if (out.outcome_selected || out.treatment_selected) {
    out.selection = select_bandwidths(data, selector_options(r, out.outcome_selected), hooks);
    for (const std::string& note : out.selection->notes) hooks.warn("bandwidth selection: " + note);
    if (out.outcome_selected) out.bandwidths.num = out.selection->h_num;
    if (out.treatment_selected) out.bandwidths.den = out.selection->h_den;
    hooks.report("bandwidth selection", 1.0);
  }
  return out;
}

}  // namespace

void check_request(const AnalysisRequest& r) {
  check_q_grid(r.data.q_grid);
  const arma::uword levels = r.data.q_grid.n_elem;
  check_estimate_options(r.estimate);
  check_bandwidth_options(selector_options(r, true));
  require(r.threads >= 1 && r.threads <= 1024, "threads", "{threads} must be between 1 and 1024");
  require(r.estimate.fuzzy || std::isnan(r.bandwidth.treatment), "bandwidth_treatment",
          "a treatment bandwidth {bandwidth_treatment} applies to fuzzy designs only; give the "
          "treatment {treatment} too");
  if (!std::isnan(r.bandwidth.treatment))
    require(std::isfinite(r.bandwidth.treatment) && r.bandwidth.treatment > 0.0,
            "bandwidth_treatment", "{bandwidth_treatment} must be a positive number, got ",
            r.bandwidth.treatment);
  if (!r.bandwidth.outcome.is_empty()) {
    const Bandwidths given{r.bandwidth.outcome, 1.0};  // the treatment's is checked above
    EstimateOptions outcome_only = r.estimate;
    outcome_only.fuzzy = false;
    check_bandwidths(given, outcome_only, levels);
  }
  if (r.last_stage == Stage::inference) check_bootstrap_options(r.inference, r.estimate.compat);
}

AnalysisResult run_analysis(const AnalysisRequest& request, const Hooks& hooks) {
  check_request(request);
  const RdData* data = &request.data;
  check_estimate_data(*data, request.estimate);
  AnalysisResult out = choose_bandwidths(request, *data, hooks);
  if (request.last_stage == Stage::bandwidths) return out;
  hooks.poll();
  out.estimate = estimate_r3d(*data, out.bandwidths, request.estimate, hooks);
  hooks.report("estimate", 1.0);
  if (request.last_stage == Stage::estimate) return out;
  BootstrapOptions inference = request.inference;
  inference.threads = request.threads;
  out.inference = bootstrap_r3d(*data, *out.estimate, inference, hooks);
  hooks.report("bootstrap", 1.0);
  return out;
}

}  // namespace rddist
