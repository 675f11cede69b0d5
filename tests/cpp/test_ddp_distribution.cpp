// Tests of DDP distributions: summaries, the Cramér and quantile projections (midpoint tie
// rule), distances, and the coin fixed points of example T5 (doc/ddp.md §7).
#include <catch2/catch.hpp>

#include <cmath>

#include "ddp_examples.h"
#include "rddist/ddp/distribution.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/solver.h"
#include "rddist/error.h"

using namespace rddist::ddp;

TEST_CASE("a distribution sorts, combines equal atoms and rejects bad probabilities",
          "[ddp][distribution]") {
  const Distribution d(arma::vec{5.0, -1.0, 10.0, 5.0}, arma::vec{0.25, 0.25, 0.25, 0.25});
  REQUIRE(d.size() == 3);
  CHECK(d.atoms()[0] == -1.0);
  CHECK(d.probs()[1] == 0.5);
  CHECK_THROWS_WITH(Distribution(arma::vec{1.0, 2.0}, arma::vec{0.5, 0.6}),
                    Catch::Contains("sum to 1.1"));
  CHECK_THROWS_WITH(Distribution(arma::vec{1.0, 2.0}, arma::vec{-0.5, 1.5}),
                    Catch::Contains("non-negative"));
  CHECK_THROWS_AS(Distribution(arma::vec{}, arma::vec{}), rddist::invalid_argument);
  CHECK(Distribution().mean() == 0.0);
}

TEST_CASE("summaries of a small law are exact", "[ddp][distribution]") {
  // {−1: 1/4, 5: 1/2, 10: 1/4}: the T10 law of policy b; all numbers exact in binary.
  const Distribution d(arma::vec{-1.0, 5.0, 10.0}, arma::vec{0.25, 0.5, 0.25});
  CHECK(d.mean() == 4.75);
  CHECK(d.cdf(5.0) == 0.75);
  CHECK(d.cdf(4.99) == 0.25);
  CHECK(d.quantile(0.5) == 5.0);
  CHECK(d.quantile(0.25) == -1.0);  // lower quantile: F(−1) = 1/4 reaches τ
  CHECK(d.cvar(0.5) == 2.0);        // (−1/4 + 5/4) / (1/2)
  CHECK(d.cvar(1.0) == d.mean());
  CHECK(d.affine(1.0, 2.0).mean() == 10.5);
}

TEST_CASE("the Cramér projection splits mass linearly and preserves the mean inside the support",
          "[ddp][distribution]") {
  const CategoricalSupport s(0.0, 4.0, 5);  // atoms 0, 1, 2, 3, 4
  const Distribution d(arma::vec{0.25, 2.0, 3.5}, arma::vec{0.5, 0.25, 0.25});
  const Distribution p = project_categorical(d, s);
  REQUIRE(p.size() == 5);
  CHECK(p.probs()[0] == 0.375);   // 3/4 of 0.5
  CHECK(p.probs()[1] == 0.125);   // 1/4 of 0.5
  CHECK(p.probs()[2] == 0.25);
  CHECK(p.probs()[3] == 0.125);
  CHECK(p.probs()[4] == 0.125);
  CHECK(p.mean() == d.mean());
  // E g is kept for g linear between atoms (here |z − 2|, kinked at the atom 2).
  auto g = [](double z) { return std::fabs(z - 2.0); };
  CHECK(p.expect(g) == d.expect(g));
  // Mass outside the support goes to the end atoms.
  const Distribution out = project_categorical(Distribution(arma::vec{-3.0, 9.0}, arma::vec{0.5, 0.5}), s);
  CHECK(out.probs()[0] == 0.5);
  CHECK(out.probs()[4] == 0.5);
}

TEST_CASE("the quantile projection takes the midpoint when the CDF hits a level exactly",
          "[ddp][distribution]") {
  // {0, 1} with mass 1/2: one atom at level 1/2 is a tie, resolved at 0.5.
  const Distribution coin(arma::vec{0.0, 1.0}, arma::vec{0.5, 0.5});
  CHECK(project_quantile(coin, 1).atoms()[0] == 0.5);
  // Two atoms at levels 1/4 and 3/4: no tie.
  const Distribution two = project_quantile(coin, 2);
  CHECK(two.atoms()[0] == 0.0);
  CHECK(two.atoms()[1] == 1.0);
  // Eight atoms of mass 1/8 onto four levels 1/8, 3/8, 5/8, 7/8: every level is a tie
  // (this is one step of the T5 iteration).
  const arma::vec z{-1.75, -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75};
  const Distribution q = project_quantile(Distribution(z, arma::vec(8, arma::fill::value(0.125))), 4);
  CHECK(arma::approx_equal(q.atoms(), arma::vec{-1.5, -0.5, 0.5, 1.5}, "absdiff", 0.0));
  // Ties of the CDF computed from decimal masses (0.1 + 0.1 + 0.1 != 0.3 in binary) are
  // still recognised.
  arma::vec z10 = arma::linspace(-1.8, 1.8, 10);
  const Distribution tenths(z10, arma::vec(10, arma::fill::value(0.1)));
  const Distribution q5 = project_quantile(tenths, 5);
  for (arma::uword i = 0; i < 5; ++i)
    CHECK(q5.atoms()[i] == Approx(0.5 * (z10[2 * i] + z10[2 * i + 1])).margin(1e-15));
}

