// Scale and responsiveness of the DDP solver (issue 16): acyclic chains in any state order
// in linear time, exact re-evaluation in memory that follows the widest stage, and
// interrupts answered within a fraction of a second. Timings are in bench/README.md; these
// tests check results, and bound the gap between interrupt polls.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <string>

#include "ddp_examples.h"
#include "rddist/ddp/applications.h"
#include "rddist/error.h"

using namespace rddist::ddp;
namespace ex = ddp_examples;

namespace {

// A chain of n states listed first to last (forward: every transition goes to a later
// row, the order an iterative method finds slowest) or last to first. State k pays +1
// ("up") or, with action "safe", 0; the episode ends after the last state.
Mdp chain(arma::uword n, bool forward) {
  MdpBuilder b;
  for (arma::uword i = 0; i < n; ++i) {
    const arma::uword k = forward ? i : n - 1 - i;
    const std::string next = k + 1 < n ? "c" + std::to_string(k + 1) : std::string();
    const std::optional<std::string> to = next.empty() ? ex::kEnd : std::optional<std::string>(next);
    b.add("c" + std::to_string(k), "up", 1.0, 1.0, to);
    b.add("c" + std::to_string(k), "safe", 1.0, 0.0, to);
  }
  return b.build(1.0);
}

}  // namespace

TEST_CASE("acyclic chains of 100,000 states are solved in either listing order",
          "[ddp][scale]") {
  // An iterative method run in the listed order needs n sweeps of n states on the forward
  // chain (10^10 steps here); the topological passes need one.
  for (bool forward : {true, false}) {
    const Mdp mdp = chain(100000, forward);
    REQUIRE(mdp.acyclic());
    const ReturnBounds b = return_bounds(mdp);
    const arma::uword start = mdp.state_index("c0");
    CHECK(b.hi_at(start, 0) == 100000.0);
    CHECK(b.lo_at(start, 0) == 0.0);
    CHECK(solve_mean(mdp).value(start, 0) == 100000.0);
    GoalOptions o;
    o.solve.start_state = start;
    const GoalResult r = solve_goal(mdp, Goal::success(99999.5), o);
    CHECK(r.value == 1.0);
    CHECK(r.true_stock.value == 1.0);
  }
}

TEST_CASE("exact re-evaluation of a 1,000-step binary chain keeps one stage of nodes",
          "[ddp][scale]") {
  // Reward 0 or 1 with probability 1/2 at each of 1,000 states: 500,500 (state, stock)
  // nodes, and laws of up to 1,001 atoms. Composing per-node laws needed GBs; the forward
  // pass needs the nodes of one state at a time. The return is Binomial(1000, 1/2).
  MdpBuilder b;
  for (int k = 0; k < 1000; ++k) {
    const std::optional<std::string> to =
        k + 1 < 1000 ? std::optional<std::string>("b" + std::to_string(k + 1)) : ex::kEnd;
    b.add("b" + std::to_string(k), "go", 0.5, 0.0, to);
    b.add("b" + std::to_string(k), "go", 0.5, 1.0, to);
  }
  const Mdp mdp = b.build(1.0);
  const ExactEvaluation e = evaluate_exact(
      mdp, [](arma::uword, double, arma::uword) { return arma::uword{0}; }, Objective::mean(), 0,
      0.0);
  CHECK(e.nodes == 500500);
  CHECK(e.returns.size() == 1001);
  // Sums of 2^-1000-scaled binomial weights: the mean 500 to rounding (1e-9).
  CHECK(e.returns.mean() == Approx(500.0).margin(1e-9));
  CHECK(e.value == Approx(500.0).margin(1e-9));
}

TEST_CASE("a DDP solve polls for interrupts at least every 0.25 s and stops when asked",
          "[ddp][scale]") {
  // The work clock polls every 50 ms of work (plus one step); 0.25 s leaves room for a
  // busy machine. Covered: bounds, expected-return policy, value iteration, the grid laws,
  // Monte Carlo.
  const Mdp mdp = ex::random_mdp(80, 4, 3, 0.95, 11);
  double longest = 0.0;
  auto last = std::chrono::steady_clock::now();
  rddist::Hooks hooks;
  hooks.check_interrupt = [&] {
    const auto now = std::chrono::steady_clock::now();
    longest = std::max(longest, std::chrono::duration<double>(now - last).count());
    last = now;
  };
  GoalOptions o;
  o.monte_carlo.episodes = 2000;
  solve_goal(mdp, Goal::cvar(0.25), o, hooks);
  INFO("longest gap between polls " << longest << " s");
  CHECK(longest < 0.25);

  // An interrupt requested 0.2 s into a long solve ends it within a second.
  const Mdp big = ex::random_mdp(300, 4, 3, 0.95, 12);
  const auto started = std::chrono::steady_clock::now();
  rddist::Hooks stop;
  stop.check_interrupt = [&] {
    if (std::chrono::steady_clock::now() - started > std::chrono::milliseconds(200))
      throw rddist::interrupted("interrupted");
  };
  CHECK_THROWS_AS(solve_goal(big, Goal::cvar(0.25), GoalOptions(), stop), rddist::interrupted);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO("stopped after " << took << " s");
  CHECK(took < 1.2);
}
