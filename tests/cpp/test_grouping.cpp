// Tests of the UnitGrouper (grouping.h): long rows to units, key order, the within-unit
// checks and their messages, missing draws, streaming of consecutive rows, row-order
// invariance.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "rddist/error.h"
#include "rddist/r3d/grouping.h"
#include "rddist/r3d/missing_draws.h"
#include "rddist/r3d/quantiles.h"

using Catch::Matchers::Contains;

namespace {

// A small long data set: three units with 3, 1 and 4 draws, rows interleaved. The keys
// are given in an order that is not their byte order.
struct Rows {
  std::vector<std::string> keys{"b", "a", "c"};
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

rddist::GroupingOptions options(bool with_optional = true) {
  rddist::GroupingOptions o;
  o.q_grid = kLevels;
  o.treatment = o.weights = o.cluster = with_optional;
  return o;
}

rddist::GroupedUnits grouped(const Rows& rows, bool with_optional = true,
                             rddist::GroupingOptions o = options()) {
  o.treatment = o.weights = o.cluster = with_optional;
  return rddist::group_units(rows.view(with_optional), rows.keys, o);
}

}  // namespace

TEST_CASE("units come out in byte order of their keys with their columns and counts",
          "[grouping]") {
  const Rows rows;
  const rddist::GroupedUnits g = grouped(rows);
  CHECK(g.keys == std::vector<std::string>{"a", "b", "c"});
  CHECK(arma::all(g.code == arma::uvec{1, 0, 2}));
  CHECK(arma::approx_equal(g.x, arma::vec{0.1, -0.2, 0.5}, "absdiff", 0.0));
  CHECK(arma::approx_equal(g.treatment, arma::vec{1, 0, 1}, "absdiff", 0.0));
  CHECK(arma::all(g.cluster == arma::uvec{1, 0, 1}));
  CHECK(arma::all(g.draws == arma::uvec{1, 3, 4}));
  CHECK(g.rows == 8);
  REQUIRE(g.quantiles.n_rows == 3);
  REQUIRE(g.quantiles.n_cols == kLevels.n_elem);
}

TEST_CASE("each unit's quantiles equal the weighted quantiles of its own draws", "[grouping]") {
  // The grouped rows must give exactly what quantile functions of the separated samples give.
  const Rows rows;
  const rddist::GroupedUnits g = grouped(rows);
  for (arma::uword k = 0; k < 3; ++k) {
    std::vector<double> y, w;
    for (std::size_t r = 0; r < rows.unit.size(); ++r)
      if (rows.unit[r] == static_cast<int>(g.code[k])) {
        y.push_back(rows.y[r]);
        w.push_back(rows.w[r]);
      }
    const arma::vec want = rddist::weighted_quantiles(arma::vec(y), arma::vec(w), kLevels);
    CHECK(arma::approx_equal(g.quantiles.row(k).t(), want, "absdiff", 0.0));
  }
}

TEST_CASE("without weights the unweighted type-7 and type-1 quantiles are used", "[grouping]") {
  const Rows rows;
  for (auto type : {rddist::QuantileType::type7, rddist::QuantileType::type1}) {
    rddist::GroupingOptions o = options(false);
    o.quantile_type = type;
    const rddist::GroupedUnits g = grouped(rows, false, o);
    CHECK(g.treatment.is_empty());
    CHECK(g.cluster.is_empty());
    const arma::vec want = rddist::empirical_quantiles(arma::vec{4.0, 3.0, 6.0, 5.0}, kLevels, type);
    CHECK(arma::approx_equal(g.quantiles.row(2).t(), want, "absdiff", 0.0));
  }
}

TEST_CASE("shuffling the rows changes nothing, to the last bit; streaming gives the same",
          "[grouping]") {
  // Many units with tied draws and unequal weights: the hardest case for order invariance.
  std::mt19937 gen(7);
  std::uniform_int_distribution<int> unit_of(0, 49), value(0, 5);
  std::uniform_real_distribution<double> weight(0.1, 2.0);
  const std::size_t n = 2000;
  std::vector<std::string> keys;
  for (int k = 0; k < 50; ++k) keys.push_back("u" + std::to_string(k));
  std::vector<int> unit(n);
  std::vector<double> x(n), y(n), w(n);
  for (std::size_t r = 0; r < n; ++r) {
    unit[r] = unit_of(gen);
    x[r] = unit[r] / 50.0 - 0.5;
    y[r] = value(gen);
    w[r] = weight(gen);
  }
  rddist::GroupingOptions o;
  o.q_grid = arma::linspace(0.05, 0.95, 19);
  o.weights = true;
  auto grouped_rows = [&](const std::vector<std::size_t>& perm, bool consecutive) {
    rddist::UnitGrouper g([&] {
      rddist::GroupingOptions c = o;
      c.consecutive = consecutive;
      return c;
    }());
    for (const std::string& k : keys) g.add_unit(k);
    for (std::size_t k = 0; k < n; ++k) {
      rddist::RowValues v;
      v.x = x[perm[k]];
      v.y = y[perm[k]];
      v.weight = w[perm[k]];
      g.add_row(static_cast<std::uint32_t>(unit[perm[k]]), k + 1, v);
    }
    return g.finish();
  };
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t(0));
  const rddist::GroupedUnits a = grouped_rows(perm, false);
  std::shuffle(perm.begin(), perm.end(), gen);
  const rddist::GroupedUnits b = grouped_rows(perm, false);
  CHECK(arma::approx_equal(a.quantiles, b.quantiles, "absdiff", 0.0));
  CHECK(arma::approx_equal(a.x, b.x, "absdiff", 0.0));
  CHECK(arma::all(a.draws == b.draws));
  // Rows sorted by unit stream through the consecutive mode with the same result.
  std::stable_sort(perm.begin(), perm.end(), [&](std::size_t i, std::size_t j) { return unit[i] < unit[j]; });
  const rddist::GroupedUnits c = grouped_rows(perm, true);
  CHECK(arma::approx_equal(a.quantiles, c.quantiles, "absdiff", 0.0));
  CHECK(c.keys == a.keys);
  // Shuffled rows in consecutive mode: the first unit that comes back is refused.
  std::shuffle(perm.begin(), perm.end(), gen);
  CHECK_THROWS_AS(grouped_rows(perm, true), rddist::rows_not_consecutive);
}