TEST_CASE("W1 and Cramér distances of simple laws are exact", "[ddp][distribution]") {
  const Distribution a = Distribution::dirac(0.0), b = Distribution::dirac(1.0);
  CHECK(wasserstein1(a, b) == 1.0);
  CHECK(cramer(a, b) == 1.0);
  const Distribution c(arma::vec{0.0, 1.0}, arma::vec{0.5, 0.5});
  const Distribution h = Distribution::dirac(0.5);
  CHECK(wasserstein1(c, h) == 0.5);
  CHECK(cramer(c, h) == 0.5);  // sqrt(0.5·0.25 + 0.5·0.25)
  CHECK(wasserstein1(c, c) == 0.0);
}

TEST_CASE("atoms closer than the tolerance merge at a computed value, not at their mean",
          "[ddp][distribution]") {
  const Distribution d(arma::vec{1.0, 1.0 + 1e-14, 2.0}, arma::vec{0.25, 0.5, 0.25});
  const Distribution m = merge_atoms(d, 1e-12);
  REQUIRE(m.size() == 2);
  CHECK(m.probs()[0] == 0.75);
  CHECK(m.atoms()[0] == 1.0 + 1e-14);  // the most probable atom of the run, as it was
  // The mean moves by 0.25·1e-14 (mass 0.25 moved by 1e-14), plus the rounding of the two
  // means (about 1.5, ulp 2.2e-16 each).
  CHECK(std::fabs(m.mean() - d.mean()) <= 0.25e-14 + 2 * 2.3e-16);
  CHECK(merge_atoms(d, 0.0).size() == 3);
  // A single atom keeps its value exactly: (0.7·3)/0.7 would be 2.9999999999999996.
  const Distribution one(arma::vec{3.0, -1.0}, arma::vec{0.7, 0.3});
  CHECK(merge_atoms(one, 1e-12).atoms()[1] == 3.0);
  CHECK(0.7 * 3.0 / 0.7 != 3.0);
}

namespace {

// Fixed point of the coin MDP (γ = 1/2) by iterating Π T to a sup-W1 change of 1e-15.
Distribution coin_fixed_point(Representation rep, arma::uword m) {
  const Mdp coin = ddp_examples::coin();
  const arma::umat policy(1, 1, arma::fill::zeros);
  const StockBlindLaws laws =
      evaluate_stock_blind(coin, policy, rep, CategoricalSupport(-2.0, 2.0, std::max<arma::uword>(m, 2)), m, 1e-15);
  REQUIRE(laws.converged);
  return laws.at(0);
}

}  // namespace

TEST_CASE("T5: the categorical fixed point of the coin has end atoms 1/(2(m-1)), inner 1/(m-1)",
          "[ddp][distribution][T5]") {
  for (arma::uword m : {3u, 5u, 11u, 41u}) {
    const Distribution d = coin_fixed_point(Representation::categorical, m);
    REQUIRE(d.size() == m);
    arma::vec expected(m, arma::fill::value(1.0 / (m - 1)));
    expected[0] = expected[m - 1] = 0.5 / (m - 1);
    // Iterated to a W1 change of 1e-15; at rate γ = 1/2 the distance to the fixed point is
    // below 1e-15, so each probability is within 1e-15/Δ ≤ 1e-14 (Δ = 4/(m−1) >= 0.1).
    CHECK(arma::abs(d.probs() - expected).max() <= 1e-13);
  }
}

TEST_CASE("T5: the quantile fixed points of the coin are (±1.5, ±0.5) and (0, ±0.8, ±1.6)",
          "[ddp][distribution][T5]") {
  const Distribution q4 = coin_fixed_point(Representation::quantile, 4);
  // Reached exactly in three steps from δ_0 (all numbers dyadic).
  CHECK(arma::approx_equal(q4.atoms(), arma::vec{-1.5, -0.5, 0.5, 1.5}, "absdiff", 0.0));
  const Distribution q5 = coin_fixed_point(Representation::quantile, 5);
  REQUIRE(q5.size() == 5);
  // Geometric convergence to a W1 change of 1e-15 (mean absolute atom change): each atom
  // is within 5e-15·2 of the limit; 1e-13 leaves room for the decimal rounding of 0.8.
  CHECK(arma::abs(q5.atoms() - arma::vec{-1.6, -0.8, 0.0, 0.8, 1.6}).max() <= 1e-13);
}

TEST_CASE("T5: without the midpoint rule the quantile iteration of the coin is biased",
          "[ddp][distribution][T5]") {
  // Lower quantiles at the levels (2i−1)/8, the W1 projection without the tie rule.
  arma::vec theta(4, arma::fill::zeros);
  for (int k = 0; k < 60; ++k) {
    arma::vec z(8);
    for (arma::uword j = 0; j < 4; ++j) {
      z[j] = -1.0 + 0.5 * theta[j];
      z[j + 4] = 1.0 + 0.5 * theta[j];
    }
    const Distribution next(z, arma::vec(8, arma::fill::value(0.125)));
    for (arma::uword i = 0; i < 4; ++i) theta[i] = next.quantile((2.0 * i + 1.0) / 8.0);
  }
  // The true law is symmetric with mean 0; the lower-quantile rule drifts down.
  CHECK(arma::mean(theta) < -0.1);
  CHECK(coin_fixed_point(Representation::quantile, 4).mean() == 0.0);
}
