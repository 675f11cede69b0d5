// Tests of the DDP solver and its applications against the exact answers of worked
// examples T1–T10 of doc/ddp.md §7 (re-derived in the comments), classic value iteration (T6), and the refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ddp_examples.h"
#include "warning_log.h"
#include "rddist/ddp/applications.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/solver.h"
#include "rddist/error.h"

using namespace rddist::ddp;
namespace ex = ddp_examples;

namespace {

GoalOptions exact_options() {
  GoalOptions o;
  o.solve.representation = Representation::exact;
  o.solve.start_state = 0;
  return o;
}

SolveOptions exact_solve(arma::uword start = 0, double stock = 0.0) {
  SolveOptions o;
  o.representation = Representation::exact;
  o.start_state = start;
  o.start_stock = stock;
  return o;
}

// A stock-blind policy taking `action` in its decision state and action 0 elsewhere.
PolicyFunction always(arma::uword action, arma::uword state = 1) {
  return [action, state](arma::uword x, double, arma::uword) { return x == state ? action : 0; };
}

// Classic value iteration for the expected return (the T6 oracle), independent of
// solve_mean: 3000 sweeps at γ = 0.9 leave an error below 0.9^3000·10 ≈ 1e-136.
arma::vec classic_values(const Mdp& mdp) {
  arma::vec v(mdp.n_states(), arma::fill::zeros);
  for (int k = 0; k < 3000; ++k) {
    arma::vec nv(mdp.n_states());
    for (arma::uword x = 0; x < mdp.n_states(); ++x) {
      nv[x] = -INFINITY;
      for (arma::uword a = 0; a < mdp.n_actions(x); ++a) {
        double q = 0.0;
        for (const Outcome& o : mdp.outcomes(x, a))
          q += o.prob * (o.reward + (o.next == kTerminal ? 0.0 : mdp.gamma() * v[o.next]));
        nv[x] = std::max(nv[x], q);
      }
    }
    v = nv;
  }
  return v;
}

// Backward induction for the expected return with a horizon: value and argmax per (x, t).
void classic_horizon(const Mdp& mdp, arma::mat* value, arma::umat* action) {
  const arma::uword S = mdp.n_states(), H = mdp.horizon();
  value->zeros(S, H + 1);
  action->zeros(S, H);
  for (arma::uword t = H; t-- > 0;)
    for (arma::uword x = 0; x < S; ++x) {
      double best = -INFINITY;
      for (arma::uword a = 0; a < mdp.n_actions(x); ++a) {
        double q = 0.0;
        for (const Outcome& o : mdp.outcomes(x, a))
          q += o.prob * (o.reward + (o.next == kTerminal ? 0.0 : mdp.gamma() * (*value)(o.next, t + 1)));
        if (q > best) {
          best = q;
          (*action)(x, t) = a;
        }
      }
      (*value)(x, t) = best;
    }
}

}  // namespace

