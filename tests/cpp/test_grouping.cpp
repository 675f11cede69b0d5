// Tests of group_units: long rows to units, the within-unit checks, row-order invariance.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "rddist/error.h"
#include "rddist/r3d/grouping.h"
#include "rddist/r3d/quantiles.h"

namespace {

// A small long data set: three units with 3, 1 and 4 draws, rows interleaved.
struct Rows {
  std::vector<int> unit{2, 0, 1, 2, 0, 2, 0, 2};
  std::vector<double> x{0.5, -0.2, 0.1, 0.5, -0.2, 0.5, -0.2, 0.5};
  std::vector<double> y{4.0, 1.0, 7.0, 3.0, 2.0, 6.0, 0.5, 5.0};
  std::vector<double> t{1, 0, 1, 1, 0, 1, 0, 1};
  std::vector<double> w{1.0, 2.0, 1.0, 0.5, 1.0, 3.0, 1.0, 1.0};
  std::vector<int> cluster{1, 0, 1, 1, 0, 1, 0, 1};

  rddist::LongData view(bool with_optional = true) const {
    rddist::LongData d;
    d.rows = unit.size();
    d.unit = unit.data();
    d.x = x.data();
    d.y = y.data();
    if (with_optional) {
      d.treatment = t.data();
      d.weight = w.data();
      d.cluster = cluster.data();
    }
    return d;
  }
};

const arma::vec kLevels{0.1, 0.25, 0.5, 0.75, 0.9};

}  // namespace

TEST_CASE("units come out in code order with their unit-level columns and counts", "[grouping]") {
  const Rows rows;
  const rddist::GroupedUnits g = rddist::group_units(rows.view(), 3, kLevels);
  CHECK(arma::approx_equal(g.x, arma::vec{-0.2, 0.1, 0.5}, "absdiff", 0.0));
  CHECK(arma::approx_equal(g.treatment, arma::vec{0, 1, 1}, "absdiff", 0.0));
  CHECK(arma::all(g.cluster == arma::ivec{0, 1, 1}));
  CHECK(arma::all(g.draws == arma::uvec{3, 1, 4}));
  REQUIRE(g.quantiles.n_rows == 3);
  REQUIRE(g.quantiles.n_cols == kLevels.n_elem);
}

TEST_CASE("each unit's quantiles equal the weighted quantiles of its own draws", "[grouping]") {
  // The grouped rows must give exactly what quantile functions of the separated samples give.
  const Rows rows;
  const rddist::GroupedUnits g = rddist::group_units(rows.view(), 3, kLevels);
  for (int u = 0; u < 3; ++u) {
    std::vector<double> y, w;
    for (std::size_t r = 0; r < rows.unit.size(); ++r)
      if (rows.unit[r] == u) {
        y.push_back(rows.y[r]);
        w.push_back(rows.w[r]);
      }
    const arma::vec want = rddist::weighted_quantiles(arma::vec(y), arma::vec(w), kLevels);
    CHECK(arma::approx_equal(g.quantiles.row(u).t(), want, "absdiff", 0.0));
  }
}

TEST_CASE("without weights the unweighted type-7 and type-1 quantiles are used", "[grouping]") {
  const Rows rows;
  for (auto type : {rddist::QuantileType::type7, rddist::QuantileType::type1}) {
    const rddist::GroupedUnits g = rddist::group_units(rows.view(false), 3, kLevels, type);
    CHECK(g.treatment.is_empty());
    CHECK(g.cluster.is_empty());
    const arma::vec want = rddist::empirical_quantiles(arma::vec{4.0, 3.0, 6.0, 5.0}, kLevels, type);
    CHECK(arma::approx_equal(g.quantiles.row(2).t(), want, "absdiff", 0.0));
  }
}

