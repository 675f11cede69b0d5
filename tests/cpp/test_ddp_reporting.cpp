// What a DDP solution reports besides its decisions (issue 16): exact values whatever the
// representation, the automatic representation, laws within their stated error bound,
// warnings that say when an approximation cannot resolve the goal, and the summary's types.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ddp_examples.h"
#include "warning_log.h"
#include "rddist/ddp/applications.h"
#include "rddist/error.h"

using namespace rddist::ddp;
namespace ex = ddp_examples;

namespace {

// One state, one action: reward 3 with probability 0.7, −1 with 0.3 (issue 16).
Mdp three_or_minus_one() {
  MdpBuilder b;
  b.add("s", "a", 0.7, 3.0, ex::kEnd);
  b.add("s", "a", 0.3, -1.0, ex::kEnd);
  return b.build(1.0);
}

GoalOptions with(Representation rep) {
  GoalOptions o;
  o.solve.representation = rep;
  return o;
}

const Representation kAll[] = {Representation::automatic, Representation::exact,
                               Representation::categorical, Representation::quantile};

}  // namespace

TEST_CASE("a return equal to the threshold is a success under every representation",
          "[ddp][reporting]") {
  for (Representation rep : kAll) {
    const GoalResult r = solve_goal(three_or_minus_one(), Goal::success(3.0), with(rep));
    CHECK(r.value == 0.7);
    CHECK(r.true_stock.value == 0.7);
  }
}

TEST_CASE("the README's example is exact with categorical and quantile laws; a law that cannot "
          "resolve the threshold says so", "[ddp][reporting]") {
  const Mdp mdp = ex::two_step(false);  // reward 0 or 10, then safe (0) or gamble (±10)
  for (Representation rep : kAll) {
    CHECK(solve_goal(mdp, Goal::quantile(0.5), with(rep)).value == 10.0);
    const GoalResult s = solve_goal(mdp, Goal::success(10.0), with(rep));
    CHECK(s.value == 0.75);
    CHECK(s.true_stock.value == 0.75);
  }
  WarningLog log;
  GoalOptions o = with(Representation::categorical);
  o.solve.atoms = 12;  // support [−10, 20] in steps of 30/11: 10 lies between atoms 7 and 8
  const GoalResult r = solve_goal(mdp, Goal::success(10.0), o, log.hooks());
  CHECK(r.value == 0.75);
  REQUIRE(log.warnings.size() == 1);
  CHECK_THAT(log.warnings[0], Catch::Contains("b = 10 lies between the atoms 9.09091 and 11.8182") &&
                                  Catch::Contains("dynamic program gives 0.75") &&
                                  Catch::Contains("use {representation=exact}"));
}

TEST_CASE("the automatic representation is exact with exact stocks, categorical on a grid",
          "[ddp][reporting]") {
  CHECK(solve_goal(ex::two_step(true), Goal::cvar(0.5)).solution.representation() ==
        Representation::exact);
  GoalOptions o;
  o.solve.stock_points = 11;
  o.solve.atoms = 11;
  o.monte_carlo.episodes = 100;
  const GoalResult g = solve_goal(ex::gambler(), Goal::mean(), o);
  CHECK(g.solution.representation() == Representation::categorical);
  CHECK(g.solution.stock_mode() == StockMode::grid);
}

