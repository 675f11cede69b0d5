// Tests of quantiles: parity with R's type 7, type 1 by hand, weighted definitions.
#include <catch2/catch.hpp>

#include "golden.h"
#include "rddist/error.h"
#include "rddist/r3d/quantiles.h"

using rddist::QuantileType;

TEST_CASE("type-7 quantiles match R on the three golden samples and grids", "[quantiles]") {
  const golden::Table ref = golden::read("ref_quantiles.csv");
  const arma::vec cases = ref.col("case"), q = ref.col("q"), value = ref.col("value");
  for (int c = 1; c <= 3; ++c) {
    const arma::vec y = golden::read("ref_quantile_y_" + std::to_string(c) + ".csv").col("y");
    const arma::uvec rows = arma::find(cases == c);
    REQUIRE(rows.n_elem > 0);
    const arma::vec got = rddist::empirical_quantiles(y, q.elem(rows));
    CHECK(golden::max_rel_error(got, value.elem(rows)) <= 1e-12);
  }
}

TEST_CASE("type-1 quantiles are the inverse of the empirical distribution function", "[quantiles]") {
  const arma::vec y{3.0, 1.0, 2.0, 5.0};  // sorted: 1 2 3 5
  const arma::vec q{0.1, 0.25, 0.26, 0.5, 0.75, 0.76, 1.0};
  const arma::vec got = rddist::empirical_quantiles(y, q, QuantileType::type1);
  const arma::vec want{1.0, 1.0, 2.0, 2.0, 3.0, 5.0, 5.0};
  CHECK(arma::approx_equal(got, want, "absdiff", 0.0));
}

TEST_CASE("type 7 interpolates between order statistics", "[quantiles]") {
  const arma::vec y{0.0, 10.0};
  const arma::vec got = rddist::empirical_quantiles(y, arma::vec{0.0, 0.25, 1.0});
  CHECK(got[0] == 0.0);
  CHECK(got[1] == Approx(2.5).epsilon(1e-15));
  CHECK(got[2] == 10.0);
}

TEST_CASE("equal weights reduce the weighted quantiles to the unweighted ones", "[quantiles]") {
  const arma::vec y = golden::read("ref_quantile_y_2.csv").col("y");
  const arma::vec q = arma::linspace(0.01, 0.99, 99);
  for (auto type : {QuantileType::type7, QuantileType::type1}) {
    const arma::vec w(y.n_elem, arma::fill::value(2.5));
    CHECK(arma::approx_equal(rddist::weighted_quantiles(y, w, q, type),
                             rddist::empirical_quantiles(y, q, type), "absdiff", 0.0));
  }
}

TEST_CASE("integer weights act like repeated draws for type 1", "[quantiles]") {
  // Weight 3 on the value 1 is the sample {1, 1, 1, 4}.
  const arma::vec y{1.0, 4.0}, w{3.0, 1.0};
  const arma::vec q{0.2, 0.5, 0.75, 0.8};
  const arma::vec got = rddist::weighted_quantiles(y, w, q, QuantileType::type1);
  const arma::vec want = rddist::empirical_quantiles(arma::vec{1.0, 1.0, 1.0, 4.0}, q,
                                                     QuantileType::type1);
  CHECK(arma::approx_equal(got, want, "absdiff", 0.0));
}

TEST_CASE("weighted type 7 places order statistics at rescaled weight midpoints", "[quantiles]") {
  // Sorted values 0, 1, 2 with weights 1, 2, 1: midpoints 0.5, 2, 3.5 of total 4;
  // p_k = (mid_k - 0.5) / (4 - 0.5 - 0.5) = 0, 0.5, 1.
  const arma::vec y{2.0, 0.0, 1.0}, w{1.0, 1.0, 2.0};
  const arma::vec got = rddist::weighted_quantiles(y, w, arma::vec{0.0, 0.25, 0.5, 0.75, 1.0});
  const arma::vec want{0.0, 0.5, 1.0, 1.5, 2.0};
  CHECK(arma::approx_equal(got, want, "absdiff", 1e-15));
}

