// Tests of the long-format reader: grouping, key order, both read modes, per-unit checks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

#include "long_data.h"
#include "cli_errors.h"
#include "quantile_data.h"
#include "rddist/error.h"
#include "rddist/r3d/quantiles.h"
#include "temp_file.h"

using namespace rddist::cli;

namespace {

LongReadOptions options_for(const std::string& path, RowOrder order = RowOrder::automatic) {
  LongReadOptions o;
  o.path = path;
  o.order = order;
  o.q_grid = arma::vec{0.25, 0.5, 0.75};
  return o;
}

UnitTable read(const std::string& content, LongReadOptions o,
               std::vector<std::string>* warnings = nullptr) {
  TempFile f(content);
  o.path = f.path();
  rddist::Hooks hooks;
  if (warnings) hooks.warning = [warnings](const std::string& m) { warnings->push_back(m); };
  return read_long_data(o, hooks);
}

// Draws of 40 units with 5 to 12 draws each, rows grouped by unit.
std::vector<std::string> grouped_rows() {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<std::string> rows;
  for (int i = 0; i < 40; ++i) {
    const double x = u(gen);
    const int draws = 5 + i % 8;
    for (int k = 0; k < draws; ++k) {
      std::ostringstream line;
      line.precision(17);
      line << "k" << (i * 37) % 40 << "," << x << "," << (x + u(gen)) << "\n";
      rows.push_back(line.str());
    }
  }
  return rows;
}

std::string join(const std::vector<std::string>& rows) {
  std::string s = "unit,x,y\n";
  for (const auto& r : rows) s += r;
  return s;
}

void same_table(const UnitTable& a, const UnitTable& b) {
  REQUIRE(a.keys == b.keys);
  CHECK(arma::approx_equal(a.x, b.x, "absdiff", 0.0));
  CHECK(arma::approx_equal(a.quantiles, b.quantiles, "absdiff", 0.0));
}

}  // namespace

TEST_CASE("rows in any order give the same units, in key order", "[long]") {
  std::vector<std::string> rows = grouped_rows();
  const UnitTable grouped = read(join(rows), options_for(""));
  CHECK(grouped.summary.read_mode == "grouped");
  REQUIRE(grouped.keys.size() == 40);
  CHECK(std::is_sorted(grouped.keys.begin(), grouped.keys.end()));
  std::shuffle(rows.begin(), rows.end(), std::mt19937_64(3));
  const UnitTable shuffled = read(join(rows), options_for(""));
  CHECK(shuffled.summary.read_mode == "any-order");  // detected, then read again
  same_table(grouped, shuffled);
  same_table(grouped, read(join(grouped_rows()), options_for("", RowOrder::any)));
}

TEST_CASE("per-unit quantiles are the core's type-7 quantiles of the unit's draws", "[long]") {
  const UnitTable t = read("unit,x,y\nb,0.5,4\na,-0.5,1\nb,0.5,2\na,-0.5,3\na,-0.5,2\n",
                           options_for(""));
  REQUIRE(t.keys == std::vector<std::string>{"a", "b"});
  CHECK(t.x[0] == -0.5);
  const arma::vec qa = rddist::empirical_quantiles(arma::vec{1, 3, 2}, t.q_grid);
  CHECK(arma::approx_equal(t.quantiles.row(0).t(), qa, "absdiff", 0.0));
  CHECK(t.quantiles(1, 1) == 3.0);  // median of {4, 2}
}

TEST_CASE("several id columns form one key; treatment, weight and cluster are carried", "[long]") {
  LongReadOptions o = options_for("");
  o.columns.id = {"state", "year"};
  o.columns.treatment = "t";
  o.columns.weight = "w";
  o.columns.cluster = "state";
  const UnitTable t = read(
      "state,year,x,y,t,w\n"
      "CT,1990,0.2,1,1,1\nCT,1986,-0.1,5,FALSE,2\nCT,1990,0.2,3,1,1\nAL,1990,0.4,2,TRUE,0\n"
      "AL,1990,0.4,7,1,1\nCT,1986,-0.1,6,0,2\n",
      o);
  REQUIRE(t.keys == std::vector<std::string>{"AL,1990", "CT,1986", "CT,1990"});
  CHECK(arma::approx_equal(t.treatment, arma::vec{1, 0, 1}, "absdiff", 0.0));
  // Cluster codes: the state of AL's unit differs from the (common) state of CT's two units.
  CHECK(t.cluster[1] == t.cluster[2]);
  CHECK(t.cluster[0] != t.cluster[1]);
  CHECK(t.n_clusters == 2);
  CHECK(t.quantiles(0, 1) == 7.0);  // AL's draw 2 has weight 0
}

