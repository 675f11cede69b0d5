// simulate.cpp — R entry points of the simulation designs.
#include "common.h"
#include "rddist/r3d/simulate.h"

namespace {

rddist::SimulationOptions options(int dgp, double units, double draws, double delta,
                                  double delta_lambda, bool fuzzy, double seed) {
  rddist::SimulationOptions o;
  o.dgp = dgp;
  o.units = static_cast<arma::uword>(units);
  o.draws = static_cast<arma::uword>(draws);
  o.delta = delta;
  o.delta_lambda = delta_lambda;
  o.fuzzy = fuzzy;
  o.seed = static_cast<std::uint64_t>(seed);
  return o;
}

}  // namespace

// [[Rcpp::export(.rddist_simulate)]]
Rcpp::List rddist_simulate(int dgp, double units, double draws, double delta,
                           double delta_lambda, bool fuzzy, double seed) {
  const rddist::SimulatedData d = rddist_r::translate_errors("r3d_simulate", [&] {
    return rddist::simulate_r3d(options(dgp, units, draws, delta, delta_lambda, fuzzy, seed));
  });
  return Rcpp::List::create(
      Rcpp::Named("x") = Rcpp::NumericVector(d.x.begin(), d.x.end()),
      Rcpp::Named("treatment") = Rcpp::NumericVector(d.treatment.begin(), d.treatment.end()),
      Rcpp::Named("draws") = d.draws);
}

// [[Rcpp::export(.rddist_true_effect)]]
Rcpp::NumericVector rddist_true_effect(int dgp, double delta, double delta_lambda,
                                       const arma::vec& q) {
  const arma::vec tau = rddist_r::translate_errors("r3d_true_effect", [&] {
    return rddist::true_effect(options(dgp, 2, 1, delta, delta_lambda, false, 1), q);
  });
  return Rcpp::NumericVector(tau.begin(), tau.end());
}