TEST_CASE("T1: the chain returns 2.75 under every policy through stocks 2, 8 and 22",
          "[ddp][solver][T1]") {
  const Mdp mdp = ex::chain();
  SolveOptions o = exact_solve();
  o.closed_form = false;  // expand every stock (the closed form would stop at the root)
  const Solution s = solve(mdp, Objective::mean(), o);
  CHECK(s.stock_mode() == StockMode::exact);
  const std::vector<PolicyRow> rows = s.policy_table();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].stock == 0.0);
  CHECK(rows[1].stock == 2.0);  // (0 + 1)/(1/2)
  CHECK(rows[2].stock == 8.0);  // (2 + 2)/(1/2)
  // The terminal stock (8 + 3)/(1/2) = 22 and c_0 + G = γ³·22.
  CHECK((rows[2].stock + 3.0) / 0.5 == 22.0);
  CHECK(0.125 * 22.0 == 2.75);
  const Distribution g = s.return_distribution(0, 0.0);
  REQUIRE(g.size() == 1);
  CHECK(g.atoms()[0] == 2.75);
  CHECK(s.value(0, 0.0) == 2.75);
  // Every representation and stock handling gives the mean 2.75 (the categorical and
  // quantile representations of a point mass on its own atom are exact).
  for (Representation rep : {Representation::exact, Representation::categorical, Representation::quantile}) {
    GoalOptions go;
    go.solve.representation = rep;
    const GoalResult r = solve_goal(mdp, Goal::mean(), go);
    CHECK(r.value == Approx(2.75).epsilon(1e-14));
    CHECK(r.true_stock.value == 2.75);
  }
  GoalOptions grid;
  grid.solve.stock_mode = StockMode::grid;
  CHECK(solve_goal(mdp, Goal::mean(), grid).value == Approx(2.75).epsilon(1e-14));
  // Thresholds: P(G >= 2.75) = 1, P(G >= 2.76) = 0.
  CHECK(solve_goal(mdp, Goal::success(2.75), exact_options()).value == 1.0);
  CHECK(solve_goal(mdp, Goal::success(2.76), exact_options()).value == 0.0);
}

TEST_CASE("T2: CVaR of the bandit picks S below tau = 0.6 and R above, success picks as stated",
          "[ddp][solver][T2]") {
  const Mdp mdp = ex::bandit();
  // CVaR_τ(R) = −50 for τ <= 0.1, (−5 + 10(τ − 0.1))/τ above; CVaR(S) = 0.
  auto cvar_R = [](double tau) { return tau <= 0.1 ? -50.0 : (-5.0 + 10.0 * (tau - 0.1)) / tau; };
  for (double tau : {0.05, 0.1, 0.3, 0.5, 0.59, 0.6, 0.61, 0.8, 1.0}) {
    const GoalResult r = solve_goal(mdp, Goal::cvar(tau), exact_options());
    const double expected = std::max(0.0, cvar_R(tau));
    // Decimal τ: −c + V/τ is computed in floating point; 1e-12 covers the rounding.
    CHECK(r.value == Approx(expected).margin(1e-12));
    CHECK(r.true_stock.value == Approx(expected).margin(1e-12));
    const arma::uword action = r.solution.action(0, r.start_stock);
    if (tau < 0.6) CHECK(mdp.action_label(0, action) == "S");
    if (tau > 0.6) CHECK(mdp.action_label(0, action) == "R");
  }
  CHECK(cvar_R(0.5) == -2.0);
  CHECK(cvar_R(1.0) == 4.0);
  const GoalResult p0 = solve_goal(mdp, Goal::success(0.0), exact_options());
  CHECK(p0.value == 1.0);
  CHECK(mdp.action_label(0, p0.solution.action(0, 0.0)) == "S");
  const GoalResult p5 = solve_goal(mdp, Goal::success(5.0), exact_options());
  CHECK(p5.value == Approx(0.9).epsilon(1e-15));
  CHECK(mdp.action_label(0, p5.solution.action(0, -5.0)) == "R");
}

TEST_CASE("T3: reaching 8 has probability 0.75 with the stock and 0.5 without it",
          "[ddp][solver][T3]") {
  const Mdp mdp = ex::two_step(false);
  const GoalResult r = solve_goal(mdp, Goal::success(8.0), exact_options());
  // After 10 the stock is −8 + 10 = 2: S secures it; after 0 it is −8: G wins w.p. 1/2.
  CHECK(r.value == 0.75);
  CHECK(r.true_stock.value == 0.75);
  CHECK(mdp.action_label(1, r.solution.action(1, 2.0, 0)) == "S");
  CHECK(mdp.action_label(1, r.solution.action(1, -8.0, 0)) == "G");
  const Objective f = Objective::threshold();
  CHECK(evaluate_exact(mdp, always(0), f, 0, -8.0).value == 0.5);
  CHECK(evaluate_exact(mdp, always(1), f, 0, -8.0).value == 0.5);
}