TEST_CASE("--sorted streams grouped rows and refuses a unit that comes back", "[long][errors]") {
  const std::string grouped = join(grouped_rows());
  same_table(read(grouped, options_for("", RowOrder::grouped)), read(grouped, options_for("")));
  CHECK_THROWS_WITH(read("unit,x,y\na,0,1\nb,1,2\na,0,3\n", options_for("", RowOrder::grouped)),
                    Catch::Contains(":4: unit 'a' appears again after its rows ended on ") &&
                        Catch::Contains(":2; the rows of each unit must be consecutive (--sorted"));
}

TEST_CASE("values that vary within a unit are refused with both values and lines", "[long][errors]") {
  CHECK_THROWS_WITH(read("unit,x,y\na,0.5,1\na,0.25,2\n", options_for("")),
                    Catch::Contains(":3: column 'x' is not constant within unit 'a': 0.25 here "
                                    "but 0.5 on ") && Catch::Contains(":2; it must take one value per unit"));
  LongReadOptions o = options_for("");
  o.columns.cluster = "c";
  CHECK_THROWS_WITH(read("unit,x,y,c\na,0.5,1,g1\na,0.5,2,g2\n", o),
                    Catch::Contains("column 'c' is not constant within unit 'a'"));
}

TEST_CASE("missing outcomes: counted and refused, or dropped on request", "[long][errors]") {
  const std::string missing = "unit,x,y\na,0,1\na,0,NA\nb,1,\nb,1,2\nc,2,5\n";
  CHECK_THROWS_WITH(read(missing, options_for("")),
                    Catch::Contains("2 draws in 2 units have a missing outcome (first: ") &&
                        Catch::Contains(":3, column 'y', unit 'a')"));
  // Text that is not a number is an error naming line and column, unless dropped.
  const std::string data = "unit,x,y\na,0,1\na,0,NA\nb,1,\nb,1,2\nc,2,x\n";
  CHECK_THROWS_WITH(read(data, options_for("")),
                    Catch::Contains(":6: column 'y' (unit 'c'): 'x' is not a number"));
  LongReadOptions o = options_for("");
  o.drop_missing = true;
  CHECK_THROWS_WITH(read(data, o), Catch::Contains("unit 'c' (first row: ") &&
                                       Catch::Contains(":6) has no draws left"));
  std::vector<std::string> warnings;
  const UnitTable t = read("unit,x,y\na,0,1\na,0,NA\nb,1,\nb,1,2\n", o, &warnings);
  CHECK(t.summary.rows_dropped == 2);
  CHECK(t.summary.units_with_drops == 2);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("dropped 2 draws with a missing value in 2 units"));
}

TEST_CASE("quantile files: columns by prefix or by type, levels from --quantiles", "[quantiles]") {
  TempFile f("id,X,T,name,Q1,Q2,Q3\nb,0.5,1,bee,1,2,3\na,-0.5,0,ant,0,1,5\n");
  QuantileReadOptions o;
  o.path = f.path();
  o.x = "X";
  o.treatment = "T";
  o.id = "id";
  // Names like Q1 do not carry levels: the levels must be given (no j/(K+1) guess).
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains("do not give their levels; give them with --quantiles"));
  o.q_grid = arma::vec{0.25, 0.5, 0.75};
  const UnitTable t = read_quantile_data(o);
  CHECK(t.summary.quantile_columns == std::vector<std::string>{"Q1", "Q2", "Q3"});
  CHECK(t.keys == std::vector<std::string>{"a", "b"});
  CHECK(arma::approx_equal(t.q_grid, arma::vec{0.25, 0.5, 0.75}, "absdiff", 0.0));
  CHECK(t.quantiles(0, 2) == 5.0);
  o.qcols = "name";
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains("'bee' is not a number"));
  o.qcols = "Q";
  o.q_grid = arma::vec{0.1, 0.9};
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains("--quantiles gives 2 levels but the file has 3"));
}

