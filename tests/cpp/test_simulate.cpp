// Tests of simulate: reproducibility, the designs' moments, and the true DGP 2 effect
// checked against a brute-force Monte Carlo of the unit quantile functions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "rddist/r3d/quantiles.h"
#include "rddist/rng.h"
#include "rddist/r3d/simulate.h"

using namespace rddist;

TEST_CASE("a simulated data set is a function of its options and seed", "[simulate]") {
  SimulationOptions o;
  o.units = 50;
  o.draws = 20;
  const SimulatedData a = simulate_r3d(o), b = simulate_r3d(o);
  CHECK(arma::approx_equal(a.draws, b.draws, "absdiff", 0.0));
  o.seed = 2;
  CHECK_FALSE(arma::approx_equal(simulate_r3d(o).draws, a.draws, "absdiff", 0.0));
}

TEST_CASE("DGP 1 has the specified conditional means and a constant effect", "[simulate]") {
  SimulationOptions o;
  o.units = 20000;
  o.draws = 5;
  o.delta = 2.27;
  const SimulatedData d = simulate_r3d(o);
  CHECK(arma::all(d.x >= -1.0));
  CHECK(arma::all(d.x < 1.0));
  // Unit means minus 5 + 5x + Δ·1{x ≥ 0}: mean zero (sd of the average ≈ 0.01).
  const arma::vec resid = arma::mean(d.draws, 0).t() - 5.0 - 5.0 * d.x - o.delta * d.treatment;
  CHECK(std::fabs(arma::mean(resid)) < 0.05);
  const arma::vec tau = true_effect(o, arma::vec{0.1, 0.5, 0.9});
  CHECK(arma::all(tau == 2.27));
}

TEST_CASE("fuzzy designs assign treatment with probability 0.1 below and 0.9 above", "[simulate]") {
  SimulationOptions o;
  o.units = 20000;
  o.draws = 1;
  o.fuzzy = true;
  const SimulatedData d = simulate_r3d(o);
  const arma::uvec above = arma::find(d.x >= 0.0), below = arma::find(d.x < 0.0);
  CHECK(arma::mean(d.treatment.elem(above)) == Approx(0.9).margin(0.015));  // sd ≈ 0.003
  CHECK(arma::mean(d.treatment.elem(below)) == Approx(0.1).margin(0.015));
}

TEST_CASE("the DGP 2 effect equals the average quantile difference of the unit laws", "[simulate]") {
  // Brute force: the quantile function of N(0, 1) + 2·Exponential(λ), averaged over
  // λ ~ U(0.5, 1.5), estimated from 20 λ values × 200,000 draws each. The Monte Carlo
  // error of each quantile is below 0.01, that of the difference about 0.01.
  SimulationOptions o;
  o.dgp = 2;
  o.delta = 1.0;
  o.delta_lambda = 0.5;
  const arma::vec q{0.1, 0.5, 0.9};
  const arma::vec tau = true_effect(o, q);
  RandomStream rs(99, 0);
  arma::vec lower(3, arma::fill::zeros), upper(3, arma::fill::zeros);
  const int lambdas = 20, draws = 200000;
  for (int l = 0; l < lambdas; ++l) {
    const double lambda = 0.5 + (l + 0.5) / lambdas;
    arma::vec a(draws), b(draws);
    for (int k = 0; k < draws; ++k) {
      a[k] = rs.normal() + 2.0 * rs.exponential() / lambda;
      b[k] = rs.normal() + 2.0 * rs.exponential() / (lambda + 0.5);
    }
    lower += empirical_quantiles(a, q) / lambdas;
    upper += empirical_quantiles(b, q) / lambdas;
  }
  const arma::vec brute = 1.0 + upper - lower;
  for (arma::uword j = 0; j < 3; ++j) CHECK(tau[j] == Approx(brute[j]).margin(0.03));
  // Faster exponential decay above the cutoff pulls the upper quantiles down most.
  CHECK(tau[2] < tau[1]);
  CHECK(tau[1] < tau[0]);
}
