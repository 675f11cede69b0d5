// rcpp_bandwidth.cpp — R entry point of the bandwidth selector.
#include <algorithm>

#include "common.h"
#include "rddist/r3d/bandwidth.h"

namespace {

Rcpp::NumericVector as_numeric(const arma::vec& v) { return Rcpp::NumericVector(v.begin(), v.end()); }

}  // namespace

// [[Rcpp::export(.rddist_bwselect)]]
Rcpp::List rddist_bwselect(const arma::vec& x, const arma::mat& quantiles, const arma::vec& q_grid,
                           Rcpp::Nullable<Rcpp::NumericVector> treatment, double cutoff,
                           std::string method, int s, int p, std::string kernel,
                           std::string compat, bool fuzzy, bool coverage, double regularization,
                           int threads, bool verbose = false) {
  const rddist::RdData data = rddist_r::rd_data(x, quantiles, q_grid, treatment);
  rddist::BandwidthOptions o;
  o.cutoff = cutoff;
  o.method = rddist::parse_method(method);
  o.s = s;
  o.p = p;
  o.kernel = rddist::parse_kernel(kernel);
  o.compat = rddist::parse_compat(compat);
  o.fuzzy = fuzzy;
  o.coverage = coverage;
  o.regularization = regularization;
  o.threads = static_cast<unsigned>(std::max(1, threads));
  std::vector<std::string> warnings;
  const rddist::Hooks hooks = rddist_r::r_hooks(&warnings, verbose);
  const rddist::BandwidthSelection b = rddist::select_bandwidths(data, o, hooks);
  hooks.report("bandwidth selection", 1.0);
  return Rcpp::List::create(
      Rcpp::Named("h_num") = as_numeric(b.h_num), Rcpp::Named("h_den") = b.h_den,
      Rcpp::Named("pilot_num") = as_numeric(b.pilot_num), Rcpp::Named("pilot_den") = b.pilot_den,
      Rcpp::Named("B_plus") = as_numeric(b.B_plus), Rcpp::Named("B_minus") = as_numeric(b.B_minus),
      Rcpp::Named("V_plus") = as_numeric(b.V_plus), Rcpp::Named("V_minus") = as_numeric(b.V_minus),
      Rcpp::Named("regularizer") = as_numeric(b.regularizer),
      Rcpp::Named("B_plus_den") = b.B_plus_den, Rcpp::Named("B_minus_den") = b.B_minus_den,
      Rcpp::Named("V_plus_den") = b.V_plus_den, Rcpp::Named("V_minus_den") = b.V_minus_den,
      Rcpp::Named("f_x") = b.f_x, Rcpp::Named("silverman") = b.silverman,
      Rcpp::Named("notes") = rddist_r::as_character(b.notes),
      Rcpp::Named("warnings") = rddist_r::as_character(warnings));
}