TEST_CASE("quantile files: levels from the columns' names", "[quantiles]") {
  TempFile f("X,q0.1,q0.5,0.9\n0.5,1,2,3\n-0.5,0,1,5\n");
  QuantileReadOptions o;
  o.path = f.path();
  o.x = "X";
  const UnitTable t = read_quantile_data(o);
  CHECK(arma::approx_equal(t.q_grid, arma::vec{0.1, 0.5, 0.9}, "absdiff", 0.0));
  CHECK(t.summary.grid_from_columns);
  o.q_grid = arma::vec{0.1, 0.5, 0.9};  // agreeing levels are fine
  CHECK(read_quantile_data(o).q_grid.n_elem == 3);
  o.q_grid = arma::vec{0.25, 0.5, 0.75};
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains("column 'q0.1' holds the quantile at level 0.1"));
  TempFile q5("X,q5,q50\n0.5,1,2\n-0.5,0,1\n");  // q5: not a level in (0, 1)
  o.path = q5.path();
  o.q_grid.reset();
  CHECK_THROWS_AS(read_quantile_data(o), rddist::cli::UsageError);
}

TEST_CASE("quantile files: a cell that is not a number is an error with its line and column", "[quantiles]") {
  TempFile f("X,name,Q1,Q2\n0.5,bee,1,2\n-0.5,ant,x1,5\n0.1,cat,1,2\n");
  QuantileReadOptions o;
  o.path = f.path();
  o.x = "X";
  o.q_grid = arma::vec{0.25, 0.75};
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains(":3: column 'Q1' (a quantile column): 'x1' is not a number"));
}

TEST_CASE("quantile files: decreasing quantiles are an error naming the unit and levels", "[quantiles]") {
  TempFile f("id,X,q0.25,q0.5,q0.75\na,0.5,1,2,3\nb,-0.5,0,4,3\n");
  QuantileReadOptions o;
  o.path = f.path();
  o.x = "X";
  o.id = "id";
  CHECK_THROWS_WITH(read_quantile_data(o),
                    Catch::Contains(":3: unit 'b': the quantile at level 0.75 (3, column 'q0.75') is "
                                    "below the one at level 0.5 (4)"));
}

TEST_CASE("quantile files: a long file is refused with a hint to use --format long", "[quantiles]") {
  TempFile f("unit,x,y\na,0.5,1\na,0.5,2\nb,-0.5,3\n");
  QuantileReadOptions o;
  o.path = f.path();
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains("use --format long"));
  o.id = "unit";
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains("already appeared") && Catch::Contains("use --format long"));
}

TEST_CASE("weighted draws with ties give the same quantiles in any row order", "[long]") {
  LongReadOptions o = options_for("");
  o.columns.weight = "w";
  o.q_grid = arma::regspace(1, 19) / 20.0;
  const UnitTable a = read("unit,x,y,w\nu,0,1,1\nu,0,2,1\nu,0,2,5\nu,0,3,1\nv,1,0,1\n", o);
  const UnitTable b = read("unit,x,y,w\nu,0,2,5\nu,0,3,1\nv,1,0,1\nu,0,1,1\nu,0,2,1\n", o);
  CHECK(arma::approx_equal(a.quantiles, b.quantiles, "absdiff", 0.0));
}

TEST_CASE("covariates and a unit weight are carried per unit, in key order", "[long]") {
  LongReadOptions o = options_for("");
  o.columns.covs = {"z1", "z2"};
  o.columns.unit_weight = "m";
  const std::string rows =
      "unit,x,y,z1,z2,m\nb,0.5,4,2.5,-1,3\na,-0.5,1,1,0.25,2\nb,0.5,2,2.5,-1,3\na,-0.5,3,1,0.25,2\n";
  const UnitTable t = read(rows, o);
  REQUIRE(t.keys == std::vector<std::string>{"a", "b"});
  CHECK(t.covariate_names == std::vector<std::string>{"z1", "z2"});
  REQUIRE(t.covariates.n_rows == 2);
  REQUIRE(t.covariates.n_cols == 2);
  CHECK(arma::approx_equal(t.covariates, arma::mat{{1, 0.25}, {2.5, -1}}, "absdiff", 0.0));
  CHECK(arma::approx_equal(t.unit_weights, arma::vec{2, 3}, "absdiff", 0.0));
  same_table(t, read(rows, options_for("")));  // the draws' quantiles are unchanged
  // Streamed and any-order reading agree.
  LongReadOptions any = o;
  any.order = RowOrder::any;
  CHECK(arma::approx_equal(read(rows, any).covariates, t.covariates, "absdiff", 0.0));
  // Without them: no columns.
  const UnitTable none = read(rows, options_for(""));
  CHECK(none.covariates.n_cols == 0);
  CHECK(none.unit_weights.is_empty());
}