TEST_CASE("T4: two-step CVaR_1/2 is 5 at c0 = -10; stock-blind policies reach 2.5",
          "[ddp][solver][T4]") {
  const Mdp mdp = ex::two_step(true);
  const GoalResult r = solve_goal(mdp, Goal::cvar(0.5), exact_options());
  CHECK(r.value == 5.0);
  CHECK(r.start_stock == -10.0);
  CHECK(r.true_stock.value == 5.0);
  CHECK(mdp.action_label(1, r.solution.action(1, -10.0)) == "R");  // after reward 0
  CHECK(mdp.action_label(1, r.solution.action(1, 0.0)) == "S");    // after reward 10
  // Stock-blind: (R, R) has CVaR_1/2 = (−10/8 + 0/8 + 2·10/8)/(1/2) = 2.5, (S, S) has 0.
  const Objective f = Objective::hinge(1.0, 0.0);
  CHECK(evaluate_exact(mdp, always(1), f, 0, 0.0).returns.cvar(0.5) == 2.5);
  CHECK(evaluate_exact(mdp, always(0), f, 0, 0.0).returns.cvar(0.5) == 0.0);
  // The risk-neutral optimum (R, R) has mean 5 + 5 = 10.
  CHECK(r.risk_neutral.mean() == 10.0);
  // The search tried c = −g for the achievable returns g ∈ {−10, 0, 10, 20}.
  CHECK(r.search.size() == 4);
}

TEST_CASE("T5: the solver's coin law equals the categorical and quantile fixed points",
          "[ddp][solver][T5]") {
  const Mdp mdp = ex::coin();
  SolveOptions o;
  o.closed_form = false;
  o.tolerance = 1e-14;
  o.law_tolerance = 1e-14;  // the laws to their fixed point, not just to the representation's error
  o.atoms = 5;
  o.stock_points = 5;
  const Solution cat = solve(mdp, Objective::mean(), o);
  CHECK(cat.stock_mode() == StockMode::grid);
  const arma::vec expected{0.125, 0.25, 0.25, 0.25, 0.125};
  // Converged to 1e-14 at contraction rate 1/2: probabilities within 1e-13.
  CHECK(arma::abs(cat.return_distribution(0, 0.0).probs() - expected).max() <= 1e-13);
  o.representation = Representation::quantile;
  o.atoms = 4;
  const Solution q = solve(mdp, Objective::mean(), o);
  CHECK(arma::approx_equal(q.return_distribution(0, 0.0).atoms(), arma::vec{-1.5, -0.5, 0.5, 1.5},
                           "absdiff", 0.0));
}

TEST_CASE("T6: with f(z) = z and a horizon the augmented value is c + V_classic, policy stock-blind",
          "[ddp][solver][T6]") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Mdp mdp = ex::random_mdp(5, 3, 3, 0.9, seed, 4, 0.1);
    arma::mat value;
    arma::umat action;
    classic_horizon(mdp, &value, &action);
    for (double c0 : {-3.0, 0.0, 2.5}) {
      SolveOptions o = exact_solve(0, c0);
      o.closed_form = false;
      const Solution s = solve(mdp, Objective::mean(), o);
      // Exact atoms; sums of at most 81 products: agreement to 1e-12.
      CHECK(s.value(0, c0) == Approx(c0 + value(0, 0)).margin(1e-12));
      for (const PolicyRow& row : s.policy_table()) CHECK(row.action == action(row.state, row.time));
    }
  }
}

