// Convergence of the categorical and quantile representations to the exact one as the
// number of atoms grows (issue 7 acceptance), with the error bounds derived below.
//
// Bounds (W1 = ∫|F − G|; returns in [A, B]; m atoms; Δ = (hi − lo)/(m − 1) categorical):
//  * Categorical: the projected CDF on a cell is the cell average of the CDF, so Π_C is a
//    W1 non-expansion and moves a law supported in [lo, hi] by at most Δ/2 in W1. With
//    T^π a γ-contraction in sup-W1 and the true law μ = T^π μ inside [lo, hi]:
//      W1(μ̂, μ) <= W1(Π T μ̂, Π T μ) + W1(Π T μ, T μ) <= γ W1(μ̂, μ) + Δ/2,
//    hence W1 <= Δ/2 · (1 − γ^H)/(1 − γ) (H = ∞ without a horizon).
//  * Quantile: per cell of levels ((i−1)/m, i/m] the chosen atom lies between the cell's
//    end quantiles, so W1(Π_Q ν, ν) <= (B − A)/(2m) for ν on [A, B]; quantile atoms never
//    leave the support, and W1(μ̂, μ) <= W1(Π T μ̂, T μ̂) + W1(T μ̂, T μ) gives
//    W1 <= (B − A)/(2m) · (1 − γ^H)/(1 − γ).
//  * Values of an L-Lipschitz utility with the γ-property f(γz) = γ f(z) (hinge): the
//    greedy value and the optimum satisfy e(node) <= L·δ + γ·max e(child), δ the per-step
//    projection error above, so |V_m − V| <= L·δ·(1 − γ^H)/(1 − γ).
// doc/ddp.md states no bound; these are ours.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ddp_examples.h"
#include "rddist/ddp/applications.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/solver.h"

using namespace rddist::ddp;
namespace ex = ddp_examples;

namespace {

// W1 between a finite law and Uniform[a, b], integrated exactly: on each interval between
// atoms the law's CDF is a constant k and the uniform CDF u(z) is linear.
double w1_to_uniform(const Distribution& d, double a, double b) {
  auto segment = [&](double lo, double hi, double k) {
    // ∫_lo^hi |k − u(z)| dz with u(z) = (z − a)/(b − a) clamped to [0, 1].
    auto u = [&](double z) { return std::min(1.0, std::max(0.0, (z - a) / (b - a))); };
    const double zc = a + k * (b - a);  // where u crosses k
    auto piece = [&](double l, double h) {
      return 0.5 * (h - l) * std::fabs(2.0 * k - u(l) - u(h));  // u linear and k − u one-signed
    };
    if (zc > lo && zc < hi) return piece(lo, zc) + piece(zc, hi);
    return piece(lo, hi);
  };
  double acc = 0.0, F = 0.0, x = std::min(a, d.min());
  for (arma::uword i = 0; i < d.size(); ++i) {
    acc += segment(x, d.atoms()[i], F);
    F += d.probs()[i];
    x = d.atoms()[i];
  }
  acc += segment(x, std::max(b, x), F);
  return acc;
}

Distribution coin_law(Representation rep, arma::uword m) {
  const arma::umat policy(1, 1, arma::fill::zeros);
  return evaluate_stock_blind(ex::coin(), policy, rep,
                              CategoricalSupport(-2.0, 2.0, std::max<arma::uword>(m, 2)), m, 1e-14)
      .at(0);
}

// A random finite-horizon MDP with termination; support [L, U] = [min(0, r_min),
// max(0, r_max)]/(1 − γ) is mapped into itself by z ↦ r + γz (no clamping at the ends).
Mdp horizon_mdp() { return ex::random_mdp(4, 2, 3, 0.8, 31, 5, 0.15); }
std::pair<double, double> invariant_support(const Mdp& mdp) {
  const double g = mdp.gamma();
  return {std::min(0.0, mdp.min_reward()) / (1.0 - g), std::max(0.0, mdp.max_reward()) / (1.0 - g)};
}

}  // namespace

TEST_CASE("the exact W1 to a uniform law is right on simple cases", "[ddp][convergence]") {
  // δ_0 against U[−2, 2]: E|U| = 1. Two atoms at ±1: 2·(2·(1/2)·1·(1/4))... = 0.5.
  CHECK(w1_to_uniform(Distribution::dirac(0.0), -2.0, 2.0) == 1.0);
  CHECK(w1_to_uniform(Distribution(arma::vec{-1.0, 1.0}, arma::vec{0.5, 0.5}), -2.0, 2.0) == 0.5);
}

TEST_CASE("T5: categorical coin laws converge to Uniform[-2, 2] within Delta/(2(1 - gamma))",
          "[ddp][convergence][T5]") {
  double previous = INFINITY;
  for (arma::uword m : {5u, 9u, 17u, 33u, 65u, 129u}) {
    const double delta = 4.0 / (m - 1);
    const double w1 = w1_to_uniform(coin_law(Representation::categorical, m), -2.0, 2.0);
    INFO("m = " << m << ", W1 = " << w1 << ", bound = " << delta);
    CHECK(w1 <= delta / (2.0 * (1.0 - 0.5)));
    CHECK(w1 < previous);
    previous = w1;
  }
}