TEST_CASE("a running variable that varies within a unit names the unit, rows and values",
          "[grouping]") {
  Rows rows;
  rows.x[3] = 0.6;  // unit "c"'s second row
  CHECK_THROWS_AS(grouped(rows), rddist::data_error);
  CHECK_THROWS_WITH(grouped(rows), Contains("row 4: the running variable is not constant within "
                                            "unit 'c': 0.6 here but 0.5 on row 1"));
  // The front end names rows and columns its own way.
  rddist::GroupingOptions named = options(false);
  named.x_name = "column 'margin'";
  rddist::UnitGrouper h(named, [](std::uint64_t r) { return "file.csv:" + std::to_string(r + 1); });
  const std::uint32_t u = h.add_unit(std::string("TX\0" "1990", 7));
  rddist::RowValues v;
  v.x = 0.1;
  h.add_row(u, 1, v);
  v.x = 0.2;
  CHECK_THROWS_WITH(h.add_row(u, 2, v), Contains("file.csv:3: column 'margin' is not constant "
                                                 "within unit 'TX,1990': 0.2 here but 0.1 on "
                                                 "file.csv:2"));
}

TEST_CASE("treatment and cluster must be constant within a unit", "[grouping]") {
  Rows rows;
  rows.t[4] = 1.0;  // unit "b"
  CHECK_THROWS_WITH(grouped(rows), Contains("row 5: the treatment is not constant within unit 'b': "
                                            "1 here but 0 on row 2"));
  rows = Rows();
  rows.cluster[5] = 3;  // unit "c"
  CHECK_THROWS_WITH(grouped(rows), Contains("row 6: the cluster is not constant within unit 'c'"));
}

