// Tests of the DDP MDP type: building from labelled rows, validation messages, acyclicity
// and the exact bounds of the return.
#include <catch2/catch.hpp>

#include <cmath>

#include "ddp_examples.h"
#include "rddist/ddp/mdp.h"
#include "rddist/error.h"

using namespace rddist::ddp;
using ddp_examples::kEnd;

TEST_CASE("an MDP built from labelled rows keeps the labels in order of first appearance",
          "[ddp][mdp]") {
  MdpBuilder b;
  b.add("late", "x", 1.0, 2.0, "early");
  b.add("early", "stay", 0.25, 1.0, "early");
  b.add("early", "stay", 0.75, -1.0, kEnd);
  b.add("early", "leave", 1.0, 0.0, kEnd);
  const Mdp mdp = b.build(0.9);
  REQUIRE(mdp.n_states() == 2);
  CHECK(mdp.state_label(0) == "late");
  CHECK(mdp.state_index("early") == 1);
  CHECK(mdp.n_actions(1) == 2);
  CHECK(mdp.action_label(1, 1) == "leave");
  CHECK(mdp.action_index(1, "stay") == 0);
  const auto& o = mdp.outcomes(1, 0);
  REQUIRE(o.size() == 2);
  CHECK(o[0].prob == 0.25);
  CHECK(o[0].next == 1);
  CHECK(o[1].next == kTerminal);
  CHECK(mdp.min_reward() == -1.0);
  CHECK(mdp.max_reward() == 2.0);
  CHECK(mdp.n_outcomes() == 4);
  CHECK_THROWS_WITH(mdp.state_index("nowhere"), Catch::Contains("unknown state 'nowhere'"));
}

TEST_CASE("probabilities that do not sum to one are refused naming the state and action",
          "[ddp][mdp]") {
  MdpBuilder b;
  b.add("s", "a", 0.5, 0.0, kEnd);
  b.add("s", "a", 0.4, 1.0, kEnd);
  CHECK_THROWS_AS(b.build(0.9), rddist::invalid_argument);
  CHECK_THROWS_WITH(b.build(0.9), Catch::Contains("state 's', action 'a'") &&
                                      Catch::Contains("sum to 0.9"));
}

TEST_CASE("probabilities rounded to seven digits are accepted and rescaled to sum to one",
          "[ddp][mdp]") {
  MdpBuilder b;
  for (double r : {1.0, 2.0, 3.0}) b.add("s", "a", 0.3333333, r, kEnd);
  const Mdp mdp = b.build(1.0);
  double sum = 0.0;
  for (const Outcome& o : mdp.outcomes(0, 0)) sum += o.prob;
  // Three equal terms p/(3p) sum to 1 up to one rounding of each division.
  CHECK(std::fabs(sum - 1.0) <= 4e-16);
}

TEST_CASE("row-level problems are refused with the row number", "[ddp][mdp]") {
  {
    MdpBuilder b;
    b.add("s", "a", 1.0, 0.0, "t");
    b.add("s", "b", 1.0, 0.0, "zz");
    b.add("t", "a", 1.0, 0.0, kEnd);
    CHECK_THROWS_WITH(b.build(0.9), Catch::Contains("row 2") && Catch::Contains("next_state 'zz'"));
  }
  {
    MdpBuilder b;
    b.add("s", "a", -0.1, 0.0, kEnd);
    CHECK_THROWS_WITH(b.build(0.9), Catch::Contains("row 1") && Catch::Contains("probability"));
  }
  {
    MdpBuilder b;
    b.add("s", "a", 1.0, std::nan(""), kEnd);
    CHECK_THROWS_WITH(b.build(0.9), Catch::Contains("row 1") && Catch::Contains("not finite"));
  }
  {
    MdpBuilder b;
    b.add("", "a", 1.0, 0.0, kEnd);
    CHECK_THROWS_WITH(b.build(0.9), Catch::Contains("state is empty"));
  }
  CHECK_THROWS_WITH(MdpBuilder().build(0.9), Catch::Contains("no rows"));
}

TEST_CASE("a discount outside (0, 1] is refused", "[ddp][mdp]") {
  MdpBuilder b;
  b.add("s", "a", 1.0, 1.0, kEnd);
  for (double g : {0.0, -0.5, 1.5, std::nan("")})
    CHECK_THROWS_WITH(b.build(g), Catch::Contains("outside (0, 1]"));
  CHECK_NOTHROW(b.build(1.0));
}

TEST_CASE("gamma = 1 needs a horizon or an MDP in which every policy terminates", "[ddp][mdp]") {
  // The gambler can play safe forever.
  MdpBuilder b;
  b.add("s", "safe", 1.0, 0.0, "s");
  b.add("s", "gamble", 0.5, 1.0, "s");
  b.add("s", "gamble", 0.5, -1.0, "s");
  CHECK_THROWS_WITH(b.build(1.0), Catch::Contains("action 'safe' never ends") &&
                                      Catch::Contains("give a horizon"));
  CHECK_NOTHROW(b.build(1.0, 5));
  // A loop left with probability 1/2 at every step terminates surely.
  MdpBuilder c;
  c.add("s", "a", 0.5, 1.0, "s");
  c.add("s", "a", 0.5, 0.0, kEnd);
  CHECK_NOTHROW(c.build(1.0));
}