TEST_CASE("T5: quantile coin laws converge to Uniform[-2, 2] within (B - A)/(2m(1 - gamma))",
          "[ddp][convergence][T5]") {
  double previous = INFINITY;
  for (arma::uword m : {4u, 8u, 16u, 32u, 64u, 128u}) {
    const double w1 = w1_to_uniform(coin_law(Representation::quantile, m), -2.0, 2.0);
    INFO("m = " << m << ", W1 = " << w1 << ", bound = " << 4.0 / m);
    CHECK(w1 <= 4.0 / (2.0 * m * (1.0 - 0.5)));
    CHECK(w1 < previous);
    previous = w1;
  }
}

TEST_CASE("random MDP: categorical and quantile policy laws converge to the exact laws "
          "within the bounds", "[ddp][convergence]") {
  const Mdp mdp = horizon_mdp();
  const MeanPolicy mp = solve_mean(mdp);
  const auto [L, U] = invariant_support(mdp);
  const StockBlindLaws exact =
      evaluate_stock_blind(mdp, mp.action, Representation::exact, CategoricalSupport(L, U, 2), 0);
  const ReturnBounds b = return_bounds(mdp);
  const double g = mdp.gamma(), horizon_factor = (1.0 - std::pow(g, 5)) / (1.0 - g);
  double prev_cat = INFINITY, prev_q = INFINITY;
  for (arma::uword m : {11u, 41u, 161u, 641u}) {
    const CategoricalSupport s(L, U, m);
    const StockBlindLaws cat = evaluate_stock_blind(mdp, mp.action, Representation::categorical, s, m);
    const StockBlindLaws qua = evaluate_stock_blind(mdp, mp.action, Representation::quantile, s, m);
    double w_cat = 0.0, w_q = 0.0;
    for (arma::uword x = 0; x < mdp.n_states(); ++x) {
      w_cat = std::max(w_cat, wasserstein1(cat.at(x, 0), exact.at(x, 0)));
      w_q = std::max(w_q, wasserstein1(qua.at(x, 0), exact.at(x, 0)));
    }
    const double bound_cat = s.spacing() / 2.0 * horizon_factor;
    const double bound_q = (b.max() - b.min()) / (2.0 * m) * horizon_factor;
    INFO("m = " << m << ": categorical W1 " << w_cat << " (bound " << bound_cat << "), quantile W1 "
                << w_q << " (bound " << bound_q << ")");
    CHECK(w_cat <= bound_cat);
    CHECK(w_q <= bound_q);
    CHECK(w_cat < prev_cat);
    CHECK(w_q < prev_q);
    prev_cat = w_cat;
    prev_q = w_q;
  }
}

TEST_CASE("random MDP: optimal hinge values of the approximate representations converge to the "
          "exact optimum within L*delta*(1 - gamma^H)/(1 - gamma)", "[ddp][convergence]") {
  const Mdp mdp = horizon_mdp();
  const auto [L, U] = invariant_support(mdp);
  const ReturnBounds b = return_bounds(mdp);
  const Objective f = Objective::hinge(1.0, 0.0);  // Lipschitz constant 1
  const double c0 = -0.5 * (b.lo(0, 0) + b.hi(0, 0));  // a stock where the kink matters
  SolveOptions o;
  o.start_state = 0;
  o.start_stock = c0;
  o.representation = Representation::exact;
  const Solution exact = solve(mdp, f, o);
  const double v = exact.value(0, c0);
  const double g = mdp.gamma(), factor = (1.0 - std::pow(g, 5)) / (1.0 - g);
  for (arma::uword m : {11u, 41u, 161u, 641u}) {
    o.atoms = m;
    o.support = std::make_pair(L, U);
    o.representation = Representation::categorical;
    const Solution cat = solve(mdp, f, o);
    o.representation = Representation::quantile;
    const Solution qua = solve(mdp, f, o);
    const double e_cat = std::fabs(cat.value(0, c0) - v), e_q = std::fabs(qua.value(0, c0) - v);
    const double bound_cat = (U - L) / (m - 1) / 2.0 * factor;
    const double bound_q = (b.max() - b.min()) / (2.0 * m) * factor;
    INFO("m = " << m << ": categorical |dV| " << e_cat << " (bound " << bound_cat
                << "), quantile |dV| " << e_q << " (bound " << bound_q << ")");
    CHECK(e_cat <= bound_cat);
    CHECK(e_q <= bound_q);
    // The approximate policies, run with the true stock, are never better than the optimum
    // (exact evaluation; 1e-12 for rounding).
    CHECK(evaluate_exact(mdp, cat.policy(), f, 0, c0).value <= v + 1e-12);
    CHECK(evaluate_exact(mdp, qua.policy(), f, 0, c0).value <= v + 1e-12);
  }
}
