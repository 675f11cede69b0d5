// Tests of policy evaluation: exact evaluation with the true stock, Monte Carlo evaluation
// (its generator is rng.h, tested in test_rng.cpp), and stock grids.
#include <catch2/catch.hpp>

#include <cmath>

#include "ddp_examples.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/stock.h"
#include "rddist/error.h"

using namespace rddist::ddp;
namespace ex = ddp_examples;

TEST_CASE("exact evaluation composes the policy's law with the true stock", "[ddp][evaluate]") {
  const ExactEvaluation e =
      evaluate_exact(ex::chain(), [](arma::uword, double, arma::uword) { return 0; },
                     Objective::mean(), 0, 0.0);
  CHECK(e.returns.size() == 1);
  CHECK(e.returns.atoms()[0] == 2.75);
  CHECK(e.nodes == 3);
  // A stock-dependent policy on T3: G after a 0, S after a 10 (stock −8 + r at s1).
  const Mdp t3 = ex::two_step(false);
  auto policy = [](arma::uword x, double c, arma::uword) -> arma::uword {
    return x == 1 && c < 0.0 ? 1 : 0;
  };
  const ExactEvaluation f = evaluate_exact(t3, policy, Objective::threshold(), 0, -8.0);
  CHECK(f.value == 0.75);
  CHECK(f.returns.cdf(-10.0) == 0.25);
}

TEST_CASE("exact evaluation refuses cyclic MDPs and bad actions", "[ddp][evaluate]") {
  auto zero = [](arma::uword, double, arma::uword) { return arma::uword{0}; };
  CHECK_THROWS_WITH(evaluate_exact(ex::coin(), zero, Objective::mean(), 0, 0.0),
                    Catch::Contains("Monte Carlo"));
  auto bad = [](arma::uword, double, arma::uword) { return arma::uword{5}; };
  CHECK_THROWS_WITH(evaluate_exact(ex::chain(), bad, Objective::mean(), 0, 0.0),
                    Catch::Contains("action index 5"));
}

TEST_CASE("Monte Carlo evaluation agrees with exact evaluation within its standard error",
          "[ddp][evaluate]") {
  const Mdp mdp = ex::two_step(true);
  auto rr = [](arma::uword x, double, arma::uword) { return arma::uword{x == 1 ? 1u : 0u}; };
  const ExactEvaluation e = evaluate_exact(mdp, rr, Objective::mean(), 0, 0.0);
  MonteCarloOptions mc;
  mc.episodes = 20000;
  mc.seed = 99;
  const MonteCarloEvaluation m = evaluate_monte_carlo(mdp, rr, Objective::mean(), 0, 0.0, mc);
  // Fixed seed: deterministic; a 4-standard-error band would fail for < 1e-4 of seeds.
  CHECK(std::fabs(m.value - e.value) <= 4.0 * m.std_error);
  CHECK(m.truncated == 0);
  const MonteCarloEvaluation again = evaluate_monte_carlo(mdp, rr, Objective::mean(), 0, 0.0, mc);
  CHECK(arma::approx_equal(m.returns, again.returns, "absdiff", 0.0));
  // Non-expected-utility criteria get batch-means standard errors.
  const MonteCarloEvaluation q = evaluate_monte_carlo(mdp, rr, Objective::cvar(0.5), 0, 0.0, mc);
  CHECK(q.std_error > 0.0);
  CHECK(std::fabs(q.value - e.returns.cvar(0.5)) <= 4.0 * q.std_error);
}

TEST_CASE("Monte Carlo episodes without termination stop once the rest is negligible",
          "[ddp][evaluate]") {
  auto flip = [](arma::uword, double, arma::uword) { return arma::uword{0}; };
  MonteCarloOptions mc;
  mc.episodes = 1000;
  const MonteCarloEvaluation m = evaluate_monte_carlo(ex::coin(), flip, Objective::mean(), 0, 0.0, mc);
  CHECK(m.truncated == 1000);
  // 2·(1/2)^t < 1e-12·5 after t = 37 steps.
  CHECK(m.max_steps <= 40);
  CHECK(arma::abs(m.returns).max() <= 2.0);
  CHECK_THROWS_WITH(evaluate_monte_carlo(ex::coin(), flip, Objective::mean(), 0, 0.0,
                                         MonteCarloOptions{10, 1, 0}),
                    Catch::Contains("at least 40 episodes"));
}

TEST_CASE("stock grids locate stocks with rounding weights and insert the start stock",
          "[ddp][stock]") {
  const StockGrid g = StockGrid::uniform(-2.0, 2.0, 5, 0.3);
  REQUIRE(g.size() == 6);
  CHECK(g.points()[3] == 0.3);
  const StockGrid u = StockGrid::uniform(0.0, 4.0, 5);
  StockGrid::Position p = u.locate(2.5);
  CHECK(p.lower == 2);
  CHECK(p.upper_weight == 0.5);
  CHECK_FALSE(p.outside);
  p = u.locate(3.0);
  CHECK(p.lower + (p.upper_weight == 1.0) == 3);
  CHECK(p.upper_weight * (p.lower + 1) + (1.0 - p.upper_weight) * p.lower == 3.0);
  p = u.locate(-1.0);
  CHECK(p.outside);
  CHECK(p.lower == 0);
  CHECK(p.upper_weight == 0.0);
  p = u.locate(9.0);
  CHECK(p.outside);
  CHECK(p.upper_weight == 1.0);
  CHECK(u.nearest(1.5) == 1);  // ties go down
  CHECK(u.nearest(1.6) == 2);
  CHECK(stock_region(-3.0, 1.0, 2.0) == StockRegion::below);
  CHECK(stock_region(-1.0, 1.0, 2.0) == StockRegion::above);
  CHECK(stock_region(-2.0, 1.0, 2.0) == StockRegion::inside);
  CHECK_THROWS_AS(StockGrid(arma::vec{1.0}), rddist::invalid_argument);
}
