// bandwidth_step.cpp — the user's bandwidths, or the core's (I)MSE-optimal selection.
#include "bandwidth_step.h"

#include "rddist/r3d/bandwidth.h"

namespace rddist::cli {
namespace {

nlohmann::ordered_json vec_json(const arma::vec& v) {
  return nlohmann::ordered_json(std::vector<double>(v.begin(), v.end()));
}

}  // namespace

BandwidthChoice choose_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks) {
  if (settings.bandwidth.is_empty()) return select_bandwidths(data, settings, hooks);
  BandwidthChoice choice;
  choice.bandwidths.num = settings.bandwidth;
  choice.bandwidths.den = settings.bandwidth_treatment;
  if (settings.estimate.fuzzy && !std::isfinite(choice.bandwidths.den)) {
    // A fixed outcome bandwidth with a selected treatment bandwidth.
    choice.bandwidths.den = select_bandwidths(data, settings, hooks).bandwidths.den;
  }
  return choice;
}

BandwidthChoice select_bandwidths(const RdData& data, const Settings& settings, const Hooks& hooks) {
  BandwidthOptions o;
  o.cutoff = settings.estimate.cutoff;
  o.method = settings.estimate.method;
  o.s = settings.s;
  o.p = settings.estimate.p;
  o.kernel = settings.estimate.kernel;
  o.compat = settings.estimate.compat;
  o.fuzzy = settings.estimate.fuzzy;
  o.coverage = settings.coverage;
  o.threads = settings.threads;
  const BandwidthSelection sel = rddist::select_bandwidths(data, o, hooks);
  for (const std::string& note : sel.notes) hooks.warn("bandwidth selection: " + note);
  BandwidthChoice choice;
  choice.bandwidths = Bandwidths{sel.h_num, sel.h_den};
  choice.selected = true;
  auto& d = choice.details;
  d["criterion"] = o.method == Method::frechet ? "IMSE" : "MSE per level";
  d["s"] = o.s;
  d["coverage"] = o.coverage;
  d["f_x"] = sel.f_x;
  d["silverman_bandwidth"] = sel.silverman;
  d["pilot"] = sel.pilot_num.n_elem == 1 ? nlohmann::ordered_json(sel.pilot_num[0]) : vec_json(sel.pilot_num);
  d["B_plus"] = vec_json(sel.B_plus);
  d["B_minus"] = vec_json(sel.B_minus);
  d["V_plus"] = vec_json(sel.V_plus);
  d["V_minus"] = vec_json(sel.V_minus);
  if (!sel.regularizer.is_empty()) d["regularizer"] = vec_json(sel.regularizer);
  if (o.fuzzy) {
    d["pilot_treatment"] = sel.pilot_den;
    d["treatment"] = {{"B_plus", sel.B_plus_den}, {"B_minus", sel.B_minus_den},
                      {"V_plus", sel.V_plus_den}, {"V_minus", sel.V_minus_den}};
  }
  d["notes"] = sel.notes;
  return choice;
}

}  // namespace rddist::cli