TEST_CASE("shuffling the rows changes nothing, to the last bit", "[grouping]") {
  // Many units with tied draws and unequal weights: the hardest case for order invariance.
  std::mt19937 gen(7);
  std::uniform_int_distribution<int> unit_of(0, 49), value(0, 5);
  std::uniform_real_distribution<double> weight(0.1, 2.0);
  const std::size_t n = 2000;
  std::vector<int> unit(n);
  std::vector<double> x(n), y(n), w(n);
  for (std::size_t r = 0; r < n; ++r) {
    unit[r] = unit_of(gen);
    x[r] = unit[r] / 50.0 - 0.5;
    y[r] = value(gen);
    w[r] = weight(gen);
  }
  auto grouped = [&](const std::vector<std::size_t>& perm) {
    std::vector<int> u2(n);
    std::vector<double> x2(n), y2(n), w2(n);
    for (std::size_t k = 0; k < n; ++k) {
      u2[k] = unit[perm[k]];
      x2[k] = x[perm[k]];
      y2[k] = y[perm[k]];
      w2[k] = w[perm[k]];
    }
    rddist::LongData d;
    d.rows = n;
    d.unit = u2.data();
    d.x = x2.data();
    d.y = y2.data();
    d.weight = w2.data();
    return rddist::group_units(d, 50, arma::linspace(0.05, 0.95, 19));
  };
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t(0));
  const rddist::GroupedUnits a = grouped(perm);
  std::shuffle(perm.begin(), perm.end(), gen);
  const rddist::GroupedUnits b = grouped(perm);
  CHECK(arma::approx_equal(a.quantiles, b.quantiles, "absdiff", 0.0));
  CHECK(arma::approx_equal(a.x, b.x, "absdiff", 0.0));
  CHECK(arma::all(a.draws == b.draws));
}

TEST_CASE("a running variable that varies within a unit names the unit, rows and values",
          "[grouping]") {
  Rows rows;
  rows.x[3] = 0.6;  // unit 2's second row
  const auto label = [](std::size_t code) { return std::string("state-") + std::to_string(code); };
  auto labelled = [&] {
    return rddist::group_units(rows.view(), 3, kLevels, rddist::QuantileType::type7, 1,
                               rddist::Hooks(), label, "r3d");
  };
  CHECK_THROWS_AS(labelled(), rddist::data_error);
  CHECK_THROWS_WITH(labelled(), Catch::Matchers::Contains("r3d: the running variable is not constant "
                                                          "within unit \"state-2\": row 1 has 0.5 "
                                                          "but row 4 has 0.6"));
  // Without labels the unit is named by its position, counted from 1.
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, kLevels),
                    Catch::Matchers::Contains("within unit 3: row 1"));
}

TEST_CASE("treatment and cluster must be constant within a unit", "[grouping]") {
  Rows rows;
  rows.t[4] = 1.0;  // unit 0
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, kLevels),
                    Catch::Matchers::Contains("the treatment is not constant within unit 1: row 2 has 0 but row 5 has 1"));
  rows = Rows();
  rows.cluster[5] = 3;  // unit 2
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, kLevels),
                    Catch::Matchers::Contains("cluster is not constant within unit 3: rows 1 and 6"));
}

TEST_CASE("bad rows and empty units are refused with the row and unit named", "[grouping]") {
  Rows rows;
  rows.y[6] = std::nan("");
  CHECK_THROWS_AS(rddist::group_units(rows.view(), 3, kLevels), rddist::data_error);
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, kLevels),
                    Catch::Matchers::Contains("row 7 (unit 1) has a missing or non-finite outcome"));
  rows = Rows();
  rows.w[2] = -1.0;
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, kLevels),
                    Catch::Matchers::Contains("row 3 (unit 2) has the invalid draw weight -1"));
  rows = Rows();
  rows.w[2] = 0.0;  // unit 1's only draw
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, kLevels),
                    Catch::Matchers::Contains("unit 2 has draw weights that are all zero"));
  rows = Rows();
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 4, kLevels),
                    Catch::Matchers::Contains("unit 4 has no rows"));
  rows.unit[0] = 3;
  CHECK_THROWS_AS(rddist::group_units(rows.view(), 3, kLevels), rddist::invalid_argument);
  CHECK_THROWS_WITH(rddist::group_units(rows.view(), 3, arma::vec{0.5, 1.5}),
                    Catch::Matchers::Contains("level 2 is 1.5"));
}

TEST_CASE("long work polls for interrupts and reports progress", "[grouping]") {
  const Rows rows;
  int polls = 0, reports = 0;
  rddist::Hooks hooks;
  hooks.check_interrupt = [&] { ++polls; };
  hooks.progress = [&](const std::string&, double) { ++reports; };
  rddist::group_units(rows.view(), 3, kLevels, rddist::QuantileType::type7, 1, hooks);
  CHECK(polls >= 1);
  CHECK(reports >= 1);
  // An interrupt thrown by the hook stops the computation.
  hooks.check_interrupt = [] { throw rddist::interrupted("group_units: interrupted"); };
  CHECK_THROWS_AS(rddist::group_units(rows.view(), 3, kLevels, rddist::QuantileType::type7, 1, hooks),
                  rddist::interrupted);
}