TEST_CASE("T6: on a stock grid without a horizon the value is c + V_classic at every grid point",
          "[ddp][solver][T6]") {
  for (std::uint64_t seed : {4u, 5u, 6u}) {
    const Mdp mdp = ex::random_mdp(6, 3, 3, 0.9, seed);
    const arma::vec v = classic_values(mdp);
    WarningLog log;
    SolveOptions o;
    o.closed_form = false;
    o.atoms = 51;
    o.stock_points = 21;
    o.tolerance = 1e-10;
    // [r_min/(1−γ), r_max/(1−γ)] is mapped into itself by z ↦ r + γz, so no mass is ever
    // clamped at the ends and the Cramér projection keeps every mean exactly.
    o.support = std::make_pair(10.0 * mdp.min_reward(), 10.0 * mdp.max_reward());
    const Solution s = solve(mdp, Objective::mean(), o, log.hooks());
    REQUIRE(s.converged());
    for (arma::uword x = 0; x < 6; ++x) {
      arma::uword best = 0;
      double q_best = -INFINITY;
      for (arma::uword a = 0; a < 3; ++a) {
        double q = 0.0;
        for (const Outcome& out : mdp.outcomes(x, a)) q += out.prob * (out.reward + 0.9 * v[out.next]);
        if (q > q_best) {
          q_best = q;
          best = a;
        }
      }
      for (double c : s.stock_grid()) {
        // Stopped at a change of 1e-10 per sweep, a γ = 0.9 contraction: values within
        // 0.9/0.1·1e-10 = 9e-10 of the fixed point; 1e-8 adds room for rounding.
        CHECK(s.value(x, c) == Approx(c + v[x]).margin(1e-8));
        CHECK(s.action(x, c) == best);
      }
    }
  }
}

TEST_CASE("T7: regulating to 7 with -|z| prefers the sure 6 (-1) to the gamble (-7)",
          "[ddp][solver][T7]") {
  const Mdp mdp = ex::homeostasis();
  const GoalResult r = solve_goal(mdp, Goal::homeostatic(7.0, 1.0), exact_options());
  CHECK(r.value == -1.0);
  CHECK(mdp.action_label(0, r.solution.action(0, -7.0)) == "A");
  CHECK(evaluate_exact(mdp, always(1, 0), Objective::homeostatic(1.0), 0, -7.0).value == -7.0);
  // With −z² (not piecewise linear): A gives −1, B −(49 + 49)/2 = −49.
  const GoalResult sq = solve_goal(mdp, Goal::homeostatic(7.0, 2.0), exact_options());
  CHECK(sq.value == -1.0);
  CHECK(mdp.action_label(0, sq.solution.action(0, -7.0)) == "A");
}

TEST_CASE("mean-CVaR: T2 and T4 values by the global search over the start stock",
          "[ddp][solver][T2][T4]") {
  // Bandit, λ = τ = 1/2: S gives 0, R gives 4/2 + CVaR_1/2(R)/2 = 2 − 1 = 1.
  const GoalResult b = solve_goal(ex::bandit(), Goal::mean_cvar(0.5, 0.5), exact_options());
  CHECK(b.value == 1.0);
  CHECK(b.true_stock.value == 1.0);
  // T4, λ = τ = 1/2: (R after 0, S after 10) has mean 7.5 and CVaR 5; (R, R) has mean 10
  // and CVaR 2.5: both 6.25; (S, S) gives 2.5.
  const GoalResult t4 = solve_goal(ex::two_step(true), Goal::mean_cvar(0.5, 0.5), exact_options());
  CHECK(t4.value == 6.25);
  CHECK(t4.true_stock.value == 6.25);
  // λ = 1 is the mean, λ = 0 the CVaR.
  CHECK(solve_goal(ex::two_step(true), Goal::mean_cvar(1.0, 0.5), exact_options()).value == 10.0);
  CHECK(solve_goal(ex::two_step(true), Goal::mean_cvar(0.0, 0.5), exact_options()).value == 5.0);
}

