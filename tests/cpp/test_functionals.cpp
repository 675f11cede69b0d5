// Tests of functionals: Gini parity with R3D, exact answers for simple distributions.
#include <catch2/catch.hpp>

#include "golden.h"
#include "rddist/error.h"
#include "rddist/r3d/functionals.h"

TEST_CASE("Gini index matches R3D on the golden quantile functions", "[functionals]") {
  const golden::Table ref = golden::read("ref_gini.csv");
  const auto names = ref.text("case");
  const arma::vec want = ref.col("gini");
  for (std::size_t k = 0; k < names.size(); ++k) {
    const golden::Table qf = golden::read("ref_gini_qf_" + names[k] + ".csv");
    const arma::mat m = qf.matrix();  // columns q, value
    INFO("case " << names[k]);
    const double g = rddist::gini(m.col(0), m.col(1));
    if (want[k] == 0.0) CHECK(g == 0.0);
    else CHECK(std::fabs(g - want[k]) / want[k] <= 1e-12);
  }
}

TEST_CASE("mean, spread and tail means of a uniform quantile function", "[functionals]") {
  // Q(p) = p on a grid that includes 0 and 1: the trapezoid rule is exact for linear Q.
  const arma::vec q = arma::linspace(0.0, 1.0, 101);
  CHECK(rddist::quantile_mean(q, q) == Approx(0.5).epsilon(1e-14));
  CHECK(rddist::quantile_spread(q, q, 0.1, 0.9) == Approx(0.8).epsilon(1e-14));
  CHECK(rddist::lower_tail_mean(q, q, 0.25) == Approx(0.125).epsilon(1e-14));
  CHECK(rddist::upper_tail_mean(q, q, 0.75) == Approx(0.875).epsilon(1e-14));
  CHECK(rddist::interpolate_quantile(q, q, 0.333) == Approx(0.333).epsilon(1e-14));
}

TEST_CASE("functionals refuse what they cannot compute", "[functionals][errors]") {
  const arma::vec q{0.25, 0.5, 0.75};
  CHECK_THROWS_AS(rddist::gini(q, arma::vec{-3.0, -2.0, -1.0}), rddist::data_error);
  CHECK_THROWS_WITH(rddist::gini(q, arma::vec{1.0, 2.0}), Catch::Contains("differ in length"));
  CHECK_THROWS_AS(rddist::quantile_spread(q, q, 0.9, 0.1), rddist::invalid_argument);
}

TEST_CASE("the distribution function inverts the quantile function on the grid", "[functionals]") {
  // Q(p) = 2 + 3p (uniform on [2, 5]) known on the deciles: linear between grid points, so
  // F(y) = (y − 2)/3 exactly between Q(0.1) = 2.3 and Q(0.9) = 4.7.
  const arma::vec q = arma::regspace(1, 9) / 10.0;
  const arma::vec Q = 2.0 + 3.0 * q;
  for (double y : {2.3, 2.95, 3.5, 4.1, 4.69})
    CHECK(rddist::distribution_at(q, Q, y) == Approx((y - 2.0) / 3.0).epsilon(1e-13));
  // A flat stretch (an atom) counts entirely below its value: F jumps there.
  const arma::vec atom{1.0, 2.0, 2.0, 2.0, 3.0};
  const arma::vec q5{0.1, 0.3, 0.5, 0.7, 0.9};
  CHECK(rddist::distribution_at(q5, atom, 2.0) == Approx(0.7).epsilon(1e-14));
  CHECK(rddist::distribution_at(q5, atom, 1.999) == Approx(0.3 - 0.2 * 0.001).epsilon(1e-12));
  // For a non-monotone curve (a bootstrap draw), F is the measure of {Q <= y}.
  const arma::vec wiggle{1.0, 3.0, 2.0, 4.0, 5.0};
  CHECK(rddist::distribution_at(q5, wiggle, 2.5) ==
        Approx(0.1 + 0.2 * 0.75 + 0.2 * 0.5 + 0.2 * 0.25).epsilon(1e-12));
}
