// rcpp_utils.cpp — R access to the core's building blocks (monotone curves, functionals).
#include "common.h"
#include "rddist/r3d/functionals.h"
#include "rddist/r3d/monotone.h"

// [[Rcpp::export(.rddist_isotonic)]]
Rcpp::NumericVector rddist_isotonic(const arma::vec& y) {
  const arma::vec out = rddist::isotonic_projection(y);
  return Rcpp::NumericVector(out.begin(), out.end());
}

// [[Rcpp::export(.rddist_rearrange)]]
Rcpp::NumericVector rddist_rearrange(const arma::vec& q, const arma::vec& y, std::string compat) {
  const arma::vec out = rddist::parse_compat(compat) == rddist::Compat::r3d_0_1_0
                            ? rddist::rearrange_r3d(q, y)
                            : rddist::rearrange(y);
  return Rcpp::NumericVector(out.begin(), out.end());
}

// [[Rcpp::export(.rddist_gini)]]
double rddist_gini(const arma::vec& q, const arma::vec& Q) { return rddist::gini(q, Q); }

// Linear interpolation of a quantile function known on the grid q (extended flat to
// [0, 1]) at the levels p: the definition the functionals use.
// [[Rcpp::export(.rddist_interpolate)]]
Rcpp::NumericVector rddist_interpolate(const arma::vec& q, const arma::vec& Q, const arma::vec& p) {
  Rcpp::NumericVector out(p.n_elem);
  for (arma::uword k = 0; k < p.n_elem; ++k) out[k] = rddist::interpolate_quantile(q, Q, p[k]);
  return out;
}