TEST_CASE("missing draws are counted and refused, or dropped and reported", "[grouping]") {
  Rows rows;
  rows.y[6] = std::nan("");  // unit "b"
  rows.w[3] = std::nan("");  // unit "c"
  CHECK_THROWS_WITH(grouped(rows), Contains("2 draws in 2 units have a missing value (first: "
                                            "row 4, the draw weight, unit 'c')") &&
                                       Contains("drop those draws with drop_missing"));
  rddist::GroupingOptions o = options();
  o.drop_missing = true;
  std::vector<std::string> warnings;
  rddist::Hooks hooks;
  hooks.warning = [&](const std::string& m) { warnings.push_back(m); };
  const rddist::GroupedUnits g = rddist::group_units(rows.view(), rows.keys, o, hooks);
  CHECK(arma::all(g.draws == arma::uvec{1, 2, 3}));
  CHECK(g.rows_dropped == 2);
  CHECK(g.units_with_drops == 2);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("dropped 2 draws with a missing value in 2 units"));
  // A unit whose every draw is dropped is an error naming it.
  Rows lone;
  lone.y[2] = std::nan("");  // unit "a"'s only draw
  CHECK_THROWS_WITH(rddist::group_units(lone.view(), lone.keys, o, hooks),
                    Contains("unit 'a' (first row: row 3) has no draws left"));
}

TEST_CASE("missing draws dropped from per-unit samples give the grouper's units",
          "[grouping]") {
  Rows rows;
  rows.y[6] = std::nan("");  // unit "b"
  rows.w[3] = std::nan("");  // unit "c"
  rddist::GroupingOptions o = options();
  o.drop_missing = true;
  const rddist::GroupedUnits g = rddist::group_units(rows.view(), rows.keys, o);
  // The same units as one sample each, in the grouper's (byte) order a, b, c.
  const std::vector<std::vector<std::size_t>> rows_of{{2}, {1, 4, 6}, {0, 3, 5, 7}};
  std::vector<std::vector<double>> y, w;
  for (const auto& r : rows_of) {
    y.emplace_back();
    w.emplace_back();
    for (std::size_t k : r) {
      y.back().push_back(rows.y[k]);
      w.back().push_back(rows.w[k]);
    }
  }
  std::vector<rddist::UnitSample> units;
  for (std::size_t i = 0; i < y.size(); ++i) units.push_back({y[i].data(), w[i].data(), y[i].size()});
  std::deque<std::vector<double>> storage;
  std::vector<std::string> warnings;
  rddist::Hooks hooks;
  hooks.warning = [&](const std::string& m) { warnings.push_back(m); };
  const rddist::DroppedDraws dropped = rddist::drop_missing_draws(units, storage, hooks);
  CHECK(dropped.draws == 2);
  CHECK(dropped.units == 2);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("dropped 2 draws with a missing value in 2 units") &&
                              Contains("first: unit 2"));
  CHECK(units[0].values == y[0].data());  // untouched units keep their draws in place
  CHECK(units[1].size == 2);
  CHECK(units[2].size == 3);
  const arma::mat q = rddist::quantile_matrix(units, kLevels, rddist::QuantileType::type7);
  CHECK(arma::approx_equal(q, g.quantiles, "absdiff", 1e-12));  // draws of size 1 to 7
  // Nothing missing: nothing copied, no warning. A unit left empty: an error naming it.
  std::vector<rddist::UnitSample> clean{{y[0].data(), nullptr, 1}};
  CHECK(rddist::drop_missing_draws(clean, storage, hooks).draws == 0);
  CHECK(warnings.size() == 1);
  std::vector<double> lone{std::nan(""), std::nan("")};
  std::vector<rddist::UnitSample> empty{{y[0].data(), nullptr, 1}, {lone.data(), nullptr, 2}};
  CHECK_THROWS_WITH(rddist::drop_missing_draws(empty, storage, hooks),
                    Contains("unit 2 has no draws left after drop_missing drops its 2 missing "
                             "draw(s) (1 such unit(s))"));
}