TEST_CASE("exact-mode laws are the exact law projected once, within law_error_bound",
          "[ddp][reporting]") {
  const Mdp mdp = ex::random_mdp(4, 2, 3, 0.8, 31, 5, 0.15);
  const Goal goal = Goal::custom(Objective::hinge(1.0, 0.0), -1.0);
  const GoalResult exact = solve_goal(mdp, goal, with(Representation::exact));
  CHECK(exact.law_error_bound == 0.0);
  for (Representation rep : {Representation::categorical, Representation::quantile}) {
    for (arma::uword m : {5u, 21u, 101u}) {
      GoalOptions o = with(rep);
      o.solve.atoms = m;
      const GoalResult r = solve_goal(mdp, goal, o);
      // Decisions do not use the representation: the same value and expected return.
      CHECK(r.value == exact.value);
      CHECK(r.mean == exact.mean);
      const double w1 = wasserstein1(r.returns, exact.returns);
      INFO(to_string(rep) << ", m = " << m << ": W1 " << w1 << ", bound " << r.law_error_bound);
      CHECK(w1 <= r.law_error_bound);
      // One projection: Δ/2 for categorical laws.
      if (rep == Representation::categorical)
        CHECK(r.law_error_bound == r.solution.support().spacing() / 2.0);
    }
  }
  // The DP's expected return is the exact law's mean (sums in another order: 1e-12).
  CHECK(exact.mean == Approx(exact.returns.mean()).margin(1e-12));
}

TEST_CASE("GoalOptions::laws = false skips the laws and changes no value", "[ddp][reporting]") {
  const Mdp mdp = ex::random_mdp(6, 3, 3, 0.9, 4);
  GoalOptions o;
  o.solve.atoms = 31;
  o.solve.stock_points = 31;
  o.monte_carlo.episodes = 500;
  const GoalResult with_laws = solve_goal(mdp, Goal::cvar(0.3), o);
  o.laws = false;
  const GoalResult without = solve_goal(mdp, Goal::cvar(0.3), o);
  CHECK(with_laws.has_laws);
  CHECK_FALSE(without.has_laws);
  CHECK(without.value == with_laws.value);
  CHECK(without.mean == with_laws.mean);
  CHECK(without.start_stock == with_laws.start_stock);
  CHECK(without.true_stock.value == with_laws.true_stock.value);
  // The grid law's mean agrees with the DP's expected return within the law's W1 bound.
  CHECK(std::fabs(with_laws.returns.mean() - with_laws.mean) <= with_laws.law_error_bound);
}

TEST_CASE("a stock grid that rounds a threshold goal's stocks says so", "[ddp][reporting]") {
  WarningLog log;
  GoalOptions o;
  // 21 points on [−2, 2] and the start stock −0.9: (c ± 1)/(1/2) falls between points.
  o.solve.stock_points = 21;
  o.solve.atoms = 21;
  o.monte_carlo.episodes = 1000;
  const GoalResult r = solve_goal(ex::gambler(), Goal::success(0.9), o, log.hooks());
  CHECK(r.solution.rounded() > 0);
  CHECK(log.any("stock look-ups fall between grid points and are rounded"));
  CHECK(log.any("on a stock grid of 22 points (spacing about 0.190476)"));
  // On the dyadic grid of T8 nothing is rounded and nothing is said.
  WarningLog quiet;
  o.solve.stock_grid = arma::regspace(-16.0, 16.0) / 8.0;
  o.solve.atoms = 33;
  CHECK(solve_goal(ex::gambler(), Goal::success(1.0), o, quiet.hooks()).value == 0.5);
  CHECK(quiet.warnings.empty());
}

TEST_CASE("the summary writes counts as integers", "[ddp][reporting]") {
  const GoalResult r = solve_goal(ex::two_step(true), Goal::cvar(0.5));
  for (const SummaryField& f : summary_fields(r)) {
    const bool count = f.key == "iterations" || f.key == "sweeps" || f.key == "nodes" ||
                       f.key == "horizon" || f.key == "states";
    INFO(f.key << " = " << f.value);
    CHECK(f.is_integer == count);
    if (count) CHECK(f.value.find_first_not_of("0123456789") == std::string::npos);
  }
}

