// Tests of rng: reproducibility, independence of streams, and the normal distribution.
#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "rddist/rng.h"

using rddist::RandomStream;

TEST_CASE("the same seed and stream give the same draws; others differ", "[rng]") {
  RandomStream a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  for (int k = 0; k < 100; ++k) {
    const double x = a.normal();
    CHECK(x == b.normal());
    CHECK(x != c.normal());
    CHECK(x != d.normal());
  }
}

TEST_CASE("columns of normal_columns are their streams, whatever the threads", "[rng]") {
  const arma::uvec streams{5, 0, 3};
  const arma::mat one = rddist::normal_columns(9, streams, 50, 1);
  const arma::mat two = rddist::normal_columns(9, streams, 50, 2);
  CHECK(arma::approx_equal(one, two, "absdiff", 0.0));
  RandomStream s(9, 3);
  for (arma::uword b = 0; b < 50; ++b) CHECK(one(b, 2) == s.normal());
}

TEST_CASE("normal draws have the moments and distribution of N(0, 1)", "[rng]") {
  // 2 million draws: the sample mean has sd 7e-4, the variance sd 1e-3; bounds are ~5 sd.
  RandomStream s(2024, 1);
  const int n = 2000000;
  std::vector<double> x(n);
  double sum = 0.0, sum2 = 0.0, sum3 = 0.0, sum4 = 0.0;
  for (auto& v : x) {
    v = s.normal();
    sum += v;
    sum2 += v * v;
    sum3 += v * v * v;
    sum4 += v * v * v * v;
  }
  CHECK(std::fabs(sum / n) < 4e-3);
  CHECK(std::fabs(sum2 / n - 1.0) < 6e-3);
  CHECK(std::fabs(sum3 / n) < 1.2e-2);       // sd of the third moment ≈ sqrt(15/n)
  CHECK(std::fabs(sum4 / n - 3.0) < 4e-2);   // sd ≈ sqrt(96/n)
  // Kolmogorov–Smirnov distance: the 0.1% critical value is 1.95/sqrt(n) = 1.4e-3.
  std::sort(x.begin(), x.end());
  const boost::math::normal_distribution<double> phi;
  double ks = 0.0;
  for (int i = 0; i < n; i += 7) {
    const double F = boost::math::cdf(phi, x[i]);
    ks = std::max({ks, std::fabs(F - static_cast<double>(i) / n), std::fabs(F - static_cast<double>(i + 1) / n)});
  }
  CHECK(ks < 1.4e-3);
  // Tails: P(|Z| > 3.6541528853610088), the ziggurat's tail region, is 2.58e-4.
  const double tail = 2.0 * boost::math::cdf(boost::math::complement(phi, 3.6541528853610088));
  const double seen = static_cast<double>(std::count_if(x.begin(), x.end(), [](double v) {
                        return std::fabs(v) > 3.6541528853610088;
                      })) / n;
  CHECK(std::fabs(seen - tail) < 5.0 * std::sqrt(tail / n));
}

TEST_CASE("uniform and exponential draws have the right means", "[rng]") {
  RandomStream s(1, 1);
  double u = 0.0, e = 0.0, lo = 1.0, hi = 0.0;
  const int n = 400000;
  for (int k = 0; k < n; ++k) {
    const double v = s.uniform();
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    u += v;
    e += s.exponential();
  }
  CHECK(lo > 0.0);
  CHECK(hi < 1.0);
  CHECK(std::fabs(u / n - 0.5) < 2.5e-3);  // sd 4.6e-4
  CHECK(std::fabs(e / n - 1.0) < 8e-3);    // sd 1.6e-3
}

#include "rddist/error.h"
#include "rddist/normal.h"

TEST_CASE("the normal quantile function inverts Boost's to full precision", "[normal]") {
  const boost::math::normal_distribution<double> phi;
  for (double p : {1e-300, 1e-20, 1e-8, 0.001, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.95, 0.975,
                   0.999, 1.0 - 1e-12}) {
    INFO("p = " << p);
    CHECK(rddist::normal_quantile(p) == Approx(boost::math::quantile(phi, p)).epsilon(1e-13).margin(1e-15));
  }
  CHECK(rddist::normal_cdf(1.959963984540054) == Approx(0.975).epsilon(1e-14));
  CHECK_THROWS_AS(rddist::normal_quantile(1.0), rddist::invalid_argument);
}
