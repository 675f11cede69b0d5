// rcpp_r3d.cpp — R entry points of the R3D estimator: per-unit quantiles and estimation.
#include "common.h"
#include "rddist/r3d/estimate.h"

namespace {

using rddist::Estimate;
using rddist::SideEstimate;

Rcpp::List side_to_list(const SideEstimate& s, bool common) {
  Rcpp::NumericVector weights;
  if (common) weights = Rcpp::NumericVector(s.weights.begin(), s.weights.end());
  return Rcpp::List::create(
      Rcpp::Named("coef") = s.coef, Rcpp::Named("intercept") = Rcpp::NumericVector(
                                        s.intercept.begin(), s.intercept.end()),
      Rcpp::Named("curve") = Rcpp::NumericVector(s.curve.begin(), s.curve.end()),
      Rcpp::Named("weights") = common ? Rcpp::wrap(weights) : Rcpp::wrap(s.weights),
      Rcpp::Named("n_units") = static_cast<double>(s.n_units));
}

Rcpp::List estimate_to_list(const Estimate& e) {
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("tau") = Rcpp::NumericVector(e.tau.begin(), e.tau.end()),
      Rcpp::Named("h_num") = Rcpp::NumericVector(e.h_num.begin(), e.h_num.end()),
      Rcpp::Named("h_den") = e.h_den, Rcpp::Named("common_bandwidth") = e.common_bandwidth,
      Rcpp::Named("plus") = side_to_list(e.plus, e.common_bandwidth),
      Rcpp::Named("minus") = side_to_list(e.minus, e.common_bandwidth));
  if (e.options.fuzzy) {
    const auto& fs = e.first_stage;
    out["first_stage"] = Rcpp::List::create(
        Rcpp::Named("jump") = fs.jump, Rcpp::Named("plus") = fs.plus.coef(0, 0),
        Rcpp::Named("minus") = fs.minus.coef(0, 0),
        Rcpp::Named("coef_plus") = Rcpp::NumericVector(fs.plus.coef.begin(), fs.plus.coef.end()),
        Rcpp::Named("coef_minus") =
            Rcpp::NumericVector(fs.minus.coef.begin(), fs.minus.coef.end()),
        Rcpp::Named("n_plus") = static_cast<double>(fs.plus.units.n_elem),
        Rcpp::Named("n_minus") = static_cast<double>(fs.minus.units.n_elem));
  }
  return out;
}

}  // namespace

// Per-unit empirical quantiles: an n × M matrix.
// [[Rcpp::export(.rddist_quantile_matrix)]]
arma::mat rddist_quantile_matrix(Rcpp::List y_list, Rcpp::Nullable<Rcpp::List> weights,
                                 const arma::vec& q_grid, int quantile_type, int threads,
                                 bool verbose = false) {
  std::vector<std::vector<double>> storage;
  const auto units = rddist_r::unit_samples(y_list, weights, &storage);
  std::vector<std::string> warnings;
  return rddist::quantile_matrix(units, q_grid, rddist::parse_quantile_type(quantile_type),
                                 static_cast<unsigned>(std::max(1, threads)),
                                 rddist_r::r_hooks(&warnings, verbose));
}

// The R3D estimator on a units × quantiles matrix with given bandwidths.
// [[Rcpp::export(.rddist_estimate)]]
Rcpp::List rddist_estimate(const arma::vec& x, const arma::mat& quantiles, const arma::vec& q_grid,
                           Rcpp::Nullable<Rcpp::NumericVector> treatment, double cutoff,
                           std::string method, int p, std::string kernel, std::string compat,
                           bool fuzzy, const arma::vec& h_num, double h_den, bool verbose = false) {
  const rddist::RdData data = rddist_r::rd_data(x, quantiles, q_grid, treatment);
  const rddist::EstimateOptions opt =
      rddist_r::estimate_options(cutoff, method, p, kernel, compat, fuzzy);
  std::vector<std::string> warnings;
  const rddist::Hooks hooks = rddist_r::r_hooks(&warnings, verbose);
  const Estimate est = rddist::estimate_r3d(data, rddist::Bandwidths{h_num, h_den}, opt, hooks);
  hooks.report("estimate", 1.0);
  Rcpp::List out = estimate_to_list(est);
  out["warnings"] = rddist_r::as_character(warnings);
  return out;
}