TEST_CASE("T8: the gambler's best P(G >= b) is 1/2, 1/4, 1/8, 0 (exact, finite horizon)",
          "[ddp][solver][T8]") {
  // With 8 steps left every target b <= 1.75 is reachable exactly as without a horizon:
  // gamble until the stock is >= 0, then stay safe; b = 2 needs infinitely many wins.
  const Mdp mdp = ex::gambler(8);
  const std::vector<std::pair<double, double>> cases = {
      {0.25, 0.5}, {0.5, 0.5}, {1.0, 0.5}, {1.25, 0.25}, {1.5, 0.25}, {1.75, 0.125}, {2.0, 0.0}};
  for (const auto& [b, p] : cases) {
    const GoalResult r = solve_goal(mdp, Goal::success(b), exact_options());
    CHECK(r.value == p);
    CHECK(r.true_stock.value == p);
  }
  const GoalResult r = solve_goal(mdp, Goal::success(1.0), exact_options());
  CHECK(mdp.action_label(0, r.solution.action(0, -1.0, 0)) == "gamble");
  CHECK(mdp.action_label(0, r.solution.action(0, 0.0, 1)) == "safe");  // after a win
}

TEST_CASE("T8: on a dyadic stock grid the infinite-horizon gambler is solved exactly",
          "[ddp][solver][T8]") {
  const Mdp mdp = ex::gambler();
  GoalOptions go;
  // Stocks and atoms on the 1/8 grid of [−2, 2]: c' = 2(c ± 1) and 2c map grid stocks to
  // grid stocks (or past ±2, where the closed form holds), so no rounding occurs.
  go.solve.stock_grid = arma::regspace(-16.0, 16.0) / 8.0;
  go.solve.atoms = 33;
  go.monte_carlo.episodes = 20000;
  const std::vector<std::pair<double, double>> cases = {
      {0.25, 0.5}, {0.5, 0.5}, {1.0, 0.5}, {1.25, 0.25}, {1.5, 0.25}, {1.75, 0.125}, {2.0, 0.0}};
  for (const auto& [b, p] : cases) {
    const GoalResult r = solve_goal(mdp, Goal::success(b), go);
    CHECK(r.value == p);
    // Monte Carlo with the true stock: within 4 standard errors (a fixed seed makes the
    // check deterministic; for a random seed it would fail with probability < 1e-4).
    CHECK(std::fabs(r.true_stock.value - p) <= 4.0 * r.true_stock.std_error + 1e-12);
    CHECK(r.true_stock.method == TrueStockMethod::monte_carlo);
  }
  // Gamble strictly while c ∈ (−2, −1/2) and stay safe strictly on [0, 1); on [−1/2, 0)
  // both actions are optimal (safe doubles c into [−1, 0), where gambling still wins 1/2).
  const Solution s = solve_goal(mdp, Goal::success(1.0), go).solution;
  for (double c : s.stock_grid()) {
    if (c > -2.0 && c < -0.5) CHECK(mdp.action_label(0, s.action(0, c)) == "gamble");
    if (c >= 0.0 && c < 1.0) CHECK(mdp.action_label(0, s.action(0, c)) == "safe");
    if (c >= -0.5 && c < 0.0) CHECK(s.value(0, c) == 0.5);
  }
}

TEST_CASE("T9: exponential utility at gamma = 1/2 is refused; forced, greedy picks the wrong A",
          "[ddp][solver][T9]") {
  const Mdp mdp = ex::exponential_trap();
  const Objective f = Objective::exponential(1.0);
  CHECK_THROWS_AS(solve(mdp, f, exact_solve()), rddist::invalid_argument);
  CHECK_THROWS_WITH(solve(mdp, f, exact_solve()),
                    Catch::Contains("exponential") && Catch::Contains("no gamma-property"));
  WarningLog log;
  SolveOptions o = exact_solve();
  o.force = true;
  const Solution s = solve(mdp, f, o, log.hooks());
  REQUIRE(log.warnings.size() == 1);
  CHECK_THAT(log.warnings[0], Catch::Contains("need not be optimal"));
  // At s1 the stock is (0 + 0)/γ = 0; greedy compares 1 − e^{−0.9} = 0.593 with
  // (0 + 1 − e^{−4})/2 = 0.491 and picks A.
  CHECK(mdp.action_label(1, s.action(1, 0.0)) == "A");
  // But G = γ·R: A gives 1 − e^{−0.45} = 0.362 < B's (1 − e^{−2})/2 = 0.432.
  const double greedy = evaluate_exact(mdp, s.policy(), f, 0, 0.0).value;
  const double b = evaluate_exact(mdp, always(1), f, 0, 0.0).value;
  CHECK(greedy == Approx(1.0 - std::exp(-0.45)).epsilon(1e-14));
  CHECK(b == Approx(0.5 * (1.0 - std::exp(-2.0))).epsilon(1e-14));
  CHECK(b > greedy);
}