TEST_CASE("bad values and empty units are refused with the row and unit named", "[grouping]") {
  Rows rows;
  rows.y[6] = INFINITY;
  CHECK_THROWS_WITH(grouped(rows), Contains("row 7 (unit 'b'): the outcome is infinite"));
  rows = Rows();
  rows.x[1] = std::nan("");
  CHECK_THROWS_WITH(grouped(rows), Contains("row 2 (unit 'b'): the running variable is missing"));
  rows = Rows();
  rows.w[2] = -1.0;
  CHECK_THROWS_WITH(grouped(rows), Contains("row 3 (unit 'a'): the draw weight -1 is not a finite "
                                            "non-negative number"));
  rows = Rows();
  rows.w[2] = 0.0;  // unit "a"'s only draw
  CHECK_THROWS_WITH(grouped(rows), Contains("unit 'a' (first row: row 3) has draw weights"));
  rows = Rows();
  rows.keys.push_back("d");
  CHECK_THROWS_WITH(grouped(rows), Contains("unit 'd' has no rows"));
  rows = Rows();
  rows.unit[0] = 3;
  CHECK_THROWS_AS(grouped(rows), rddist::argument_error);
  rddist::GroupingOptions o = options();
  o.q_grid = arma::vec{0.5, 1.5};
  CHECK_THROWS_WITH(rddist::UnitGrouper(o), Contains("1.5 is outside [0, 1]"));
}

TEST_CASE("keys are text: numerically equal keys are different units, with a warning",
          "[grouping]") {
  rddist::GroupingOptions o;
  o.q_grid = kLevels;
  std::vector<std::string> warnings;
  rddist::Hooks hooks;
  hooks.warning = [&](const std::string& m) { warnings.push_back(m); };
  rddist::UnitGrouper g(o);
  for (const char* key : {"1", "01", "1.0", "2"}) {
    const std::uint32_t u = g.add_unit(key);
    rddist::RowValues v;
    v.x = u;
    v.y = 1.0;
    g.add_row(u, u + 1, v);
  }
  const rddist::GroupedUnits units = g.finish(hooks);
  CHECK(units.keys == std::vector<std::string>{"01", "1", "1.0", "2"});
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("2 unit keys equal another as numbers but differ as text") &&
                              Contains("'1' and '01'"));
}

TEST_CASE("long keys are shortened in messages", "[grouping]") {
  const std::string key(10000000, 'k');
  const std::string shown = rddist::UnitGrouper::display_key(key);
  CHECK(shown == std::string(60, 'k') + "\u2026(10000000 bytes)");
  const std::string utf8 = std::string(59, 'a') + "\u00e9" + "tail";  // é spans bytes 60-61
  CHECK(rddist::UnitGrouper::display_key(utf8) == std::string(59, 'a') + "\u2026(65 bytes)");
}

TEST_CASE("long work polls for interrupts and reports progress", "[grouping]") {
  const Rows rows;
  int polls = 0, reports = 0;
  rddist::Hooks hooks;
  hooks.check_interrupt = [&] { ++polls; };
  hooks.progress = [&](const std::string&, double) { ++reports; };
  rddist::group_units(rows.view(), rows.keys, options(), hooks);
  CHECK(polls >= 1);
  CHECK(reports >= 1);
  // An interrupt thrown by the hook stops the computation.
  hooks.check_interrupt = [] { throw rddist::interrupted("interrupted"); };
  CHECK_THROWS_AS(rddist::group_units(rows.view(), rows.keys, options(), hooks), rddist::interrupted);
}