TEST_CASE("covariates and unit weights: not constant or not a number is refused", "[long][errors]") {
  LongReadOptions o = options_for("");
  o.columns.covs = {"z"};
  CHECK_THROWS_WITH(read("unit,x,y,z\na,0.5,1,3\na,0.5,2,4\n", o),
                    Catch::Contains(":3: column 'z' is not constant within unit 'a': 4 here but 3 on "));
  CHECK_THROWS_WITH(read("unit,x,y,z\na,0.5,1,3\nb,0.1,2,high\n", o),
                    Catch::Contains(":3: column 'z' (unit 'b'): 'high' is not a number"));
  CHECK_THROWS_WITH(read("unit,x,y,z\na,0.5,1,\n", o),
                    Catch::Contains(":2: column 'z' (unit 'a'): '' is missing"));
  CHECK_THROWS_WITH(read("unit,x,y\na,0.5,1\n", o), Catch::Contains("no column named 'z' (given by --covs)"));
  LongReadOptions w = options_for("");
  w.columns.unit_weight = "m";
  CHECK_THROWS_WITH(read("unit,x,y,m\nu1,0.5,1,2\nu2,0.1,5,1\nu1,0.5,2,2.5\n", w),
                    Catch::Contains(":4: column 'm' is not constant within unit 'u1'"));
  CHECK_THROWS_WITH(read("unit,x,y,m\nu1,0.5,1,1e400\n", w),
                    Catch::Contains(":2: column 'm' (unit 'u1'): '1e400' is outside the range"));
  // Drop-missing drops draws, never a unit's covariate.
  o.drop_missing = true;
  CHECK_THROWS_WITH(read("unit,x,y,z\na,0.5,1,NA\n", o), Catch::Contains("column 'z' (unit 'a')"));
}

TEST_CASE("quantile files: covariate and unit-weight columns are not quantile columns", "[quantiles]") {
  TempFile f("id,X,age,m,Q1,Q2\nb,0.5,30,2,1,2\na,-0.5,41,1,0,1\n");
  QuantileReadOptions o;
  o.path = f.path();
  o.x = "X";
  o.id = "id";
  o.covs = {"age"};
  o.unit_weight = "m";
  o.q_grid = arma::vec{0.25, 0.75};
  const UnitTable t = read_quantile_data(o);
  CHECK(t.summary.quantile_columns == std::vector<std::string>{"Q1", "Q2"});
  CHECK(t.covariate_names == std::vector<std::string>{"age"});
  CHECK(arma::approx_equal(t.covariates, arma::mat(arma::vec{41.0, 30.0}), "absdiff", 0.0));  // key order
  CHECK(arma::approx_equal(t.unit_weights, arma::vec{1, 2}, "absdiff", 0.0));
  TempFile bad("X,age,Q1,Q2\n0.5,30,1,2\n-0.5,old,0,1\n");
  o.path = bad.path();
  o.id.clear();
  o.unit_weight.clear();
  CHECK_THROWS_WITH(read_quantile_data(o), Catch::Contains(":3: column 'age': 'old' is not a number"));
}

TEST_CASE("unit keys echoed in messages are cut to 60 bytes with their length", "[long][quantiles]") {
  const std::string key(300, 'k');
  const std::string shown = std::string(60, 'k') + "\u2026(300 bytes)";
  LongReadOptions o = options_for("");
  CHECK_THROWS_WITH(read("unit,x,y\n" + key + ",0.5,1\n" + key + ",0.25,2\n", o),
                    Catch::Contains("unit '" + shown + "'") && !Catch::Contains(key));
  TempFile f("id,x,q0.5,q0.75\n" + key + ",0.5,1,2\n" + key + ",0.5,1,2\n");
  QuantileReadOptions q;
  q.path = f.path();
  q.id = "id";
  CHECK_THROWS_WITH(read_quantile_data(q), Catch::Contains("unit '" + shown + "'") && !Catch::Contains(key));
}
