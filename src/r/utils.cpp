// utils.cpp — R access to the core's building blocks: unit quantiles, monotone curves,
// functionals, the uniform band from kept draws.
#include "common.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/r3d/functionals.h"
#include "rddist/r3d/monotone.h"

// Per-unit empirical quantiles of a list of draws: an n × M matrix.
// [[Rcpp::export(.rddist_quantile_matrix)]]
arma::mat rddist_quantile_matrix(Rcpp::List y_list, Rcpp::Nullable<Rcpp::List> weights,
                                 const arma::vec& q_grid, int quantile_type, int threads) {
  return rddist_r::translate_errors("r3d", [&] {
    std::vector<std::vector<double>> storage;
    const auto units = rddist_r::unit_samples(y_list, weights, &storage);
    return rddist::quantile_matrix(units, q_grid, rddist::parse_quantile_type(quantile_type),
                                   static_cast<unsigned>(std::max(1, threads)));
  });
}

// The uniform band at level 1 − alpha from kept draws (band_from_draws).
// [[Rcpp::export(.rddist_band)]]
Rcpp::List rddist_band(const arma::vec& estimate, const arma::mat& process, const arma::vec& se,
                       std::string band, double alpha, std::string where) {
  return rddist_r::translate_errors(where, [&] {
    const rddist::Band b =
        rddist::band_from_draws(estimate, process, se, rddist::parse_band_type(band), alpha);
    return Rcpp::List::create(Rcpp::Named("crit_val") = b.crit_val,
                              Rcpp::Named("lower") = rddist_r::as_numeric(b.low),
                              Rcpp::Named("upper") = rddist_r::as_numeric(b.high));
  });
}

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

// Each row of Q (a unit's quantiles on the grid q) at the levels p, as above.
// [[Rcpp::export(.rddist_interpolate_rows)]]
Rcpp::NumericMatrix rddist_interpolate_rows(const arma::vec& q, const arma::mat& Q, const arma::vec& p) {
  Rcpp::NumericMatrix out(Q.n_rows, p.n_elem);
  for (arma::uword i = 0; i < Q.n_rows; ++i) {
    const arma::vec row = Q.row(i).t();
    for (arma::uword k = 0; k < p.n_elem; ++k) out(i, k) = rddist::interpolate_quantile(q, row, p[k]);
  }
  return out;
}