TEST_CASE("T10: quantile maximisation via thresholds returns the median 5; the direct median "
          "is refused", "[ddp][solver][T10]") {
  const Mdp mdp = ex::median_trap();
  const GoalResult r = solve_goal(mdp, Goal::quantile(0.5), exact_options());
  CHECK(r.value == 5.0);
  CHECK(r.true_stock.value == 5.0);
  CHECK(mdp.action_label(1, r.solution.action(1, -5.0)) == "b");
  CHECK_THROWS_WITH(solve(mdp, Objective::quantile(0.5), exact_solve()),
                    Catch::Contains("not an expected utility"));
  // Forced greedy on the median: at s1 median(a) = 0 > median(b) = −1, so it takes a and
  // the overall law {0, 5} has (lower) median 0.
  WarningLog log;
  SolveOptions o = exact_solve();
  o.force = true;
  const Solution s = solve(mdp, Objective::quantile(0.5), o, log.hooks());
  CHECK(mdp.action_label(1, s.action(1, 0.0)) == "a");
  CHECK(evaluate_exact(mdp, s.policy(), Objective::quantile(0.5), 0, 0.0).returns.quantile(0.5) == 0.0);
  CHECK(log.warnings.size() == 1);
}

TEST_CASE("nearest rounding and forced greedy objectives also run on a grid", "[ddp][solver]") {
  GoalOptions go;
  go.solve.stock_grid = arma::regspace(-16.0, 16.0) / 8.0;
  go.solve.atoms = 33;
  go.solve.rounding = Rounding::nearest;
  go.evaluation = TrueStockMethod::none;
  // On the dyadic grid no stock is off-grid, so nearest rounding changes nothing (T8).
  CHECK(solve_goal(ex::gambler(), Goal::success(1.25), go).value == 0.25);
  // A forced non-expected-utility objective is greedy on the laws (with a warning).
  WarningLog log;
  SolveOptions o;
  o.stock_mode = StockMode::grid;
  o.force = true;
  o.atoms = 21;
  o.stock_points = 21;
  const Solution s = solve(ex::median_trap(), Objective::quantile(0.5), o, log.hooks());
  CHECK(s.policy_table().size() == 3 * 21);
  CHECK_FALSE(log.warnings.empty());
}

TEST_CASE("value and policy iteration agree on a random MDP with a hinge utility",
          "[ddp][solver]") {
  const Mdp mdp = ex::random_mdp(8, 2, 3, 0.9, 21);
  SolveOptions o;
  o.atoms = 41;
  o.stock_points = 41;
  o.tolerance = 1e-10;
  const Solution vi = solve(mdp, Objective::hinge(1.0, 0.0), o);
  o.algorithm = Algorithm::policy_iteration;
  const Solution pi = solve(mdp, Objective::hinge(1.0, 0.0), o);
  REQUIRE(vi.converged());
  REQUIRE(pi.converged());
  CHECK(pi.iterations() < vi.iterations());
  arma::uword differ = 0;
  for (arma::uword x = 0; x < 8; ++x)
    for (double c : vi.stock_grid()) {
      // Both stop at a change of 1e-10 of a γ = 0.9 contraction: within 2·9e-10.
      CHECK(vi.value(x, c) == Approx(pi.value(x, c)).margin(1e-8));
      if (vi.action(x, c) != pi.action(x, c)) {
        // Different actions only where they tie: at high stocks every action keeps
        // c + G >= 0 up to a probability of order 1e-20, so all values are 0 and the tie
        // rules (VI: higher mean; PI: incumbent first) may pick differently.
        ++differ;
        CHECK(std::fabs(vi.value(x, c)) <= 1e-12);
      }
    }
  CHECK(differ < 8 * vi.stock_grid().n_elem / 4);
}