TEST_CASE("acyclic MDPs are recognised and ordered so that transitions go forward",
          "[ddp][mdp]") {
  const Mdp chain = ddp_examples::chain();
  CHECK(chain.acyclic());
  REQUIRE(chain.topological_order().size() == 3);
  CHECK(chain.topological_order()[0] == 0);
  CHECK(chain.topological_order()[2] == 2);
  CHECK_FALSE(ddp_examples::coin().acyclic());
  CHECK(ddp_examples::median_trap().acyclic());
}

TEST_CASE("return bounds are the exact best and worst path values", "[ddp][mdp]") {
  // Chain: 1 + 2/2 + 3/4 from s0, 2 + 3/2 from s1, 3 from s2; exact in binary.
  const ReturnBounds c = return_bounds(ddp_examples::chain());
  CHECK(c.lo(0, 0) == 2.75);
  CHECK(c.hi(0, 0) == 2.75);
  CHECK(c.hi(1, 0) == 3.5);
  CHECK(c.lo(2, 0) == 3.0);
  // Gambler and coin: ±1 forever at γ = 1/2 gives exactly ±2 (the linear solve of
  // (1 − 1/2)v = ±1 is exact).
  const ReturnBounds g = return_bounds(ddp_examples::gambler());
  CHECK(g.min() == -2.0);
  CHECK(g.max() == 2.0);
  // With a horizon of 3 steps: ±(1 + 1/2 + 1/4), and zero at the horizon.
  const ReturnBounds h = return_bounds(ddp_examples::gambler(3));
  CHECK(h.lo.n_cols == 4);
  CHECK(h.lo(0, 0) == -1.75);
  CHECK(h.hi(0, 1) == 1.5);
  CHECK(h.hi(0, 3) == 0.0);
  // Bandit T2: one step.
  const ReturnBounds t2 = return_bounds(ddp_examples::bandit());
  CHECK(t2.lo(0, 0) == -50.0);
  CHECK(t2.hi(0, 0) == 10.0);
}

TEST_CASE("return bounds of random discounted MDPs, small (dense solves) and large "
          "(iterative), match brute-force path iteration", "[ddp][mdp]") {
  for (arma::uword S : {7u, 250u}) {
  const Mdp mdp = ddp_examples::random_mdp(S, 3, 3, 0.8, 11, 0, 0.2);
  const ReturnBounds b = return_bounds(mdp);
  // Iterate v ← max over (action, outcome) of r + γ v(next) 400 times: the error is
  // below 0.8^400 · 5 ≈ 1e-38 of the fixed point.
  arma::vec lo(S, arma::fill::zeros), hi(S, arma::fill::zeros);
  for (int k = 0; k < 400; ++k) {
    arma::vec nlo(S), nhi(S);
    for (arma::uword x = 0; x < S; ++x) {
      nlo[x] = INFINITY;
      nhi[x] = -INFINITY;
      for (arma::uword a = 0; a < 3; ++a)
        for (const Outcome& o : mdp.outcomes(x, a)) {
          const double tl = o.next == kTerminal ? 0.0 : lo[o.next];
          const double th = o.next == kTerminal ? 0.0 : hi[o.next];
          nlo[x] = std::min(nlo[x], o.reward + 0.8 * tl);
          nhi[x] = std::max(nhi[x], o.reward + 0.8 * th);
        }
    }
    lo = nlo;
    hi = nhi;
  }
  // Dense solves are exact to rounding; the iteration stops at a change of 1e-15
  // relative, within 0.8/0.2·1e-15·5 of the limit: 1e-12 on values of size < 5.
  CHECK(arma::abs(b.lo.col(0) - lo).max() <= 1e-12);
  CHECK(arma::abs(b.hi.col(0) - hi).max() <= 1e-12);
  }
}

TEST_CASE("gamma = 1 with a cycle of non-zero reward has unbounded returns and is refused",
          "[ddp][mdp]") {
  MdpBuilder b;
  b.add("s", "a", 0.5, 1.0, "s");
  b.add("s", "a", 0.5, 0.0, kEnd);
  const Mdp mdp = b.build(1.0);
  CHECK_THROWS_AS(return_bounds(mdp), rddist::data_error);
  CHECK_THROWS_WITH(return_bounds(mdp), Catch::Contains("unbounded"));
}

TEST_CASE("rewards whose returns overflow double precision are refused with the remedy",
          "[ddp][mdp][overflow]") {
  // |r|/(1 − γ) = 1e309 overflows; the exact range is never computed.
  MdpBuilder huge;
  huge.add("s", "play", 0.5, 1e308, "s");
  huge.add("s", "play", 0.5, -1.0, "s");
  CHECK_THROWS_AS(return_bounds(huge.build(0.9)), rddist::data_error);
  CHECK_THROWS_WITH(return_bounds(huge.build(0.9)),
                    Catch::Contains("beyond the largest double") &&
                        Catch::Contains("rescale the rewards"));
  // Finite, but too close to the largest double for the solver's arithmetic.
  MdpBuilder large;
  large.add("s", "a", 1.0, 1e306, kEnd);
  CHECK_THROWS_WITH(return_bounds(large.build(1.0)),
                    Catch::Contains("too large for the solver's double precision arithmetic") &&
                        Catch::Contains("rescale the rewards"));
  // 1e300 over two steps is fine: the bounds are exact.
  MdpBuilder fine;
  fine.add("s0", "go", 1.0, 1e300, "s1");
  fine.add("s1", "go", 1.0, 1e300, kEnd);
  const ReturnBounds b = return_bounds(fine.build(1.0));
  CHECK(b.max() == 2e300);
}