TEST_CASE("zero weights drop draws", "[quantiles]") {
  const arma::vec y{1.0, 100.0, 2.0}, w{1.0, 0.0, 1.0};
  const arma::vec q{0.0, 0.5, 1.0};
  CHECK(arma::approx_equal(rddist::weighted_quantiles(y, w, q),
                           rddist::empirical_quantiles(arma::vec{1.0, 2.0}, q), "absdiff", 0.0));
}

TEST_CASE("the quantile matrix names the unit that cannot be used", "[quantiles][errors]") {
  const std::vector<double> a{1.0, 2.0}, b{};
  const std::vector<double> c{1.0, std::numeric_limits<double>::quiet_NaN()};
  const arma::vec q{0.5};
  std::vector<rddist::UnitSample> units{{a.data(), nullptr, a.size()}, {b.data(), nullptr, 0}};
  CHECK_THROWS_WITH(rddist::quantile_matrix(units, q),
                    Catch::Contains("unit 2") && Catch::Contains("no draws"));
  units[1] = {c.data(), nullptr, c.size()};
  CHECK_THROWS_AS(rddist::quantile_matrix(units, q), rddist::data_error);
  CHECK_THROWS_WITH(rddist::quantile_matrix(units, q),  // missing: can be dropped
                    Catch::Contains("unit 2") && Catch::Contains("missing draw (position 2)") &&
                        Catch::Contains("drop the missing draws with drop_missing"));
  const std::vector<double> inf{1.0, std::numeric_limits<double>::infinity()};
  units[1] = {inf.data(), nullptr, inf.size()};  // infinite: never dropped
  CHECK_THROWS_WITH(rddist::quantile_matrix(units, q),
                    Catch::Contains("unit 2") && Catch::Contains("non-finite draw inf (position 2)") &&
                        Catch::Contains("remove or fix"));
  units[1] = {a.data(), c.data(), a.size()};
  CHECK_THROWS_WITH(rddist::quantile_matrix(units, q),
                    Catch::Contains("missing draw weight (position 2)") &&
                        Catch::Contains("drop_missing"));
  const std::vector<double> neg{1.0, -1.0};
  units[1] = {a.data(), neg.data(), a.size()};
  CHECK_THROWS_WITH(rddist::quantile_matrix(units, q), Catch::Contains("weight"));
  CHECK_THROWS_WITH(rddist::empirical_quantiles(arma::vec{1.0}, arma::vec{1.5}),
                    Catch::Contains("[0, 1]"));
}

TEST_CASE("the quantile matrix is the same with one thread or several", "[quantiles]") {
  arma::arma_rng::set_seed(1);
  std::vector<arma::vec> draws;
  for (int i = 0; i < 9000; ++i) draws.push_back(arma::randn(5 + i % 7));
  std::vector<rddist::UnitSample> units;
  for (const auto& d : draws) units.push_back({d.memptr(), nullptr, d.n_elem});
  const arma::vec q = arma::linspace(0.05, 0.95, 19);
  const arma::mat one = rddist::quantile_matrix(units, q, QuantileType::type7, 1);
  const arma::mat three = rddist::quantile_matrix(units, q, QuantileType::type7, 3);
  CHECK(arma::approx_equal(one, three, "absdiff", 0.0));
  CHECK(one(17, 4) == rddist::empirical_quantiles(draws[17], q)[4]);
}

TEST_CASE("weighted quantiles do not depend on the order of tied draws", "[quantiles]") {
  const arma::vec y{1.0, 2.0, 2.0, 3.0}, w{1.0, 0.5, 3.0, 1.0};
  const arma::vec y2{2.0, 3.0, 1.0, 2.0}, w2{3.0, 1.0, 1.0, 0.5};
  const arma::vec q = arma::linspace(0.0, 1.0, 41);
  CHECK(arma::approx_equal(rddist::weighted_quantiles(y, w, q), rddist::weighted_quantiles(y2, w2, q),
                           "absdiff", 0.0));
}