TEST_CASE("a grid solution converges for a stock-dependent utility and reports its policy",
          "[ddp][solver]") {
  const Mdp mdp = ex::random_mdp(10, 3, 3, 0.95, 5);
  SolveOptions o;
  o.atoms = 51;
  o.stock_points = 51;
  const Solution s = solve(mdp, Objective::hinge(1.0, 0.0), o);
  CHECK(s.converged());
  CHECK(s.residual() <= 1e-8);
  const std::vector<PolicyRow> rows = s.policy_table();
  CHECK(rows.size() == 10 * 51);
  // The policy depends on the stock somewhere (else the stock would be pointless here).
  arma::uword switches = 0;
  for (std::size_t k = 1; k < rows.size(); ++k)
    switches += rows[k].state == rows[k - 1].state && rows[k].action != rows[k - 1].action;
  CHECK(switches > 0);
  const std::vector<LabelledPolicyRow> labelled = labelled_policy(s);
  CHECK(labelled[0].state == "s1");
  CHECK(labelled[0].action.substr(0, 1) == "a");
}

TEST_CASE("bad options and unreachable queries are refused with useful messages",
          "[ddp][solver]") {
  const Mdp coin = ex::coin();
  SolveOptions o;
  o.representation = Representation::exact;
  CHECK_THROWS_WITH(solve(coin, Objective::mean(), o), Catch::Contains("exact representation needs"));
  o = SolveOptions();
  o.stock_mode = StockMode::exact;
  o.start_state = 0;
  CHECK_THROWS_WITH(solve(coin, Objective::mean(), o), Catch::Contains("needs a horizon or an acyclic"));
  o = SolveOptions();
  o.start_state = 7;
  CHECK_THROWS_WITH(solve(coin, Objective::mean(), o), Catch::Contains("out of range"));
  o = SolveOptions();
  o.atoms = 1;
  CHECK_THROWS_WITH(solve(coin, Objective::mean(), o), Catch::Contains("at least 2 atoms"));
  o = SolveOptions();
  o.stock_grid = arma::vec{1.0, 0.5};
  CHECK_THROWS_WITH(solve(coin, Objective::mean(), o), Catch::Contains("strictly increasing"));
  // Exact mode answers only for reachable stocks.
  const Solution s = solve(ex::two_step(false), Objective::threshold(), exact_solve(0, -8.0));
  CHECK_NOTHROW(s.action(1, 2.0));
  CHECK_THROWS_WITH(s.action(1, 3.0), Catch::Contains("not reached from the start"));
  CHECK_THROWS_WITH(Solution().value(0, 0.0), Catch::Contains("empty"));
}

TEST_CASE("exact enumeration beyond max_nodes falls back to a grid in auto mode only",
          "[ddp][solver]") {
  const Mdp mdp = ex::random_mdp(4, 3, 3, 0.9, 8, 10);
  SolveOptions o;
  o.start_state = 0;
  o.max_nodes = 50;
  o.atoms = 21;
  o.stock_points = 11;
  WarningLog log;
  const Solution s = solve(mdp, Objective::hinge(1.0, 0.0), o, log.hooks());
  CHECK(s.stock_mode() == StockMode::grid);
  REQUIRE(!log.warnings.empty());
  CHECK_THAT(log.warnings[0], Catch::Contains("max_nodes") || Catch::Contains("more than 50"));
  o.stock_mode = StockMode::exact;
  CHECK_THROWS_AS(solve(mdp, Objective::hinge(1.0, 0.0), o), rddist::data_error);
}

