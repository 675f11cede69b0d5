// analysis.cpp — checking a request and running it stage by stage (see analysis.h).
#include "rddist/r3d/analysis.h"

#include <cmath>

#include "rddist/error.h"
#include "rddist/r3d/unit_order.h"

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
void choose_bandwidths(const AnalysisRequest& r, const RdData& data, const Hooks& hooks,
                       AnalysisResult& out) {
  const BandwidthRequest& given = r.bandwidth;
  const bool fuzzy = r.estimate.fuzzy;
  out.outcome_selected = given.outcome.is_empty() || r.last_stage == Stage::bandwidths;
  out.treatment_selected = fuzzy && (std::isnan(given.treatment) || r.last_stage == Stage::bandwidths);
  Bandwidths& bw = out.bandwidths;
  bw.num = given.outcome;
  bw.num_below = given.outcome_below;
  bw.den = given.treatment;
  bw.den_below = given.treatment_below;
  if (!out.outcome_selected && !out.treatment_selected) return;
  out.selection = select_bandwidths(data, selector_options(r, out.outcome_selected), hooks);
  const BandwidthSelection& sel = *out.selection;
  for (const std::string& note : sel.notes) hooks.warn("bandwidth selection: " + note);
  const bool two = r.bandwidth.selection.rule == BandwidthRule::two;
  if (out.outcome_selected) {
    bw.num = sel.h_num;
    bw.num_below = two ? sel.h_num_below : arma::vec();
  }
  if (out.treatment_selected) {
    bw.den = sel.h_den;
    bw.den_below = two ? sel.h_den_below : Bandwidths::NaN;
  }
  hooks.report("bandwidth selection", 1.0);
}

// A given treatment bandwidth (one side or both): a positive number.
void check_treatment_bandwidth(double h, const char* id) {
  require(std::isfinite(h) && h > 0.0, id, "{", id, "} must be a positive number, got ", h);
}

// The sample restricted to the selected units, the multipliers and clusters with it.
struct Restricted {
  RdData data;
  BootstrapOptions inference;
};

Restricted restrict_units(const AnalysisRequest& r, const arma::uvec& kept) {
  Restricted out{permute_units(r.data, kept), r.inference};
  if (!r.inference.cluster.is_empty()) out.inference.cluster = r.inference.cluster.elem(kept);
  if (!r.inference.multipliers.is_empty())
    out.inference.multipliers = r.inference.multipliers.rows(kept);
  return out;
}

}  // namespace

void check_request(const AnalysisRequest& r) {
  check_q_grid(r.data.q_grid);
  const arma::uword levels = r.data.q_grid.n_elem;
  check_estimate_options(r.estimate);
  check_unit_selection(r.units, r.estimate.cutoff);
  require(std::isnan(r.units.true_cutoff) || !r.estimate.fuzzy, "placebo",
          "{placebo}: the treatment does not jump at a false cutoff, so a placebo analysis "
          "tests the outcome's jump there (the reduced form); drop the treatment ({fuzzy})");
  check_bandwidth_options(selector_options(r, true));
  require(r.threads >= 1 && r.threads <= 1024, "threads", "{threads} must be between 1 and 1024");
  const BandwidthRequest& b = r.bandwidth;
  require(r.estimate.fuzzy || (std::isnan(b.treatment) && std::isnan(b.treatment_below)),
          "bandwidth_treatment", "a treatment bandwidth {bandwidth_treatment} applies to fuzzy "
          "designs only; give the treatment {treatment} too");
  require(b.outcome_below.is_empty() || !b.outcome.is_empty(), "bandwidth",
          "the outcome bandwidth below the cutoff {bandwidth_below} was given without the one "
          "above; give both sides, or {bandwidth} for both");
  require(std::isnan(b.treatment_below) || !std::isnan(b.treatment), "bandwidth_treatment",
          "the treatment bandwidth below the cutoff {bandwidth_treatment_below} was given "
          "without the one above; give both sides, or {bandwidth_treatment} for both");
  if (!std::isnan(b.treatment)) check_treatment_bandwidth(b.treatment, "bandwidth_treatment");
  if (!std::isnan(b.treatment_below))
    check_treatment_bandwidth(b.treatment_below, "bandwidth_treatment_below");
  if (!b.outcome.is_empty()) {
    Bandwidths given{b.outcome, 1.0, b.outcome_below};  // the treatment's are checked above
    EstimateOptions outcome_only = r.estimate;
    outcome_only.fuzzy = false;
    check_bandwidths(given, outcome_only, levels);
  }
  if (r.last_stage == Stage::inference) check_bootstrap_options(r.inference, r.estimate.compat);
}

AnalysisResult run_analysis(const AnalysisRequest& request, const Hooks& hooks) {
  check_request(request);
  check_sample(request.data, request.estimate.fuzzy);
  check_quantile_rows(request.data);
  AnalysisResult out;
  out.units = select_units(request.data, request.estimate.cutoff, request.units);
  // A restricted copy only when units were dropped.
  std::optional<Restricted> restricted;
  if (!out.units.all()) restricted = restrict_units(request, out.units.kept);
  const RdData& data = restricted ? restricted->data : request.data;
  check_estimate_data(data, request.estimate);
  if (auto mass = mass_points(data.x, request.estimate.cutoff)) hooks.warn(*mass);
  choose_bandwidths(request, data, hooks, out);
  if (request.last_stage == Stage::bandwidths) return out;
  hooks.poll();
  out.estimate = estimate_r3d(data, out.bandwidths, request.estimate, hooks);
  hooks.report("estimate", 1.0);
  if (request.last_stage == Stage::estimate) return out;
  BootstrapOptions inference = restricted ? restricted->inference : request.inference;
  inference.threads = request.threads;
  out.inference = bootstrap_r3d(data, *out.estimate, inference, hooks);
  hooks.report("bootstrap", 1.0);
  return out;
}

}  // namespace rddist