TEST_CASE("the grid summary counts the requested stock points and says when the start stock "
          "was added", "[ddp][reporting]") {
  // Rewards 1 and −2 with γ = 1/2: the grid spans [−2, 4], and the start stock 0 falls
  // between two of 201 evenly spaced points, so the grid has 202.
  MdpBuilder b;
  b.add("s", "play", 0.5, 1.0, "s");
  b.add("s", "play", 0.5, -2.0, "s");
  const GoalResult r = solve_goal(b.build(0.5), Goal::mean());
  REQUIRE(r.solution.stock_mode() == StockMode::grid);
  CHECK(r.solution.stock_grid().n_elem == 202);
  std::string points, added;
  for (const SummaryField& f : summary_fields(r)) {
    if (f.key == "stock_points") points = f.value;
    if (f.key == "start_stock_added") added = f.value;
  }
  CHECK(points == "201");
  CHECK(added == "true");
}

TEST_CASE("messages name the refusing function apart from the text, options by token, and "
          "warnings carry no function name", "[ddp][reporting][messages]") {
  // A refused objective: what() names ddp::solve and spells the option for C++; text()
  // keeps the token for the front ends.
  try {
    solve_goal(ex::exponential_trap(), Goal::custom(Objective::exponential(1.0)));
    FAIL("the exponential utility at gamma = 1/2 was not refused");
  } catch (const rddist::invalid_argument& e) {
    CHECK(e.where() == "ddp::solve");
    CHECK(std::string(e.what()).rfind("ddp::solve: refusing objective", 0) == 0);
    CHECK_THAT(e.what(), Catch::Contains("or use SolveOptions::force to solve it"));
    CHECK_THAT(e.text(), Catch::Contains("or use {force} to solve it"));
    CHECK(e.text().find("ddp::solve") == std::string::npos);
  }
  // Forced: the warning names the option by token and no C++ function.
  WarningLog log;
  GoalOptions forced;
  forced.solve.force = true;
  solve_goal(ex::exponential_trap(), Goal::custom(Objective::exponential(1.0)), forced,
             log.hooks());
  CHECK(log.any("solved greedily because of {force}"));
  // Option values are argument errors, whose what() spells the option.
  GoalOptions bad;
  bad.solve.tolerance = 0.0;
  CHECK_THROWS_AS(solve_goal(ex::coin(), Goal::mean(), bad), rddist::argument_error);
  CHECK_THROWS_WITH(solve_goal(ex::coin(), Goal::mean(), bad),
                    "SolveOptions::tolerance must be a positive number");
  bad = GoalOptions();
  bad.solve.max_iterations = 2;
  bad.evaluation = TrueStockMethod::none;
  MdpBuilder lopsided;  // rewards 1 and −2: value iteration needs more than 2 sweeps
  lopsided.add("s", "play", 0.5, 1.0, "s");
  lopsided.add("s", "play", 0.5, -2.0, "s");
  WarningLog slow;
  solve_goal(lopsided.build(0.5), Goal::mean(), bad, slow.hooks());
  REQUIRE_FALSE(slow.warnings.empty());
  for (const std::string& w : slow.warnings) {
    CHECK(w.find("ddp::solve") == std::string::npos);
    CHECK(w.find("solve_goal") == std::string::npos);
  }
  CHECK(slow.any("raise {max_iterations} or {tolerance}"));
  // The node limit of exact enumeration, refused in exact stock mode.
  GoalOptions few;
  few.solve.stock_mode = StockMode::exact;
  few.solve.max_nodes = 2;
  try {
    solve_goal(ex::gambler(6), Goal::success(1.0), few);
    FAIL("exact enumeration beyond max_nodes was not refused");
  } catch (const rddist::data_error& e) {
    CHECK(e.where() == "ddp::solve");
    CHECK_THAT(e.text(), Catch::Contains("raise {max_nodes}"));
    CHECK_THAT(e.what(), Catch::Contains("raise SolveOptions::max_nodes"));
  }
  // Parsers: the function apart from the text.
  try {
    parse_goal("sharpe:1");
    FAIL("an unknown goal was accepted");
  } catch (const rddist::invalid_argument& e) {
    CHECK(e.where() == "parse_goal");
    CHECK(e.text().rfind("unknown goal 'sharpe'", 0) == 0);
  }
}