TEST_CASE("the summary for front ends lists the goal, both values and the convergence",
          "[ddp][applications]") {
  const GoalResult r = solve_goal(ex::two_step(true), Goal::cvar(0.5), exact_options());
  const std::vector<SummaryField> f = summary_fields(r);
  auto find = [&](const std::string& key) -> const SummaryField& {
    for (const SummaryField& x : f)
      if (x.key == key) return x;
    FAIL("missing key " << key);
    return f.front();
  };
  CHECK(find("goal").value == "cvar(tau = 0.5)");
  CHECK(find("value").value == "5");
  CHECK(find("value").is_number);
  CHECK(find("true_stock_value").value == "5");
  CHECK(find("start_stock").value == "-10");
  CHECK(find("converged").is_bool);
  CHECK(find("stock_mode").value == "exact");
}

TEST_CASE("goals parse from the short text a command line would pass", "[ddp][applications]") {
  CHECK(parse_goal("mean").kind == GoalKind::mean);
  CHECK(parse_goal("success:8").level == 8.0);
  CHECK(parse_goal("threshold:-1.5").level == -1.5);
  CHECK(parse_goal("cvar:0.25").tau == 0.25);
  const Goal mc = parse_goal("mean_cvar:0.3,0.1");
  CHECK(mc.lambda == 0.3);
  CHECK(mc.tau == 0.1);
  CHECK(parse_goal("homeostatic:7").power == 1.0);
  CHECK(parse_goal("homeostatic:7,2").power == 2.0);
  CHECK(parse_goal("quantile:0.5").kind == GoalKind::quantile);
  CHECK(parse_goal("hinge:1,0,-3").start_stock == -3.0);
  CHECK(parse_goal("exponential:2").utility.kind() == ObjectiveKind::exponential);
  CHECK_THROWS_WITH(parse_goal("cvar"), Catch::Contains("should read 'cvar:TAU'"));
  CHECK_THROWS_WITH(parse_goal("cvar:abc"), Catch::Contains("'abc'"));
  CHECK_THROWS_WITH(parse_goal("cvar:0.5x"), Catch::Contains("not a number"));
  CHECK_THROWS_WITH(parse_goal("median"), Catch::Contains("unknown goal 'median'"));
  CHECK_THROWS_WITH(parse_goal("cvar:2"), Catch::Contains("tau = 2"));
}

TEST_CASE("the expected-return policy matches classic value iteration for small and large MDPs",
          "[ddp][solver][T6]") {
  for (arma::uword S : {6u, 250u}) {
    const Mdp mdp = ex::random_mdp(S, 3, 3, 0.9, 77, 0, 0.1);
    const MeanPolicy mp = solve_mean(mdp);
    // Policy iteration with exact (dense) or iterated (to 1e-14 relative) evaluation:
    // values within 1e-12 of the classic fixed point (|v| < 10).
    CHECK(arma::abs(mp.value.col(0) - classic_values(mdp)).max() <= 1e-11);
  }
}

TEST_CASE("the exact-mode policy table has rows for the states reached in the closed-form region",
          "[ddp][solver][policy_table]") {
  // The mean is solved by the closed form from the start: only the start is enumerated, but
  // the policy decides at s1 too, at the stocks 0 and 10 it reaches.
  const Mdp mdp = ex::two_step(false);
  const Solution s = solve(mdp, Objective::mean(), exact_solve());
  const std::vector<PolicyRow> rows = s.policy_table();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].state == 0);
  CHECK(rows[1].state == 1);
  CHECK(rows[1].stock == 0.0);
  CHECK(rows[2].stock == 10.0);
  for (const PolicyRow& row : rows) CHECK(row.action == s.action(row.state, row.stock, row.time));
  // The hinge with γ = 1 (the kink at 0): the stocks above −G_min are closed-form too.
  const Solution h = solve(mdp, Objective::hinge(2.0, 1.0), exact_solve(0, 30.0));
  bool s1 = false;
  for (const PolicyRow& row : h.policy_table()) s1 = s1 || row.state == 1;
  CHECK(s1);
}
