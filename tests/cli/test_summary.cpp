// Tests of the --summary text: the levels it shows (the R package's print() rule) and
// that its numbers are the result's.
#include <catch2/catch.hpp>

#include <string>

#include "summary.h"

using rddist::cli::summary_levels;

TEST_CASE("the summary shows the deciles, a short grid whole, or nine levels spread as R does",
          "[summary]") {
  const arma::uvec deciles = summary_levels(arma::regspace(3, 97) / 100.0);
  CHECK(arma::all(deciles == arma::regspace<arma::uvec>(7, 10, 87)));
  CHECK(summary_levels(arma::vec{0.25, 0.5, 0.75}).n_elem == 3);
  // round(seq(1, 95, length.out = 9)) in R, rounding half to even: 1 13 24 36 48 60 72 83 95
  const arma::uvec spread = summary_levels(arma::linspace(0.015, 0.955, 95));  // no deciles
  CHECK(arma::all(spread + 1 == arma::uvec{1, 13, 24, 36, 48, 60, 72, 83, 95}));
  // and of 12 levels: 1 2 4 5 6 8 9 11 12
  const arma::uvec twelve = summary_levels(arma::linspace(0.05, 0.6, 12));
  CHECK(arma::all(twelve + 1 == arma::uvec{1, 2, 4, 5, 6, 8, 9, 11, 12}));
}

TEST_CASE("the summary prints the result's numbers and its tests", "[summary]") {
  rddist::AnalysisResult res;
  rddist::Estimate e;
  e.q_grid = arma::vec{0.25, 0.5, 0.75};
  e.tau = arma::vec{0.125, -0.5, 2.0};
  e.h_num = e.h_num_below = arma::vec(3, arma::fill::value(0.4));
  e.plus.curve = arma::vec{1, 2, 3};
  e.minus.curve = e.plus.curve - e.tau;
  e.n = 100;
  res.estimate = e;
  rddist::BootstrapResult b;
  b.draws = 199;
  b.se = arma::vec{0.1, 0.2, 0.3};
  b.conf_low = b.conf_high = b.band_low = b.band_high = e.tau;
  b.p_value = b.p_value_uniform = arma::vec{0.5, 0.0, 0.01};
  b.crit_val = 2.5;
  b.band = rddist::BandType::studentized;
  b.tests.push_back(rddist::TestResult{rddist::TestType::nullity, 0.25, 0.75, 3, 4.5, 2.4, 0.005});
  res.inference = b;
  const std::string s = rddist::cli::summary_text(res, rddist::AnalysisRequest{});
  CHECK_THAT(s, Catch::Contains("units: 100"));
  CHECK_THAT(s, Catch::Contains("0.125"));
  CHECK_THAT(s, Catch::Contains("<0.00503"));  // a zero share of draws: below 1/B
  CHECK_THAT(s, Catch::Contains("tau +/- 2.5 x se (studentized)"));
  CHECK_THAT(s, Catch::Contains("nullity      q in [0.25, 0.75]: statistic 4.5, p-value 0.005"));
  CHECK(s.find("levels shown") == std::string::npos);
  // Under min-p a test's statistic is its smaller p-value; the Gini test keeps its own.
  b.test_statistic = rddist::TestStatistic::minp;
  b.tests.push_back(rddist::TestResult{rddist::TestType::gini, 0.25, 0.75, 3, 0.25, 0.3, 0.2});
  b.tests[0].statistic = 0.002;
  res.inference = b;
  const std::string m = rddist::cli::summary_text(res, rddist::AnalysisRequest{});
  CHECK_THAT(m, Catch::Contains("Tests (min-p of the sup and Cramer-von Mises statistics):"));
  CHECK_THAT(m, Catch::Contains("nullity      q in [0.25, 0.75]: min-p 0.002, p-value 0.005"));
  CHECK_THAT(m, Catch::Contains("gini         q in [0.25, 0.75]: statistic 0.25"));
}
