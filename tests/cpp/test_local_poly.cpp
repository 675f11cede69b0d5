// Tests of local_poly: parity with R3D's fits (coefficients and intercept weights) and
// the algebra of intercept weights.
#include <catch2/catch.hpp>

#include "golden.h"
#include "rddist/error.h"
#include "rddist/r3d/local_poly.h"

using rddist::Kernel;
using rddist::Side;

TEST_CASE("one-sided fits match R3D's coefficients and weights for every kernel", "[local_poly]") {
  const arma::mat data = golden::read("ref_data_sharp_simple_20.csv").matrix();
  const arma::vec x = data.col(0);
  const arma::mat Q = data.cols(1, data.n_cols - 1);
  for (const char* name : {"triangular", "epanechnikov", "uniform"}) {
    const Kernel kernel = rddist::parse_kernel(name);
    const arma::vec h = golden::read(std::string("ref_locpoly_bw_") + name + ".csv").col("h");
    REQUIRE(h.n_elem == Q.n_cols);
    for (Side side : {Side::above, Side::below}) {
      const std::string tag = std::string(side == Side::above ? "plus_" : "minus_") + name;
      const arma::mat alpha = golden::read("ref_locpoly_alpha_" + tag + ".csv").matrix();
      const arma::mat w = golden::read("ref_locpoly_w_" + tag + ".csv").matrix();
      arma::mat got_alpha(alpha.n_rows, Q.n_cols), got_w(x.n_elem, Q.n_cols);
      for (arma::uword j = 0; j < Q.n_cols; ++j) {
        const auto fit = rddist::fit_local_poly(x, Q.col(j), side, h[j], 2, kernel);
        got_alpha.col(j) = fit.coef;
        got_w.col(j) = fit.full_weights(x.n_elem);
      }
      INFO("file set " << tag);
      CHECK(golden::max_rel_error(got_alpha, alpha) <= 1e-8);
      CHECK(golden::max_rel_error(got_w, w) <= 1e-8);
    }
  }
}

TEST_CASE("intercept weights reproduce polynomials exactly", "[local_poly]") {
  // Weights of an order-p fit sum to one and annihilate u, ..., u^p: a polynomial of
  // degree p in x is fitted without error.
  arma::arma_rng::set_seed(7);
  const arma::vec x = arma::randu(300) * 2.0 - 1.0;
  const arma::mat y = 1.0 + 2.0 * x - 3.0 * arma::square(x);
  for (Side side : {Side::above, Side::below}) {
    const auto fit = rddist::fit_local_poly(x, y, side, 0.7, 2, Kernel::epanechnikov);
    CHECK(arma::accu(fit.intercept_w) == Approx(1.0).epsilon(1e-12));
    CHECK(arma::dot(fit.intercept_w, fit.u) == Approx(0.0).margin(1e-12));
    CHECK(fit.coef(0, 0) == Approx(1.0).epsilon(1e-12));
    CHECK(fit.coef(1, 0) == Approx(2.0 * 0.7).epsilon(1e-12));  // coefficient on u = x/h
    CHECK(fit.coef(2, 0) == Approx(-3.0 * 0.49).epsilon(1e-12));
    CHECK(arma::approx_equal(fit.fitted(), y.rows(fit.units), "absdiff", 1e-12));
  }
}

TEST_CASE("the window includes x = 0 above and |u| = 1 for the uniform kernel", "[local_poly]") {
  const arma::vec x{-1.0, -0.5, -0.25, 0.0, 0.5, 1.0};
  const auto above = rddist::fit_local_poly(x, arma::mat(), Side::above, 1.0, 1, Kernel::uniform);
  CHECK(arma::approx_equal(above.units, arma::uvec{3, 4, 5}, "absdiff", 0));
  const auto below = rddist::fit_local_poly(x, arma::mat(), Side::below, 1.0, 1, Kernel::uniform);
  CHECK(arma::approx_equal(below.units, arma::uvec{0, 1, 2}, "absdiff", 0));
  // The triangular kernel gives |u| = 1 zero weight, so x = -1 drops out.
  const auto tri = rddist::fit_local_poly(x, arma::mat(), Side::below, 1.0, 1, Kernel::triangular);
  CHECK(tri.units.n_elem == 2);
}

TEST_CASE("too few distinct x in the window is an error naming side, bandwidth and count",
          "[local_poly][errors]") {
  const arma::vec x{-0.9, -0.1, -0.1, 0.1, 0.2, 0.3};
  CHECK_THROWS_AS(rddist::fit_local_poly(x, arma::mat(), Side::below, 0.5, 1, Kernel::triangular),
                  rddist::data_error);
  CHECK_THROWS_WITH(
      rddist::fit_local_poly(x, arma::mat(), Side::below, 0.5, 1, Kernel::triangular),
      Catch::Contains("only 1 distinct") && Catch::Contains("below") &&
          Catch::Contains("h = 0.5"));
  CHECK_NOTHROW(rddist::fit_local_poly(x, arma::mat(), Side::above, 0.5, 2, Kernel::triangular));
  CHECK_THROWS_AS(rddist::fit_local_poly(x, arma::mat(), Side::above, -1.0, 2, Kernel::uniform),
                  rddist::invalid_argument);
}

TEST_CASE("a nearly singular window is refused with its condition number", "[local_poly][errors]") {
  // Three distinct x above the cutoff, two of them 1e-9 apart: a quadratic through them
  // exists, but its intercept is rounding noise amplified by ~1e18.
  const arma::vec x{-0.5, -0.3, -0.2, -0.1, 0.1, 0.1 + 1e-9, 0.4};
  const arma::mat y = arma::mat(x.n_elem, 1, arma::fill::ones) + x;
  CHECK_THROWS_AS(rddist::fit_local_poly(x, y, Side::above, 0.8, 2, Kernel::triangular),
                  rddist::numerical_error);
  CHECK_THROWS_WITH(rddist::fit_local_poly(x, y, Side::above, 0.8, 2, Kernel::triangular),
                    Catch::Contains("nearly singular") && Catch::Contains("condition number"));
  // A linear fit through the same points is well conditioned, and so is the quadratic
  // once the two close values are apart.
  CHECK_NOTHROW(rddist::fit_local_poly(x, y, Side::above, 0.8, 1, Kernel::triangular));
  arma::vec spread = x;
  spread[5] = 0.25;
  CHECK_NOTHROW(rddist::fit_local_poly(spread, y, Side::above, 0.8, 2, Kernel::triangular));
}
